package session_test

import (
	"context"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reqsh/reqsh/session"
)

// tlsServer starts an HTTPS test server answering "hello" and writes its
// certificate to a PEM file, whose path it returns.
func tlsServer(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello")
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	path := filepath.Join(t.TempDir(), "ca.pem")
	b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, path
}

// TestCABundleFromEnv: REQUESTS_CA_BUNDLE, then SSL_CERT_FILE, then
// CURL_CA_BUNDLE name the CAs trusted while verify is on; verify off or
// a CA file of its own wins over them; without them the server's
// certificate is unknown.
func TestCABundleFromEnv(t *testing.T) {
	srv, ca := tlsServer(t)
	other := writeFile(t, "other.pem", newTestCA(t, "other").pem)
	missing := filepath.Join(t.TempDir(), "missing.pem")
	cases := []struct {
		name    string
		env     []string
		verify  session.Verify
		wantErr string // "" for success
	}{
		{"none", []string{"HOME=/nowhere"}, session.VerifyOn, "certificate"},
		{"requests", []string{"REQUESTS_CA_BUNDLE=" + ca}, session.VerifyOn, ""},
		{"ssl", []string{"SSL_CERT_FILE=" + ca}, session.VerifyOn, ""},
		{"curl", []string{"CURL_CA_BUNDLE=" + ca}, session.VerifyOn, ""},
		{"requests first", []string{"REQUESTS_CA_BUNDLE=" + ca, "SSL_CERT_FILE=" + missing, "CURL_CA_BUNDLE=" + other}, session.VerifyOn, ""},
		{"ssl before curl", []string{"SSL_CERT_FILE=" + other, "CURL_CA_BUNDLE=" + ca}, session.VerifyOn, "certificate"},
		{"empty skipped", []string{"REQUESTS_CA_BUNDLE=", "CURL_CA_BUNDLE=" + ca}, session.VerifyOn, ""},
		{"verify off", []string{"REQUESTS_CA_BUNDLE=" + missing}, session.VerifyOff, ""},
		{"verify file", []string{"REQUESTS_CA_BUNDLE=" + other}, session.VerifyCA(ca), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := session.DefaultOptions()
			o.Verify = tc.verify
			s, err := session.New(session.WithEnv(tc.env), session.WithOptions(o))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := s.Get(context.Background(), srv.URL)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("want success, got %v", err)
			case tc.wantErr == "" && string(resp.Body) != "hello":
				t.Fatalf("body %q", resp.Body)
			case tc.wantErr != "":
				var se *session.Error
				if !errors.As(err, &se) || se.Kind != session.KindTLS || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("want a TLS error, got %v", err)
				}
			}
		})
	}
}

// TestCABundleFromEnvMissing: a CA bundle variable naming no file is an
// error of New that names the variable.
func TestCABundleFromEnvMissing(t *testing.T) {
	_, err := session.New(session.WithEnv([]string{"SSL_CERT_FILE=/no/such/ca.pem"}))
	if err == nil || !strings.Contains(err.Error(), "SSL_CERT_FILE") {
		t.Fatalf("err %v, want one naming SSL_CERT_FILE", err)
	}
}

// TestCABundleReadWhenTLSNeedsIt: the environment's CA bundle is read by
// the first request that may make a TLS connection, as requests reads
// it: a bundle that is not PEM leaves New and plain HTTP requests alone,
// and every https request fails with a TLS error naming the variable,
// the session going on. A good bundle is in force for a request with a
// client certificate of its own (a copy of the transport) and for the
// session's session certificate alike.
func TestCABundleReadWhenTLSNeedsIt(t *testing.T) {
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "plain")
	}))
	t.Cleanup(plain.Close)
	srv, _ := tlsServer(t)
	notPEM := writeFile(t, "not.pem", []byte("not a certificate\n"))
	s, err := session.New(session.WithEnv([]string{"SSL_CERT_FILE=" + notPEM}))
	if err != nil {
		t.Fatalf("New with a bundle that is not PEM: %v (it is read when TLS needs it)", err)
	}
	for i := range 2 {
		if resp, err := s.Get(context.Background(), plain.URL); err != nil || string(resp.Body) != "plain" {
			t.Fatalf("plain HTTP %d: %v", i, err)
		}
		_, err := s.Get(context.Background(), srv.URL)
		var se *session.Error
		if !errors.As(err, &se) || se.Kind != session.KindTLS || !strings.Contains(err.Error(), "SSL_CERT_FILE") || !strings.Contains(err.Error(), "no PEM certificates") {
			t.Fatalf("https %d: %v; want a TLS error naming SSL_CERT_FILE", i, err)
		}
	}

	ca := newTestCA(t, "test CA")
	msrv, caFile := mtlsServer(t, ca)
	_, aliceCert, aliceKey := ca.issue(t, "alice", false)
	alice := session.ClientCert{File: writeFile(t, "alice.crt", aliceCert), KeyFile: writeFile(t, "alice.key", aliceKey)}
	env := session.WithEnv([]string{"REQUESTS_CA_BUNDLE=" + caFile})
	s = newSession(t, env)
	resp, err := s.Do(context.Background(), &session.Request{Method: "GET", URL: msrv.URL, Cert: alice})
	if err != nil || string(resp.Body) != "alice" {
		t.Fatalf("request certificate, CAs from the environment: %v", err)
	}
	o := session.DefaultOptions()
	o.Cert = alice
	s = newSession(t, env, session.WithOptions(o))
	resp, err = s.Get(context.Background(), msrv.URL)
	if err != nil || string(resp.Body) != "alice" {
		t.Fatalf("session certificate, CAs from the environment: %v", err)
	}
	// New options build a new transport, which reads the bundle again
	// when TLS first needs it.
	o.Timeout = time.Minute
	if err := s.SetOptions(o); err != nil {
		t.Fatal(err)
	}
	resp, err = s.Get(context.Background(), msrv.URL)
	if err != nil || string(resp.Body) != "alice" {
		t.Fatalf("after new options, CAs from the environment: %v", err)
	}
}
