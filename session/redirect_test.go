package session

import (
	"net/url"
	"strings"
	"testing"
)

// TestStripsAuth checks stripsAuth against requests' should_strip_auth:
// the expected values were computed by python3-requests 2.34's
// Session().should_strip_auth on the same URLs.
func TestStripsAuth(t *testing.T) {
	cases := []struct {
		from, to string
		strip    bool
	}{
		{"http://a.example/x", "http://a.example/y", false},
		{"http://a.example/x", "http://A.EXAMPLE/y", false},
		{"http://a.example/x", "https://a.example/y", false},
		{"http://a.example:80/x", "https://a.example:443/", false},
		{"http://a.example/x", "https://a.example:443/", false},
		{"http://a.example:80/x", "https://a.example/", false},
		{"http://a.example/x", "https://a.example:8443/", true},
		{"http://a.example:8080/x", "https://a.example:8080/", true},
		{"http://a.example:443/x", "https://a.example:443/", true},
		{"https://a.example/x", "http://a.example/y", true},
		{"https://a.example:443/x", "http://a.example:80/y", true},
		{"https://a.example/x", "https://a.example:443/y", false},
		{"https://a.example:443/x", "https://a.example/y", false},
		{"http://a.example/x", "http://a.example:80/y", false},
		{"http://a.example:80/x", "http://a.example/y", false},
		{"https://a.example:8443/x", "https://a.example:8443/y", false},
		{"https://a.example:8443/x", "https://a.example/y", true},
		{"http://a.example/x", "http://b.example/y", true},
		{"http://a.example/x", "http://sub.a.example/y", true},
		{"http://a.example:8080/x", "http://a.example:8081/", true},
		{"http://a.example/x", "http://a.example:8080/", true},
		{"http://127.0.0.1:8080/", "http://localhost:8080/", true},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080/z", false},
		{"http://[::1]:8080/", "http://[::1]:8080/z", false},
		{"http://[::1]/", "https://[::1]/z", false},
		{"https://a.example/x", "http://a.example:443/y", true},
		{"http://a.example:443/x", "http://a.example/y", true},
	}
	for _, tc := range cases {
		from, _ := url.Parse(tc.from)
		to, _ := url.Parse(tc.to)
		if got := stripsAuth(from, to); got != tc.strip {
			t.Errorf("%s -> %s: strip = %v, want %v (requests)", tc.from, tc.to, got, tc.strip)
		}
	}
}

func TestDigestChallenge(t *testing.T) {
	h := map[string][]string{"Www-Authenticate": {
		`Basic realm="x"`,
		`Digest realm="me@example.com", qop="auth,auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`,
	}}
	c, ok := digestChallenge(h)
	if !ok || c.algorithm != "SHA-256" || c.qop != "auth" || c.realm != "me@example.com" {
		t.Fatalf("challenge = %+v, %v", c, ok)
	}
	// RFC 7616 section 3.9.1's example, with its cnonce, gives its
	// response; check the pieces that do not depend on the cnonce.
	got := c.authorization(&Auth{Scheme: Digest, User: "Mufasa", Password: "Circle of Life"}, "GET", "/dir/index.html", 1)
	for _, want := range []string{`username="Mufasa"`, `uri="/dir/index.html"`, `algorithm=SHA-256`, `qop=auth`, `nc=00000001`, `opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`} {
		if !strings.Contains(got, want) {
			t.Errorf("authorization %q lacks %q", got, want)
		}
	}
	if _, ok := digestChallenge(map[string][]string{"Www-Authenticate": {`Digest realm="x", nonce="n", qop="auth-int"`}}); ok {
		t.Error("a challenge offering only auth-int was accepted")
	}
	if _, ok := digestChallenge(map[string][]string{"Www-Authenticate": {`Digest realm="x", nonce="n", algorithm=SHA-512-256-unknown`}}); ok {
		t.Error("an unknown algorithm was accepted")
	}
}
