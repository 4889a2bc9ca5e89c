package session

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

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
		return nil, failure(KindRedirect, fmt.Errorf("redirect to invalid URL %q: %w", loc, unwrapURLError(err)))
	}
	if next.Scheme != "http" && next.Scheme != "https" {
		return nil, failure(KindRedirect, fmt.Errorf("redirect to unsupported URL %q", loc))
	}
	if hops >= x.s.opts.MaxRedirects {
		return nil, failure(KindRedirectLoop, fmt.Errorf("too many redirects (more than %d), last to %q", x.s.opts.MaxRedirects, next.String()))
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
		x.editHeader().Del("Authorization")
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
	h := x.editHeader()
	for k := range h {
		if strings.HasPrefix(k, "Content-") {
			delete(h, k)
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
