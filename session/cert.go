package session

import (
	"crypto/tls"
	"encoding/pem"
	"fmt"
	"net/http"
	"os"
	"strings"
)

// ClientCert names a client certificate for TLS (mutual TLS), as
// requests' cert=: PEM files, the certificate (with its chain) and the
// private key in one file or two. The zero value means none.
type ClientCert struct {
	// File holds the certificate, and the key too when KeyFile is "".
	File string
	// KeyFile holds the private key; "" means File holds it.
	KeyFile string
}

// IsZero reports whether c names no certificate.
func (c ClientCert) IsZero() bool { return c.File == "" }

// String returns "FILE" or "FILE KEYFILE", "" for none.
func (c ClientCert) String() string {
	if c.KeyFile == "" {
		return c.File
	}
	return c.File + " " + c.KeyFile
}

// load reads the certificate and its key. An encrypted key is an error:
// it has to be decrypted first.
func (c ClientCert) load() (tls.Certificate, error) {
	certPEM, err := os.ReadFile(c.File)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("client certificate: %w", err)
	}
	keyPEM, keyFile := certPEM, c.File
	if c.KeyFile != "" {
		keyFile = c.KeyFile
		if keyPEM, err = os.ReadFile(c.KeyFile); err != nil {
			return tls.Certificate{}, fmt.Errorf("client key: %w", err)
		}
	}
	if encryptedKey(keyPEM) {
		return tls.Certificate{}, fmt.Errorf("client key %q is encrypted: decrypt it first (openssl pkey -in KEY -out PLAIN.pem)", keyFile)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("client certificate %q: %w", c.String(), err)
	}
	return pair, nil
}

// encryptedKey reports whether data holds an encrypted private key:
// PKCS #8 ("ENCRYPTED PRIVATE KEY") or the legacy OpenSSL form
// (Proc-Type: 4,ENCRYPTED).
func encryptedKey(data []byte) bool {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return false
		}
		if b.Type == "ENCRYPTED PRIVATE KEY" ||
			(strings.HasSuffix(b.Type, "PRIVATE KEY") && strings.Contains(b.Headers["Proc-Type"], "ENCRYPTED")) {
			return true
		}
	}
}

// withCert returns a clone of t that presents c: a transport of its own,
// so that its connections never serve a request without c, or with
// another certificate.
func withCert(t *http.Transport, c ClientCert) (*http.Transport, error) {
	pair, err := c.load()
	if err != nil {
		return nil, err
	}
	t = t.Clone()
	t.TLSClientConfig = tlsConfig(t.TLSClientConfig)
	t.TLSClientConfig.Certificates = []tls.Certificate{pair}
	return t, nil
}

// transportFor returns the transport for a request with its own client
// certificate c (the session's when c is zero), made once per
// certificate and kept until the transport is rebuilt.
func (s *Session) transportFor(c ClientCert) (*http.Transport, error) {
	if c.File == "" && c.KeyFile != "" {
		return nil, fmt.Errorf("client key %q given without its certificate", c.KeyFile)
	}
	if c.IsZero() || c == s.opts.Cert {
		return s.transport, nil
	}
	s.certMu.Lock()
	defer s.certMu.Unlock()
	if t, ok := s.certTransports[c]; ok {
		return t, nil
	}
	t, err := withCert(s.transport, c)
	if err != nil {
		return nil, err
	}
	if s.certTransports == nil {
		s.certTransports = map[ClientCert]*http.Transport{}
	}
	s.certTransports[c] = t
	return t, nil
}

// closeCertTransports closes the idle connections of the per-request
// certificates' transports and forgets them.
func (s *Session) closeCertTransports() {
	s.certMu.Lock()
	defer s.certMu.Unlock()
	for _, t := range s.certTransports {
		t.CloseIdleConnections()
	}
	s.certTransports = nil
}
