package session

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"
)

// Request is one request to send through a session. Only Method and URL
// are required; everything else overlays the session's state for this
// request only.
type Request struct {
	Method string
	// URL is absolute or relative to the session's base URL (see
	// Session.ResolveURL).
	URL string
	// Header replaces session headers of the same names. A Cookie here
	// or in the session's headers is merged with the jar's cookies (see
	// Session.Do); a Proxy-Authorization goes to the proxy only.
	Header http.Header
	// Omit names headers (default, session or request) not to send.
	Omit []string
	// Query parameters come after the URL's own query and the session's
	// params; a name here replaces the session param of that name.
	Query []Param
	// Body is the request body; nil means none.
	Body []byte
	// ContentType is sent as Content-Type unless Header has one.
	ContentType string
	// Auth replaces the session's auth for this request.
	Auth *Auth
	// Timeout replaces the session's timeout when > 0.
	Timeout time.Duration
	// MaxTime replaces the session's max-time when > 0.
	MaxTime time.Duration
	// Follow, when not nil, replaces the session's Follow option. A HEAD
	// request with Follow nil does not follow redirects, as requests'
	// Session.head.
	Follow *bool
	// Output, when not nil, receives the response body as it arrives
	// instead of Response.Body.
	Output io.Writer
	// Progress, when not nil, is called as the body is copied to Output
	// with the bytes written so far and the total (-1 when unknown).
	Progress func(written, total int64)
	// MaxBody, when > 0, bounds the decoded body kept in memory: a longer
	// body is cut there, Response.Truncated is set and the connection is
	// dropped rather than drained.
	MaxBody int64
}

// Get sends a GET request for url with the session's state.
func (s *Session) Get(ctx context.Context, url string) (*Response, error) {
	return s.Do(ctx, &Request{Method: http.MethodGet, URL: url})
}

// Do sends r with the session's state: default headers overlaid by session
// headers overlaid by r's; the URL's query, then session params overlaid
// by r's; the jar's cookies; r's auth, else the session's, else the URL's
// userinfo, unless an Authorization header is given. It follows redirects
// hop by hop when the session or r says so, storing every hop's cookies.
// The response body is read whole (or copied to r.Output) and the
// connection goes back to the pool.
//
// A Cookie header given by hand (in r.Header or the session's Headers) is
// merged with the jar's cookies: a cookie it names replaces the jar's
// cookie of that name, and nothing of it is stored. It goes only to the
// scheme, host and port asked for: once a redirect leaves them, later hops
// send the jar's cookies alone. A Proxy-Authorization header goes only to
// the proxy (on a proxied http request, or in the CONNECT that opens a
// tunnel for https), never to the server; without a proxy it is not sent.
func (s *Session) Do(ctx context.Context, r *Request) (*Response, error) {
	x, ctx, err := s.start(ctx, r)
	if err != nil {
		return nil, err
	}
	defer x.release()
	resp, err := x.run(ctx)
	if err != nil {
		return nil, x.explain(ctx, err)
	}
	return resp, nil
}

// Send sends r as Do does, but returns as soon as the final response's
// status line and headers arrive: Response.Body is nil and the decoded
// body is read from Response.Stream as it comes, under the request's
// timeout (between reads) and max-time. The caller must close the stream:
// a body read to its end gives its connection back to the pool, one
// closed before drops the connection. Elapsed and BodySize are set when
// the body ends. r.Output and r.MaxBody do not apply.
func (s *Session) Send(ctx context.Context, r *Request) (*Response, error) {
	x, ctx, err := s.start(ctx, r)
	if err != nil {
		return nil, err
	}
	x.stream = true
	resp, err := x.run(ctx)
	if err != nil {
		err = x.explain(ctx, err) // before release cancels the context
		x.release()
		return nil, err
	}
	// Closing the stream releases the exchange.
	return resp, nil
}

// Prepare returns r as Do would first put it on the wire, without
// sending anything: the request line, the merged headers (defaults,
// session, r's, auth, the jar's cookies for the URL, Host and
// Content-Length) and the body, built by the same code as a real send
// (HTTPie's --offline). A digest answer is left out: it needs a
// challenge, and computing one would use up a nonce count.
func (s *Session) Prepare(r *Request) (*SentRequest, error) {
	x, err := s.prepare(r)
	if err != nil {
		return nil, err
	}
	_, sent := x.newRequest(context.Background())
	return sent, nil
}

