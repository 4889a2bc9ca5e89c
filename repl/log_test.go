package repl

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/reqsh/reqsh/internal/demo"
	"github.com/reqsh/reqsh/internal/spool"
	"github.com/reqsh/reqsh/session"
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
	script.WriteString("log\nlast 6 -b\nlast 101 -b\nlast 5\n")
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
	last6, rest, _ := strings.Cut(rest, "> last 101 -b\n")
	if !strings.Contains(last6, `"n": ["6"]`) {
		t.Errorf("last 6 printed %q", last6)
	}
	// Exchange 101 took the place of exchange 1, dropped from the log.
	last101, last5, _ := strings.Cut(rest, "> last 5\n")
	if !strings.Contains(last101, `"n": ["101"]`) || strings.Contains(last101, `"n": ["1"]`) {
		t.Errorf("last 101 printed %q", last101)
	}
	if !strings.Contains(last5, "exchange 5 is no longer kept") {
		t.Errorf("last 5: %q", last5)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// The log is a ring once full: every number from the oldest kept to the
// newest finds its own exchange, in order, through many turns of the
// ring; each body dropped with its exchange is released, and the
// exchange dropped is the next one made, never one still logged.
func TestLogRingOrder(t *testing.T) {
	var l exchangeLog
	const total = 3*maxLogged + 17
	var dropped *exchange
	for n := 1; n <= total; n++ {
		e := l.newExchange(0)
		if dropped != nil && e != dropped {
			t.Fatalf("exchange %d: not the one dropped last", n)
		}
		if e.n != 0 || e.resp != nil || e.body != &e.kept {
			t.Fatalf("exchange %d made as %+v", n, e)
		}
		if b, _ := e.body.Bytes(); len(b) != 0 {
			t.Fatalf("exchange %d made with body %q", n, b)
		}
		e.body.Write([]byte(itoa(n)))
		e.resp = &session.Response{StatusCode: 200 + n}
		var old *spool.Spool
		if n > maxLogged {
			o, err := l.get(n - maxLogged)
			if err != nil {
				t.Fatal(err)
			}
			old, dropped = o.body, o
		}
		if l.add(e); e.n != n {
			t.Fatalf("add %d numbered it %d", n, e.n)
		}
		if old != nil {
			if b, _ := old.Bytes(); len(b) != 0 || dropped.resp != nil {
				t.Fatalf("add %d: the dropped exchange keeps body %q, response %v", n, b, dropped.resp)
			}
		}
		first := max(1, n-maxLogged+1)
		want := first
		for e := range l.all() {
			if e.n != want || e.resp.StatusCode != 200+want {
				t.Fatalf("after %d: all gave exchange %d (status %d), want %d", n, e.n, e.resp.StatusCode, want)
			}
			want++
		}
		if want != n+1 || l.len() != n-first+1 {
			t.Fatalf("after %d: all ended at %d, len %d", n, want-1, l.len())
		}
		if e, err := l.get(0); err != nil || e.n != n {
			t.Fatalf("after %d: get(0) = %v, %v", n, e, err)
		}
		if e, err := l.get(first); err != nil || e.n != first {
			t.Fatalf("after %d: get(%d) = %v, %v", n, first, e, err)
		}
		if first > 1 {
			if _, err := l.get(first - 1); err == nil || !strings.Contains(err.Error(), "no longer kept") {
				t.Fatalf("after %d: get(%d): %v", n, first-1, err)
			}
		}
	}
	for n := total - maxLogged + 1; n <= total; n++ {
		e, err := l.get(n)
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := e.body.Bytes(); string(b) != itoa(n) {
			t.Errorf("exchange %d: body %q", n, b)
		}
	}
	if _, err := l.get(total + 1); err == nil {
		t.Errorf("get(%d) found an exchange", total+1)
	}
}
