package export

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reqsh/reqsh/internal/curl"
	"github.com/reqsh/reqsh/session"
)

func certRequest(t *testing.T, rawURL string, c session.ClientCert) *session.SentRequest {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return &session.SentRequest{Method: "GET", URL: u, Header: http.Header{"Host": {u.Host}}, Cert: c}
}

// The HTTPie export gives the request's client certificate as --cert
// and --cert-key, quoted for the shell, over https only.
func TestHTTPieClientCert(t *testing.T) {
	c := session.ClientCert{File: `/d/it's a dir/c.pem`, KeyFile: `/d/it's a dir/k.pem`}
	got, err := HTTPie(certRequest(t, "https://h/", c), session.Options{}, curl.Quote)
	if err != nil {
		t.Fatal(err)
	}
	if want := ` --cert='/d/it'\''s a dir/c.pem' --cert-key='/d/it'\''s a dir/k.pem' GET `; !strings.Contains(got, want) {
		t.Errorf("command lacks %q:\n%s", want, got)
	}
	got, _ = HTTPie(certRequest(t, "https://h/", session.ClientCert{File: "/d/both.pem"}), session.Options{}, curl.Quote)
	if !strings.Contains(got, " --cert='/d/both.pem' GET ") || strings.Contains(got, "--cert-key") {
		t.Errorf("one file: %s", got)
	}
	got, _ = HTTPie(certRequest(t, "http://h/", c), session.Options{}, curl.Quote)
	if strings.Contains(got, "--cert") {
		t.Errorf("over http: %s", got)
	}
}

// The Python export gives the request's client certificate as send's
// cert=, a tuple or one file, as Python literals; a comment says when
// the key is encrypted, which requests cannot use.
func TestPythonClientCert(t *testing.T) {
	dir := filepath.Join(t.TempDir(), `it's a dir`)
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	plain, enc := filepath.Join(dir, "plain.key"), filepath.Join(dir, "enc.key")
	for file, typ := range map[string]string{plain: "EC PRIVATE KEY", enc: "ENCRYPTED PRIVATE KEY"} {
		pem := "-----BEGIN " + typ + "-----\nAAAA\n-----END " + typ + "-----\n"
		if err := os.WriteFile(file, []byte(pem), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	pyDir := strings.ReplaceAll(dir, "'", `\'`)
	for name, tc := range map[string]struct {
		c        session.ClientCert
		url      string
		want     string
		comment  bool
		noCertTo bool
	}{
		"two files": {c: session.ClientCert{File: "/c.pem", KeyFile: plain}, url: "https://h/",
			want: "cert=('/c.pem', '" + pyDir + "/plain.key'))\n"},
		"one file":  {c: session.ClientCert{File: plain}, url: "https://h/", want: "cert='" + pyDir + "/plain.key')\n"},
		"encrypted": {c: session.ClientCert{File: "/c.pem", KeyFile: enc}, url: "https://h/", want: "cert=('/c.pem', '" + pyDir + "/enc.key'))\n", comment: true},
		"over http": {c: session.ClientCert{File: "/c.pem", KeyFile: enc}, url: "http://h/", noCertTo: true},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := Python(certRequest(t, tc.url, tc.c), session.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if tc.noCertTo {
				if strings.Contains(got, "cert") {
					t.Errorf("program has a cert over http:\n%s", got)
				}
				return
			}
			if !strings.Contains(got, "response = s.send(request, allow_redirects=False, "+tc.want) {
				t.Errorf("program lacks %q:\n%s", tc.want, got)
			}
			note := "# The client key '" + pyDir + "/enc.key' is encrypted: requests cannot use it."
			if strings.Contains(got, note) != tc.comment {
				t.Errorf("encrypted key comment %q: want %v:\n%s", note, tc.comment, got)
			}
		})
	}
}

// PythonSession sets the session's client certificate as s.cert and
// gives a request with another (or none) its own cert=.
func TestPythonSessionClientCert(t *testing.T) {
	alice := session.ClientCert{File: "/a b/alice.crt", KeyFile: "/a b/alice.key"}
	bob := session.ClientCert{File: "/bob's.pem"}
	st := SessionState{Options: session.Options{Cert: alice}}
	got, err := PythonSession(st, []*session.SentRequest{
		certRequest(t, "https://h/a", alice),
		certRequest(t, "https://h/b", bob),
		certRequest(t, "https://h/c", session.ClientCert{}),
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"s.cert = ('/a b/alice.crt', '/a b/alice.key')\n",
		"# 1\n",
		"response = s.send(request, allow_redirects=False)\n",
		"response = s.send(request, allow_redirects=False, cert='/bob\\'s.pem')\n",
		"response = s.send(request, allow_redirects=False, cert=None)\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("program lacks %q:\n%s", want, got)
		}
	}
}