// start prepares the exchange for r and the context it runs in: the
// max-time and the timeout. x.release releases them.
func (s *Session) start(ctx context.Context, r *Request) (*exchange, context.Context, error) {
	x, err := s.prepare(r)
	if err != nil {
		return nil, nil, err
	}
	if x.maxTime > 0 {
		ctx, x.cancelMax = context.WithTimeoutCause(ctx, x.maxTime, errMaxTime)
	}
	if x.timeout > 0 {
		// The timeout is requests': it bounds the wait for each hop's
		// connection and response headers, then every gap between body
		// reads, so a long download that keeps flowing is not cut.
		var cancel context.CancelCauseFunc
		ctx, cancel = context.WithCancelCause(ctx)
		x.cancelTimeout = cancel
		x.timer = time.AfterFunc(x.timeout, func() { cancel(errTimedOut) })
	}
	return x, ctx, nil
}

// release stops the exchange's timeout and max-time.
func (x *exchange) release() {
	if x.timer != nil {
		x.timer.Stop()
		x.cancelTimeout(nil)
	}
	if x.cancelMax != nil {
		x.cancelMax()
	}
}

// prepare applies the session's state to r: the exchange that sends it.
func (s *Session) prepare(r *Request) (*exchange, error) {
	method := strings.ToUpper(r.Method)
	if method == "" {
		method = http.MethodGet
	}
	if !httpguts.ValidHeaderFieldName(method) {
		// A method is a token, as a header name is.
		return nil, fmt.Errorf("invalid method %q", r.Method)
	}
	u, err := s.ResolveURL(r.URL)
	if err != nil {
		return nil, err
	}
	u.RawQuery = s.query(u.RawQuery, r.Query)
	auth := r.Auth
	if auth == nil {
		auth = s.Auth
	}
	if u.User != nil {
		if auth == nil {
			pass, _ := u.User.Password()
			auth = BasicAuth(u.User.Username(), pass)
		}
		u.User = nil
	}
	header := s.header(r, auth)
	if auth != nil && auth.Scheme == Digest {
		if _, given := header["Authorization"]; given || omits(r.Omit, "Authorization") {
			// A hand-given (or removed) Authorization wins over a digest
			// answer too, as over the headers of the other schemes.
			auth = nil
		}
	}
	handCookie := strings.Join(header.Values("Cookie"), "; ")
	proxyAuth := header.Get("Proxy-Authorization")
	header.Del("Cookie")
	header.Del("Proxy-Authorization")

	timeout, maxTime := s.opts.Timeout, s.opts.MaxTime
	if r.Timeout > 0 {
		timeout = r.Timeout
	}
	if r.MaxTime > 0 {
		maxTime = r.MaxTime
	}
	follow := s.opts.Follow
	switch {
	case r.Follow != nil:
		follow = *r.Follow
	case method == http.MethodHead:
		follow = false
	}
	return &exchange{
		s: s, method: method, asked: method, url: u, first: u, header: header, body: r.Body,
		auth: auth, handCookie: handCookie, proxyAuth: proxyAuth, follow: follow, output: r.Output, progress: r.Progress, maxBody: r.MaxBody,
		timeout: timeout, maxTime: maxTime,
	}, nil
}

// errTimedOut is the cause of a context canceled by a request's timeout,
// errMaxTime by its max-time.
var (
	errTimedOut = errors.New("timed out")
	errMaxTime  = errors.New("max-time exceeded")
)

// query builds the request's query: the URL's own, then the session's
// params overlaid by the request's (see mergeParams).
func (s *Session) query(raw string, req []Param) string {
	if s.Params.Len() == 0 && len(req) == 0 {
		return raw
	}
	return appendQuery(raw, mergeParams(s.Params.list, req))
}

