package repl

import (
	"bytes"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
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

// TestCABundleEnvInShell: the shell passes its environment to the
// session: REQUESTS_CA_BUNDLE makes a test server's certificate trusted.
func TestCABundleEnvInShell(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "trusted\n") }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	code := Main([]string{"-k", srv.URL}, strings.NewReader("get /\n"), &out, &out, append(testEnv(t), "REQUESTS_CA_BUNDLE="+ca))
	if code != 0 || out.String() != "trusted\n" {
		t.Errorf("exit %d, output %q", code, out.String())
	}
	out.Reset()
	code = Main([]string{"-k", srv.URL}, strings.NewReader("get /\n"), &out, &out, testEnv(t))
	if code != 1 || !strings.Contains(out.String(), "certificate") {
		t.Errorf("without the bundle: exit %d, output %q", code, out.String())
	}
}

// TestNetrcInShell: ~/.netrc of the shell's HOME gives a host its
// login; a world-readable one warns once on stderr; `set netrc off`
// stops it.
func TestNetrcInShell(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.Header.Get("Authorization")+"\n")
	}))
	defer srv.Close()
	env := testEnv(t)
	home := strings.TrimPrefix(env[0], "HOME=")
	path := filepath.Join(home, ".netrc")
	if err := os.WriteFile(path, []byte("machine 127.0.0.1 login alice password s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, 0o644)
	var out, errOut bytes.Buffer
	code := Main([]string{"-k", srv.URL}, strings.NewReader("get /\nget /\nset netrc\nset netrc off\nget /\n"), &out, &errOut, env)
	if code != 0 || out.String() != "Basic YWxpY2U6czNjcmV0\nBasic YWxpY2U6czNjcmV0\non\n\n" {
		t.Errorf("exit %d, stdout %q", code, out.String())
	}
	if want := "warning: " + path + " is readable by other users: its passwords are not private (chmod 600 " + path + ")\n"; errOut.String() != want {
		t.Errorf("stderr %q, want %q", errOut.String(), want)
	}
}

// TestTLSMetadata: --print m shows the protocol, and over TLS the
// version and the server certificate's subject and expiry.
func TestTLSMetadata(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer plain.Close()
	out, errOut, code := runScript(t, strings.NewReader("set verify off\nget "+srv.URL+" --print m\nget "+plain.URL+" --print m\n"))
	c := srv.Certificate()
	want := "protocol: HTTP/2.0\ntls: TLS 1.3\ncertificate: " + c.Subject.String() + ", expires " + c.NotAfter.UTC().Format("2006-01-02 15:04:05 UTC") + "\n"
	if code != 0 || !strings.Contains(out, want) || strings.Count(out, "tls: ") != 1 || !strings.HasSuffix(out, "protocol: HTTP/1.1\n") {
		t.Errorf("exit %d, stderr %q, stdout:\n%s\nwant it to contain:\n%s", code, errOut, out, want)
	}
}

// TestOAuth2InShell: `auth oauth2` fetches a token with the client's
// credentials and scopes, sends it as Bearer, and `auth` masks the
// secret.
func TestOAuth2InShell(t *testing.T) {
	var tokenReq atomic.Value
	tokenReq.Store("")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			r.ParseForm()
			id, secret, _ := r.BasicAuth()
			tokenReq.Store(id + ":" + secret + " " + r.PostForm.Encode())
			io.WriteString(w, `{"access_token":"tok-1","token_type":"bearer","expires_in":3600}`)
			return
		}
		io.WriteString(w, r.Header.Get("Authorization")+"\n")
	}))
	defer srv.Close()
	out, errOut, code := runScript(t, strings.NewReader("auth oauth2 /token app s3cret scope=read scope=write\nauth\nget /api\n"), "-k", srv.URL)
	if code != 0 || out != "oauth2 app:**** /token\nBearer tok-1\n" || errOut != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if got := tokenReq.Load().(string); got != "app:s3cret grant_type=client_credentials&scope=read+write" {
		t.Errorf("token endpoint got %q", got)
	}
}
