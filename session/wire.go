package session

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/http/httpguts"
)

// newRequest builds the http.Request for the current hop and its record as
// sent over HTTP/1.1 (see SentRequest.settle for HTTP/2).
func (x *exchange) newRequest(ctx context.Context) (*http.Request, *SentRequest) {
	// Built by hand: the method is checked and the URL parsed already.
	// A value, given its context (and so a place on the heap) once it is
	// whole, by WithContext's copy.
	req := http.Request{
		Method:     x.method,
		URL:        x.url,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Host:       strings.TrimSuffix(x.url.Host, ":"),
	}
	// The header map for the wire, which is also the record when
	// net/http sends it as it is (see onWire): net/http takes Host and
	// Content-Length from the request's fields and skips those keys.
	h := x.editHeader() // canonical keys, set and read by key below
	x.lent = true
	if cookie := cookieHeader(x.handCookie, x.s.Jar.Cookies(x.url)); cookie != "" {
		h["Cookie"] = []string{cookie}
	}
	var proxy *url.URL
	if (x.proxyAuth != "" || x.url.Scheme == "http") && x.s.transport.Proxy != nil {
		// The proxy function may keep what it is given: a copy of
		// its own, made only when there is a function to ask.
		asked := req
		proxy = x.proxyFor(&asked)
	}
	if x.proxyAuth != "" {
		ctx = x.proxyAuthorize(ctx, proxy, h)
	}
	if host := first(h["Host"]); host != "" {
		req.Host = host
	}
	h["Host"] = []string{req.Host}
	if len(x.body) > 0 || sendsEmptyLength(x.method) {
		h["Content-Length"] = []string{strconv.Itoa(len(x.body))}
	} else {
		delete(h, "Content-Length")
	}
	req.Header = h
	if _, ok := h["User-Agent"]; !ok {
		// An empty value keeps net/http from sending its own.
		req.Header = h.Clone()
		req.Header["User-Agent"] = []string{""}
	}
	if len(x.body) > 0 {
		// An empty body is no body: net/http would send an empty
		// reader chunked, and requests sends Content-Length: 0.
		req.ContentLength = int64(len(x.body))
		body := x.body
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		req.Body, _ = req.GetBody()
	}
	wire := req.WithContext(ctx) // the exchange's trace is in ctx
	// The record shares the wire's map unless net/http changes some of
	// it on the way.
	record, cred := h, proxyCredentials(proxy, x.url)
	if !writesAsIs(h) || cred != "" {
		record = onWire(h, 1)
	}
	if cred != "" {
		// The transport adds the proxy URL's credentials to a request
		// it forwards to an http proxy, after the request's own headers.
		record["Proxy-Authorization"] = append(slices.Clip(record["Proxy-Authorization"]), cred)
	}
	sent := &SentRequest{
		Method:   x.method,
		URL:      x.url,
		Proto:    "HTTP/1.1",
		Header:   record,
		Body:     x.body,
		BodySize: int64(len(x.body)),
		Cert:     x.cert,
		wire:     h,
	}
	return wire, sent
}

// settle makes the record of a request say what went on the wire once
// the response tells the protocol: over HTTP/2 the headers are those
// HTTP/2 sends (see onWire).
func (r *SentRequest) settle(resp *http.Response) {
	if resp.ProtoMajor == 2 && r.wire != nil {
		r.Proto = resp.Proto
		r.Header = onWire(r.wire, 2)
	}
}