// header merges default, session and request headers and the auth header.
func (s *Session) header(r *Request, auth *Auth) http.Header {
	h := s.DefaultHeaders()
	if len(r.Body) > 0 && r.ContentType != "" {
		h.Set("Content-Type", r.ContentType)
		if mediaType(r.ContentType) == "application/json" {
			h.Set("Accept", "application/json, */*")
		}
	}
	if auth != nil {
		if v := auth.header(); v != "" {
			h.Set("Authorization", v)
		}
	}
	for k, v := range s.Headers {
		h[http.CanonicalHeaderKey(k)] = v
	}
	for k, v := range r.Header {
		h[http.CanonicalHeaderKey(k)] = v
	}
	for _, name := range r.Omit {
		h.Del(name)
	}
	return h
}

// exchange is one request's way through its redirect hops.
type exchange struct {
	s        *Session
	method   string   // the current hop's method
	asked    string   // the method asked for, before redirects
	first    *url.URL // the URL asked for, before redirects
	url      *url.URL // the current hop's URL
	header   http.Header
	body     []byte
	auth     *Auth
	follow   bool
	output   io.Writer
	progress func(written, total int64)
	maxBody  int64
	start    time.Time

	timeout time.Duration
	timer   *time.Timer // fires the timeout; nil when there is none
	maxTime time.Duration
	// cancelTimeout and cancelMax release the contexts of the timeout
	// and the max-time (nil when there is none).
	cancelTimeout context.CancelCauseFunc
	cancelMax     context.CancelFunc

	// handCookie is the Cookie header given by hand, merged with the
	// jar's cookies while the exchange stays on its first origin.
	handCookie string
	// proxyAuth is a Proxy-Authorization header given by hand.
	proxyAuth string
	resent    int // times a request was sent again (see roundTrip)
	// stream leaves the final body unread, for Response.Stream (Send).
	stream bool
	// watch follows the exchange's requests through the transport.
	watch connWatch
	// streamed is Response.Stream (Send), kept here to be made with the
	// exchange.
	streamed bodyStream
}

// restartTimer gives the next wait (a hop, a body read) the whole timeout.
func (x *exchange) restartTimer() {
	if x.timer != nil {
		x.timer.Reset(x.timeout)
	}
}

func (x *exchange) run(ctx context.Context) (*Response, error) {
	var history []*Response
	// A connection dialed during the exchange means it was not all on
	// pooled connections; the session's dial counter tells, at no cost
	// per request (an httptrace would).
	dialed := x.s.conns.opened.Load()
	ctx = x.watch.watch(ctx, &x.s.conns)
	x.start = time.Now()
	retried := false // the digest challenge was answered on this hop
	for {
		x.restartTimer()
		if x.auth != nil && x.auth.Scheme == Digest {
			x.answerDigest()
		}
		req, sent := x.newRequest(ctx)
		// The transport directly: the session runs redirects and cookies
		// itself, so http.Client would only copy headers for nothing.
		resp, err := x.roundTrip(req)
		if err != nil {
			return nil, err
		}
		if len(resp.Header["Set-Cookie"]) > 0 {
			x.s.Jar.SetCookies(x.url, resp.Cookies())
		}
		if resp.StatusCode == http.StatusUnauthorized && !retried && x.auth != nil && x.auth.Scheme == Digest {
			if c, ok := digestChallenge(resp.Header); ok {
				// Answer the challenge once, on the same URL.
				drain(resp.Body)
				x.s.digests.store(origin(x.url), c)
				retried = true
				continue
			}
		}
		retried = false
		out := &Response{
			Request:    sent,
			Proto:      resp.Proto,
			StatusCode: resp.StatusCode,
			Reason:     reason(resp),
			Header:     resp.Header,
			URL:        x.url,
			Reused:     x.s.conns.opened.Load() == dialed,
			Resent:     x.resent,
		}
		next, err := x.redirect(resp, len(history))
		if err != nil {
			drain(resp.Body)
			return nil, err
		}
		if next == nil && x.stream {
			out.Redirects = len(history)
			out.History = history
			out.Elapsed = time.Since(x.start)
			return out, x.openStream(ctx, resp, out)
		}
		if next == nil {
			if err := x.readBody(resp, out); err != nil {
				return nil, err
			}
			out.Elapsed = time.Since(x.start)
			out.Redirects = len(history)
			out.History = history
			return out, nil
		}
		drain(resp.Body)
		history = append(history, out)
		x.url = next
	}
}

