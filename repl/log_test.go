package repl

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/reqsh/reqsh/internal/demo"
)

// The log keeps the last 100 exchanges; older ones are reported as no
// longer kept, and the kept ones print their own bodies.
func TestLogKeepsTheLast100(t *testing.T) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	var script strings.Builder
	for i := 1; i <= 105; i++ {
		script.WriteString("get /get n==" + itoa(i) + "\n")
	}
	script.WriteString("log\nlast 6 -b\nlast 5\n")
	out, code := runEcho(t, []string{"-k", srv.URL}, script.String(), testEnv(t))
	if code != ExitFailure {
		t.Errorf("exit %d, want %d (last 5 fails)", code, ExitFailure)
	}
	_, logOut, _ := strings.Cut(out, "> log\n")
	logOut, rest, _ := strings.Cut(logOut, "> last 6 -b\n")
	lines := strings.Split(strings.TrimSpace(logOut), "\n")
	if len(lines) != 100 || !strings.HasPrefix(strings.TrimSpace(lines[0]), "6  GET ") ||
		!strings.HasPrefix(strings.TrimSpace(lines[99]), "105  GET ") {
		t.Fatalf("log: %d lines, first %q, last %q", len(lines), lines[0], lines[len(lines)-1])
	}
	last6, last5, _ := strings.Cut(rest, "> last 5\n")
	if !strings.Contains(last6, `"n": ["6"]`) {
		t.Errorf("last 6 printed %q", last6)
	}
	if !strings.Contains(last5, "exchange 5 is no longer kept") {
		t.Errorf("last 5: %q", last5)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
