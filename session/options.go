package session

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// Options are the settings of a session that are not request state.
type Options struct {
	// Timeout bounds each wait, as requests' timeout does: for a
	// connection, for response headers, and between two reads of the
	// body, so a long download that keeps flowing is not cut; 0 means
	// none.
	Timeout time.Duration
	// MaxTime bounds a whole exchange, every redirect hop and the body to
	// its last byte, as curl's --max-time does: a server that drips its
	// answer slowly is cut there; 0 means none.
	MaxTime time.Duration
	// Follow makes the session follow redirects.
	Follow bool
	// MaxRedirects is how many redirect hops one request may follow.
	MaxRedirects int
	// Verify says how TLS certificates are checked; the zero value
	// checks them against the system's roots.
	Verify Verify
	// Proxy is a proxy URL for every request; "" means the environment's
	// HTTP_PROXY, HTTPS_PROXY and NO_PROXY.
	Proxy string
	// Retries is how many times a request is sent again after a
	// connection failure (idempotent methods only) or a 429 or 503 with
	// a Retry-After (any method), with exponential backoff and jitter,
	// within MaxTime; 0 means never.
	Retries int
	// Netrc makes a request with no auth of its own (none given, none in
	// the session, no credentials in the URL, no Authorization header)
	// use the login and password of its host in ~/.netrc, or the file
	// $NETRC names, as requests does.
	Netrc bool
	// Cert is the client certificate presented to TLS servers that ask
	// for one; the zero value means none.
	Cert ClientCert
}

// abs returns o with its files (the CA file of Verify, the certificate
// and key of Cert) made absolute against the working directory: a
// session keeps them so, and so does what it saves and records, which
// are used from other directories (session files, exports).
func (o Options) abs() Options {
	if ca := o.Verify.CAFile(); ca != "" && !filepath.IsAbs(ca) {
		if a, err := filepath.Abs(ca); err == nil {
			o.Verify = VerifyCA(a)
		}
	}
	o.Cert = o.Cert.Abs()
	return o
}

// DefaultOptions returns the options a new session starts with.
func DefaultOptions() Options {
	return Options{Follow: true, MaxRedirects: DefaultMaxRedirects, Verify: VerifyOn, Netrc: true}
}

// check reports the first option out of range. The CA bundle and the
// proxy URL are checked when the transport is built from them.
func (o Options) check() error {
	switch {
	case o.Timeout < 0:
		return fmt.Errorf("invalid timeout %s: want 0 (none) or more", o.Timeout)
	case o.MaxTime < 0:
		return fmt.Errorf("invalid max-time %s: want 0 (none) or more", o.MaxTime)
	case o.MaxRedirects < 0:
		return fmt.Errorf("invalid max-redirects %d: want 0 or more", o.MaxRedirects)
	case o.Cert.File == "" && o.Cert.KeyFile != "":
		return fmt.Errorf("client key %q given without its certificate", o.Cert.KeyFile)
	case o.Retries < 0:
		return fmt.Errorf("invalid retries %d: want 0 or more", o.Retries)
	}
	return nil
}

// Verify says how a session checks the certificates of TLS servers: on
// (against the system's roots), off, or against the CA certificates of
// a PEM file. The zero value is on. Values compare with ==.
type Verify struct {
	off    bool
	caFile string
}

// The two verify settings that name no file.
var (
	// VerifyOn checks certificates against the system's roots.
	VerifyOn = Verify{}
	// VerifyOff accepts any certificate (curl's --insecure).
	VerifyOff = Verify{off: true}
)

// VerifyCA checks certificates against the CA certificates in the PEM
// file at path, instead of the system's roots. The file is read when a
// session is made with it or set to it.
func VerifyCA(path string) Verify {
	if path == "" {
		return VerifyOn
	}
	return Verify{caFile: path}
}

// ParseVerify reads a verify setting as a user writes it: "on" (also
// "yes", "true" or ""), "off" (also "no", "false"), or the path of a PEM
// file of CA certificates.
func ParseVerify(s string) Verify {
	switch strings.ToLower(s) {
	case "", "on", "yes", "true":
		return VerifyOn
	case "off", "no", "false":
		return VerifyOff
	}
	return VerifyCA(s)
}

// Off reports whether certificates go unchecked.
func (v Verify) Off() bool { return v.off }

// CAFile returns the path of the PEM file of CA certificates to trust,
// "" when the setting is on or off.
func (v Verify) CAFile() string { return v.caFile }

// String returns the setting as ParseVerify reads it: "on", "off" or the
// CA file's path.
func (v Verify) String() string {
	switch {
	case v.off:
		return "off"
	case v.caFile != "":
		return v.caFile
	}
	return "on"
}
