package session_test

import (
	"context"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/reqsh/reqsh/session"
)

// TestLoadRelativePaths: a CA file named by a relative path in a session
// file is taken from the file's directory, wherever the session is
// loaded from, and the request it verifies goes through.
func TestLoadRelativePaths(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	dir := t.TempDir()
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(filepath.Join(dir, "ca.pem"), ca, 0o600); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "s.json")
	if err := os.WriteFile(file, []byte(`{"reqsh": {"options": {"verify": "ca.pem", "cert": "sub/c.pem"}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	s, err := session.New()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.Load(file)
	if err == nil {
		t.Fatal("loaded with a client certificate that does not exist")
	}
	// Without the certificate the CA alone loads and verifies.
	if err := os.WriteFile(file, []byte(`{"reqsh": {"options": {"verify": "ca.pem"}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Load(file); err != nil {
		t.Fatal(err)
	}
	if got, want := s.Options().Verify.CAFile(), filepath.Join(dir, "ca.pem"); got != want {
		t.Errorf("CA file %q, want %q", got, want)
	}
	if _, err := s.Send(context.Background(), &session.Request{Method: "GET", URL: srv.URL}); err != nil {
		t.Fatalf("request verified with the file's CA: %v", err)
	}
}

// TestOptionsFilesAbsolute: a session keeps the CA file and the client
// certificate's files it is given by absolute path, from New and from
// SetOptions alike.
func TestOptionsFilesAbsolute(t *testing.T) {
	dir := t.TempDir()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(filepath.Join(dir, "ca.pem"), ca, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	o := session.DefaultOptions()
	o.Verify = session.VerifyCA("ca.pem")
	s, err := session.New(session.WithOptions(o))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := filepath.Join(dir, "ca.pem")
	if got := s.Options().Verify.CAFile(); got != want {
		t.Errorf("New: CA file %q, want %q", got, want)
	}
	if err := s.SetOptions(session.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	if err := s.SetOptions(o); err != nil {
		t.Fatal(err)
	}
	if got := s.Options().Verify.CAFile(); got != want {
		t.Errorf("SetOptions: CA file %q, want %q", got, want)
	}
}
