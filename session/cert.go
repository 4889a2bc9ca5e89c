package session

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
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

// Abs returns c with its paths absolute, as the working directory
// makes them now; a path that cannot be made so is kept as it is.
func (c ClientCert) Abs() ClientCert {
	for _, p := range []*string{&c.File, &c.KeyFile} {
		if *p == "" {
			continue
		}
		if a, err := filepath.Abs(*p); err == nil {
			*p = a
		}
	}
	return c
}

// KeyEncrypted reports whether c's private key (in KeyFile, else in
// File) is encrypted, as a PEM block says: PKCS #8 "ENCRYPTED PRIVATE
// KEY" or OpenSSL's legacy Proc-Type: 4,ENCRYPTED. False when the file
// cannot be read.
func (c ClientCert) KeyEncrypted() bool {
	f := c.KeyFile
	if f == "" {
		f = c.File
	}
	data, err := os.ReadFile(f)
	return err == nil && encryptedKeyBlock(data) != nil
}

// WithPassphrase gives the session a function that returns the
// passphrase of an encrypted client key (PKCS #8 "ENCRYPTED PRIVATE
// KEY" or OpenSSL's legacy Proc-Type: 4,ENCRYPTED), given the key's
// file; its error, when it has none to give, is part of the error of
// the command that needed the key. It is asked once per key: the key
// decrypted is kept in memory, the passphrase nowhere. Without it an
// encrypted key is an error.
func WithPassphrase(f func(keyFile string) (string, error)) Option {
	return func(s *Session) { s.passphrase = f }
}

// errNoPassphrase is an encrypted key in a session with no way to ask
// for its passphrase.
var errNoPassphrase = errors.New("no passphrase: decrypt it first (openssl pkey -in KEY -out PLAIN.pem)")

// keyCache holds the client keys decrypted so far, by a digest of the
// encrypted PEM: a key is asked for once, and a file rewritten with
// another key is asked for again.
type keyCache struct {
	mu    sync.Mutex
	plain map[[sha256.Size]byte][]byte
}

func (k *keyCache) get(enc []byte) ([]byte, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	p, ok := k.plain[sha256.Sum256(enc)]
	return p, ok
}

func (k *keyCache) put(enc, plain []byte) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.plain == nil {
		k.plain = map[[sha256.Size]byte][]byte{}
	}
	k.plain[sha256.Sum256(enc)] = plain
}

// loadCert reads c's certificate and its key. An encrypted key is
// decrypted with the passphrase WithPassphrase's function gives, once.
func (s *Session) loadCert(c ClientCert) (tls.Certificate, error) {
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
	if b := encryptedKeyBlock(keyPEM); b != nil {
		if keyPEM, err = s.decryptKey(keyFile, b); err != nil {
			return tls.Certificate{}, err
		}
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("client certificate %q: %w", c.String(), err)
	}
	return pair, nil
}

// decryptKey returns the encrypted key block b of keyFile decrypted, as
// PEM: from the cache, or with a passphrase asked for.
func (s *Session) decryptKey(keyFile string, b *pem.Block) ([]byte, error) {
	enc := pem.EncodeToMemory(b)
	if plain, ok := s.keys.get(enc); ok {
		return plain, nil
	}
	if s.passphrase == nil {
		return nil, fmt.Errorf("client key %q is encrypted: %w", keyFile, errNoPassphrase)
	}
	pass, err := s.passphrase(keyFile)
	if err != nil {
		return nil, fmt.Errorf("client key %q is encrypted: %w", keyFile, err)
	}
	pb, err := decryptKeyBlock(b, pass)
	if err != nil {
		return nil, fmt.Errorf("client key %q: %w", keyFile, err)
	}
	plain := pem.EncodeToMemory(pb)
	s.keys.put(enc, plain)
	return plain, nil
}

// withCert returns a clone of t that presents c: a transport of its own,
// so that its connections never serve a request without c, or with
// another certificate.
func (s *Session) withCert(t *http.Transport, c ClientCert) (*http.Transport, error) {
	pair, err := s.loadCert(c)
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
	// The copy of the transport takes its TLS configuration as it is
	// now: with the environment's CAs read (see envCAs).
	if err := s.envCAs.load(); err != nil {
		return nil, err
	}
	s.certMu.Lock()
	defer s.certMu.Unlock()
	if t, ok := s.certTransports[c]; ok {
		return t, nil
	}
	t, err := s.withCert(s.transport, c)
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
