package repl

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/reqsh/reqsh/internal/demo"
)

// receivedRequests is a go-httpbin server that keeps every request it
// received as text: method, target, headers in order, body.
type receivedRequests struct {
	mu   sync.Mutex
	seen []string
}

func (rr *receivedRequests) handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s\n", r.Method, r.RequestURI)
		names := make([]string, 0, len(r.Header))
		for k := range r.Header {
			names = append(names, k)
		}
		slices.Sort(names)
		for _, k := range names {
			fmt.Fprintf(&b, "%s: %s\n", k, strings.Join(r.Header[k], ", "))
		}
		b.WriteString("\n" + string(body))
		rr.mu.Lock()
		rr.seen = append(rr.seen, b.String())
		rr.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

func (rr *receivedRequests) take() []string {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	s := rr.seen
	rr.seen = nil
	return s
}

// runShell runs reqsh with args on script and returns its output and
// exit status.
func runShell(t *testing.T, args []string, script string, env []string) (string, int) {
	t.Helper()
	var out syncBuffer
	c, err := parseFlags(args, &out)
	if err != nil {
		t.Fatalf("flags %q: %v", args, err)
	}
	sh, err := newShell(c, strings.NewReader(script), &out, &out, env)
	if err != nil {
		t.Fatalf("new shell: %v", err)
	}
	code := sh.run()
	return out.String(), code
}

// A recorded session, run again as a script with the variables it names
// set, sends the server the same requests; its file holds no secret.
func TestRecordReplaysSameRequests(t *testing.T) {
	var rr receivedRequests
	srv := httptest.NewServer(rr.handler(demo.Handler()))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	file := filepath.Join(t.TempDir(), "session.reqsh")
	script := strings.Join([]string{
		"record " + file,
		"header set X-Trace abc",
		"header set X-Api-Key k3y-secret",
		"params set page 2",
		"auth basic alice s3cret-pw",
		"get /anything q==1 access_token==t0k-value 'X-Note:two words'",
		"post /anything name=alice password=pw1-secret n:=3 Cookie:sid=c00kie",
		"get /status/404",
		"auth clear",
		"get http://bob:hunter2-pw@" + host + "/anything/bob",
		"record stop",
		"get /anything not=recorded",
	}, "\n") + "\n"
	env := testEnv(t)
	out, code := runShell(t, []string{srv.URL}, script, env)
	if code != 0 {
		t.Fatalf("recording run: exit %d\n%s", code, out)
	}
	recorded := rr.take()
	if len(recorded) != 5 {
		t.Fatalf("the recording run sent %d requests, want 5:\n%s", len(recorded), out)
	}
	recorded = recorded[:len(recorded)-1] // the request after record stop
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, secret := range []string{"k3y-secret", "s3cret-pw", "t0k-value", "pw1-secret", "c00kie", "hunter2-pw", "alice s3"} {
		if strings.Contains(text, secret) {
			t.Errorf("the recorded file holds the secret %q:\n%s", secret, text)
		}
	}
	for _, want := range []string{
		"base " + srv.URL + "\n",
		"header set X-Trace abc\n",
		"# set X_API_KEY: ", "header set X-Api-Key {{env.X_API_KEY}}\n",
		"# set AUTH_PASSWORD: ", "auth basic {{env.AUTH_USER}} {{env.AUTH_PASSWORD}}\n",
		"access_token=={{env.ACCESS_TOKEN}}", "'X-Note:two words'",
		"password={{env.PASSWORD}}", "Cookie:{{env.COOKIE}}",
		"get /status/404\nexpect status 404\n",
		"http://{{env.URL_USER}}:{{env.URL_PASSWORD}}@" + host + "/anything/bob\n",
		"expect status 200\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the recorded file lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "record") || strings.Contains(text, "not=recorded") {
		t.Errorf("the recorded file holds record commands or a command after record stop:\n%s", text)
	}

	// Run the file with the variables set, as a newcomer would.
	vars := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		if name, ok := strings.CutPrefix(line, "# set "); ok {
			name, _, _ = strings.Cut(name, ":")
			vars[name] = ""
		}
	}
	values := map[string]string{
		"X_API_KEY": "k3y-secret", "AUTH_USER": "alice", "AUTH_PASSWORD": "s3cret-pw",
		"ACCESS_TOKEN": "t0k-value", "PASSWORD": "pw1-secret", "COOKIE": "sid=c00kie",
		"URL_USER": "bob", "URL_PASSWORD": "hunter2-pw",
	}
	replayEnv := slices.Clone(env)
	for name := range vars {
		v, ok := values[name]
		if !ok {
			t.Fatalf("the file names a variable %q the test does not know:\n%s", name, text)
		}
		replayEnv = append(replayEnv, name+"="+v)
	}
	out, code = runShell(t, []string{"-f", file}, "", replayEnv)
	if code != 0 {
		t.Fatalf("replay: exit %d\n%s\nfile:\n%s", code, out, text)
	}
	replayed := rr.take()
	if !slices.Equal(recorded, replayed) {
		t.Errorf("the replay sent other requests\n--- recorded\n%s\n--- replayed\n%s\n--- file\n%s",
			strings.Join(recorded, "\n====\n"), strings.Join(replayed, "\n====\n"), text)
	}

	// reqsh test runs it as well.
	var tout, terr strings.Builder
	if code := runTests([]string{file}, &tout, &terr, replayEnv); code != 0 {
		t.Fatalf("reqsh test: exit %d\n%s%s", code, tout.String(), terr.String())
	}
	if tested := rr.take(); !slices.Equal(recorded, tested) {
		t.Errorf("reqsh test sent other requests\n--- recorded\n%s\n--- sent\n%s",
			strings.Join(recorded, "\n====\n"), strings.Join(tested, "\n====\n"))
	}
	if !strings.Contains(tout.String(), "PASS ") || !strings.Contains(tout.String(), "(4 checks") {
		t.Errorf("reqsh test output: %s", tout.String())
	}
}
