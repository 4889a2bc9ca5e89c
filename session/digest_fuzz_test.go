package session

import (
	"net/http"
	"strings"
	"testing"
)

// FuzzDigestChallenge feeds any WWW-Authenticate value a server could
// send to the digest challenge parser: it never panics; a challenge it
// accepts is one reqsh can answer (a nonce, a known algorithm, qop auth
// or none); and the answer, parsed back as auth-params, names the realm,
// nonce, opaque and URI of the challenge whatever bytes they hold.
func FuzzDigestChallenge(f *testing.F) {
	for _, s := range []string{
		// RFC 7616 3.9.1 and go-httpbin's challenges.
		`Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`,
		`Digest realm="go-httpbin", nonce="6ba7b8109dad11d180b400c04fd430c8", qop=auth, algorithm=MD5`,
		`Basic realm="x", Digest realm="y", nonce="n"`,
		`Digest realm="a\"b\\c", nonce="n,=", opaque=""`,
		`Digest realm=unquoted, nonce=n, algorithm=md5-sess, userhash=true`,
		`Digest nonce="n", qop="auth-int"`,
		`Digest realm="x", nonce="n", algorithm=SHA-512-256`,
		`Digest realm="unterminated, nonce="n`,
		`Digest ,,, =, =x, realm=, nonce=""`,
		`digest NONCE="N" REALM="R"`,
		"Digest realm=\"\x00\xff\", nonce=\"\t\"",
		``, `Digest`, `Digest "`, `Digest \`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		c, ok := digestChallenge(http.Header{"Www-Authenticate": {v}})
		if !ok {
			return
		}
		if c.nonce == "" || c.hash() == nil || (c.qop != "" && c.qop != "auth") {
			t.Fatalf("accepted a challenge reqsh cannot answer: %+v from %q", c, v)
		}
		answer := c.authorization(&Auth{Scheme: Digest, User: "u", Password: "p"}, "GET", "/a?b=c", 1)
		scheme, rest, _ := strings.Cut(answer, " ")
		if scheme != "Digest" {
			t.Fatalf("answer %q is not a Digest answer", answer)
		}
		p := parseAuthParams(rest)
		if p["realm"] != c.realm || p["nonce"] != c.nonce || p["opaque"] != c.opaque || p["uri"] != "/a?b=c" {
			t.Fatalf("answer %q parses to realm %q nonce %q opaque %q uri %q; want %q %q %q", answer,
				p["realm"], p["nonce"], p["opaque"], p["uri"], c.realm, c.nonce, c.opaque)
		}
		if c.qop == "auth" && (p["qop"] != "auth" || p["nc"] != "00000001" || p["cnonce"] == "") {
			t.Fatalf("answer %q lacks qop, nc or cnonce", answer)
		}
	})
}

// FuzzAuthParams: any realm, nonce and opaque, written as quoted-strings
// by quote, read back as they were, whatever separators, quotes and
// backslashes they hold.
func FuzzAuthParams(f *testing.F) {
	f.Add("realm", "nonce", "")
	f.Add(`a"b`, `c\d`, `e, f=g`)
	f.Add(`\`, `"`, `\"`)
	f.Add("", "x", "\x00\xff")
	f.Fuzz(func(t *testing.T, realm, nonce, opaque string) {
		v := "realm=" + quote(realm) + ", nonce=" + quote(nonce) + ",opaque=" + quote(opaque) + " , algorithm=MD5"
		p := parseAuthParams(v)
		if p["realm"] != realm || p["nonce"] != nonce || p["opaque"] != opaque || p["algorithm"] != "MD5" {
			t.Fatalf("%q parsed to %q", v, p)
		}
	})
}
