package repl

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/reqsh/reqsh/internal/format"
)

// completer offers tab completions at the prompt.
type completer struct {
	sh *shell
}

// Do implements readline.AutoCompleter: it returns the suffixes that
// complete the word before pos, and the length of that word.
func (c *completer) Do(line []rune, pos int) ([][]rune, int) {
	word, cands := c.sh.complete(string(line[:pos]))
	out := make([][]rune, 0, len(cands))
	for _, cand := range cands {
		out = append(out, []rune(cand[len(word):]))
	}
	return out, len([]rune(word))
}

// commonHeaders are header names offered for completion: the registered
// request headers people type most.
var commonHeaders = []string{
	"Accept", "Accept-Encoding", "Accept-Language", "Authorization",
	"Cache-Control", "Connection", "Content-Encoding", "Content-Length",
	"Content-Type", "Cookie", "DNT", "Forwarded", "From", "Host",
	"If-Match", "If-Modified-Since", "If-None-Match", "If-Range",
	"If-Unmodified-Since", "Origin", "Pragma", "Prefer", "Range",
	"Referer", "TE", "Upgrade", "User-Agent", "Via", "X-Api-Key",
	"X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto",
	"X-Request-Id", "X-Requested-With",
}

// mediaTypes are values offered for Content-Type and Accept.
var mediaTypes = []string{
	"application/json", "application/x-www-form-urlencoded",
	"application/xml", "application/octet-stream", "application/problem+json",
	"multipart/form-data", "text/plain", "text/html", "text/csv", "*/*",
}

// requestOptions are the long names of the request commands' options.
var requestOptions = requestOptionNames()

// complete returns the word being completed at the end of before, and
// the candidates that extend it, in the case the user typed. Many
// candidates come from the network (paths seen in responses and
// redirects, cookie names and domains) or from a session file: one that
// is not plain typeable text (control characters, escapes, bidi controls,
// line separators) is dropped, never offered, since readline writes the
// candidates to the terminal as they are.
func (sh *shell) complete(before string) (string, []string) {
	word, cands := sh.candidates(before)
	return word, typeableOnly(cands)
}

// typeableOnly drops the candidates the sanitizer would change.
func typeableOnly(cands []string) []string {
	var out []string
	for _, c := range cands {
		if format.Typeable(c) {
			out = append(out, c)
		}
	}
	return out
}

// candidates is complete without the filter.
func (sh *shell) candidates(before string) (string, []string) {
	words := strings.Fields(before)
	word := ""
	if len(words) > 0 && !strings.HasSuffix(before, " ") && !strings.HasSuffix(before, "\t") {
		word = words[len(words)-1]
		words = words[:len(words)-1]
	}
	if i := strings.LastIndex(word, "{{"); i >= 0 && !strings.Contains(word[i:], "}}") {
		return word, matchExact(sh.varCandidates(word[:i+2]), word)
	}
	if len(words) == 0 {
		return word, matchPrefix(suffixAll(sh.cmds.firstWords(), " "), word)
	}
	if subs := sh.cmds.subcommands(words[:1]); len(subs) > 0 && len(words) == 1 {
		// A group ("header", "cookies"): its subcommands, or the
		// arguments of a command of the same name ("auth USER").
		cands := suffixAll(subs, " ")
		if cmd, n := sh.cmds.match(words); cmd != nil && n == 1 && cmd.complete != nil {
			cands = append(cands, cmd.complete(sh, nil, word)...)
		}
		return word, matchPrefix(cands, word)
	}
	cmd, n := sh.cmds.match(words)
	if cmd == nil || cmd.complete == nil {
		return word, nil
	}
	return word, matchPrefix(cmd.complete(sh, words[n:], word), word)
}

// completeRequest offers what fits a request command's next word: a URL
// path first, then options, option values, header items and files.
func completeRequest(sh *shell, args []string, word string) []string {
	if len(args) == 0 && !strings.HasPrefix(word, "-") {
		return sh.seenPaths()
	}
	if n := len(args); n > 0 {
		switch args[n-1] {
		case "-o", "--output":
			return completeFiles(word)
		case "-A", "--auth-type":
			return []string{"basic", "digest", "bearer"}
		case "-p", "--print":
			return []string{"b", "hb", "Hhb", "HBhbm", "h", "m"}
		case "--timeout", "--max-time":
			return []string{"1s", "5s", "30s"}
		}
	}
	switch {
	case strings.HasPrefix(word, "-"):
		return suffixAll(requestOptions, " ")
	case strings.HasPrefix(word, "@"):
		return prefixAll("@", completeFiles(word[1:]))
	}
	if i := strings.IndexAny(word, ":=@"); i >= 0 {
		name, rest := word[:i], word[i:]
		switch {
		case strings.HasPrefix(rest, ":") && !strings.HasPrefix(rest, ":=") && isMediaHeader(name):
			return prefixAll(name+":", mediaTypes)
		case strings.HasPrefix(rest, "=@"):
			return prefixAll(name+"=@", completeFiles(rest[2:]))
		case strings.HasPrefix(rest, ":=@"):
			return prefixAll(name+":=@", completeFiles(rest[3:]))
		case strings.HasPrefix(rest, "@"):
			return prefixAll(name+"@", completeFiles(rest[1:]))
		}
		return nil
	}
	return suffixAll(commonHeaders, ":")
}

func isMediaHeader(name string) bool {
	return strings.EqualFold(name, "Content-Type") || strings.EqualFold(name, "Accept")
}

