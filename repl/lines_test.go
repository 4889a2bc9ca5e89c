package repl

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/reqsh/reqsh/internal/words"
)

// readResult is one command readCommand gave: its text, its first line, and
// its error when the input could not be read as a command.
type readResult struct {
	text  string
	first int
	err   string
}

// readCommands reads input as a script does, command by command, up to
// the end or the first input error.
func readCommands(t *testing.T, input string) []readResult {
	t.Helper()
	sh, err := newShell(&config{color: "never"}, strings.NewReader(""), io.Discard, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := newPlainReader(strings.NewReader(input), nil)
	var got []readResult
	lineNo := 0
	for range 1000 {
		text, first, err := sh.readCommand(r, &lineNo, nil)
		switch {
		case errors.Is(err, io.EOF):
			if text != "" {
				got = append(got, readResult{text: text, first: first})
			}
			return got
		case err != nil:
			return append(got, readResult{first: first, err: err.Error()})
		}
		got = append(got, readResult{text: text, first: first})
	}
	t.Fatalf("%q: readCommand does not reach the end", input)
	return nil
}

// TestReadCommandJoinsLines reads commands over several lines: a quote
// open at the end of a line goes on with its newline kept, a backslash
// before the newline joins the lines without it (also inside double
// quotes, as in sh), and comments and escaped backslashes do neither.
func TestReadCommandJoinsLines(t *testing.T) {
	type c = readResult
	tests := []struct {
		name  string
		input string
		want  []c
	}{
		{"JSON body over lines", "post /x --raw '{\n  \"a\": 1\n}'\nget /y\n",
			[]c{{"post /x --raw '{\n  \"a\": 1\n}'", 1, ""}, {"get /y", 4, ""}}},
		{"a stray command inside the quote is text", "post /x --raw '[\ndelete /x\n# no comment\n]'\n",
			[]c{{"post /x --raw '[\ndelete /x\n# no comment\n]'", 1, ""}}},
		{"double quotes over lines", "post /x note=\"a\nb\" c==1\n", []c{{"post /x note=\"a\nb\" c==1", 1, ""}}},
		{"backslash continuation", "get /x \\\n  a==1\n", []c{{"get /x   a==1", 1, ""}}},
		{"backslash-newline inside double quotes", "post /x --raw \"ab\\\ncd\"\n", []c{{"post /x --raw \"abcd\"", 1, ""}}},
		{"backslash-newline inside single quotes is text", "post /x --raw 'ab\\\ncd'\n", []c{{"post /x --raw 'ab\\\ncd'", 1, ""}}},
		{"escaped backslash ends the line", "get /x a\\\\\nget /y\n", []c{{"get /x a\\\\", 1, ""}, {"get /y", 2, ""}}},
		{"escaped backslash in double quotes", "post /x \"a\\\\\nb\"\n", []c{{"post /x \"a\\\\\nb\"", 1, ""}}},
		{"a comment hides a quote", "get /x # it's\nget /y\n", []c{{"get /x # it's", 1, ""}, {"get /y", 2, ""}}},
		{"a comment hides a backslash", "get /x # a \\\nget /y\n", []c{{"get /x # a \\", 1, ""}, {"get /y", 2, ""}}},
		{"a comment on a continued line", "get /x \\\n# c 'x\nget /y\n", []c{{"get /x # c 'x", 1, ""}, {"get /y", 3, ""}}},
		{"a hash glued by a continuation", "get /x\\\n#y 'z\n'\n", []c{{"get /x#y 'z\n'", 1, ""}}},
		{"CRLF lines", "post /x --raw 'a\r\nb'\r\nget /y\r\n", []c{{"post /x --raw 'a\nb'", 1, ""}, {"get /y", 3, ""}}},
		{"continuation then a quote", "post /x \\\n--raw 'a\nb'\n", []c{{"post /x --raw 'a\nb'", 1, ""}}},
		{"quote closes and opens again", "a 'b\nc' 'd\ne'\n", []c{{"a 'b\nc' 'd\ne'", 1, ""}}},
		{"empty lines inside a quote", "post /x --raw '\n\n'\n", []c{{"post /x --raw '\n\n'", 1, ""}}},
		{"last line without newline", "post /x --raw 'a\nb'", []c{{"post /x --raw 'a\nb'", 1, ""}}},
		{"end of input inside a quote", "get /a\npost /x --raw '{\n\"a\": 1\n",
			[]c{{"get /a", 1, ""}, {"", 2, `unterminated single quote opened on line 2: "post /x --raw '{\n\"a\": 1\n"`}}},
		{"quote opened on a later line", "get /a\npost /x \\\n --raw \"{\n",
			[]c{{"get /a", 1, ""}, {"", 2, `unterminated double quote opened on line 3: "post /x  --raw \"{\n"`}}},
		{"quote opened again", "a 'b\nc' 'd\n", []c{{"", 1, `unterminated single quote opened on line 2: "a 'b\nc' 'd\n"`}}},
		{"no newline at the end", "get 'x", []c{{"", 1, `unterminated single quote opened on line 1: "get 'x\n"`}}},
		{"backslash-newline in double quotes at the end", "get \"x\\\n", []c{{"", 1, `unterminated double quote opened on line 1: "get \"x"`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readCommands(t, tt.input)
			if !slices.Equal(got, tt.want) {
				t.Errorf("readCommand(%q):\n got  %#v\n want %#v", tt.input, got, tt.want)
			}
			for _, cmd := range got {
				if cmd.err != "" {
					continue
				}
				if _, err := words.Split(cmd.text); err != nil {
					t.Errorf("command %q: %v", cmd.text, err)
				}
			}
		})
	}
}

// FuzzReadCommand reads any input as a script does: every command it
// gives splits into words without a quoting error (an open quote went on
// over the next lines), and an error is one line.
func FuzzReadCommand(f *testing.F) {
	for _, s := range []string{
		"get /get  # smoke\n", "post /x --raw '{\n  \"a\": 1\n}'\nget /y\n", "get /x \\\n  a==1\n",
		"post /x --raw \"ab\\\ncd\"\n", "get /x # it's\n", "get 'x", "a 'b\nc' 'd\n", "get /x a\\\\\nb\n",
		"post /x 'a\r\nb'\r\n", "get /x\\\n#y 'z\n'\n", "\x00'\n", "'\xff\n'",
	} {
		f.Add(s)
	}
	sh, err := newShell(&config{color: "never"}, strings.NewReader(""), io.Discard, io.Discard, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, input string) {
		r := newPlainReader(strings.NewReader(input), nil)
		lineNo := 0
		for range strings.Count(input, "\n") + 2 {
			text, _, err := sh.readCommand(r, &lineNo, nil)
			if err != nil && !errors.Is(err, io.EOF) {
				if msg := err.Error(); strings.ContainsAny(msg, "\n\r") {
					t.Fatalf("input %q: error %q is not one line", input, msg)
				}
				return
			}
			if _, terr := words.Split(text); terr != nil {
				t.Fatalf("input %q: command %q: %v", input, text, terr)
			}
			if err != nil {
				return
			}
		}
		t.Fatalf("input %q: readCommand does not reach the end", input)
	})
}

// exchangeRecorder is a server that records each request's method, path
// and body.
type exchangeRecorder struct {
	mu  sync.Mutex
	got []string
}

func newExchangeRecorder(t *testing.T) (*exchangeRecorder, *httptest.Server) {
	t.Helper()
	rec := &exchangeRecorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.got = append(rec.got, r.Method+" "+r.URL.Path+" "+string(body))
		rec.mu.Unlock()
		io.WriteString(w, "ok\n")
	}))
	t.Cleanup(srv.Close)
	return rec, srv
}

