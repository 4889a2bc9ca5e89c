package session

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/http/httpguts"
	"golang.org/x/net/http/httpproxy"

	"github.com/reqsh/reqsh/session/cookiejar"
)

// Defaults for a new session.
const (
	DefaultMaxRedirects = 30
	DefaultUserAgent    = "reqsh"
	// MaxHeaderBytes bounds a response's status line and headers.
	MaxHeaderBytes = 1 << 20
)

// Session is a long-lived HTTP session. Create one with New.
type Session struct {
	// Headers are sent with every request; request headers replace them
	// by name.
	Headers http.Header
	// Params are added to every request's query string, after the URL's
	// own query.
	Params Params
	// Auth is used for every request that has no auth of its own; nil
	// means none (credentials in the URL are then used, if any).
	Auth *Auth
	// Jar holds the cookies of the session.
	Jar *cookiejar.Jar
	// Base is the URL that relative request URLs resolve against; nil
	// means requests need absolute URLs. Replace it to change it: the
	// URL it points to is not modified in place.
	Base *url.URL
	// Spec is where the API description used with the session comes
	// from (a file path or a URL; "" none). The session does nothing
	// with it but keep it in session files.
	Spec string

	userAgent string
	opts      Options
	transport *http.Transport
	// newTransport builds the transport; tests and callers may replace it
	// through WithTransport.
	custom *http.Transport
	conns  connCounter
	// idle closes pooled connections after a long pause (see idleWatch).
	idle idleWatch
	// env is the environment given by WithEnv, by name; nil means the
	// process's.
	env map[string]string
	// warn receives warnings (see WithWarn); warned holds the .netrc
	// files warned about.
	warn   func(string)
	warned map[string]bool
	// certTransports are the transports of requests with a client
	// certificate of their own (see transportFor).
	certMu         sync.Mutex
	certTransports map[ClientCert]*http.Transport
	// passphrase asks for an encrypted client key's passphrase (see
	// WithPassphrase); keys holds the keys it decrypted.
	passphrase func(keyFile string) (string, error)
	keys       keyCache
	// digests holds the digest challenges answered so far.
	digests digestCache
	// netrc is the .netrc file as last read.
	netrc netrcCache
	// envCAs is the CA bundle the environment names for the transport,
	// read by the first request that may make a TLS connection; nil
	// when there is none to read.
	envCAs *envCAs
}

// Cookie is a cookie of the session's jar, with all its attributes; it
// is cookiejar.Cookie, named here so that users of Session.Jar need not
// import the jar's package to set one.
type Cookie = cookiejar.Cookie

// Option configures a Session in New.
type Option func(*Session)

// WithUserAgent sets the default User-Agent header.
func WithUserAgent(ua string) Option {
	return func(s *Session) { s.userAgent = ua }
}

// WithBase sets the base URL for relative request URLs.
func WithBase(u *url.URL) Option {
	return func(s *Session) { s.Base = u }
}

// WithOptions sets the session options.
func WithOptions(o Options) Option {
	return func(s *Session) { s.opts = o }
}

// WithEnv gives the session its environment, "NAME=value" entries (the
// last of a name wins), instead of the process's: it is where the CA
// bundle variables (CABundleVars) and NETRC and HOME are looked up.
func WithEnv(env []string) Option {
	return func(s *Session) {
		if env == nil {
			s.env = nil
			return
		}
		// A map, not the list: a request looks several variables up
		// (proxies, .netrc), and a list is scanned for each.
		s.env = make(map[string]string, len(env))
		for _, kv := range env {
			if name, value, ok := strings.Cut(kv, "="); ok {
				s.env[name] = value // a later entry wins, as in os/exec
			}
		}
	}
}

// WithWarn gives the session a function for its warnings, such as a
// .netrc file others can read; without it they are dropped.
func WithWarn(f func(msg string)) Option {
	return func(s *Session) { s.warn = f }
}

// WithTransport makes the session send through a clone of t (for example
// an httptest server's transport, to trust its certificate). Options that
// configure TLS or proxies then apply on top of that clone.
func WithTransport(t *http.Transport) Option {
	return func(s *Session) { s.custom = t }
}

// New returns a session with no state, the default options and those
// given. A bad option is an error: a user agent that is no header
// value, a base URL that is not absolute http or https, a negative
// timeout, max-time or max-redirects, a CA bundle that cannot be read or
// holds no certificate, a proxy that is no URL.
func New(opts ...Option) (*Session, error) {
	s := &Session{
		Headers:   http.Header{},
		Jar:       cookiejar.New(),
		userAgent: DefaultUserAgent,
		opts:      DefaultOptions(),
	}
	for _, o := range opts {
		o(s)
	}
	if !httpguts.ValidHeaderFieldValue(s.userAgent) {
		return nil, fmt.Errorf("invalid user agent %q", s.userAgent)
	}
	if b := s.Base; b != nil && ((b.Scheme != "http" && b.Scheme != "https") || b.Host == "") {
		return nil, fmt.Errorf("invalid base URL %q: want an absolute http or https URL", b.Redacted())
	}
	if err := s.opts.check(); err != nil {
		return nil, err
	}
	s.opts = s.opts.abs()
	if err := s.rebuild(); err != nil {
		return nil, err
	}
	return s, nil
}