// onWire returns, in a new map, the headers net/http writes for a
// request whose header map is h, holding Host and Content-Length as the
// session computed them, over HTTP/1.1 (major 1) or HTTP/2 (major 2).
// What net/http does to the rest (net/http/request.go write,
// transfer.go, internal/httpcommon EncodeHeaders):
//   - Host: Punycode for a name that is not ASCII; over HTTP/1.1 an
//     invalid one is sent empty and an IPv6 zone is dropped;
//   - User-Agent: the first value only, none when it is empty; over
//     HTTP/1.1 trimmed of spaces around it, as every value is;
//   - Transfer-Encoding: never from the map (the session's bodies have
//     a length); Trailer: not over HTTP/1.1, as is over HTTP/2;
//   - Connection, Keep-Alive, Proxy-Connection, Upgrade: as is over
//     HTTP/1.1, never over HTTP/2, which has no hop-by-hop headers.
func onWire(h http.Header, major int) http.Header {
	out := make(http.Header, len(h))
	for k, vv := range h {
		switch k {
		case "Host":
			if len(vv) > 0 {
				out[k] = []string{wireHost(vv[0], major)}
			}
			continue
		case "Transfer-Encoding":
			continue
		case "Trailer":
			if major == 1 {
				continue
			}
		case "Connection", "Keep-Alive", "Proxy-Connection", "Upgrade":
			if major == 2 {
				continue
			}
		case "User-Agent":
			if len(vv) == 0 {
				continue
			}
			v := vv[0]
			if major == 1 {
				v = textproto.TrimString(v)
			}
			if v != "" {
				out[k] = []string{v}
			}
			continue
		}
		if major == 1 {
			vv = trimmed(vv)
		}
		out[k] = vv
	}
	return out
}

// writesAsIs reports whether net/http writes every header of h as it is
// over HTTP/1.1 (see onWire).
func writesAsIs(h http.Header) bool {
	if _, ok := h["Transfer-Encoding"]; ok {
		return false
	}
	if _, ok := h["Trailer"]; ok {
		return false
	}
	if ua, ok := h["User-Agent"]; ok && (len(ua) != 1 || ua[0] == "") {
		return false
	}
	if host := h["Host"]; len(host) > 0 && wireHost(host[0], 1) != host[0] {
		return false
	}
	for _, vv := range h {
		for _, v := range vv {
			if padded(v) {
				return false
			}
		}
	}
	return true
}

// wireHost returns the Host net/http writes for host.
func wireHost(host string, major int) string {
	h, err := httpguts.PunycodeHostPort(host)
	if err != nil {
		return host // the transport refuses the request
	}
	if major == 2 {
		return h
	}
	if !httpguts.ValidHostHeader(h) {
		return ""
	}
	return removeZone(h)
}

// removeZone drops the zone of an IPv6 literal host ("[fe80::1%en0]:80"),
// as net/http does (RFC 6874).
func removeZone(host string) string {
	if !strings.HasPrefix(host, "[") {
		return host
	}
	i := strings.LastIndex(host, "]")
	if i < 0 {
		return host
	}
	j := strings.LastIndex(host[:i], "%")
	if j < 0 {
		return host
	}
	return host[:j] + host[i:]
}

// padded reports whether v starts or ends with a space or a tab, which
// net/http trims over HTTP/1.1.
func padded(v string) bool {
	return v != "" && (v[0] == ' ' || v[0] == '\t' || v[len(v)-1] == ' ' || v[len(v)-1] == '\t')
}

// trimmed returns vv with every value trimmed of spaces and tabs around
// it; vv itself when none has any.
func trimmed(vv []string) []string {
	for i, v := range vv {
		if padded(v) {
			out := append([]string(nil), vv...)
			for j := i; j < len(out); j++ {
				out[j] = textproto.TrimString(out[j])
			}
			return out
		}
	}
	return vv
}

// proxyFor returns the proxy the transport sends req through, nil for
// none.
func (x *exchange) proxyFor(req *http.Request) *url.URL {
	proxy := x.s.transport.Proxy
	if proxy == nil {
		return nil
	}
	p, err := proxy(req)
	if err != nil {
		return nil
	}
	return p
}

// proxyCredentials returns the Proxy-Authorization the transport adds for
// the credentials in an http(s) proxy's URL to a plain http request it
// forwards there (net/http's connectMethod.proxyAuth), "" for none.
func proxyCredentials(proxy, target *url.URL) string {
	if proxy == nil || proxy.User == nil || target.Scheme != "http" ||
		(proxy.Scheme != "http" && proxy.Scheme != "https") {
		return ""
	}
	pass, _ := proxy.User.Password()
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(proxy.User.Username()+":"+pass))
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
func (x *exchange) proxyAuthorize(ctx context.Context, p *url.URL, h http.Header) context.Context {
	if p == nil || (p.Scheme != "http" && p.Scheme != "https") {
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