// answerDigest sets the Authorization header of the current hop from the
// latest digest challenge of its origin, if one is known: the first
// request to a protected origin goes without it and is answered once
// challenged; later ones carry it from the start.
func (x *exchange) answerDigest() {
	if c, nc, ok := x.s.digests.next(origin(x.url)); ok {
		x.header.Set("Authorization", c.authorization(x.auth, x.method, x.url.RequestURI(), nc))
	}
}

// origin returns u's scheme, host and port ("http://example.com:80"), the
// port filled in when it is the scheme's default.
func origin(u *url.URL) string {
	return u.Scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), effectivePort(u))
}

// omits reports whether names holds name, case-insensitively.
func omits(names []string, name string) bool {
	for _, n := range names {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// newRequest builds the http.Request for the current hop and its record as
// sent.
func (x *exchange) newRequest(ctx context.Context) (*http.Request, *SentRequest) {
	// Built by hand: the method is checked and the URL parsed already.
	req := &http.Request{
		Method:     x.method,
		URL:        x.url,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Host:       strings.TrimSuffix(x.url.Host, ":"),
	}
	// One header map serves the wire and the record of what was sent:
	// net/http takes Host and Content-Length from the request's fields
	// and skips those keys in Header.
	h := x.header.Clone()
	if cookie := cookieHeader(x.handCookie, x.s.Jar.Cookies(x.url)); cookie != "" {
		h.Set("Cookie", cookie)
	}
	if x.proxyAuth != "" {
		ctx = x.proxyAuthorize(ctx, req, h)
	}
	if host := h.Get("Host"); host != "" {
		req.Host = host
	}
	h.Set("Host", req.Host)
	if x.body != nil || sendsEmptyLength(x.method) {
		h.Set("Content-Length", strconv.Itoa(len(x.body)))
	}
	req.Header = h
	if _, ok := h["User-Agent"]; !ok {
		// An empty value keeps net/http from sending its own.
		req.Header = h.Clone()
		req.Header["User-Agent"] = []string{""}
	}
	if x.body != nil {
		req.ContentLength = int64(len(x.body))
		body := x.body
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		req.Body, _ = req.GetBody()
	}
	req = req.WithContext(ctx) // the exchange's trace is in ctx
	sent := &SentRequest{
		Method:   x.method,
		URL:      x.url,
		Proto:    "HTTP/1.1",
		Header:   h,
		Body:     x.body,
		BodySize: int64(len(x.body)),
	}
	return req, sent
}

// cookieHeader merges a Cookie header given by hand with the jar's
// cookies for a request: the hand-given cookies as they were given, then
// the jar's cookies whose names they do not hold. A jar cookie marked
// Quoted goes with its value in double quotes.
func cookieHeader(hand string, jar []*http.Cookie) string {
	if len(jar) == 0 {
		return hand
	}
	var b strings.Builder
	b.WriteString(hand)
	for _, c := range jar {
		if hand != "" && namesCookie(hand, c.Name) {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(c.Name)
		b.WriteByte('=')
		if c.Quoted {
			b.WriteByte('"')
			b.WriteString(c.Value)
			b.WriteByte('"')
		} else {
			b.WriteString(c.Value)
		}
	}
	return b.String()
}

// namesCookie reports whether a Cookie header value holds a cookie called
// name.
func namesCookie(header, name string) bool {
	for part := range strings.SplitSeq(header, ";") {
		n, _, _ := strings.Cut(part, "=")
		if strings.TrimSpace(n) == name {
			return true
		}
	}
	return false
}

// proxyAuthKey carries a request's hand-given Proxy-Authorization in its
// context to the transport's GetProxyConnectHeader.
type proxyAuthKey struct{}

// proxyAuthorize puts the hand-given Proxy-Authorization where only the
// proxy of this hop reads it: in the request itself when an http proxy
// forwards a plain http request, in the CONNECT that opens the tunnel for
// https (see proxyConnectHeader), and nowhere when the hop goes straight
// to the server or through a SOCKS proxy.
func (x *exchange) proxyAuthorize(ctx context.Context, req *http.Request, h http.Header) context.Context {
	proxy := x.s.transport.Proxy
	if proxy == nil {
		return ctx
	}
	p, err := proxy(req)
	if err != nil || p == nil || (p.Scheme != "http" && p.Scheme != "https") {
		return ctx
	}
	if x.url.Scheme == "https" {
		return context.WithValue(ctx, proxyAuthKey{}, x.proxyAuth)
	}
	h.Set("Proxy-Authorization", x.proxyAuth)
	return ctx
}

// proxyConnectHeader wraps a transport's CONNECT headers (its
// GetProxyConnectHeader, else its ProxyConnectHeader) to add the
// Proxy-Authorization a request carries in its context.
func proxyConnectHeader(t *http.Transport) func(context.Context, *url.URL, string) (http.Header, error) {
	get, static := t.GetProxyConnectHeader, t.ProxyConnectHeader
	return func(ctx context.Context, proxy *url.URL, target string) (http.Header, error) {
		h := static
		if get != nil {
			var err error
			if h, err = get(ctx, proxy, target); err != nil {
				return nil, err
			}
		}
		if v, ok := ctx.Value(proxyAuthKey{}).(string); ok {
			h = h.Clone()
			if h == nil {
				h = http.Header{}
			}
			h.Set("Proxy-Authorization", v)
		}
		return h, nil
	}
}

// sendsEmptyLength reports whether net/http writes "Content-Length: 0"
// for a request of this method without a body.
func sendsEmptyLength(method string) bool {
	return method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch
}

// redirect decides whether resp is a hop to follow and, if so, returns the
// next URL after rewriting the exchange's method, body and headers by
// requests' rules. It returns nil when resp is the final response.
func (x *exchange) redirect(resp *http.Response, hops int) (*url.URL, error) {
	if !x.follow {
		return nil, nil
	}
	switch resp.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
	default:
		return nil, nil
	}
	loc := resp.Header.Get("Location")
	if loc == "" {
		return nil, nil
	}
	next, err := x.url.Parse(requoteLocation(loc))
	if err != nil {
		return nil, fmt.Errorf("redirect to invalid URL %q: %w", loc, unwrapURLError(err))
	}
	if next.Scheme != "http" && next.Scheme != "https" {
		return nil, fmt.Errorf("redirect to unsupported URL %q", loc)
	}
	if hops >= x.s.opts.MaxRedirects {
		return nil, &TooManyRedirectsError{Max: x.s.opts.MaxRedirects, Last: next.String()}
	}
	switch resp.StatusCode {
	case http.StatusMovedPermanently:
		if x.method == http.MethodPost {
			x.toGET()
		}
	case http.StatusFound, http.StatusSeeOther:
		if x.method != http.MethodHead {
			x.toGET()
		}
	}
	if stripsAuth(x.url, next) {
		x.header.Del("Authorization")
		x.auth = nil
	}
	if x.handCookie != "" && origin(next) != origin(x.first) {
		// Never again in this chain, as Go's client drops it.
		x.handCookie = ""
	}
	return next, nil
}

// toGET turns the exchange into a GET without a body or Content-* headers.
func (x *exchange) toGET() {
	x.method = http.MethodGet
	x.body = nil
	for k := range x.header {
		if strings.HasPrefix(k, "Content-") {
			delete(x.header, k)
		}
	}
}

// stripsAuth reports whether Authorization must be dropped going from one
// URL to the next, exactly as requests' Session.should_strip_auth: on
// another host; on another scheme or port, except http to https on the
// default ports (80 or none to 443 or none) and a scheme's default port
// against none.
func stripsAuth(from, to *url.URL) bool {
	if !strings.EqualFold(from.Hostname(), to.Hostname()) {
		return true
	}
	fp, tp := portNumber(from), portNumber(to)
	if from.Scheme == "http" && (fp == 0 || fp == 80) && to.Scheme == "https" && (tp == 0 || tp == 443) {
		return false
	}
	if from.Scheme == to.Scheme {
		def := defaultPort(from.Scheme)
		if def != 0 && (fp == 0 || fp == def) && (tp == 0 || tp == def) {
			return false
		}
		return fp != tp
	}
	return true
}

// portNumber returns u's port as a number, 0 when there is none.
func portNumber(u *url.URL) int {
	n, err := strconv.Atoi(u.Port())
	if err != nil {
		return 0
	}
	return n
}

// defaultPort returns a scheme's default port, 0 for a scheme reqsh does
// not speak.
func defaultPort(scheme string) int {
	switch scheme {
	case "http":
		return 80
	case "https":
		return 443
	}
	return 0
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}

// decoded returns the final response's body decoded (gunzipped,
// inflated), restarting the timeout on every read, and what to close
// when done with it; empty says the response has no body whatever its
// headers say (HEAD, 1xx, 204, 304).
func (x *exchange) decoded(resp *http.Response) (r io.Reader, closeDecoder func(), empty bool, err error) {
	r = resp.Body
	closeDecoder = func() {}
	empty = resp.Body == http.NoBody || x.method == http.MethodHead ||
		resp.StatusCode < 200 || resp.StatusCode == http.StatusNoContent || resp.StatusCode == http.StatusNotModified
	switch strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))) {
	case "gzip", "x-gzip":
		if !empty && resp.ContentLength != 0 {
			zr, err := gzip.NewReader(resp.Body)
			if err != nil {
				return nil, closeDecoder, empty, fmt.Errorf("decode gzip body: %w", err)
			}
			r, closeDecoder = zr, func() { zr.Close() }
		}
	case "deflate":
		if !empty && resp.ContentLength != 0 {
			r = newDeflateReader(resp.Body)
		}
	}
	if x.timer != nil {
		r = &idleReader{r: r, x: x}
	}
	return r, closeDecoder, empty, nil
}

