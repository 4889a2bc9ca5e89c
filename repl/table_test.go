package repl

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// A line's command is found by its leading words in any case, the
// longest path winning, aliases included.
func TestTableLookup(t *testing.T) {
	tab := newTable(commands())
	for _, tc := range []struct {
		line, want string
		args       int
	}{
		{"get /get", "get", 1},
		{"GET /get a==1", "get", 2},
		{"Post /post", "post", 1},
		{"header set X-A 1", "header set", 2},
		{"HEADER SET X-A 1", "header set", 2},
		{"header", "header list", 0}, // an alias of one word
		{"headers", "header list", 0},
		{"header list", "header list", 0},
		{"cd /api", "base", 1},
		{"quit", "exit", 0},
		{"cookies", "cookies list", 0},
	} {
		cmd, args, err := tab.lookup(strings.Fields(tc.line))
		if err != nil || cmd.name() != tc.want || len(args) != tc.args {
			name := ""
			if cmd != nil {
				name = cmd.name()
			}
			t.Errorf("%q: %q with %d args, %v; want %q with %d", tc.line, name, len(args), err, tc.want, tc.args)
		}
	}
	for _, line := range []string{"gett /get", "header bogus", "ſet timeout 1s"} {
		if cmd, _, err := tab.lookup(strings.Fields(line)); err == nil {
			t.Errorf("%q found %q, want an error", line, cmd.name())
		}
	}
}

// A request command sends its method upper-cased, whatever the case it
// was typed in.
func TestRequestMethodCase(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Method)
		mu.Unlock()
	}))
	defer srv.Close()
	script := "get /\nGET /\nPost /\nput /\npatch /\nDelete /\nhead /\nOPTIONS /\n"
	if _, code := runEcho(t, []string{srv.URL}, script, testEnv(t)); code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	want := "GET GET POST PUT PATCH DELETE HEAD OPTIONS"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("methods sent: %s, want %s", s, want)
	}
}
