package session_test

import (
	"context"
	"crypto/tls"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/reqsh/reqsh/session"
)

// mtlsServer starts an HTTPS server whose certificate and trusted client
// CA are ca's; it answers with the common name of the client's
// certificate. It returns the server and the path of ca's PEM.
func mtlsServer(t *testing.T, ca *testCA) (*httptest.Server, string) {
	t.Helper()
	pair, _, _ := ca.issue(t, "server", true)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.TLS.PeerCertificates[0].Subject.CommonName)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{pair}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: ca.pool()}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, writeFile(t, "ca.pem", ca.pem)
}

// TestClientCert: a server that requires a client certificate from a
// CA made here gets the session's (cert and key in one file or two), a
// request's own instead, and refuses a session with none; a request's
// certificate is not left on the connections of later requests.
func TestClientCert(t *testing.T) {
	ca := newTestCA(t, "test CA")
	srv, caFile := mtlsServer(t, ca)
	_, aliceCert, aliceKey := ca.issue(t, "alice", false)
	_, bobCert, bobKey := ca.issue(t, "bob", false)
	aliceBoth := writeFile(t, "alice.pem", append(append([]byte{}, aliceCert...), aliceKey...))
	bob := session.ClientCert{File: writeFile(t, "bob.crt", bobCert), KeyFile: writeFile(t, "bob.key", bobKey)}

	get := func(s *session.Session, r session.Request) (string, error) {
		r.Method, r.URL = "GET", srv.URL
		resp, err := s.Do(context.Background(), &r)
		if err != nil {
			return "", err
		}
		return string(resp.Body), nil
	}
	o := session.DefaultOptions()
	o.Verify = session.VerifyCA(caFile)
	none := newSession(t, session.WithOptions(o))
	if got, err := get(none, session.Request{}); err == nil {
		t.Errorf("no certificate: got %q, want an error", got)
	}
	if got, err := get(none, session.Request{Cert: bob}); err != nil || got != "bob" {
		t.Errorf("request cert: %q, %v; want bob", got, err)
	}
	if got, err := get(none, session.Request{}); err == nil {
		t.Errorf("after a request with a cert, one without got %q, want an error", got)
	}

	o.Cert = session.ClientCert{File: aliceBoth}
	s := newSession(t, session.WithOptions(o))
	if got, err := get(s, session.Request{}); err != nil || got != "alice" {
		t.Errorf("session cert in one file: %q, %v; want alice", got, err)
	}
	if got, err := get(s, session.Request{Cert: bob}); err != nil || got != "bob" {
		t.Errorf("request cert over the session's: %q, %v; want bob", got, err)
	}
	o.Cert = bob
	if err := s.SetOptions(o); err != nil {
		t.Fatal(err)
	}
	if got, err := get(s, session.Request{}); err != nil || got != "bob" {
		t.Errorf("session cert in two files: %q, %v; want bob", got, err)
	}
}

// TestClientCertErrors: a missing file, a key that does not match and an
// encrypted key are errors that leave the session as it was.
func TestClientCertErrors(t *testing.T) {
	ca := newTestCA(t, "test CA")
	_, cert, key := ca.issue(t, "alice", false)
	_, _, otherKey := ca.issue(t, "other", false)
	certFile := writeFile(t, "c.pem", cert)
	encrypted := writeFile(t, "enc.pem", []byte("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"))
	_ = key
	for _, tc := range []struct {
		c    session.ClientCert
		want string
	}{
		{session.ClientCert{File: "/no/such.pem"}, "client certificate"},
		{session.ClientCert{File: certFile, KeyFile: writeFile(t, "o.key", otherKey)}, "private key does not match"},
		{session.ClientCert{File: certFile, KeyFile: encrypted}, "is encrypted"},
		{session.ClientCert{File: certFile}, "client certificate"},
	} {
		s := newSession(t)
		o := s.Options()
		o.Cert = tc.c
		err := s.SetOptions(o)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err %v, want %q", tc.c, err, tc.want)
		}
		if !s.Options().Cert.IsZero() {
			t.Errorf("%v: the session kept the bad certificate", tc.c)
		}
		if _, err := s.Do(context.Background(), &session.Request{Method: "GET", URL: "https://127.0.0.1:1/", Cert: tc.c}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v per request: err %v, want %q", tc.c, err, tc.want)
		}
	}
}