// readBody reads the (decoded) body of the final response into out, or
// copies it to the exchange's output.
func (x *exchange) readBody(resp *http.Response, out *Response) error {
	defer resp.Body.Close()
	// An encoded body's Content-Length is not the length it decodes to.
	encoding := resp.Header.Get("Content-Encoding")
	r, closeDecoder, empty, err := x.decoded(resp)
	if err != nil {
		return err
	}
	defer closeDecoder()
	if x.output != nil {
		total := resp.ContentLength
		if encoding != "" {
			total = -1
		}
		n, err := copyBody(x.output, r, total, x.progress)
		out.BodySize = n
		if err != nil {
			return fmt.Errorf("read body: %w", err)
		}
		return nil
	}
	if empty {
		return nil
	}
	size := 512 // a guess when the length is not known
	if n := resp.ContentLength; n >= 0 && encoding == "" &&
		(x.maxBody == 0 || n <= x.maxBody) {
		// Room to see the end without growing, up to a bound: a server
		// may promise more than it sends.
		size = int(min(n+1, maxBodyGuess))
	}
	if x.maxBody > 0 {
		r = io.LimitReader(r, x.maxBody+1)
	}
	body, err := readAll(r, size)
	out.Body = body
	out.BodySize = int64(len(body))
	if err != nil {
		return fmt.Errorf("read body: %w", err)
	}
	if x.maxBody > 0 && out.BodySize > x.maxBody {
		out.Body, out.Truncated = out.Body[:x.maxBody], true
		out.BodySize = -1
		if encoding == "" && resp.ContentLength > 0 {
			out.BodySize = resp.ContentLength
		}
	}
	return nil
}

