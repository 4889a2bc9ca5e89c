package repl

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestOAuth2TokenInSessionFile: a session file saved after `auth oauth2`
// keeps the token; a run that loads it sends that token and the token
// endpoint gets no request; auth, show and log mask the token, its
// refresh token and the secret.
func TestOAuth2TokenInSessionFile(t *testing.T) {
	var tokenRequests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			tokenRequests.Add(1)
			io.WriteString(w, `{"access_token":"tok-zq81","token_type":"bearer","expires_in":3600,"refresh_token":"ref-zq81"}`)
			return
		}
		io.WriteString(w, "got "+r.Header.Get("Authorization")+"\n")
	}))
	defer srv.Close()
	saved := filepath.Join(t.TempDir(), "s.json")
	out, errOut, code := runScript(t, strings.NewReader("auth oauth2 /token app s3cret-zq81\nget /api\n"), "--session", saved, srv.URL)
	if code != 0 || out != "got Bearer tok-zq81\n" || tokenRequests.Load() != 1 {
		t.Fatalf("first run: exit %d, stdout %q, stderr %q, %d token requests", code, out, errOut, tokenRequests.Load())
	}
	if data, _ := os.ReadFile(saved); !strings.Contains(string(data), `"access_token": "tok-zq81"`) {
		t.Fatalf("session file lacks the token:\n%s", data)
	}

	tokenRequests.Store(0)
	out, errOut, code = runScript(t, strings.NewReader("auth\nshow\nget /api\nlog\n"), "--session", saved, "--read-only")
	if code != 0 || errOut != "" || !strings.Contains(out, "got Bearer tok-zq81\n") {
		t.Errorf("second run: exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
	if n := tokenRequests.Load(); n != 0 {
		t.Errorf("the token endpoint got %d requests, want none", n)
	}
	shown := strings.ReplaceAll(out, "got Bearer tok-zq81\n", "")
	if !strings.Contains(shown, "oauth2 app:**** /token") || strings.Contains(shown, "zq81") {
		t.Errorf("auth, show or log shows a secret:\n%s", shown)
	}
}
