package repl

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/reqsh/reqsh/internal/demo"
)

// countingServer starts the demo httpbin and counts the TCP connections it
// accepts.
func countingServer(t *testing.T) (*httptest.Server, *connCounter) {
	t.Helper()
	var cc connCounter
	srv := httptest.NewUnstartedServer(demo.Handler())
	srv.Config.ConnState = cc.track
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &cc
}

// TestConnectionReuse proves keep-alive from the server's side: 50
// requests in a script arrive on one TCP connection, and `close` in
// between makes the next request open a second one.
func TestConnectionReuse(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		script string
		want   int
	}{
		"50 requests":          {strings.Repeat("get /get\n", 50), 1},
		"close after 25":       {strings.Repeat("get /get\n", 25) + "close\n" + strings.Repeat("get /get\n", 25), 2},
		"redirects and posts":  {strings.Repeat("get /redirect/3\npost /post a=1\n", 10), 1},
		"close with no conns":  {"close\n" + strings.Repeat("get /get\n", 3), 1},
		"reset drops the pool": {"get /get\nreset\nget /get\n", 2},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv, cc := countingServer(t)
			var out syncBuffer
			code := Main([]string{srv.URL}, strings.NewReader(tc.script), &out, &out, testEnv(t))
			if code != 0 {
				t.Fatalf("exit %d: %s", code, out.String())
			}
			if opened, _ := cc.counts(); opened != tc.want {
				t.Errorf("server accepted %d connections, want %d", opened, tc.want)
			}
		})
	}
}

// TestSessionClosedAtExit checks that the session's connections are
// closed when the shell exits, like requests' `with Session() as s:`.
func TestSessionClosedAtExit(t *testing.T) {
	t.Parallel()
	srv, cc := countingServer(t)
	var out syncBuffer
	if code := Main([]string{srv.URL}, strings.NewReader("get /get\nget /headers\n"), &out, &out, testEnv(t)); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	// The client closed its end; wait for the server to notice.
	if !cc.waitCounts(1, 1, 5*time.Second) {
		opened, closed := cc.counts()
		t.Fatalf("after exit: %d connections opened, %d closed; want 1 and 1", opened, closed)
	}
}
