package session

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
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
	// Cert, when not zero, is the client certificate for this request
	// instead of the session's.
	Cert ClientCert
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
	if s.idle.stale() {
		s.Close()
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

// release stops the exchange's timeout and max-time, and marks the
// session used.
func (x *exchange) release() {
	x.s.idle.used()
	x.watch.done()
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
	method := upperMethod(r.Method)
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
	if auth != nil && !auth.Scheme.valid() {
		return nil, fmt.Errorf("unknown auth scheme %q (want basic, digest, bearer or oauth2)", auth.Scheme)
	}
	if auth != nil && auth.Scheme == OAuth2 && auth.TokenURL == "" {
		return nil, fmt.Errorf("oauth2 auth needs a token URL (auth oauth2 TOKEN_URL CLIENT_ID [SECRET])")
	}
	if u.User != nil {
		if auth == nil {
			pass, _ := u.User.Password()
			auth = BasicAuth(u.User.Username(), pass)
		}
		u.User = nil
	}
	// header's keys are canonical (see Session.header): it is read by
	// key, not through Get and Del, which canonicalize each time.
	header := s.header(r, auth)
	if auth == nil && s.opts.Netrc && first(header["Authorization"]) == "" && !omits(r.Omit, "Authorization") {
		if auth = s.netrcAuth(u); auth != nil {
			header["Authorization"] = []string{auth.header()}
		}
	}
	if auth != nil && (auth.Scheme == Digest || auth.Scheme == OAuth2) {
		if _, given := header["Authorization"]; given || omits(r.Omit, "Authorization") {
			// A hand-given (or removed) Authorization wins over a digest
			// answer too, as over the headers of the other schemes.
			auth = nil
		}
	}
	handHost, hasHost := header["Host"]
	handCookie := strings.Join(header["Cookie"], "; ")
	proxyAuth := first(header["Proxy-Authorization"])
	delete(header, "Cookie")
	delete(header, "Proxy-Authorization")

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
	transport, err := s.transportFor(r.Cert)
	if err != nil {
		return nil, err
	}
	cert := r.Cert
	if cert.IsZero() {
		cert = s.opts.Cert
	}
	return &exchange{
		s: s, transport: transport, cert: cert.Abs(), method: method, asked: method, url: u, first: u, header: header, handHost: handHost, hasHost: hasHost, body: r.Body,
		auth: auth, handCookie: handCookie, proxyAuth: proxyAuth, follow: follow, output: r.Output, progress: r.Progress, maxBody: r.MaxBody,
		timeout: timeout, maxTime: maxTime, maxRetries: s.opts.Retries, cas: s.envCAs,
	}, nil
}

// upperMethod returns m in upper case: the method's constant for the
// methods the shell types, in either case, without making a new string
// each time; strings.ToUpper for any other.
func upperMethod(m string) string {
	switch m {
	case "get", http.MethodGet:
		return http.MethodGet
	case "post", http.MethodPost:
		return http.MethodPost
	case "put", http.MethodPut:
		return http.MethodPut
	case "patch", http.MethodPatch:
		return http.MethodPatch
	case "delete", http.MethodDelete:
		return http.MethodDelete
	case "head", http.MethodHead:
		return http.MethodHead
	case "options", http.MethodOptions:
		return http.MethodOptions
	}
	return strings.ToUpper(m)
}

// first returns the first of vs, "" when there is none: Header.Get for
// a canonical key.
func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

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
	s *Session
	// transport sends the exchange's requests: the session's, or one
	// with the request's own client certificate.
	transport *http.Transport
	method    string   // the current hop's method
	asked     string   // the method asked for, before redirects
	first     *url.URL // the URL asked for, before redirects
	url       *url.URL // the current hop's URL
	// header is the hop's headers before newRequest adds those of the
	// wire (Cookie, Host, Content-Length, Proxy-Authorization). Once
	// lent, it is the map a request went out with, which is never
	// changed again: editHeader copies it first (see newRequest).
	header http.Header
	lent   bool
	// handHost is the Host header given by hand (hasHost: one was).
	handHost []string
	hasHost  bool
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
	// maxRetries is Options.Retries; retries counts those made (see send).
	maxRetries, retries int
	// stream leaves the final body unread, for Response.Stream (Send).
	stream bool
	// watch follows the exchange's requests through the transport;
	// untraced is the exchange's context without it, for requests of
	// its own (an OAuth2 token).
	watch    connWatch
	untraced context.Context
	// streamed is Response.Stream (Send), kept here to be made with the
	// exchange.
	streamed bodyStream

	// cert is the client certificate transport offers (see
	// SentRequest.Cert).
	cert ClientCert
	// cas is the environment's CA bundle of the session's transport
	// when the exchange was prepared (see envCAs), taken with transport
	// so that the two agree even if the session's options change.
	cas *envCAs
}

// editHeader returns x.header for changing. When the map was lent to a
// request, the request and its record keep it and x.header becomes a copy
// without the headers newRequest added for the wire; most exchanges are
// one request, which so goes out with the map prepare built.
func (x *exchange) editHeader() http.Header {
	if !x.lent {
		return x.header
	}
	h := x.header.Clone()
	delete(h, "Cookie")
	delete(h, "Content-Length")
	delete(h, "Proxy-Authorization")
	delete(h, "Host")
	if x.hasHost {
		h["Host"] = x.handHost
	}
	x.header, x.lent = h, false
	return h
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
	x.untraced = ctx
	ctx = x.watch.watch(ctx, &x.s.conns)
	x.start = time.Now()
	retried := false   // the digest challenge was answered on this hop
	refreshed := false // a new OAuth2 token was fetched after a 401
	for {
		x.restartTimer()
		if x.auth != nil && x.auth.Scheme == Digest {
			x.answerDigest()
		}
		if x.auth != nil && x.auth.Scheme == OAuth2 {
			if err := x.authorizeOAuth2(ctx, false); err != nil {
				return nil, err
			}
		}
		// The transport directly: the session runs redirects and cookies
		// itself, so http.Client would only copy headers for nothing.
		resp, sent, err := x.send(ctx)
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
		if resp.StatusCode == http.StatusUnauthorized && !refreshed && x.auth != nil && x.auth.Scheme == OAuth2 {
			// The token was refused: fetch a new one, send once more.
			drain(resp.Body)
			refreshed = true
			if err := x.authorizeOAuth2(ctx, true); err != nil {
				return nil, err
			}
			continue
		}
		retried = false
		sent.settle(resp)
		out := &Response{
			Request:    sent,
			Proto:      resp.Proto,
			StatusCode: resp.StatusCode,
			Reason:     reason(resp),
			Header:     resp.Header,
			URL:        x.url,
			Reused:     x.s.conns.opened.Load() == dialed,
			Resent:     x.resent,
			Retries:    x.retries,
			TLS:        tlsInfo(resp),
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
		x.editHeader().Set("Authorization", c.authorization(x.auth, x.method, x.url.RequestURI(), nc))
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
