package session

import (
	"crypto/x509"
	"encoding/pem"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// TestLoadCAsKeepsPool: a CA bundle read again unchanged gives the pool
// already made; changed, it is read again, and a file gone is an error.
func TestLoadCAsKeepsPool(t *testing.T) {
	srv := httptest.NewTLSServer(nil)
	defer srv.Close()
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, block, 0o600); err != nil {
		t.Fatal(err)
	}
	first, err := loadCAs(path)
	if err != nil {
		t.Fatal(err)
	}
	again, err := loadCAs(path)
	if err != nil || again != first {
		t.Fatalf("unchanged bundle: pool %p, then %p (err %v); want the same", first, again, err)
	}
	other := httptest.NewTLSServer(nil)
	defer other.Close()
	both := append(block, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: other.Certificate().Raw})...)
	if err := os.WriteFile(path, both, 0o600); err != nil {
		t.Fatal(err)
	}
	changed, err := loadCAs(path)
	if err != nil || changed == first {
		t.Fatalf("changed bundle: same pool %v (err %v); want it read again", changed == first, err)
	}
	cert, err := x509.ParseCertificate(other.Certificate().Raw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cert.Verify(x509.VerifyOptions{Roots: changed, DNSName: "127.0.0.1"}); err != nil {
		t.Errorf("the certificate added to the bundle is not trusted: %v", err)
	}
	os.Remove(path)
	if _, err := loadCAs(path); err == nil {
		t.Error("a bundle that is gone: no error")
	}
}
