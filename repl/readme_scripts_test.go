package repl

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/reqsh/reqsh/internal/demo"
)

// readmeBlocks returns the fenced code blocks of README.md between the
// headings from and to.
func readmeBlocks(t *testing.T, from, to string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	start := strings.Index(text, "\n"+from+"\n")
	end := strings.Index(text, "\n"+to+"\n")
	if start < 0 || end < start {
		t.Fatalf("README.md has no section from %q to %q", from, to)
	}
	var blocks []string
	var cur *strings.Builder
	for _, line := range strings.Split(text[start:end], "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			if cur == nil {
				cur = &strings.Builder{}
				continue
			}
			blocks = append(blocks, cur.String())
			cur = nil
			continue
		}
		if cur != nil {
			cur.WriteString(line + "\n")
		}
	}
	return blocks
}

// readmeBlock returns the one block for which match is true.
func readmeBlock(t *testing.T, blocks []string, what string, match func(string) bool) string {
	t.Helper()
	var found []string
	for _, b := range blocks {
		if match(b) {
			found = append(found, b)
		}
	}
	if len(found) != 1 {
		t.Fatalf("README.md: %d blocks are %s, want 1", len(found), what)
	}
	return found[0]
}

// TestREADMEScripts runs the scripts README.md shows under "Scripts" and
// "Scripts that test APIs", trailing comments and all, as written: the
// smoke test and the login script against the demo httpbin, the API test
// against httpbin with a small login API beside it.
func TestREADMEScripts(t *testing.T) {
	blocks := readmeBlocks(t, "## Scripts", "## Flags")

	// Scripts run against httpbin, each found by its first lines.
	for _, tt := range []struct {
		name, start string
		wantErr     string   // stderr
		wantOut     []string // in httpbin's echo on stdout
	}{
		{name: "smoke.reqsh", start: "$ cat smoke.reqsh\n",
			wantOut: []string{`"a": ["1"]`, `"Accept": ["application/json"]`, `"json": { "count": 3, "name": "reqsh" }`}},
		{name: "login.reqsh", start: "let user alice\npost /response-headers", wantErr: "4 passed, 0 failed\n"},
		{name: "multi-line JSON body", start: "post /anything --raw '{\n", wantOut: []string{
			`"data": "{\n  \"name\": \"reqsh\",\n  \"tags\": [\"a\", \"b\"]\n}"`,
			`"json": { "name": "reqsh", "tags": ["a", "b"] }`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			block := readmeBlock(t, blocks, "the "+tt.name+" example", func(b string) bool {
				return strings.HasPrefix(b, tt.start)
			})
			// The smoke block shows the file with cat, then runs it.
			script, _, _ := strings.Cut(strings.TrimPrefix(block, "$ cat smoke.reqsh\n"), "\n$ ")
			srv := httptest.NewServer(demo.Handler())
			defer srv.Close()
			stdout, stderr, code := runScript(t, strings.NewReader(script+"\n"), srv.URL)
			if code != 0 || stderr != tt.wantErr {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr)
			}
			for _, want := range tt.wantOut {
				if !strings.Contains(stdout, want) {
					t.Errorf("httpbin's echo lacks %s:\n%s", want, stdout)
				}
			}
		})
	}

	t.Run("API test", func(t *testing.T) {
		t.Parallel()
		block := readmeBlock(t, blocks, "the API test example", func(b string) bool {
			return strings.Contains(b, "post /login")
		})
		api := newLoginAPI(t)
		checks := filepath.Join(t.TempDir(), "checks.reqsh")
		if err := os.WriteFile(checks, []byte("get /me\nexpect status 200  # from checks.reqsh\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		script := strings.Replace(block, "source checks.reqsh", "source "+checks, 1)
		var stdout, stderr bytes.Buffer
		env := append(testEnv(t), "API_PASSWORD=pw-from-env")
		code := Main([]string{api.URL}, strings.NewReader(script), &stdout, &stderr, env)
		if code != 0 || stderr.String() != "9 passed, 0 failed\n" {
			t.Errorf("API test from README: exit %d, stderr:\n%s\nstdout:\n%s", code, stderr.String(), stdout.String())
		}
		if got, want := api.login(), `{"password":"pw-from-env","user":"alice"}`; got != want {
			t.Errorf("/login got %s, want %s", got, want)
		}
		for _, want := range []string{"\ndev\n", "curl '" + api.URL + "/me'", "Authorization: Bearer tok-alice"} {
			if !strings.Contains(stdout.String(), want) {
				t.Errorf("API test from README: stdout lacks %q:\n%s", want, stdout.String())
			}
		}
	})
}

// loginAPI is httpbin with the endpoints README's API test calls: POST
// /login answers a session token, GET /me answers the user to that token.
type loginAPI struct {
	*httptest.Server
	mu   sync.Mutex
	body string // the last /login body, its keys sorted
}

func newLoginAPI(t *testing.T) *loginAPI {
	t.Helper()
	api := &loginAPI{}
	mux := http.NewServeMux()
	mux.Handle("/", demo.Handler())
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		var fields map[string]string
		data, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(data, &fields); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		sorted, _ := json.Marshal(fields)
		api.mu.Lock()
		api.body = string(sorted)
		api.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("ETag", `"v1"`)
		io.WriteString(w, `{"session":{"token":"tok-`+fields["user"]+`"}}`)
	})
	mux.HandleFunc("GET /me", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok-alice" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("X-Request-Id", "r1")
		io.WriteString(w, `{"name":"alice","admin":false,"roles":["dev","ops"]}`)
	})
	api.Server = httptest.NewServer(mux)
	t.Cleanup(api.Close)
	return api
}

func (api *loginAPI) login() string {
	api.mu.Lock()
	defer api.mu.Unlock()
	return api.body
}
