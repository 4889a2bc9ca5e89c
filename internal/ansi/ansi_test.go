package ansi

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/fatih/color"
)

// TestPalette pins the bytes of each color: they are what the printer
// and the prompt have always written, now made by fatih/color.
func TestPalette(t *testing.T) {
	t.Parallel()
	p := NewPalette(true)
	for name, c := range map[string]struct{ got, want string }{
		"request line": {p.RequestLine.Sprint("GET / HTTP/1.1"), "\x1b[1mGET / HTTP/1.1\x1b[22m"},
		"name":         {p.Name.Sprint("Content-Type"), "\x1b[36mContent-Type\x1b[0m"},
		"status 0":     {p.Status[0].Sprint("HTTP/1.1 600"), "\x1b[1mHTTP/1.1 600\x1b[22m"},
		"status 2xx":   {p.Status[2].Sprint("HTTP/1.1 200 OK"), "\x1b[1;32mHTTP/1.1 200 OK\x1b[22;0m"},
		"status 5xx":   {p.Status[5].Sprint("x"), "\x1b[1;31mx\x1b[22;0m"},
	} {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", name, c.got, c.want)
		}
	}
	var b strings.Builder
	p.Prompt.Fprint(&b, "host:80")
	if want := "\x1b[1mhost:80\x1b[0m"; b.String() != want {
		t.Errorf("prompt: %q, want %q", b.String(), want)
	}
}

// TestPlain is the palette with colors off: text as it is, whatever
// fatih/color's global NoColor says.
func TestPlain(t *testing.T) {
	t.Parallel()
	p := NewPalette(false)
	styles := append([]Style{p.RequestLine, p.Name, p.Prompt}, p.Status[:]...)
	for i, s := range styles {
		if !s.Plain() || s.Sprint("a b") != "a b" || string(s.AppendTail([]byte("x:a b"), 2)) != "x:a b" {
			t.Errorf("style %d is not plain", i)
		}
		var b strings.Builder
		s.Fprint(&b, "a b")
		if b.String() != "a b" {
			t.Errorf("style %d Fprint: %q", i, b.String())
		}
	}
	var b bytes.Buffer
	Reset(&b, false)
	if b.Len() != 0 {
		t.Errorf("Reset without colors wrote %q", b.String())
	}
}

// TestAppendTail colors only what follows start, as Sprint would.
func TestAppendTail(t *testing.T) {
	t.Parallel()
	s := NewStyle(true, color.FgCyan)
	got := string(s.AppendTail([]byte("before|name"), len("before|")))
	if want := "before|" + s.Sprint("name"); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestControls(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	Reset(&b, true)
	if b.String() != "\x1b[0m" {
		t.Errorf("Reset wrote %q", b.String())
	}
	if ClearLine != "\r\x1b[K" {
		t.Errorf("ClearLine is %q", ClearLine)
	}
	for n, want := range map[int]string{-1: "", 0: "", 1: "\x1b[1C", 12: "\x1b[12C"} {
		if got := CursorForward(n); got != want {
			t.Errorf("CursorForward(%d) = %q, want %q", n, got, want)
		}
	}
	for in, want := range map[string]string{
		"\x1b[1mhost\x1b[0m> ": "host> ",
		"plain":                "plain",
		"a\x1b[22;0mb":         "ab",
		"cut\x1b[":             "cut",
	} {
		if got := string(StripCSI([]rune(in))); got != want {
			t.Errorf("StripCSI(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestWriter gives a file go-colorable's writer (the file itself off
// Windows) and leaves any other writer as it is.
func TestWriter(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if Writer(&b) != &b {
		t.Error("a buffer was wrapped")
	}
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := Writer(f)
	if _, err := w.Write([]byte(NewStyle(true, color.Bold).Sprint("x"))); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(f.Name())
	if string(data) != "\x1b[1mx\x1b[22m" {
		t.Errorf("a file got %q", data)
	}
}
