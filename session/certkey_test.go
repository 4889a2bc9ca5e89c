package session_test

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/reqsh/reqsh/session"
)

// encryptPKCS8 encrypts the key of keyPEM ("EC PRIVATE KEY") as PKCS #8
// with PBES2: PBKDF2 with HMAC-SHA256 and AES-256-CBC, what openssl
// genpkey -aes256 writes.
func encryptPKCS8(t *testing.T, keyPEM []byte, pass string) []byte {
	t.Helper()
	b, _ := pem.Decode(keyPEM)
	k, err := x509.ParseECPrivateKey(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	salt, iv := make([]byte, 16), make([]byte, 16)
	rand.Read(salt)
	rand.Read(iv)
	key, err := pbkdf2.Key(sha256.New, pass, salt, 2048, 32)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := aes.NewCipher(key)
	n := 16 - len(plain)%16
	data := append(plain, bytes.Repeat([]byte{byte(n)}, n)...)
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(data, data)
	mustDER := func(v any) asn1.RawValue {
		der, err := asn1.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return asn1.RawValue{FullBytes: der}
	}
	type kdfParams struct {
		Salt       []byte
		Iterations int
		PRF        pkix.AlgorithmIdentifier
	}
	kdf := kdfParams{salt, 2048, pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}, Parameters: asn1.NullRawValue}}
	pbes2 := struct{ KDF, Cipher pkix.AlgorithmIdentifier }{
		pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}, Parameters: mustDER(kdf)},
		pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}, Parameters: mustDER(iv)},
	}
	info := struct {
		Algorithm pkix.AlgorithmIdentifier
		Data      []byte
	}{pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}, Parameters: mustDER(pbes2)}, data}
	return pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: mustDER(info).FullBytes})
}

// encryptLegacy encrypts keyPEM in OpenSSL's legacy form (Proc-Type:
// 4,ENCRYPTED, AES-256-CBC).
func encryptLegacy(t *testing.T, keyPEM []byte, pass string) []byte {
	t.Helper()
	b, _ := pem.Decode(keyPEM)
	//lint:ignore SA1019 the legacy form is what is tested
	enc, err := x509.EncryptPEMBlock(rand.Reader, b.Type, b.Bytes, []byte(pass), x509.PEMCipherAES256)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(enc)
}

