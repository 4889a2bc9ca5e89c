// Package demo serves the httpbin that `make demo` and the tests run reqsh
// against: go-httpbin, plus httpbin.org's /cookies/set/NAME/VALUE route
// (which go-httpbin lacks), and under /store a small API with its own
// OpenAPI description (package bookstore), so every example of the requests.Session
// tutorial works offline.
package demo

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/mccutchen/go-httpbin/v2/httpbin"

	"github.com/reqsh/reqsh/internal/bookstore"
)

// Handler returns the demo httpbin handler.
func Handler() http.Handler {
	bin := httpbin.New()
	store := bookstore.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == bookstore.Prefix || strings.HasPrefix(r.URL.Path, bookstore.Prefix+"/") {
			store.ServeHTTP(w, r)
			return
		}
		if rest, ok := strings.CutPrefix(r.URL.Path, "/cookies/set/"); ok {
			if name, value, ok := strings.Cut(rest, "/"); ok && name != "" && !strings.Contains(value, "/") {
				setCookie(w, r, name, value)
				return
			}
		}
		bin.ServeHTTP(w, r)
	})
}

// setCookie answers /cookies/set/NAME/VALUE as httpbin.org does: it sets
// the cookie and redirects to /cookies.
func setCookie(w http.ResponseWriter, r *http.Request, name, value string) {
	if v, err := url.PathUnescape(value); err == nil {
		value = v
	}
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/"})
	http.Redirect(w, r, "/cookies", http.StatusFound)
}