// idleReader restarts the exchange's timeout on every read that brings
// data, so the timeout bounds the gaps, not the whole body.
type idleReader struct {
	r io.Reader
	x *exchange
}

func (i *idleReader) Read(p []byte) (int, error) {
	n, err := i.r.Read(p)
	if n > 0 {
		i.x.restartTimer()
	}
	return n, err
}

// maxBodyGuess bounds the buffer a body's Content-Length buys before any
// of it arrived.
const maxBodyGuess = 1 << 20

// readAll reads r to its end into a buffer of size bytes at first, which
// grows only when the body is longer.
func readAll(r io.Reader, size int) ([]byte, error) {
	b := make([]byte, 0, max(size, 1))
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// copyBody copies r to w, reporting progress after every chunk.
func copyBody(w io.Writer, r io.Reader, total int64, progress func(int64, int64)) (int64, error) {
	if progress == nil {
		return io.Copy(w, r)
	}
	buf := make([]byte, 256<<10)
	var written int64
	progress(0, total)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			m, werr := w.Write(buf[:n])
			written += int64(m)
			progress(written, total)
			if werr != nil {
				return written, werr
			}
		}
		if err == io.EOF {
			return written, nil
		}
		if err != nil {
			return written, err
		}
	}
}

// newDeflateReader reads "deflate" content: zlib-wrapped as the RFC says,
// or raw deflate as some servers send it.
func newDeflateReader(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if head, err := br.Peek(2); err == nil && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 && head[0]&0x0f == 8 {
		if zr, err := zlib.NewReader(br); err == nil {
			return zr
		}
	}
	return flate.NewReader(br)
}