// completeHeaderSet offers header names, then values for media headers.
func completeHeaderSet(_ *shell, args []string, _ string) []string {
	switch {
	case len(args) == 0:
		return commonHeaders
	case len(args) == 1 && isMediaHeader(args[0]):
		return mediaTypes
	}
	return nil
}

// completeSessionHeaders offers the session's header names.
func completeSessionHeaders(sh *shell, args []string, _ string) []string {
	if len(args) > 0 {
		return nil
	}
	return sortedKeys(sh.sess.Headers)
}

// completeParams offers the session's param names.
func completeParams(sh *shell, args []string, _ string) []string {
	if len(args) > 0 {
		return nil
	}
	var names []string
	for _, p := range sh.sess.Params.All() {
		names = append(names, p.Name)
	}
	return dedupe(names)
}

// completeCookies offers cookie names, then their domains.
func completeCookies(sh *shell, args []string, _ string) []string {
	var out []string
	for _, c := range sh.sess.Jar.All() {
		switch len(args) {
		case 0:
			out = append(out, c.Name)
		case 1:
			if c.Name == args[0] {
				out = append(out, c.Domain)
			}
		}
	}
	return dedupe(out)
}

// completeCommands offers command names, for help.
func completeCommands(sh *shell, args []string, _ string) []string {
	if len(args) > 0 {
		return sh.cmds.subcommands(args[:1])
	}
	return sh.cmds.firstWords()
}

// completeBase offers the paths seen so far, for cd, and the API
// description's path segments (spec_complete.go).
func completeBase(sh *shell, args []string, word string) []string {
	if len(args) > 0 {
		return nil
	}
	return append(append([]string{".."}, completeSpecPath(sh, args, word)...), sh.seenPaths()...)
}

// completeFileArg offers file paths for the first argument.
func completeFileArg(_ *shell, args []string, word string) []string {
	if len(args) > 0 {
		return nil
	}
	return completeFiles(word)
}

// varCandidates offers "{{NAME}}" for every variable and environment
// name, after the text before the braces.
func (sh *shell) varCandidates(head string) []string {
	var out []string
	for name := range sh.vars {
		out = append(out, head+name+"}}")
	}
	for _, kv := range sh.env {
		if name, _, ok := strings.Cut(kv, "="); ok && name != "" {
			out = append(out, head+"env."+name+"}}")
		}
	}
	sort.Strings(out)
	return out
}

// maxSeenPaths bounds the paths remembered for completion.
const maxSeenPaths = 500

// notePaths remembers the paths of a response's URLs and redirects for
// completion.
func (sh *shell) notePaths(paths ...string) {
	if sh.paths == nil {
		sh.paths = map[string]bool{}
	}
	for _, p := range paths {
		if p != "" && len(sh.paths) < maxSeenPaths {
			sh.paths[p] = true
		}
	}
}

// seenPaths returns the remembered paths, sorted.
func (sh *shell) seenPaths() []string {
	out := make([]string, 0, len(sh.paths))
	for p := range sh.paths {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// completeFiles lists the files and directories that extend a typed
// path; directories end in "/".
func completeFiles(typed string) []string {
	dir, prefix := filepath.Split(typed)
	list := dir
	if list == "" {
		list = "."
	}
	if strings.HasPrefix(list, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			list = filepath.Join(home, list[2:])
		}
	}
	entries, err := os.ReadDir(list)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") && !strings.HasPrefix(prefix, ".") {
			continue
		}
		if e.IsDir() {
			name += "/"
		}
		out = append(out, dir+name)
	}
	return out
}

// matchPrefix returns the options that start with word, in the case the
// user typed: readline keeps the typed part, so names (commands, headers,
// options) match ignoring case and the rest follows the typed case when
// it is all capitals or all small letters ("HEA" -> "HEADER", "acc" ->
// "accept-encoding"). Capitals that each start a part of a name ("X-",
// "X-R") are Title-Case typing, not a choice of all capitals: "X-R" ->
// "X-Request-Id". Paths and files (a "/" in the word) match exactly.
func matchPrefix(options []string, word string) []string {
	if strings.Contains(word, "/") {
		return matchExact(options, word)
	}
	upper := strings.ToUpper(word) == word && hasCapitalsRun(word)
	lower := strings.ToLower(word) == word && strings.ToUpper(word) != word
	var out []string
	for _, o := range options {
		if len(o) >= len(word) && strings.EqualFold(o[:len(word)], word) {
			rest := o[len(word):]
			switch {
			case upper:
				rest = strings.ToUpper(rest)
			case lower:
				rest = strings.ToLower(rest)
			}
			out = append(out, word+rest)
		}
	}
	return out
}

// hasCapitalsRun reports whether s has two capital letters in a row
// ("HEA", "X-SE"), the sign of typing in capitals.
func hasCapitalsRun(s string) bool {
	prev := false
	for _, r := range s {
		upper := unicode.IsUpper(r)
		if upper && prev {
			return true
		}
		prev = upper
	}
	return false
}

// matchExact returns the options that start with word, case and all.
func matchExact(options []string, word string) []string {
	var out []string
	for _, o := range options {
		if strings.HasPrefix(o, word) {
			out = append(out, o)
		}
	}
	return out
}

func prefixAll(prefix string, list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = prefix + s
	}
	return out
}

func suffixAll(list []string, suffix string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s + suffix
	}
	return out
}

func dedupe(list []string) []string {
	sort.Strings(list)
	out := list[:0]
	for i, s := range list {
		if i == 0 || s != list[i-1] {
			out = append(out, s)
		}
	}
	return out
}