func (rec *exchangeRecorder) requests() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return slices.Clone(rec.got)
}

// TestQuoteOverLinesInScripts runs a pasted multi-line JSON body as one
// command, and a script that ends inside a quote as one error naming the
// line where it opened with nothing of it sent, on stdin, with -f and
// through source.
func TestQuoteOverLinesInScripts(t *testing.T) {
	const body = "post /x --raw '{\n  \"a\": 1,\n  \"b\": \"two words\"\n}'  # a comment\n"
	const open = "get /first\npost /y --raw '[\ndelete /y\n"
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	bodyFile, openFile := write("body.reqsh", body), write("open.reqsh", open)
	tests := []struct {
		name      string
		stdin     string
		file      string // -f
		wantErr   string // stderr, after the server's URL is dropped
		wantSent  []string
		wantCode  int
		keepGoing bool
	}{
		{name: "stdin", stdin: body, wantSent: []string{"POST /x {\n  \"a\": 1,\n  \"b\": \"two words\"\n}"}},
		{name: "-f", file: bodyFile, wantSent: []string{"POST /x {\n  \"a\": 1,\n  \"b\": \"two words\"\n}"}},
		{name: "source", stdin: "source " + bodyFile + "\n", wantSent: []string{"POST /x {\n  \"a\": 1,\n  \"b\": \"two words\"\n}"}},
		{name: "stdin ends in a quote", stdin: open, wantCode: ExitFailure, wantSent: []string{"GET /first "},
			wantErr: "error: line 2: unterminated single quote opened on line 2: \"post /y --raw '[\\ndelete /y\\n\"\n"},
		{name: "-k, stdin ends in a quote", stdin: open, keepGoing: true, wantCode: ExitFailure, wantSent: []string{"GET /first "},
			wantErr: "error: line 2: unterminated single quote opened on line 2: \"post /y --raw '[\\ndelete /y\\n\"\n"},
		{name: "-f ends in a quote", file: openFile, wantCode: ExitFailure, wantSent: []string{"GET /first "},
			wantErr: "error: " + openFile + ":2: unterminated single quote opened on line 2: \"post /y --raw '[\\ndelete /y\\n\"\n"},
		{name: "sourced file ends in a quote", stdin: "source " + openFile + "\nget /after\n", wantCode: ExitFailure,
			wantSent: []string{"GET /first "},
			wantErr:  "error: " + openFile + ":2: unterminated single quote opened on line 2: \"post /y --raw '[\\ndelete /y\\n\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec, srv := newExchangeRecorder(t)
			args := []string{"--print", "b"}
			if tt.file != "" {
				args = append(args, "-f", tt.file)
			}
			if tt.keepGoing {
				args = append(args, "-k")
			}
			stdout, stderr, code := runScript(t, strings.NewReader(tt.stdin), append(args, srv.URL)...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.wantCode, stderr)
			}
			if stderr != tt.wantErr {
				t.Errorf("stderr:\n%q\nwant:\n%q", stderr, tt.wantErr)
			}
			if got := rec.requests(); !slices.Equal(got, tt.wantSent) {
				t.Errorf("the server got %q, want %q", got, tt.wantSent)
			}
			if want := strings.Repeat("ok\n", len(tt.wantSent)); stdout != want {
				t.Errorf("stdout %q, want %q", stdout, want)
			}
		})
	}
}

