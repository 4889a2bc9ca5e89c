package repl

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/reqsh/reqsh/internal/demo"
)

// recordingDemo is the demo server (httpbin, and the bookstore under
// /store) recording the paths it was asked for, in order.
type recordingDemo struct {
	mu    sync.Mutex
	paths []string
}

func newRecordingDemo(t *testing.T) (*recordingDemo, *httptest.Server) {
	t.Helper()
	rec := &recordingDemo{}
	h := demo.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.paths = append(rec.paths, r.URL.Path)
		rec.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return rec, srv
}

// take returns the paths asked for so far and forgets them.
func (rec *recordingDemo) take() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	got := rec.paths
	rec.paths = nil
	return got
}

// runIn runs reqsh as its own process in dir on a script and returns
// stdout, stderr and the exit status.
func runIn(t *testing.T, dir, script string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = dir
	cmd.Env = append([]string{runMainEnv + "=1"}, testEnv(t)...)
	cmd.Stdin = strings.NewReader(script)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run reqsh: %v", err)
	}
	return stdout.String(), stderr.String(), code
}

// fileSpec returns the "spec" under "reqsh" in the session file at path,
// and whether the key is there.
func fileSpec(t *testing.T, path string) (string, bool) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Reqsh map[string]json.RawMessage `json:"reqsh"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	raw, ok := f.Reqsh["spec"]
	if !ok {
		return "", false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("reqsh.spec is %s, want a string", raw)
	}
	return s, true
}

// wantLs checks ls output for the bookstore's top level.
func wantLs(t *testing.T, what, out string) {
	t.Helper()
	for _, want := range []string{"authors/   [get]\n", "books/     [get post]\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("%s: ls shows\n%s\nwant a line %q", what, out, want)
		}
	}
}

// TestSessionRemembersSpecFile saves a session with a description loaded
// from a relative file path: the file keeps its absolute path, so a new
// reqsh started in another directory with --session (or one that runs
// session load) has it again; after spec clear the key is gone.
func TestSessionRemembersSpecFile(t *testing.T) {
	_, srv := newRecordingDemo(t)
	path := filepath.Join(t.TempDir(), "s.json")
	env := testEnv(t)

	_, errOut, code := sessRun(t, env, "spec load ../internal/bookstore/openapi.yaml\n", "--session", path, srv.URL+"/store")
	if code != 0 {
		t.Fatalf("first run: exit %d: %s", code, errOut)
	}
	abs, _ := filepath.Abs("../internal/bookstore/openapi.yaml")
	if got, _ := fileSpec(t, path); got != abs {
		t.Errorf("session file spec = %q, want the absolute path %q", got, abs)
	}

	out, errOut, code := runIn(t, t.TempDir(), "ls\nspec\n", "--session", path)
	if code != 0 || errOut != "" {
		t.Fatalf("--session in another directory: exit %d, stderr %q", code, errOut)
	}
	wantLs(t, "--session", out)
	if !strings.Contains(out, "source: "+abs+"\n") {
		t.Errorf("spec after --session shows\n%s\nwant source %s", out, abs)
	}

	out, errOut, code = sessRun(t, env, "session load "+path+"\nls books\n")
	if code != 0 || !strings.Contains(out, "{isbn}/  [get put delete]") {
		t.Errorf("session load then ls books: exit %d, stdout %q, stderr %q", code, out, errOut)
	}

	if _, errOut, code := sessRun(t, env, "spec clear\n", "--session", path); code != 0 {
		t.Fatalf("spec clear: exit %d: %s", code, errOut)
	}
	if got, ok := fileSpec(t, path); ok {
		t.Errorf("after spec clear the session file still has spec %q", got)
	}
	_, errOut, _ = sessRun(t, env, "ls\n", "--session", path)
	if !strings.Contains(errOut, "no API description loaded") {
		t.Errorf("ls after spec clear and --session: stderr %q, want no description", errOut)
	}
}

// TestSessionRemembersSpecURL saves a session with a description loaded
// by URL: --session fetches it again from the server.
func TestSessionRemembersSpecURL(t *testing.T) {
	rec, srv := newRecordingDemo(t)
	path := filepath.Join(t.TempDir(), "s.json")
	env := testEnv(t)
	url := srv.URL + "/store/openapi.yaml"
	if _, errOut, code := sessRun(t, env, "spec load "+url+"\n", "--session", path, srv.URL+"/store"); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, errOut)
	}
	if got, _ := fileSpec(t, path); got != url {
		t.Errorf("session file spec = %q, want %q", got, url)
	}
	rec.take()

	out, errOut, code := sessRun(t, env, "ls\n", "--session", path)
	if code != 0 || errOut != "" {
		t.Fatalf("--session: exit %d, stderr %q", code, errOut)
	}
	wantLs(t, "--session", out)
	// The $ref'd file is asked for once, however many references name it.
	if got := rec.take(); !slices.Equal(got, []string{"/store/openapi.yaml", "/store/schemas.yaml"}) {
		t.Errorf("the server was asked for %q, want the description, then its $ref'd file once", got)
	}
}

// TestSessionSpecNotFound loads a session file whose description is gone:
// one warning line, the rest of the session loads and works, and the
// file still names the description when it is saved back. A relative
// path written by hand is taken from the session file's directory.
func TestSessionSpecNotFound(t *testing.T) {
	_, srv := newRecordingDemo(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "s.json")
	file := `{"headers": [{"name": "X-Kept", "value": "yes"}], "reqsh": {"version": 1, "base": "` + srv.URL + `", "spec": "gone.yaml"}}`
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	e := sessAnything(t, testEnv(t), "", "--session", path)
	wantSent(t, e, map[string]string{"X-Kept": "yes"}, nil)
	_, errOut, code := sessRun(t, testEnv(t), "get /get\n", "--session", path)
	wantOneErrorLine(t, errOut, "warning: session file "+path+": API description not loaded: ",
		filepath.Join(dir, "gone.yaml")+": no such file or directory")
	if code != 0 {
		t.Errorf("exit %d, want 0: a description that fails to load is a warning", code)
	}
	if got, _ := fileSpec(t, path); got != "gone.yaml" {
		t.Errorf("saved back, the file names spec %q, want %q as it was", got, "gone.yaml")
	}

	// The same file next to the description it names.
	for _, name := range []string{"openapi.yaml", "schemas.yaml"} {
		data, err := os.ReadFile(filepath.Join("..", "internal", "bookstore", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	file = strings.ReplaceAll(file, "gone.yaml", "openapi.yaml")
	file = strings.ReplaceAll(file, `"base": "`+srv.URL, `"base": "`+srv.URL+"/store")
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := sessRun(t, testEnv(t), "ls\n", "--session", path)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	wantLs(t, "spec relative to the session file", out)
}

// TestSpecFlagWinsOverSession starts with both --spec and a session file
// naming another description: --spec is the one used, and saved.
func TestSpecFlagWinsOverSession(t *testing.T) {
	_, srv := newRecordingDemo(t)
	path := filepath.Join(t.TempDir(), "s.json")
	env := testEnv(t)
	if _, errOut, code := sessRun(t, env, "spec load ../internal/bookstore/openapi.yaml\n", "--session", path, srv.URL+"/store"); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	out, errOut, code := sessRun(t, env, "spec\n", "--session", path, "--spec", "../testdata/apispec/petstore-swagger2.json")
	if code != 0 || !strings.Contains(out, "Petstore 2.0.0") {
		t.Errorf("exit %d, spec shows %q (stderr %q), want the --spec one", code, out, errOut)
	}
	abs, _ := filepath.Abs("../testdata/apispec/petstore-swagger2.json")
	if got, _ := fileSpec(t, path); got != abs {
		t.Errorf("session file spec = %q, want %q", got, abs)
	}
}
