package repl

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reqsh/reqsh/session"
)

// saveAuthSession writes a session file with base URL base, options o
// and auth a.
func saveAuthSession(t *testing.T, path, base string, o session.Options, a *session.Auth) {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	s, err := session.New(session.WithOptions(o), session.WithBase(u))
	if err != nil {
		t.Fatal(err)
	}
	s.Auth = a
	if err := s.Save(path); err != nil {
		t.Fatal(err)
	}
}

// TestSessionLoadWarnsCertAndOAuth2: a session file that turns on a
// client certificate, or sends OAuth2 client credentials to a token URL
// on another host than the base URL's, gives one warning line when it is
// loaded (session load and --session); a token URL on the base URL's
// host, or a file that changes nothing, gives the plain confirmation.
func TestSessionLoadWarnsCertAndOAuth2(t *testing.T) {
	dir := t.TempDir()
	ca, caKey, _, _ := issueCert(t, "test CA", nil, nil, false)
	_, _, certPEM, keyPEM := issueCert(t, "alice", ca, caKey, false)
	certFile := filepath.Join(dir, "alice.pem")
	if err := os.WriteFile(certFile, append(certPEM, keyPEM...), 0o600); err != nil {
		t.Fatal(err)
	}
	const base = "http://127.0.0.1:8080"
	withCert := filepath.Join(dir, "cert.json")
	o := session.DefaultOptions()
	o.Cert = session.ClientCert{File: certFile}
	saveAuthSession(t, withCert, base, o, nil)
	foreign := filepath.Join(dir, "foreign.json")
	saveAuthSession(t, foreign, base, session.DefaultOptions(), session.OAuth2Auth("https://auth.other.example/token", "app", "s3cret"))
	local := filepath.Join(dir, "local.json")
	saveAuthSession(t, local, base, session.DefaultOptions(), session.OAuth2Auth("/token", "app", "s3cret"))

	cases := []struct {
		name   string
		args   []string
		script string
		want   string
	}{
		{"session load, certificate", []string{base}, "session load " + withCert + "\n",
			"warning: session file " + withCert + " presents the client certificate " + certFile + "\n"},
		{"--session, certificate", []string{"--session", withCert, "--read-only"}, "",
			"warning: session file " + withCert + " presents the client certificate " + certFile + "\n"},
		{"the same certificate again", []string{"--session", withCert, "--read-only"}, "session load " + withCert + "\n",
			"warning: session file " + withCert + " presents the client certificate " + certFile + "\n" +
				"session loaded from " + withCert + "\n"},
		{"session load, token URL on another host", []string{base}, "session load " + foreign + "\n",
			"warning: session file " + foreign + " sends OAuth2 client credentials to https://auth.other.example/token\n"},
		{"--session, token URL on another host", []string{"--session", foreign, "--read-only"}, "",
			"warning: session file " + foreign + " sends OAuth2 client credentials to https://auth.other.example/token\n"},
		{"token URL on the base URL's host", []string{base}, "session load " + local + "\n",
			"session loaded from " + local + "\n"},
		{"--session, token URL on the base URL's host", []string{"--session", local, "--read-only"}, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(c.args, strings.NewReader(c.script), &stdout, &stderr, testEnv(t))
			if code != ExitOK || stderr.String() != c.want {
				t.Errorf("exit %d, stderr:\n%q\nwant:\n%q", code, stderr.String(), c.want)
			}
		})
	}
}