// TestLongQuotedCommand bounds a command whose quote stays open over many
// short lines: one error line, nothing sent, the rest of the input unread.
func TestLongQuotedCommand(t *testing.T) {
	rec, srv := newExchangeRecorder(t)
	lines := io.MultiReader(
		strings.NewReader("post /x --raw '\n"),
		io.LimitReader(repeatLine("delete /x\n"), 2*maxLineBytes),
		strings.NewReader("'\nget /after\n"),
	)
	_, stderr, code := runScript(t, lines, srv.URL)
	if code != ExitFailure {
		t.Errorf("exit %d, want %d", code, ExitFailure)
	}
	wantOneErrorLine(t, stderr, "error: line 1: ", "command too long: over 1 MiB in lines joined by an open quote", `"post /x --raw '\ndelete /x\ndelete`)
	if got := rec.requests(); len(got) != 0 {
		t.Errorf("the server got %q, want nothing", got)
	}
}

// TestSecretComment keeps a command out of the history file when its
// comment, which is no word of the command, looks secret.
func TestSecretComment(t *testing.T) {
	for line, want := range map[string]bool{
		"get /x  # the token is abc123":       true,
		"get /x  # as u:p@host/x":             true,
		"get /x  # smoke":                     false,
		"# a comment alone, no password here": true,
		"# a comment alone":                   false,
		"get /x c==a#token":                   false,
		"get /x '#x' # it's fine":             false,
	} {
		if got := isSecretLine(line); got != want {
			t.Errorf("isSecretLine(%q) = %v, want %v", line, got, want)
		}
	}
}

