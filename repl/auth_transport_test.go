package repl

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestRetriesInShell: `set retries 2` sends a POST answered 503 with
// Retry-After again, and --print m shows the retries.
func TestRetriesInShell(t *testing.T) {
	var n atomic.Int32
	var bodies atomic.Value
	bodies.Store("")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies.Store(bodies.Load().(string) + string(b) + ";")
		if n.Add(1) <= 2 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	out, errOut, code := runScript(t, strings.NewReader("set retries\nset retries 2\nset retries\npost / a=1 --print hm\nset retries -1\n"), "-k", srv.URL)
	if code != 1 || !strings.HasPrefix(out, "0\n2\nHTTP/1.1 200 OK\n") || !strings.Contains(out, "retries: 2\n") {
		t.Errorf("exit %d, stdout:\n%s", code, out)
	}
	if got := bodies.Load().(string); got != `{"a":"1"};{"a":"1"};{"a":"1"};` {
		t.Errorf("server got bodies %q", got)
	}
	if !strings.Contains(errOut, `set retries: invalid retries "-1"`) {
		t.Errorf("stderr %q", errOut)
	}
}
