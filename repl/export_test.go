package repl

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// exportSeen is one request as a recording server saw it.
type exportSeen struct {
	Method, URI, Body string
	Header            http.Header
}

// recorder is a server that records every request and answers with an
// empty 200 (a Set-Cookie on /set-cookie).
type recorder struct {
	mu   sync.Mutex
	reqs []exportSeen
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h := r.Header.Clone()
	h.Del("Connection")
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, exportSeen{r.Method, r.RequestURI, string(body), h})
	rec.mu.Unlock()
	if r.URL.Path == "/set-cookie" {
		http.SetCookie(w, &http.Cookie{Name: "c", Value: "from-server", Path: "/"})
	}
}

func (rec *recorder) take() []exportSeen {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	got := rec.reqs
	rec.reqs = nil
	return got
}

// runTool runs an export with its tool: a shell command line through
// sh, a Python program through python3.
func runTool(t *testing.T, target, text string) {
	t.Helper()
	var cmd *exec.Cmd
	if target == "python" {
		file := filepath.Join(t.TempDir(), "export.py")
		if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd = exec.Command("python3", file)
	} else {
		cmd = exec.Command("sh", "-c", text)
	}
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s export failed: %v\n%s\n--- export:\n%s", target, err, out, text)
	}
}

// needTool skips a test when the tool an export is run with is missing.
func needTool(t *testing.T, target string) {
	t.Helper()
	tool := map[string]string{"curl": "curl", "httpie": "http", "python": "python3"}[target]
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("%s not installed: the %s export is not run", tool, target)
	}
	if target == "python" {
		if err := exec.Command("python3", "-c", "import requests").Run(); err != nil {
			t.Skip("python3 has no requests module: the python export is not run")
		}
	}
}

// Each export, run with its tool, makes the server see the request
// reqsh sent: method, target, every header and the body.
func TestExportsSendTheSameRequest(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	requests := map[string]string{
		"get":       `get /r?a=1 'b==x y' 'X-Quote:it'"'"'s $HOME "q" \n'`,
		"json":      `post /r name=alice n:=1 'note=a '"'"'b'"'"' $(x) é'`,
		"form":      `put /r --form a=1 'b=x&y' Accept-Encoding:`,
		"raw":       `patch /r --raw '@not a file'`,
		"delete":    `delete /r User-Agent:`,
		"auth":      `get /r -a 'al ice:p'"'"'w'`,
		"emptybody": `post /r`,
	}
	for _, target := range exportTargets {
		t.Run(target, func(t *testing.T) {
			needTool(t, target)
			for name, line := range requests {
				t.Run(name, func(t *testing.T) {
					rec.take()
					script := "cookies set sid 's v' 127.0.0.1\nheader set X-Session on\n" + line + "\nexport " + target + "\n"
					stdout, stderr, code := runScript(t, strings.NewReader(script), srv.URL)
					if code != 0 {
						t.Fatalf("reqsh: exit %d: %s", code, stderr)
					}
					sent := rec.take()
					runTool(t, target, stdout)
					again := rec.take()
					if len(sent) != 1 || len(again) != 1 {
						t.Fatalf("requests: reqsh %d, export %d", len(sent), len(again))
					}
					if target == "httpie" {
						httpieAdds(sent[0], again[0])
					}
					if !reflect.DeepEqual(sent[0], again[0]) {
						t.Errorf("the export sent another request\nreqsh:  %+v\nexport: %+v\n--- export:\n%s", sent[0], again[0], stdout)
					}
				})
			}
		})
	}
}

// httpieAdds takes out of what HTTPie sent the headers it cannot be
// told to leave out (the HTTPie export's documented limits): the
// identity Accept-Encoding and urllib3's User-Agent where reqsh sent
// none, and a Content-Length of 0 for a request without a body.
func httpieAdds(sent, got exportSeen) {
	if sent.Header.Get("Accept-Encoding") == "" && got.Header.Get("Accept-Encoding") == "identity" {
		got.Header.Del("Accept-Encoding")
	}
	if _, ok := sent.Header["User-Agent"]; !ok && strings.HasPrefix(got.Header.Get("User-Agent"), "python-urllib3/") {
		got.Header.Del("User-Agent")
	}
	if _, ok := sent.Header["Content-Length"]; !ok && got.Header.Get("Content-Length") == "0" {
		got.Header.Del("Content-Length")
	}
}

// export python --session replays the session on one requests.Session:
// the server sees the same requests, cookies and all, in order.
func TestExportPythonSession(t *testing.T) {
	needTool(t, "python")
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	script := `header set X-Session on
params set p 1
auth alice 'pw'"'"'x'
cookies set hand made 127.0.0.1
get /a?own=1
get /set-cookie
post /b name=alice X-Session:
get /c p==9 q==2 -a bob:other
params set p 2
put /d --raw text
header unset X-Session
params add p 3
get /e
export python --session
`
	stdout, stderr, code := runScript(t, strings.NewReader(script), srv.URL)
	if code != 0 {
		t.Fatalf("reqsh: exit %d: %s", code, stderr)
	}
	sent := rec.take()
	runTool(t, "python", stdout)
	again := rec.take()
	if len(sent) != len(again) {
		t.Fatalf("reqsh sent %d requests, the program %d\n%s", len(sent), len(again), stdout)
	}
	for i := range sent {
		if !reflect.DeepEqual(sent[i], again[i]) {
			t.Errorf("request %d differs\nreqsh:   %+v\nprogram: %+v", i+1, sent[i], again[i])
		}
	}
	for _, want := range []string{"s = requests.Session()", "s.auth = ('alice', 'pw\\'x')", "s.params = {\n    'p': ['2', '3'],", "s.cookies.set('hand', 'made'"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("program lacks %q:\n%s", want, stdout)
		}
	}
	if t.Failed() {
		fmt.Println(stdout)
	}
}