// Each line's words are its own: kept after later lines were split
// (short lines share room for their words, long ones do not), and
// appending to them changes nothing of another line's.
func TestSplitWordsKeptAcrossLines(t *testing.T) {
	sh, err := newShell(&config{color: "never"}, strings.NewReader(""), io.Discard, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", wordRoomLine)
	var kept [][]string
	var want [][]string
	for i := range 3 * wordRoomSize {
		line := fmt.Sprintf("let v%d %d 'a b' c\\ d", i, i)
		switch i % 7 {
		case 3:
			line = "let long " + long + strconv.Itoa(i)
		case 5:
			line = "let many" + strings.Repeat(" w", wordRoomMin+i%9)
		}
		ws, err := words.Split(line)
		if err != nil {
			t.Fatal(err)
		}
		args, err := sh.splitWords(line)
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if !slices.Equal(args, ws) {
			t.Fatalf("%q: words %q, want %q", line, args, ws)
		}
		if len(kept) > 0 {
			// The line before's command appending to its arguments
			// now: the words after them are this line's.
			_ = append(kept[len(kept)-1], "appended")
		}
		kept = append(kept, args)
		want = append(want, ws)
	}
	for i := range kept {
		if !slices.Equal(kept[i], want[i]) {
			t.Fatalf("line %d's words became %q, want %q", i, kept[i], want[i])
		}
	}
}

// readAll reads lines from r up to the end or the first error: each
// line, then the error's text.
func readAll(r *plainReader) []string {
	var got []string
	for {
		line, err := r.ReadLine()
		got = append(got, line)
		if err != nil {
			return append(got, err.Error())
		}
	}
}

// Lines taken from a block read ahead are what a line read alone is:
// the same text, the same refusal of a NUL or invalid UTF-8 (with the
// same excerpt) at the same line, whatever the lines' lengths and
// where the blocks end. A reader giving one byte a time never has a
// whole line ahead.
func TestPlainReaderBlocks(t *testing.T) {
	var many strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&many, "get /anything/%d%s\n", i, strings.Repeat("x", i%97))
		if i%500 == 0 {
			many.WriteString(strings.Repeat("y", 5000+i) + "\r\n\n")
		}
	}
	inputs := []string{
		many.String(),
		many.String() + "last line without a newline",
		"get /a\nget /b\npost /c x\x00y\nget /d\n",
		"get /a\n\xff bad\nget /c\n",
		"get /a\n" + strings.Repeat("é", 50) + "\xe9\nget /c\n",
		"get /a\n" + strings.Repeat("z", 70<<10) + "\x00\nget /b\n",
		"get /a\n" + strings.Repeat("z", maxLineBytes+10) + "\nget /b\n",
		"\n\n\r\n",
		"",
		"one",
	}
	for _, in := range inputs {
		want := readAll(newPlainReader(iotest.OneByteReader(strings.NewReader(in)), nil))
		got := readAll(newPlainReader(strings.NewReader(in), nil))
		if !slices.Equal(got, want) {
			t.Errorf("input of %d bytes: %d lines read ahead, %d one by one", len(in), len(got), len(want))
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Fatalf("line %d: %.80q, want %.80q", i+1, got[i], want[i])
				}
			}
		}
	}
}
