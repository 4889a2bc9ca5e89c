package repl

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// issueCert makes a certificate named name signed by parent (self-signed
// when parent is nil) and returns it, its key, and both as PEM.
func issueCert(t *testing.T, name string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, server bool) (*x509.Certificate, *ecdsa.PrivateKey, []byte, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	switch {
	case parent == nil:
		tmpl.IsCA, tmpl.BasicConstraintsValid, tmpl.KeyUsage = true, true, x509.KeyUsageCertSign
		tmpl.ExtKeyUsage = nil
		parent, parentKey = tmpl, key
	case server:
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	kder, _ := x509.MarshalECPrivateKey(key)
	return cert, key, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}

// TestClientCertInShell: `set cert FILE KEYFILE` and --cert/--cert-key
// present a client certificate to a server that requires one from a CA
// made here; `set cert none` drops it; a session file keeps it.
func TestClientCertInShell(t *testing.T) {
	f := newMTLSFixture(t, "certs", true)
	srv, dir, caFile := f.srv, f.dir, f.ca
	alice, aliceK, bob := f.alice, f.aliceKey, f.bobPEM
	saved := filepath.Join(dir, "s.json")
	script := "set verify " + caFile + "\n" +
		"set cert " + alice + " " + alice + "x\n" + // no such key: an error, nothing changes
		"set cert " + alice + " " + aliceK + "\nset cert\nget /\n" +
		"get / --cert " + bob + "\n" +
		"get / --cert-key " + aliceK + "\n" +
		"session save " + saved + "\n" +
		"set cert none\nset cert\nget /\n" +
		"session load " + saved + "\nget /\n"
	var out, errOut bytes.Buffer
	code := Main([]string{"-k", srv.URL}, strings.NewReader(script), &out, &errOut, testEnv(t))
	want := alice + " " + aliceK + "\nhello alice\nhello bob\n"
	if !strings.HasPrefix(out.String(), want) || !strings.Contains(out.String(), "none\n") || !strings.HasSuffix(out.String(), "hello alice\n") {
		t.Errorf("exit %d, stdout:\n%s", code, out.String())
	}
	e := errOut.String()
	for _, w := range []string{
		"error: line 2: set cert: client key: open " + alice + "x: no such file or directory",
		"error: line 7: client key \"" + aliceK + "\" given without its certificate",
		"error: line 11: get \"" + srv.URL + "/\"",
	} {
		if !strings.Contains(e, w) {
			t.Errorf("stderr lacks %q:\n%s", w, e)
		}
	}
	if strings.Count(e, "error: line") != 3 {
		t.Errorf("stderr has other lines:\n%s", e)
	}
}
