package repl

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
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

// rewrite replaces the file with lines, atomically.
func (h *history) rewrite(lines []string) {
	tmp := h.path + ".tmp"
	if err := os.WriteFile(tmp, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		return
	}
	_ = os.Rename(tmp, h.path)
}

// secretName matches names of headers, params, cookies and variables
// whose values are usually secrets.
var secretName = regexp.MustCompile(`(?i)auth|cookie|token|secret|passw|pwd|api[-_]?key|session|credential|signature|private`)

// isSecretLine reports whether a typed line may carry a secret, to keep it
// out of the history file: auth commands and -a, `cookies set`, lines
// using {{variables}} (their values may be secrets), credentials in a URL,
// and headers, params, fields or variables with a secret-looking name.
func isSecretLine(line string) bool {
	if strings.Contains(line, "{{") {
		return true
	}
	words, err := Tokenize(line)
	if err != nil {
		// Unbalanced quotes: judge the raw text.
		return secretName.MatchString(line)
	}
	if len(words) == 0 {
		return false
	}
	first := strings.ToLower(words[0])
	switch first {
	case "auth":
		return true
	case "cookies":
		return len(words) > 1 && strings.EqualFold(words[1], "set")
	case "header", "params", "let":
		for _, w := range words[1:] {
			if secretName.MatchString(w) {
				return true
			}
		}
		return false
	}
	for _, w := range words[1:] {
		if w == "-a" || w == "--auth" || strings.HasPrefix(w, "--auth=") {
			return true
		}
		if strings.Contains(w, "://") && strings.Contains(strings.SplitN(w, "/", 4)[2], "@") {
			return true // user:pass@host
		}
		if _, query, ok := strings.Cut(w, "?"); ok && secretName.MatchString(query) {
			return true
		}
		if name, _, ok := cutItemName(w); ok && secretName.MatchString(name) {
			return true
		}
	}
	return false
}

// cutItemName returns the name part of a request item (before ':', '=='
// or '='), if the word looks like one.
func cutItemName(w string) (string, string, bool) {
	i := strings.IndexAny(w, ":=")
	if i <= 0 {
		return "", "", false
	}
	return w[:i], w[i:], true
}
