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

// secretWords in a line keep it out of the history file.
var secretWords = regexp.MustCompile(`(?i)authorization|cookie|token|passw|secret|api[-_]?key|x-auth`)

// isSecretLine reports whether a typed line may carry a secret: auth
// commands, secret-looking header names or words, and lines using
// {{variables}} (their values may be secrets).
func isSecretLine(line string) bool {
	fields := strings.Fields(line)
	if len(fields) > 0 && strings.EqualFold(fields[0], "auth") {
		return true
	}
	for _, f := range fields {
		if f == "-a" || f == "--auth" || strings.HasPrefix(f, "--auth=") {
			return true
		}
	}
	return strings.Contains(line, "{{") || secretWords.MatchString(line)
}
