package repl

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/creack/pty"
	"golang.org/x/text/width"
)

// TestTerminalHeaderCase presses Tab after a header name typed in
// Title-Case: the completion keeps that case ("X-R" gives "X-Request"),
// never capitals.
func TestTerminalHeaderCase(t *testing.T) {
	t.Parallel()
	srv, host := ptyServer(t)
	term := startTerminal(t, srv.URL)
	term.waitFor(0, host+"\x1b[0m> ", 5*time.Second)
	m := term.mark()
	term.typeText("get /headers X-R\t")
	term.waitFor(m, "X-Request", 2*time.Second)
	term.typeText("-I\t")
	out := term.waitFor(m, "X-Request-Id:", 2*time.Second)
	if strings.Contains(out, "REQUEST") {
		t.Errorf("completion turned the name to capitals:\n%q", out)
	}
	m = term.mark()
	term.typeText("abc\r")
	out = term.waitFor(m, `"abc"`, 5*time.Second)
	if !strings.Contains(out, `"X-Request-Id"`) {
		t.Errorf("the server did not get X-Request-Id:\n%q", out)
	}
}

// TestTerminalZeroColumns runs the prompt on a terminal that reports 0
// columns (some CI terminals, script, an unsized pty): Tab completes, and
// typing does not redraw the whole line with a backspace for every
// character, as readline does with a width of 0.
func TestTerminalZeroColumns(t *testing.T) {
	t.Parallel()
	srv, host := ptyServer(t)
	term := startTerminalSize(t, nil, &pty.Winsize{}, srv.URL)
	term.waitFor(0, host+"\x1b[0m> ", 5*time.Second)
	m := term.mark()
	term.typeText("HEADE\t")
	term.waitFor(m, "> HEADER", 2*time.Second)
	term.typeText(" s\t")
	term.waitFor(m, "HEADER set ", 2*time.Second)
	term.typeText("X-Zero on\r")
	m = term.mark()
	term.typeText("get /headers\r")
	out := term.waitFor(m, `"on"`, 5*time.Second)
	if !strings.Contains(out, `"X-Zero"`) {
		t.Errorf("the server did not get X-Zero:\n%q", out)
	}
	if strings.Contains(out, "\r\b\r\b") {
		t.Errorf("readline redraws as on a 0-column terminal:\n%q", out)
	}
	term.typeText("\x04")
	if code := term.exit(5 * time.Second); code != 0 {
		t.Errorf("exit %d", code)
	}
}

// TestTerminalWideCursor moves the cursor along a line with wide
// characters (CJK, emoji): after each move the cursor is where the
// characters put it, counted in terminal columns.
func TestTerminalWideCursor(t *testing.T) {
	t.Parallel()
	srv, host := ptyServer(t)
	term := startTerminal(t, srv.URL)
	prompt := host + "\x1b[0m> "
	term.waitFor(0, prompt, 5*time.Second)
	promptCols := columns(host + "> ")
	for _, c := range []struct {
		typed string
		left  int
	}{
		{"get /你好世界", 2},
		{"get /你好世界", 4},
		{"get /😀😀x", 2},
		{"get /日本語?q=a", 4},
	} {
		m := term.mark()
		term.typeText(c.typed)
		term.waitFor(m, c.typed[len(c.typed)-1:], 2*time.Second)
		for range c.left {
			term.typeText("\x1b[D")
		}
		runes := []rune(c.typed)
		want := promptCols + columns(string(runes[:len(runes)-c.left]))
		waitCursor(t, term, m, want)
		term.typeText("\x1b[H") // Home, then End: both ends
		waitCursor(t, term, m, promptCols)
		term.typeText("\x1b[F")
		waitCursor(t, term, m, promptCols+columns(c.typed))
		term.typeText("\x03") // drop the line
		term.waitFor(m, "^C", 2*time.Second)
	}
}

// waitCursor waits until the cursor, as a terminal places it from the
// output after mark, is at column want (0-based).
func waitCursor(t *testing.T, term *terminal, mark, want int) {
	t.Helper()
	out, ok := term.waitUntil(mark, 2*time.Second, func(screen string) bool { return cursorColumn(screen) == want })
	if !ok {
		t.Fatalf("cursor at column %d, want %d; the screen shows:\n%q", cursorColumn(out), want, out)
	}
}