// opensslKey encrypts keyPEM with the openssl command and args (with
// -passout pass:PASS added); it skips the test without openssl.
func opensslKey(t *testing.T, keyPEM []byte, pass string, args ...string) []byte {
	t.Helper()
	path, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("no openssl command")
	}
	cmd := exec.Command(path, append(args, "-passout", "pass:"+pass)...)
	cmd.Stdin = bytes.NewReader(keyPEM)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("openssl %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// TestClientCertEncryptedKey: an encrypted client key, in each PEM form
// people have (PKCS #8 PBES2 with AES or 3DES as openssl writes it,
// OpenSSL's legacy Proc-Type form), is decrypted with the passphrase
// the session's function gives, asked once: the server that requires
// the certificate gets it, from the session's options and per request,
// and rebuilding the transport asks no more.
func TestClientCertEncryptedKey(t *testing.T) {
	ca := newTestCA(t, "test CA")
	srv, caFile := mtlsServer(t, ca)
	_, cert, key := ca.issue(t, "alice", false)
	const pass = "correct horse"
	forms := []struct {
		name string
		key  func(t *testing.T) []byte
	}{
		{"pkcs8 aes-256 made here", func(t *testing.T) []byte { return encryptPKCS8(t, key, pass) }},
		{"legacy aes-256 made here", func(t *testing.T) []byte { return encryptLegacy(t, key, pass) }},
		{"openssl pkcs8 -v2 aes256", func(t *testing.T) []byte {
			return opensslKey(t, key, pass, "pkcs8", "-topk8", "-v2", "aes256")
		}},
		{"openssl pkcs8 -v2 aes128 hmacWithSHA1", func(t *testing.T) []byte {
			return opensslKey(t, key, pass, "pkcs8", "-topk8", "-v2", "aes128", "-v2prf", "hmacWithSHA1")
		}},
		{"openssl pkcs8 -v2 aes192 hmacWithSHA512", func(t *testing.T) []byte {
			return opensslKey(t, key, pass, "pkcs8", "-topk8", "-v2", "aes192", "-v2prf", "hmacWithSHA512")
		}},
		{"openssl pkcs8 -v2 des3", func(t *testing.T) []byte {
			return opensslKey(t, key, pass, "pkcs8", "-topk8", "-v2", "des3")
		}},
		{"openssl ec -aes256 (legacy)", func(t *testing.T) []byte {
			return opensslKey(t, key, pass, "ec", "-aes256")
		}},
	}
	for _, f := range forms {
		t.Run(f.name, func(t *testing.T) {
			enc := f.key(t)
			if !bytes.Contains(enc, []byte("ENCRYPTED")) {
				t.Fatalf("not an encrypted key:\n%s", enc)
			}
			var asked []string
			o := session.DefaultOptions()
			o.Verify = session.VerifyCA(caFile)
			s := newSession(t, session.WithOptions(o), session.WithPassphrase(func(file string) (string, error) {
				asked = append(asked, file)
				return pass, nil
			}))
			keyFile := writeFile(t, "alice.key", enc)
			c := session.ClientCert{File: writeFile(t, "alice.crt", cert), KeyFile: keyFile}
			get := func(r session.Request) string {
				r.Method, r.URL = "GET", srv.URL
				resp, err := s.Do(context.Background(), &r)
				if err != nil {
					t.Fatal(err)
				}
				return string(resp.Body)
			}
			if got := get(session.Request{Cert: c}); got != "alice" {
				t.Errorf("per request: server saw %q", got)
			}
			o.Cert = c
			if err := s.SetOptions(o); err != nil {
				t.Fatal(err)
			}
			o.Verify = session.VerifyOff
			if err := s.SetOptions(o); err != nil { // a new transport
				t.Fatal(err)
			}
			if got := get(session.Request{}); got != "alice" {
				t.Errorf("session cert: server saw %q", got)
			}
			both := session.ClientCert{File: writeFile(t, "alice.pem", append(append([]byte{}, cert...), enc...))}
			if got := get(session.Request{Cert: both}); got != "alice" {
				t.Errorf("cert and encrypted key in one file: server saw %q", got)
			}
			if len(asked) != 1 || asked[0] != keyFile {
				t.Errorf("passphrase asked for %q, want once for %q", asked, keyFile)
			}
		})
	}
}

// TestClientCertEncryptedKeyErrors: a wrong passphrase, no way to ask
// for one, the asker's own error and a scheme not read are each one
// error naming the key; the session keeps no certificate.
func TestClientCertEncryptedKeyErrors(t *testing.T) {
	ca := newTestCA(t, "test CA")
	_, cert, key := ca.issue(t, "alice", false)
	certFile := writeFile(t, "alice.crt", cert)
	pkcs8 := writeFile(t, "p8.key", encryptPKCS8(t, key, "right"))
	legacy := writeFile(t, "legacy.key", encryptLegacy(t, key, "right"))
	wrong := session.WithPassphrase(func(string) (string, error) { return "wrong", nil })
	refuse := session.WithPassphrase(func(string) (string, error) { return "", errors.New("no terminal to ask") })
	cases := []struct {
		name    string
		keyFile string
		opts    []session.Option
		want    string
		wrong   bool
	}{
		{"pkcs8, wrong passphrase", pkcs8, []session.Option{wrong}, `client key "` + pkcs8 + `": wrong passphrase`, true},
		{"legacy, wrong passphrase", legacy, []session.Option{wrong}, `client key "` + legacy + `": wrong passphrase`, true},
		{"no asker", pkcs8, nil, `client key "` + pkcs8 + `" is encrypted: no passphrase: decrypt it first`, false},
		{"the asker's error", legacy, []session.Option{refuse}, `client key "` + legacy + `" is encrypted: no terminal to ask`, false},
	}
	if _, err := exec.LookPath("openssl"); err == nil {
		pbe := writeFile(t, "pbe.key", opensslKey(t, key, "right", "pkcs8", "-topk8", "-v1", "PBE-SHA1-3DES"))
		cases = append(cases, struct {
			name    string
			keyFile string
			opts    []session.Option
			want    string
			wrong   bool
		}{"PKCS #12 PBE", pbe, []session.Option{session.WithPassphrase(func(string) (string, error) { return "right", nil })},
			`client key "` + pbe + `": encryption scheme 1.2.840.113549.1.12.1.3 not supported (only PBES2): convert the key with openssl pkcs8 -topk8 -v2 aes256`, false})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSession(t, tc.opts...)
			o := s.Options()
			o.Cert = session.ClientCert{File: certFile, KeyFile: tc.keyFile}
			err := s.SetOptions(o)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) || errors.Is(err, session.ErrWrongPassphrase) != tc.wrong {
				t.Errorf("err %v, want %q", err, tc.want)
			}
			if !s.Options().Cert.IsZero() {
				t.Errorf("the session kept the certificate")
			}
		})
	}
}
