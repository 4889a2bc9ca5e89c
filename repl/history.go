package repl

import (
	"github.com/reqsh/reqsh/internal/words"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/reqsh/reqsh/internal/atomicfile"
	"github.com/reqsh/reqsh/internal/items"
)

// historyLimit is how many lines the history keeps.
const historyLimit = 1000

// history is the prompt's history file, kept by reqsh itself (not by
// readline, which rewrites it world-readable): mode 0600 in a 0700 dir,
// and lines that carry secrets are never written.
type history struct {
	path string // "" when there is no place for it
}

// openHistory finds the history file in the user's data dir:
// $XDG_DATA_HOME/reqsh/history, else ~/.local/share/reqsh/history.
func openHistory(env []string) *history {
	dir, _ := lookupEnv(env, "XDG_DATA_HOME")
	if dir == "" {
		home, _ := lookupEnv(env, "HOME")
		if home == "" {
			return &history{}
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return &history{path: filepath.Join(dir, "reqsh", "history")}
}

// load returns the saved lines, oldest first, at most historyLimit.
func (h *history) load() []string {
	if h.path == "" {
		return nil
	}
	data, err := os.ReadFile(h.path)
	if err != nil {
		return nil
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > historyLimit {
		lines = lines[len(lines)-historyLimit:]
		h.rewrite(lines)
	}
	return lines
}

// add appends line to the file unless it carries a secret.
func (h *history) add(line string) {
	if h.path == "" || isSecretLine(line) || strings.ContainsAny(line, "\n\r") {
		return
	}
	if err := os.MkdirAll(filepath.Dir(h.path), 0o700); err != nil {
		return
	}
	f, err := os.OpenFile(h.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	_ = f.Chmod(0o600)
	_, _ = f.WriteString(line + "\n")
}

// remember records a command typed at the prompt in the history, judged
// as a whole: cmd is the logical line, its continuation lines joined, and
// it is recorded whole or not at all, in readline's history for this run
// and in the history file. A command over several lines (a quote with
// newlines) is in neither: no line of the file or of readline can hold it.
// Lines read from a pipe, a file or a sourced script (any reader but the
// prompt's) are never recorded.
func remember(r lineReader, cmd string) {
	if t, ok := r.(*terminalReader); ok && strings.TrimSpace(cmd) != "" {
		t.remember(cmd)
		t.hist.add(cmd)
	}
}

// rewrite replaces the file with lines, atomically, through a temporary
// file of its own: two reqsh processes rewriting at once do not mix.
func (h *history) rewrite(lines []string) {
	_ = atomicfile.WriteFile(h.path, []byte(strings.Join(lines, "\n")+"\n"), atomicfile.Exact(0o600))
}

// secretParts are the parts of a name that make it look secret wherever
// they appear in it, once separators are dropped ("X-Auth-Token",
// "api_key", "sessionid", "PassWord").
var secretParts = []string{
	"auth", "cookie", "token", "secret", "passw", "passc", "passph", "pwd",
	"apikey", "accesskey", "session", "credential", "signature", "private",
	"jwt", "bearer", "csrf", "xsrf",
}

// secretWords are the words of a name that make it look secret:
// "X-Access-Key", "pin_code", "userPw", "sig".
var secretWords = map[string]bool{
	"pass": true, "pw": true, "key": true, "keys": true, "otp": true, "totp": true,
	"hotp": true, "mfa": true, "pin": true, "sig": true, "sid": true, "cred": true,
	"creds": true, "hmac": true, "ssn": true, "cvv": true, "cvc": true,
}

// isSecretName reports whether a header, param, field, cookie or
// variable name (or any text) looks like it holds a secret.
func isSecretName(name string) bool {
	compact := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, name)
	for _, part := range secretParts {
		if strings.Contains(compact, part) {
			return true
		}
	}
	for _, w := range nameWords(name) {
		if secretWords[w] {
			return true
		}
	}
	return false
}

// nameWords splits a name into lowercase words at separators and at case
// changes: "X-Access-Key" and "xAccessKey" give x, access, key; "APIKey"
// gives api, key.
func nameWords(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if unicode.IsUpper(r) && len(cur) > 0 {
			prev := cur[len(cur)-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if !unicode.IsUpper(prev) || nextLower {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

// isSecretLine reports whether a command line may carry a secret, to keep
// it out of the history file. The line is the whole command, continuation
// lines joined. It may when: it cannot be split into words, or spans lines;
// a word of its comment looks secret;
// it uses {{variables}} (their values may be secrets); it is an auth
// command or `cookies set`; a URL in it has user info (with a scheme or
// without: "u:p@host/x", "//u:p@host/x"); a request's -a, a header name or
// value, a param or field name, a --raw body or a := JSON value, or the
// query of its URL looks secret (see isSecretName); the URL of base or cd
// has user info or a secret query param; any word of another command
// (header set, params, let, set, ...) looks secret.
func isSecretLine(line string) bool {
	if strings.Contains(line, "{{") || strings.ContainsAny(line, "\n\r") {
		return true
	}
	ws, err := words.Split(line)
	if err != nil {
		return true // when unsure, keep it out
	}
	if isSecretComment(line) {
		return true
	}
	if len(ws) == 0 {
		return false
	}
	switch cmd := strings.ToLower(ws[0]); {
	case cmd == "auth":
		return true
	case cmd == "cookies":
		return len(ws) > 1 && strings.EqualFold(ws[1], "set")
	case slices.Contains(methods, cmd):
		return isSecretRequest(ws[1:])
	case cmd == "base" || cmd == "cd":
		// A URL or a path: its user info and query, not its words
		// ("cd /auth/keys" is no secret).
		return slices.ContainsFunc(ws[1:], func(w string) bool {
			return hasUserinfo(w, true) || isSecretQuery(w)
		})
	}
	for _, w := range ws {
		if isSecretName(w) || hasUserinfo(w, true) {
			return true
		}
	}
	return false
}

// isSecretComment reports whether the comment of a one-line command (the
// text after a # that starts a word), which words.Split drops, has a word that
// looks secret: "get /x  # token abc123" is kept out of the history file as
// "get /x token==abc123" is.
func isSecretComment(line string) bool {
	var s words.Scanner
	comment := s.Scan(line).Comment
	if comment < 0 {
		return false
	}
	return slices.ContainsFunc(strings.Fields(line[comment+1:]), func(w string) bool {
		return isSecretName(w) || hasUserinfo(w, true)
	})
}

// isSecretRequest judges a request command's words: URL, items, options.
func isSecretRequest(args []string) bool {
	for i := 0; i < len(args); i++ {
		w := args[i]
		switch {
		case i == 0 && !strings.HasPrefix(w, "-"):
			// The URL: user info, with a scheme or without, or a secret
			// query param.
			if hasUserinfo(w, true) || isSecretQuery(w) {
				return true
			}
			continue
		case isAuthOption(w):
			return true
		case strings.HasPrefix(w, "--raw="):
			if isSecretName(strings.TrimPrefix(w, "--raw=")) {
				return true
			}
			continue
		case w == "--raw":
			if i+1 < len(args) && isSecretName(args[i+1]) {
				return true
			}
			i++
			continue
		}
		if hasUserinfo(w, false) || isSecretItem(w) {
			return true
		}
	}
	return false
}

// isAuthOption reports whether w is a request's auth option with or
// without its value attached: "-a", "--auth", and the forms a person may
// type from habit ("-au:p", "-a=u:p", "--auth=u:p"), which the command
// may refuse but which carry the credentials all the same.
func isAuthOption(w string) bool {
	if strings.HasPrefix(w, "--") {
		return strings.HasPrefix(w, "--auth") && !strings.HasPrefix(w, "--auth-type")
	}
	return strings.HasPrefix(w, "-a")
}

// isSecretItem judges one request item (or an option or its value): a
// secret-looking name, header value or raw JSON value, or a value that is
// a URL with user info ("next=//u:p@host/"). A word that is no item is
// judged as a name.
func isSecretItem(w string) bool {
	it, err := items.Parse(w)
	if err != nil {
		return isSecretName(w)
	}
	if hasUserinfo(it.Value, false) {
		return true
	}
	switch it.Kind {
	case items.Header, items.RawJSON:
		return isSecretName(it.Name) || isSecretName(it.Value)
	}
	return isSecretName(it.Name)
}

// isSecretQuery reports whether a URL's query, or a fragment written as
// one ("#access_token=..." in an OAuth redirect), has a secret-looking
// name.
func isSecretQuery(u string) bool {
	i := strings.IndexAny(u, "?#")
	if i < 0 {
		return false
	}
	for _, pair := range strings.FieldsFunc(u[i+1:], func(r rune) bool { return r == '&' || r == '#' || r == '?' }) {
		name, _, _ := strings.Cut(pair, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if isSecretName(name) {
			return true
		}
	}
	return false
}

// hasUserinfo reports whether w holds a URL with user info: after a
// "scheme://" anywhere in w, or after a leading "//", an "@" before the
// path. With bare, w is in a URL's place and may have no scheme at all
// ("u:p@host/x").
func hasUserinfo(w string, bare bool) bool {
	rest := w
	if i := strings.Index(w, "://"); i >= 0 {
		rest = w[i+3:]
	} else if r, ok := strings.CutPrefix(w, "//"); ok {
		rest = r
	} else if !bare {
		return false
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	return strings.Contains(rest, "@")
}
