package repl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startSpecTerminal starts reqsh on a terminal at the demo bookstore's
// base URL with its description loaded, and waits for the prompt; it
// returns the terminal and the prompt's text.
func startSpecTerminal(t *testing.T) (*terminal, string) {
	t.Helper()
	srv, host := ptyServer(t)
	term := startTerminal(t, "--spec", "../internal/bookstore/openapi.yaml", srv.URL+"/store")
	prompt := host + "/store\x1b[0m> "
	term.waitFor(0, prompt, 5*time.Second)
	return term, host
}

// TestTerminalCompletesFromSpec presses Tab at the prompt with the
// bookstore's description loaded: a path after a method and after cd is
// completed segment by segment ({isbn}/ for the parameter); several
// candidates are listed on the screen: query parameters as name==,
// header parameters as Name:, body fields as field= or field:= by type,
// and enum values after == and =.
func TestTerminalCompletesFromSpec(t *testing.T) {
	t.Parallel()
	term, host := startSpecTerminal(t)
	prompt := host + "/store\x1b[0m> "

	// drop cancels the line typed (twice when candidates are listed: the
	// first Ctrl-C closes the list) and waits for a fresh prompt.
	drop := func(listed bool) {
		t.Helper()
		m := term.mark()
		if listed {
			term.typeText("\x03")
		}
		term.typeText("\x03")
		term.waitPrompt(m, "^C", prompt, 2*time.Second)
	}
	// listed types line and Tab, and waits until every candidate is on
	// the screen below it.
	listed := func(line string, cands ...string) {
		t.Helper()
		m := term.mark()
		term.typeText(line + "\t")
		term.waitFor(m, line, 2*time.Second)
		got, ok := term.waitUntil(m, 2*time.Second, func(screen string) bool {
			for _, c := range cands {
				if !strings.Contains(screen, c) {
					return false
				}
			}
			return true
		})
		if !ok {
			t.Errorf("after %q and Tab the screen does not list %q; it shows:\n%q", line, cands, got)
		}
		drop(true)
	}
	// completes types line and Tab, and waits until the line, redrawn,
	// ends in want.
	completes := func(line, want string) {
		t.Helper()
		m := term.mark()
		term.typeText(line + "\t")
		if got, ok := term.waitUntil(m, 2*time.Second, func(screen string) bool { return strings.HasSuffix(screen, want) }); !ok {
			t.Fatalf("after %q and Tab the line does not end in %q; the screen shows:\n%q", line, want, got)
		}
	}

	// Paths after a method, segment by segment.
	completes("get bo", "> get books/")
	completes("", "> get books/{isbn}/")
	drop(false)
	listed("get b", "bargains/", "books/")

	// Query parameters, header parameters, and enum values after ==.
	listed("get books ", "genre==", "limit==", "X-Request-Id:")
	completes("get books X-", "get books X-Request-Id:")
	drop(false)
	listed("get books genre==", "genre==fiction", "genre==science", "genre==history")
	completes("get books genre==s", "get books genre==science")
	drop(false)
	listed("get books/978-0 format==", "format==full", "format==short")

	// Body fields by type, and enum values after =.
	listed("post books ", "genre=", "in_stock:=", "isbn=", "price:=", "tags:=", "title=")
	completes("post books pr", "post books price:=")
	drop(false)
	completes("post books genre=h", "post books genre=history")
	drop(false)

	// cd: the path, then the value of {isbn} asked for.
	completes("cd bo", "> cd books/")
	completes("", "> cd books/{isbn}/")
	m := term.mark()
	term.typeText("\r")
	term.waitFor(m, "isbn: ", 2*time.Second)
	term.typeText("978-0\r")
	term.waitFor(m, host+"/store/books/978-0\x1b[0m> ", 2*time.Second)
}

// TestTerminalCdAsksParam types cd into a {param} segment: reqsh asks for
// its value on a line of its own and goes there; Ctrl-C or an empty
// answer cancels and the base URL stays; the value is not kept in the
// history.
func TestTerminalCdAsksParam(t *testing.T) {
	t.Parallel()
	term, host := startSpecTerminal(t)

	m := term.mark()
	term.typeText("cd books/{isbn}\r")
	term.waitFor(m, "isbn: ", 5*time.Second)
	term.typeText("978-0\r")
	term.waitFor(m, host+"/store/books/978-0\x1b[0m> ", 5*time.Second)

	// Ctrl-C at the question: nothing changes.
	m = term.mark()
	term.typeText("cd /store/books/{isbn}/reviews\r")
	term.waitFor(m, "isbn: ", 5*time.Second)
	term.typeText("97\x03")
	term.waitFor(m, "error: cd: no value given for {isbn}: base URL unchanged", 5*time.Second)
	term.waitFor(m, host+"/store/books/978-0\x1b[0m> ", 5*time.Second)

	// An empty answer: the same.
	m = term.mark()
	term.typeText("cd /store/{isbn}\r")
	term.waitFor(m, "isbn: ", 5*time.Second)
	term.typeText("\r")
	term.waitFor(m, "error: cd: no value given for {isbn}: base URL unchanged", 5*time.Second)
	term.waitFor(m, host+"/store/books/978-0\x1b[0m> ", 5*time.Second)

	// The value goes in the path escaped; the shell asks once a segment.
	m = term.mark()
	term.typeText("cd /store/books/{isbn}\r")
	term.waitFor(m, "isbn: ", 5*time.Second)
	term.typeText("a b\r")
	term.waitFor(m, host+"/store/books/a%20b\x1b[0m> ", 5*time.Second)

	term.typeText("\x04")
	if code := term.exit(5 * time.Second); code != 0 {
		t.Errorf("exit %d after Ctrl-D", code)
	}
	data, err := os.ReadFile(filepath.Join(term.home, ".local", "share", "reqsh", "history"))
	if err != nil {
		t.Fatalf("history file: %v", err)
	}
	lines := strings.Split(string(data), "\n")
	for _, l := range lines {
		if l == "978-0" || l == "a b" {
			t.Errorf("history keeps the value %q typed for {isbn}:\n%s", l, data)
		}
	}
	if !strings.Contains(string(data), "cd books/{isbn}") {
		t.Errorf("history lacks the cd line:\n%s", data)
	}
}