// Options returns the session's current options.
func (s *Session) Options() Options { return s.opts }

// SetOptions replaces the session's options, their files made absolute
// against the working directory. Changing Verify or Proxy builds a new
// connection pool; an invalid value is an error and leaves the session as
// it was.
func (s *Session) SetOptions(o Options) error {
	if err := o.check(); err != nil {
		return err
	}
	o = o.abs()
	old := s.opts
	s.opts = o
	if o.Verify == old.Verify && o.Proxy == old.Proxy && o.Cert == old.Cert {
		return nil
	}
	if err := s.rebuild(); err != nil {
		s.opts = old
		return err
	}
	return nil
}

// rebuild makes a new transport from the options, closing the old one's
// idle connections.
func (s *Session) rebuild() error {
	var t *http.Transport
	var cas *envCAs
	if s.custom != nil {
		t = s.custom.Clone()
		s.idle.limit = 0
	} else {
		s.idle.limit = idleConnLimit
		t = &http.Transport{
			Proxy:               proxyFromEnvironment(),
			ForceAttemptHTTP2:   true,
			MaxIdleConns:        100,
			MaxIdleConnsPerHost: 8,
			// No IdleConnTimeout: the session closes connections idle
			// over idleConnLimit itself (see idleWatch).
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: 1 * time.Second,
		}
	}
	// The session decodes gzip and deflate itself, so the headers it shows
	// are the headers it sent and Accept-Encoding can be removed.
	t.DisableCompression = true
	if t.MaxResponseHeaderBytes == 0 {
		t.MaxResponseHeaderBytes = MaxHeaderBytes
	}
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	base := t.DialContext
	if base == nil {
		base = dialer.DialContext
	}
	t.DialContext = s.conns.wrap(base)
	t.GetProxyConnectHeader = proxyConnectHeader(t)

	switch v := s.opts.Verify; {
	case v.Off():
		t.TLSClientConfig = tlsConfig(t.TLSClientConfig)
		t.TLSClientConfig.InsecureSkipVerify = true
	case v.CAFile() != "":
		pool, err := loadCAs(v.CAFile())
		if err != nil {
			return err
		}
		t.TLSClientConfig = tlsConfig(t.TLSClientConfig)
		t.TLSClientConfig.RootCAs = pool
	case t.TLSClientConfig != nil && t.TLSClientConfig.RootCAs != nil:
		// The roots of a transport given by WithTransport win over the
		// environment's.
	default:
		if name, path := s.envCABundle(); path != "" {
			// Read when a TLS connection may need it, as requests
			// does: a session that speaks only plain HTTP never
			// parses the bundle (milliseconds for a system one). A
			// bundle that is not there is an error now.
			if _, err := os.Stat(path); err != nil {
				return fmt.Errorf("%s: read CA bundle: %w", name, err)
			}
			cas = &envCAs{name: name, path: path}
		}
	}
	if c := s.opts.Cert; !c.IsZero() {
		pair, err := s.loadCert(c)
		if err != nil {
			return err
		}
		t.TLSClientConfig = tlsConfig(t.TLSClientConfig)
		t.TLSClientConfig.Certificates = []tls.Certificate{pair}
	}
	if p := s.opts.Proxy; p != "" {
		pu, err := url.Parse(p)
		if err != nil || pu.Host == "" {
			return fmt.Errorf("invalid proxy URL %q", p)
		}
		t.Proxy = http.ProxyURL(pu)
	}
	if s.transport != nil {
		s.transport.CloseIdleConnections()
	}
	if cas != nil {
		// The configuration as the transport will read it, the
		// client certificate's included.
		t.TLSClientConfig = tlsConfig(t.TLSClientConfig)
		cas.cfg = t.TLSClientConfig
	}
	s.closeCertTransports()
	s.transport, s.envCAs = t, cas
	return nil
}

// envCAs is a CA bundle named by the environment (see CABundleVars),
// read into the session transport's TLS configuration once, before the
// first request that may make a TLS connection: one to an https URL or
// through a proxy (see load).
type envCAs struct {
	name, path string
	// cfg is the transport's TLS configuration: load sets its RootCAs
	// before any connection reads it, and never again.
	cfg  *tls.Config
	once sync.Once
	err  error
}

