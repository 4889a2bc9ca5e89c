package session

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

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