// drain reads what is left of a body (up to a bound) and closes it so
// its connection can go back to the pool.
func drain(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 4<<20))
	_ = body.Close()
}

// reason returns the reason phrase of resp as the server sent it.
func reason(resp *http.Response) string {
	s := resp.Status
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[i+1:]
	}
	return ""
}

// TooManyRedirectsError is returned when a request would follow more
// redirects than the session allows.
type TooManyRedirectsError struct {
	Max  int    // the session's max-redirects
	Last string // the URL the last redirect pointed to
}

// Error names the limit and the last URL.
func (e *TooManyRedirectsError) Error() string {
	return fmt.Sprintf("too many redirects (more than %d), last to %q", e.Max, e.Last)
}

// TimeoutError is returned when a request takes longer than its timeout.
type TimeoutError struct {
	Limit   time.Duration // the timeout that ran out
	Connect bool          // no connection had been made when time ran out
	Whole   bool          // the limit was the max-time of the whole exchange
}

// Error says which wait timed out and after how long.
func (e *TimeoutError) Error() string {
	if e.Whole {
		return fmt.Sprintf("max-time %s exceeded", e.Limit)
	}
	if e.Connect {
		return fmt.Sprintf("connect timed out after %s", e.Limit)
	}
	return fmt.Sprintf("read timed out after %s", e.Limit)
}

// Timeout reports true, so a TimeoutError satisfies net.Error's test.
func (e *TimeoutError) Timeout() bool { return true }

// ErrCanceled is returned when the caller's context is canceled during a
// request (Ctrl-C at the shell).
var ErrCanceled = errors.New("request canceled")

// explain turns a transport error into one clear error naming the method,
// the URL and what went wrong: a timeout with its limit, a failure to
// connect, or a failure after connecting.
func (x *exchange) explain(ctx context.Context, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	connecting := isConnectError(err)
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, errMaxTime):
		err = &TimeoutError{Limit: x.maxTime, Whole: true}
	case errors.Is(cause, errTimedOut):
		err = &TimeoutError{Limit: x.timeout, Connect: connecting}
	case errors.Is(cause, context.Canceled), errors.Is(ctx.Err(), context.Canceled):
		return ErrCanceled
	case errors.Is(cause, context.DeadlineExceeded):
		err = fmt.Errorf("deadline exceeded: %w", err)
	default:
		// A dial error says "dial tcp ...: connect: ..." itself.
		if !connecting && !isRequestError(err) {
			err = fmt.Errorf("response: %w", err)
		}
	}
	return fmt.Errorf("%s %q: %w", strings.ToLower(x.asked), x.first.Redacted(), err)
}

// isConnectError reports whether err came from making the connection:
// dialing (DNS, TCP, a proxy) or the TLS handshake.
func isConnectError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var rec tls.RecordHeaderError
	var cert *tls.CertificateVerificationError
	msg := err.Error()
	return errors.As(err, &rec) || errors.As(err, &cert) ||
		strings.Contains(msg, "TLS handshake") || strings.Contains(msg, "proxyconnect")
}

// isRequestError reports errors that already say which step failed.
func isRequestError(err error) bool {
	var tm *TooManyRedirectsError
	var cc *ConnClosedError
	msg := err.Error()
	return errors.As(err, &tm) || errors.As(err, &cc) || strings.HasPrefix(msg, "read body") ||
		strings.HasPrefix(msg, "decode ") || strings.HasPrefix(msg, "redirect")
}