// load reads the bundle into the transport's configuration the first
// time, and returns what the first time found (an unreadable bundle is
// the error of every request that would need it). A nil e loads nothing.
func (e *envCAs) load() error {
	if e == nil {
		return nil
	}
	e.once.Do(func() {
		pool, err := loadCAs(e.path)
		if err != nil {
			e.err = fmt.Errorf("%s: %w", e.name, err)
			return
		}
		e.cfg.RootCAs = pool
	})
	return e.err
}

// needCAs reads the environment's CA bundle of the exchange's transport,
// if any, when its request to u may make a TLS connection: u is https,
// or the transport has a proxy (which may be an https one). Every request
// an exchange sends goes through it before the transport sees it.
func (x *exchange) needCAs(u *url.URL) error {
	if x.cas == nil || (u.Scheme != "https" && x.transport.Proxy == nil) {
		return nil
	}
	return x.cas.load()
}

// proxyFromEnvironment is http.ProxyFromEnvironment, or nil when the
// environment names no proxy for http or https: the transport then does
// no proxy lookup for each request, and the answer is the same (a nil
// proxy for every URL).
func proxyFromEnvironment() func(*http.Request) (*url.URL, error) {
	if c := httpproxy.FromEnvironment(); c.HTTPProxy == "" && c.HTTPSProxy == "" {
		return nil
	}
	return http.ProxyFromEnvironment
}

// loadCAs reads a PEM file of CA certificates into a pool. A file read
// before and unchanged since (same size and modification time) gives the
// same pool: parsing a system bundle of a hundred and more certificates
// takes milliseconds, and every session a test runner starts, or a
// session rebuilt by a new option, would pay it again. A pool is only
// read once made, so sessions share it.
func loadCAs(path string) (*x509.CertPool, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read CA bundle: %w", err)
	}
	caPools.Lock()
	c, ok := caPools.m[path]
	caPools.Unlock()
	if ok && c.size == fi.Size() && c.modTime.Equal(fi.ModTime()) {
		return c.pool, nil
	}
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read CA bundle: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("CA bundle %q: no PEM certificates found", path)
	}
	caPools.Lock()
	if caPools.m == nil {
		caPools.m = map[string]caPool{}
	}
	caPools.m[path] = caPool{size: fi.Size(), modTime: fi.ModTime(), pool: pool}
	caPools.Unlock()
	return pool, nil
}

// caPools are the CA bundles loadCAs has read, by path.
var caPools struct {
	sync.Mutex
	m map[string]caPool
}

// caPool is a CA bundle as read, and what its file looked like then.
type caPool struct {
	size    int64
	modTime time.Time
	pool    *x509.CertPool
}

// CABundleVars are the environment variables naming a CA bundle, in the
// order a session with Verify on looks at them (requests reads the
// first, OpenSSL the second, curl the third).
var CABundleVars = []string{"REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE"}

// envCABundle returns the first of CABundleVars set to a non-empty
// value in the session's environment, and that value.
func (s *Session) envCABundle() (name, path string) {
	for _, name := range CABundleVars {
		if v := s.getenv(name); v != "" {
			return name, v
		}
	}
	return "", ""
}

// getenv looks name up in the environment given by WithEnv, else in the
// process's.
func (s *Session) getenv(name string) string {
	if s.env == nil {
		return os.Getenv(name)
	}
	return s.env[name]
}

func tlsConfig(c *tls.Config) *tls.Config {
	if c == nil {
		return &tls.Config{}
	}
	return c.Clone()
}

// Close closes the session's idle pooled connections, like requests'
// Session.close(). The session stays usable: the next request opens a new
// connection.
func (s *Session) Close() {
	s.transport.CloseIdleConnections()
	s.closeCertTransports()
}

// Abort ends every request in flight at once, as a process shutting down
// needs: it closes every open connection and ends every dial in
// progress, so a blocked request returns with an error. The session
// cannot send afterwards (ErrAborted). Unlike a canceled context, it
// costs nothing per request.
func (s *Session) Abort() {
	s.conns.abortAll()
}

// Reset forgets headers, params, auth and cookies and closes the pooled
// connections. The base URL and options stay.
func (s *Session) Reset() {
	s.Headers = http.Header{}
	s.Params.Clear()
	s.Auth = nil
	s.Jar.Clear()
	s.digests.clear()
	s.Close()
}

// OpenConns returns how many connections the session has open now (idle
// in the pool or in use).
func (s *Session) OpenConns() int { return s.conns.open() }

// DefaultHeaders returns the headers every request starts from, before
// session and request headers overlay them.
func (s *Session) DefaultHeaders() http.Header {
	// One array holds the three values; each slice is capped at its own
	// value, so appending to one never writes into the next.
	v := [...]string{s.userAgent, "*/*", "gzip, deflate"}
	return http.Header{
		"User-Agent":      v[0:1:1],
		"Accept":          v[1:2:2],
		"Accept-Encoding": v[2:3:3],
	}
}

