package session

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// TestPlainRefResolvesAsParsed: a path the fast path of ResolveURL takes
// gives the URL that parsing it and resolving it against the base gives,
// field for field, for bases with a path, userinfo, a query, a fragment
// or escaped bytes; and a path it must not take is left to the parser.
func TestPlainRefResolvesAsParsed(t *testing.T) {
	bases := []string{
		"http://127.0.0.1:18080",
		"http://127.0.0.1:18080/",
		"https://Example.COM/api/v1",
		"http://u:p@h:8/a/b/?q=1#f",
		"http://h/caf%C3%A9/x%2Fy",
		"http://[::1]:9/",
	}
	paths := []string{
		"/", "/get", "/a/b/c", "/a//b", "/A-b_c~d.e", "/x.json", "/a/", "/1/2/3.",
		"/get?a=1", "/anything/items/5?page=5&q=term5", "/cookies/set?c1=v5", "/x?a+b=c+d&&=", "/x?~._-",
	}
	for _, b := range bases {
		base, err := url.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		s := mustNew(t)
		s.Base = base
		for _, p := range paths {
			if _, _, ok := plainRef(p); !ok {
				t.Fatalf("plainRef(%q) not taken", p)
			}
			ref, err := url.Parse(p)
			if err != nil {
				t.Fatal(err)
			}
			want := base.ResolveReference(ref)
			got, err := s.ResolveURL(p)
			if err != nil {
				t.Fatalf("ResolveURL(%q) under %q: %v", p, b, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("ResolveURL(%q) under %q = %#v, want %#v", p, b, got, want)
			}
		}
	}
	for _, p := range []string{
		"", "get", "//h/x", "/./x", "/a/../b", "/a/.", "/a#f", "/a%20b",
		"/é", "/a b", "/a;b", "/a:b", "/a@b", "/a+b", "/a'b", "/a\\b",
		"/a?", "/a??b", "/a?b?c", "/a?b#c", "/a?b%20c", "/a?b=/c", "/a?b c", "/a?é", "/a?b;c", "/a?b=1#", "/?q=./..",
	} {
		if _, _, ok := plainRef(p); ok {
			t.Errorf("plainRef(%q) taken", p)
		}
	}
	// The base is not changed by a resolution.
	base, _ := url.Parse("http://h/a")
	s := mustNew(t)
	s.Base = base
	u, _ := s.ResolveURL("/x")
	u.Host = "other"
	if s.Base.Host != "h" || s.Base.Path != "/a" {
		t.Errorf("base changed: %v", s.Base)
	}
}

// TestUpperMethod: the method's fast path gives what strings.ToUpper
// gives, for the methods it knows and for any other.
func TestUpperMethod(t *testing.T) {
	for _, m := range []string{"get", "GET", "Get", "post", "POST", "put", "patch", "delete", "head", "HEAD",
		"options", "OPTIONS", "oPTIONS", "trace", "purge", "mkcol", "", "ǆ", "get "} {
		if got, want := upperMethod(m), strings.ToUpper(m); got != want {
			t.Errorf("upperMethod(%q) = %q, want %q", m, got, want)
		}
	}
}