// columns is how many terminal columns s takes: East Asian wide and
// fullwidth characters (CJK, most emoji) two, others one.
func columns(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// cursorColumn follows terminal output on one line as a terminal would
// and returns the column the cursor ends in: printed characters move it
// by their width, \r and \n to the start, \b one back, CSI C and D right
// and left, CSI G to a column; other sequences leave it.
func cursorColumn(out string) int {
	col := 0
	for i := 0; i < len(out); {
		r, size := utf8.DecodeRuneInString(out[i:])
		i += size
		switch {
		case r == '\r' || r == '\n':
			col = 0
		case r == '\b':
			col = max(col-1, 0)
		case r == 0x1b && i < len(out) && out[i] == '[':
			j := i + 1
			for j < len(out) && (out[j] >= '0' && out[j] <= '9' || out[j] == ';' || out[j] == '?') {
				j++
			}
			if j == len(out) {
				return col
			}
			n, err := strconv.Atoi(out[i+1 : j])
			if err != nil || n == 0 {
				n = 1
			}
			switch out[j] {
			case 'C':
				col += n
			case 'D':
				col = max(col-n, 0)
			case 'G':
				col = n - 1
			}
			i = j + 1
		case r == 0x1b:
			i++ // a two-byte escape
		case r < 0x20 || r == 0x7f:
		default:
			col += columns(string(r))
		}
	}
	return col
}

// TestCursorPainter checks the correction after the line: backspaces for
// wide characters after the cursor, moves right for combining marks,
// nothing for a line that does not fit on one row.
func TestCursorPainter(t *testing.T) {
	p := &cursorPainter{prompt: "\x1b[1mhost\x1b[0m> ", width: func() int { return 20 }}
	cases := []struct {
		line string
		pos  int
		want string
	}{
		{"get /a", 2, "get /a"},
		{"你好", 0, "你好\b\b"},
		{"a😀b", 1, "a😀b\b"},
		{"e\u0301x", 0, "e\u0301x\x1b[1C"},
		{"你好", 2, "你好"},
		{"你好世界你好世界", 0, "你好世界你好世界"}, // 6 + 16 columns: wraps
	}
	for _, c := range cases {
		if got := string(p.Paint([]rune(c.line), c.pos)); got != c.want {
			t.Errorf("Paint(%q, %d) = %q, want %q", c.line, c.pos, got, c.want)
		}
	}
}

// TestTerminalDownload saves a body with -o at a terminal of 60 columns:
// the status line and headers show first, then the progress bar, drawn
// in place and never wider than the terminal (so that it never wraps),
// then the summary line.
func TestTerminalDownload(t *testing.T) {
	t.Parallel()
	srv, host := ptyServer(t)
	term := startTerminalSize(t, nil, &pty.Winsize{Rows: 40, Cols: 60}, "--color", "never", srv.URL)
	term.waitFor(0, host+"> ", 5*time.Second)
	file := filepath.Join(t.TempDir(), "out.bin")
	m := term.mark()
	term.typeText("get /bytes/300000 -o " + file + "\r")
	out := term.waitFor(m, "saved 293.0 KiB to "+file, 10*time.Second)
	status := strings.Index(out, "HTTP/1.1 200 OK")
	headers := strings.Index(out, "Content-Length: 300000")
	bar := strings.Index(out, "\r\x1b[K")
	summary := strings.Index(out, "saved ")
	if status < 0 || headers < status || bar < headers || summary < bar {
		t.Errorf("want the status line, the headers, the bar, the summary, in this order:\n%q", out)
	}
	if !strings.Contains(out, "100%  293.0 KiB / 293.0 KiB") {
		t.Errorf("no bar at 100%%:\n%q", out)
	}
	for _, draw := range strings.Split(out[bar:], "\r\x1b[K")[1:] {
		draw, _, _ = strings.Cut(draw, "\r\n")
		if len(draw) > 59 && !strings.HasPrefix(draw, "saved ") { // the summary is a line of its own
			t.Errorf("a line of %d columns on a terminal of 60: %q", len(draw), draw)
		}
	}
	if info, err := os.Stat(file); err != nil || info.Size() != 300000 {
		t.Errorf("the file: %v, %v", info, err)
	}

	// Ctrl-C during the download: the bar goes, no file is left.
	slow := filepath.Join(t.TempDir(), "slow.bin")
	m = term.mark()
	term.typeText("get /drip?duration=5&numbytes=5 -o " + slow + "\r")
	term.waitFor(m, "HTTP/1.1 200 OK", 5*time.Second)
	term.typeText("\x03")
	out = term.waitFor(m, "canceled", 5*time.Second)
	term.waitFor(m, host+"> ", 5*time.Second)
	if entries, _ := os.ReadDir(filepath.Dir(slow)); len(entries) != 0 {
		t.Errorf("files left after Ctrl-C: %v\n%q", entries, out)
	}
}