// ResolveURL turns what a user typed into an absolute URL:
//   - "http://..." and "https://..." are used as they are;
//   - ":PORT/path" means http://localhost:PORT/path;
//   - with a base URL, a path ("/get", "get", "?a=1", "../x") resolves
//     against it, the base path counting as a directory;
//   - without a base URL, a path starting with '/', '?', '#' or '.' is an
//     error;
//   - anything else is a host, with "http://" put in front.
//
// "" means the base URL itself.
func (s *Session) ResolveURL(raw string) (*url.URL, error) {
	u, err := s.resolve(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("invalid URL %q: scheme must be http or https", raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("invalid URL %q: no host", raw)
	}
	return u, nil
}

func (s *Session) resolve(raw string) (*url.URL, error) {
	if path, query, ok := plainRef(raw); ok && s.Base != nil {
		// The commonest lines ("get /get", "get /items?page=2"): what
		// url.Parse and ResolveReference give for such a path, without
		// parsing it.
		return &url.URL{Scheme: s.Base.Scheme, User: s.Base.User, Host: s.Base.Host, Path: path, RawQuery: query}, nil
	}
	lower := strings.ToLower(raw)
	switch {
	case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"):
		return parseURL(raw)
	case strings.HasPrefix(raw, ":"):
		return parseURL("http://localhost" + raw)
	case s.Base != nil && raw == "":
		u := *s.Base
		return &u, nil
	case s.Base != nil && looksLikePath(raw):
		ref, err := url.Parse(requoteRef(raw))
		if err != nil {
			return nil, fmt.Errorf("invalid URL %q: %w", raw, unwrapURLError(err))
		}
		base := *s.Base
		if !strings.HasSuffix(base.Path, "/") && !strings.HasPrefix(raw, "?") {
			base.Path += "/"
			base.RawPath = ""
		}
		u := base.ResolveReference(ref)
		return u, nil
	case raw == "":
		return nil, fmt.Errorf("no URL given and no base URL set")
	case strings.ContainsRune("/?#.", rune(raw[0])):
		return nil, fmt.Errorf("relative URL %q needs a base URL (set one with: base URL)", raw)
	case strings.Contains(raw, "://"):
		return nil, fmt.Errorf("invalid URL %q: scheme must be http or https", raw)
	default:
		return parseURL("http://" + raw)
	}
}

// plainRef splits raw into its path and query when raw is an absolute
// path, with or without a query, that resolves against any base URL to
// itself, with the base's scheme, userinfo and host and nothing else:
// the path starts with one '/' (two would name a host) and holds only
// letters, digits, '/' and "-._~", and no "/." (no dot segment to
// remove); the query, when there is a '?', is not empty and holds only
// letters, digits and "-._~=&+". Nothing in it is what requests would
// requote or url.Parse would unescape, and there is no fragment.
func plainRef(raw string) (path, query string, ok bool) {
	path, query, hasQuery := strings.Cut(raw, "?")
	if len(path) == 0 || path[0] != '/' || strings.HasPrefix(path, "//") || strings.Contains(path, "/.") ||
		(hasQuery && query == "") {
		return "", "", false
	}
	for i := 0; i < len(path); i++ {
		if c := path[i]; !unreservedByte(c) && c != '/' {
			return "", "", false
		}
	}
	for i := 0; i < len(query); i++ {
		if c := query[i]; !unreservedByte(c) && c != '=' && c != '&' && c != '+' {
			return "", "", false
		}
	}
	return path, query, true
}

// unreservedByte reports whether c is a letter, a digit or one of "-._~"
// (RFC 3986's unreserved characters).
func unreservedByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return c == '-' || c == '.' || c == '_' || c == '~'
}

// looksLikePath reports whether raw, typed while a base URL is set, is a
// path rather than a host: it starts with '/', '?', '#' or '.', or its first
// segment has no dot or colon and is not "localhost".
func looksLikePath(raw string) bool {
	if raw == "" {
		return true
	}
	switch raw[0] {
	case '/', '?', '#', '.':
		return true
	}
	first := raw
	if i := strings.IndexAny(raw, "/?#"); i >= 0 {
		first = raw[:i]
	}
	return !strings.ContainsAny(first, ".:") && !strings.EqualFold(first, "localhost")
}

// parseURL parses an absolute URL, its path and query percent-encoded as
// requests would send them.
func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(requoteRef(raw))
	if err != nil {
		return nil, fmt.Errorf("invalid URL %q: %w", raw, unwrapURLError(err))
	}
	u.Scheme = strings.ToLower(u.Scheme)
	return u, nil
}

func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// mediaType returns the lowercased media type of a Content-Type value,
// without parameters.
func mediaType(ct string) string {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.ToLower(strings.TrimSpace(ct))
}
