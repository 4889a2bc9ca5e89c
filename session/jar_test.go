package session

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mccutchen/go-httpbin/v2/httpbin"
)

var _ http.CookieJar = (*Jar)(nil)

// jarT0 is the fake clock's start.
var jarT0 = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// testClock is a settable clock for a Jar.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newTestJar() (*Jar, *testClock) {
	clk := &testClock{t: jarT0}
	j := NewJar()
	j.now = clk.now
	return j, clk
}

func mustURL(t testing.TB, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("parse %q: %v", raw, err)
	}
	return u
}

// setCookie stores the cookie of one Set-Cookie header value as received
// from rawURL.
func setCookie(t testing.TB, j *Jar, rawURL, header string) {
	t.Helper()
	c, err := http.ParseSetCookie(header)
	if err != nil {
		t.Fatalf("parse Set-Cookie %q: %v", header, err)
	}
	j.SetCookies(mustURL(t, rawURL), []*http.Cookie{c})
}

// sent is the Cookie header the jar produces for rawURL, written as the
// session writes it: a Quoted value goes back inside its quotes.
func sent(t testing.TB, j *Jar, rawURL string) string {
	t.Helper()
	var parts []string
	for _, c := range j.Cookies(mustURL(t, rawURL)) {
		v := c.Value
		if c.Quoted {
			v = `"` + v + `"`
		}
		parts = append(parts, c.Name+"="+v)
	}
	return strings.Join(parts, "; ")
}

type jarSetOp struct{ url, header string }

func TestJarRules(t *testing.T) {
	past := jarT0.Add(-time.Hour).Format(http.TimeFormat)
	future := jarT0.Add(time.Hour).Format(http.TimeFormat)
	tests := []struct {
		name string
		set  []jarSetOp
		want map[string]string // URL -> Cookie header
	}{
		{
			name: "host-only cookie goes to its host only",
			set:  []jarSetOp{{"http://a.example.com/", "a=1"}},
			want: map[string]string{
				"http://a.example.com/":   "a=1",
				"https://a.example.com/x": "a=1",
				"http://b.example.com/":   "",
				"http://x.a.example.com/": "",
				"http://example.com/":     "",
			},
		},
		{
			name: "domain cookie goes to the domain and its subdomains",
			set:  []jarSetOp{{"http://a.example.com/", "a=1; Domain=example.com"}},
			want: map[string]string{
				"http://a.example.com/":     "a=1",
				"http://b.example.com/":     "a=1",
				"http://x.y.example.com/":   "a=1",
				"http://example.com/":       "a=1",
				"http://notexample.com/":    "",
				"http://example.com.evil/":  "",
				"http://www.example.org/":   "",
				"http://B.EXAMPLE.COM:81/p": "a=1",
			},
		},
		{
			name: "leading dot and upper case in Domain",
			set:  []jarSetOp{{"http://www.example.com/", "a=1; Domain=.Example.COM"}},
			want: map[string]string{"http://other.example.com/": "a=1"},
		},
		{
			name: "Domain equal to a non-suffix host is a domain cookie",
			set:  []jarSetOp{{"http://example.com/", "a=1; Domain=example.com"}},
			want: map[string]string{"http://www.example.com/": "a=1"},
		},
		{
			name: "Domain that does not match the host is rejected",
			set: []jarSetOp{
				{"http://a.example.com/", "a=1; Domain=other.com"},
				{"http://a.example.com/", "b=1; Domain=b.example.com"},
				{"http://a.example.com/", "c=1; Domain=x.a.example.com"},
				{"http://example.com/", "d=1; Domain=ample.com"},
			},
			want: map[string]string{
				"http://other.com/":       "",
				"http://b.example.com/":   "",
				"http://x.a.example.com/": "",
				"http://a.example.com/":   "",
				"http://ample.com/":       "",
			},
		},
		{
			name: "public suffix Domain is rejected",
			set: []jarSetOp{
				{"http://a.example.com/", "a=1; Domain=com"},
				{"http://www.bbc.co.uk/", "b=1; Domain=co.uk"},
				{"http://www.bbc.co.uk/", "c=1; Domain=.co.uk"},
				{"http://www.bbc.co.uk/", "d=1; Domain=bbc.co.uk"},
			},
			want: map[string]string{
				"http://other.com/":       "",
				"http://a.example.com/":   "",
				"http://www.other.co.uk/": "",
				"http://news.bbc.co.uk/":  "d=1",
			},
		},
		{
			name: "public suffix Domain equal to the host is host-only",
			set: []jarSetOp{
				{"http://co.uk/", "a=1; Domain=co.uk"},
				{"http://localhost:8080/", "b=1; Domain=localhost"},
			},
			want: map[string]string{
				"http://co.uk/":          "a=1",
				"http://bbc.co.uk/":      "",
				"http://localhost:9/":    "b=1",
				"http://app.localhost/":  "",
				"http://127.0.0.1:8080/": "",
			},
		},
		{
			name: "IP hosts",
			set: []jarSetOp{
				{"http://127.0.0.1:8080/", "a=1"},
				{"http://127.0.0.1/", "b=1; Domain=127.0.0.1"},
				{"http://127.0.0.1/", "c=1; Domain=0.0.1"},
				{"http://127.0.0.1/", "d=1; Domain=.127.0.0.1"},
				{"http://[::1]:8080/", "e=1; Domain=::1"},
				{"http://[::1]:8080/", "f=1; Domain=localhost"},
			},
			want: map[string]string{
				"http://127.0.0.1:9999/": "a=1; b=1",
				"http://0.0.1/":          "",
				"http://[::1]/":          "e=1",
				"http://localhost/":      "",
			},
		},
		{
			name: "host compared case-insensitively, port ignored",
			set:  []jarSetOp{{"HTTP://WWW.Example.COM:8080/", "a=1"}},
			want: map[string]string{
				"http://www.example.com/":      "a=1",
				"https://www.EXAMPLE.com:443/": "a=1",
				"http://www.example.com.:81/":  "a=1",
			},
		},
		{
			name: "non-http schemes are ignored",
			set: []jarSetOp{
				{"ftp://example.com/", "a=1"},
				{"http://example.com/", "b=1"},
			},
			want: map[string]string{
				"http://example.com/": "b=1",
				"ftp://example.com/":  "",
				"ws://example.com/":   "",
			},
		},
		{
			name: "path scoping",
			set:  []jarSetOp{{"http://example.com/", "a=1; Path=/foo"}},
			want: map[string]string{
				"http://example.com/foo":     "a=1",
				"http://example.com/foo/":    "a=1",
				"http://example.com/foo/bar": "a=1",
				"http://example.com/foobar":  "",
				"http://example.com/fo":      "",
				"http://example.com/":        "",
				"http://example.com":         "",
				"http://example.com/bar/foo": "",
			},
		},
		{
			name: "path with trailing slash",
			set:  []jarSetOp{{"http://example.com/", "a=1; Path=/foo/"}},
			want: map[string]string{
				"http://example.com/foo/":  "a=1",
				"http://example.com/foo/x": "a=1",
				"http://example.com/foo":   "",
			},
		},
		{
			name: "default path from the request URL",
			set: []jarSetOp{
				{"http://example.com/a/b/c?q=1", "a=1"},
				{"http://example.com/a/b/c", "b=1; Path=relative"},
				{"http://example.com/top", "c=1"},
			},
			want: map[string]string{
				"http://example.com/a/b":   "a=1; b=1; c=1",
				"http://example.com/a/b/x": "a=1; b=1; c=1",
				"http://example.com/a":     "c=1",
				"http://example.com/":      "c=1",
			},
		},
		{
			name: "secure cookies only over https or to loopback",
			set: []jarSetOp{
				{"https://example.com/", "a=1; Secure"},
				{"http://example.com/", "b=1; Secure"}, // refused: set over http
				{"http://127.0.0.1:8080/", "c=1; Secure"},
				{"http://localhost:8080/", "d=1; Secure"},
				{"http://[::1]:8080/", "e=1; Secure"},
				{"http://127.0.0.2/", "f=1; Secure"},
			},
			want: map[string]string{
				"https://example.com/":   "a=1",
				"http://example.com/":    "",
				"http://127.0.0.1:9000/": "c=1",
				"http://localhost/":      "d=1",
				"http://[::1]/":          "e=1",
				"http://127.0.0.2/":      "f=1",
			},
		},
		{
			name: "Max-Age=0 deletes",
			set: []jarSetOp{
				{"http://example.com/", "a=1"},
				{"http://example.com/", "b=1"},
				{"http://example.com/", "a=2; Max-Age=0"},
			},
			want: map[string]string{"http://example.com/": "b=1"},
		},
		{
			name: "negative Max-Age deletes",
			set: []jarSetOp{
				{"http://example.com/", "a=1; Max-Age=100"},
				{"http://example.com/", "a=1; Max-Age=-1"},
			},
			want: map[string]string{"http://example.com/": ""},
		},
		{
			name: "Expires in the past deletes",
			set: []jarSetOp{
				{"http://example.com/", "a=1; Expires=" + future},
				{"http://example.com/", "a=; Expires=" + past},
				{"http://example.com/", "b=1; Expires=" + past},
			},
			want: map[string]string{"http://example.com/": ""},
		},
		{
			name: "deletion needs the same domain and path",
			set: []jarSetOp{
				{"http://example.com/", "a=1; Path=/p"},
				{"http://example.com/", "a=1; Max-Age=0"},
				{"http://www.example.com/", "a=1; Path=/p; Max-Age=0"},
			},
			want: map[string]string{"http://example.com/p": "a=1"},
		},
		{
			name: "Max-Age has priority over Expires",
			set: []jarSetOp{
				{"http://example.com/", "a=1; Max-Age=100; Expires=" + past},
				{"http://example.com/", "b=1; Max-Age=0; Expires=" + future},
			},
			want: map[string]string{"http://example.com/": "a=1"},
		},
		{
			name: "same name, domain and path replaces",
			set: []jarSetOp{
				{"http://example.com/", "a=1"},
				{"http://example.com/", "a=2"},
				{"http://example.com/", "a=3; Path=/x"},
				{"http://www.example.com/", "a=4; Domain=example.com"},
			},
			want: map[string]string{
				"http://example.com/":      "a=4",
				"http://example.com/x":     "a=3; a=4",
				"http://www.example.com/x": "a=4", // a=3 is host-only
			},
		},
		{
			name: "longer paths first, then older first",
			set: []jarSetOp{
				{"http://example.com/", "z=1; Path=/"},
				{"http://example.com/", "y=1; Path=/"},
				{"http://example.com/", "short=1; Path=/a"},
				{"http://example.com/", "long=1; Path=/a/b"},
				{"http://example.com/", "x=1; Path=/"},
				{"http://example.com/", "z=2; Path=/"}, // keeps z's creation time
			},
			want: map[string]string{
				"http://example.com/a/b/c": "long=1; short=1; z=2; y=1; x=1",
				"http://example.com/a":     "short=1; z=2; y=1; x=1",
			},
		},
		{
			name: "values byte for byte, quotes included (as requests sends them)",
			set: []jarSetOp{
				{"http://example.com/", `q="abc"`},
				{"http://example.com/", `r="a b"`},
				{"http://example.com/", `s=a b`},
				{"http://example.com/", `e=""`},
			},
			want: map[string]string{"http://example.com/": `q="abc"; r="a b"; s=a b; e=""`},
		},
		{
			name: "plain http cannot replace a Secure cookie",
			set: []jarSetOp{
				{"https://example.com/", "sid=good; Secure"},
				{"http://example.com/", "sid=evil"},
			},
			want: map[string]string{"https://example.com/": "sid=good", "http://example.com/": ""},
		},
		{
			name: "plain http cannot delete a Secure cookie",
			set: []jarSetOp{
				{"https://example.com/", "sid=good; Secure"},
				{"http://example.com/", "sid=; Max-Age=0"},
				{"http://example.com/", "sid=; Expires=" + past},
			},
			want: map[string]string{"https://example.com/": "sid=good"},
		},
		{
			name: "plain http cannot shadow a Secure domain cookie from a subdomain",
			set: []jarSetOp{
				{"https://www.example.com/", "sid=good; Secure; Domain=example.com"},
				{"http://a.example.com/", "sid=evil"},
			},
			want: map[string]string{"https://a.example.com/": "sid=good", "http://a.example.com/": ""},
		},
		{
			name: "plain http cannot shadow a Secure host cookie with a parent Domain",
			set: []jarSetOp{
				{"https://www.example.com/", "sid=good; Secure"},
				{"http://www.example.com/", "sid=evil; Domain=example.com"},
			},
			want: map[string]string{"https://www.example.com/": "sid=good", "http://other.example.com/": ""},
		},
		{
			name: "plain http cannot shadow a Secure cookie from a path below it",
			set: []jarSetOp{
				{"https://example.com/", "sid=good; Secure; Path=/a"},
				{"http://example.com/", "sid=evil; Path=/a/b"},
			},
			want: map[string]string{"https://example.com/a/b": "sid=good"},
		},
		{
			name: "plain http sets what no Secure cookie matches",
			set: []jarSetOp{
				{"https://example.com/", "sid=good; Secure; Path=/a"},
				{"http://example.com/", "sid=other; Path=/b"}, // path does not match /a
				{"http://example.com/", "sid=root; Path=/"},   // / does not path-match /a
				{"http://example.com/", "other=1"},            // another name
				{"http://example.org/", "sid=org"},            // another domain
				{"http://notexample.com/", "sid=not"},         // not a subdomain
				{"http://a.example.com/", "sid=sub; Path=/b"}, // subdomain, other path
			},
			want: map[string]string{
				"http://example.com/b":   "sid=other; sid=root; other=1",
				"https://example.com/a":  "sid=good; sid=root; other=1",
				"http://example.org/":    "sid=org",
				"http://notexample.com/": "sid=not",
				"http://a.example.com/b": "sid=sub",
			},
		},
		{
			name: "https and loopback may replace a Secure cookie",
			set: []jarSetOp{
				{"https://example.com/", "sid=good; Secure"},
				{"https://example.com/", "sid=new"},
				{"http://127.0.0.1/", "lo=good; Secure"},
				{"http://127.0.0.1/", "lo=new"},
				{"http://localhost/", "lh=good; Secure"},
				{"http://localhost/", "lh=; Max-Age=0"},
			},
			want: map[string]string{"http://example.com/": "sid=new", "http://127.0.0.1/": "lo=new", "http://localhost/": ""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, clk := newTestJar()
			for _, op := range tt.set {
				setCookie(t, j, op.url, op.header)
				clk.advance(time.Second)
			}
			for u, want := range tt.want {
				if got := sent(t, j, u); got != want {
					t.Errorf("Cookies(%s) = %q, want %q", u, got, want)
				}
			}
		})
	}
}

func TestJarStoredAttributes(t *testing.T) {
	j, _ := newTestJar()
	setCookie(t, j, "https://www.example.com/a/b", "s=1; Domain=example.com; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=60")
	setCookie(t, j, "http://www.example.com/a/b", "h=2; SameSite=Lax")
	setCookie(t, j, "http://co.uk/", "p=3; Domain=CO.UK; SameSite=None")
	got := j.All()
	want := []Cookie{
		{Name: "p", Value: "3", Domain: "co.uk", Path: "/", HostOnly: true, SameSite: "none", Created: jarT0},
		{Name: "s", Value: "1", Domain: "example.com", Path: "/", Expires: jarT0.Add(time.Minute),
			Secure: true, HttpOnly: true, SameSite: "strict", Created: jarT0},
		{Name: "h", Value: "2", Domain: "www.example.com", Path: "/a", HostOnly: true, SameSite: "lax", Created: jarT0},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("All() =\n%v\nwant\n%v", got, want)
	}
}

func TestJarExpiryByClock(t *testing.T) {
	j, clk := newTestJar()
	setCookie(t, j, "http://example.com/", "age=1; Max-Age=60")
	setCookie(t, j, "http://example.com/", "exp=1; Expires="+jarT0.Add(2*time.Minute).Format(http.TimeFormat))
	setCookie(t, j, "http://example.com/", "sess=1")
	steps := []struct {
		advance time.Duration
		want    string
		n       int
	}{
		{0, "age=1; exp=1; sess=1", 3},
		{59 * time.Second, "age=1; exp=1; sess=1", 3},
		{time.Second, "exp=1; sess=1", 2}, // expiry at exactly now: expired
		{time.Minute - time.Nanosecond, "exp=1; sess=1", 2},
		{time.Nanosecond, "sess=1", 1},
		{24 * 365 * time.Hour, "sess=1", 1},
	}
	for i, s := range steps {
		clk.advance(s.advance)
		if got := sent(t, j, "http://example.com/"); got != s.want {
			t.Errorf("step %d: Cookies = %q, want %q", i, got, s.want)
		}
		if n := j.Len(); n != s.n {
			t.Errorf("step %d: Len = %d, want %d", i, n, s.n)
		}
		if n := len(j.All()); n != s.n {
			t.Errorf("step %d: len(All) = %d, want %d", i, n, s.n)
		}
	}
}

func TestJarAllSortedAndPurged(t *testing.T) {
	j, clk := newTestJar()
	setCookie(t, j, "http://b.example.com/", "z=1")
	setCookie(t, j, "http://b.example.com/x/y", "a=1")
	setCookie(t, j, "http://b.example.com/", "a=1")
	setCookie(t, j, "http://a.example.com/", "m=1; Domain=example.com")
	setCookie(t, j, "http://a.example.com/", "gone=1; Max-Age=10")
	setCookie(t, j, "http://127.0.0.1/", "ip=1")
	clk.advance(10 * time.Second)
	var got []string
	for _, c := range j.All() {
		got = append(got, c.Domain+" "+c.Path+" "+c.Name)
	}
	want := []string{
		"127.0.0.1 / ip",
		"b.example.com / a",
		"b.example.com / z",
		"b.example.com /x a",
		"example.com / m",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("All() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if j.Len() != len(want) {
		t.Errorf("Len = %d after purge, want %d", j.Len(), len(want))
	}
	// All returns copies.
	all := j.All()
	all[0].Value = "changed"
	if j.All()[0].Value != "1" {
		t.Error("All() shares storage with the jar")
	}
}

func TestJarSet(t *testing.T) {
	tests := []struct {
		name    string
		c       Cookie
		wantErr string
		want    map[string]string // URL -> Cookie header
	}{
		{name: "host-only", c: Cookie{Name: "a", Value: "1", Domain: "example.com", HostOnly: true},
			want: map[string]string{"http://example.com/any": "a=1", "http://www.example.com/": ""}},
		{name: "domain cookie", c: Cookie{Name: "a", Value: "1", Domain: ".Example.COM"},
			want: map[string]string{"http://example.com/": "a=1", "http://www.example.com/": "a=1"}},
		{name: "port and brackets stripped", c: Cookie{Name: "a", Value: "1", Domain: "[::1]:8080"},
			want: map[string]string{"http://[::1]:9/": "a=1"}},
		{name: "host with port", c: Cookie{Name: "a", Value: "1", Domain: "localhost:8080", HostOnly: true},
			want: map[string]string{"http://localhost/": "a=1"}},
		{name: "public suffix forced host-only", c: Cookie{Name: "a", Value: "1", Domain: "localhost"},
			want: map[string]string{"http://localhost/": "a=1", "http://x.localhost/": ""}},
		{name: "IP forced host-only", c: Cookie{Name: "a", Value: "1", Domain: "10.0.0.1"},
			want: map[string]string{"http://10.0.0.1/": "a=1", "http://0.0.1/": ""}},
		{name: "path", c: Cookie{Name: "a", Value: "1", Domain: "example.com", Path: "/p"},
			want: map[string]string{"http://example.com/p/q": "a=1", "http://example.com/": ""}},
		{name: "empty value allowed", c: Cookie{Name: "a", Domain: "example.com"},
			want: map[string]string{"http://example.com/": "a="}},
		{name: "secure", c: Cookie{Name: "a", Value: "1", Domain: "example.com", Secure: true},
			want: map[string]string{"https://example.com/": "a=1", "http://example.com/": ""}},
		{name: "already expired", c: Cookie{Name: "a", Value: "1", Domain: "example.com", Expires: jarT0},
			want: map[string]string{"http://example.com/": ""}},
		{name: "empty name", c: Cookie{Value: "1", Domain: "example.com"}, wantErr: "empty name"},
		{name: "empty domain", c: Cookie{Name: "a", Value: "1"}, wantErr: "empty domain"},
		{name: "bad name", c: Cookie{Name: "a b", Value: "1", Domain: "example.com"}, wantErr: "invalid name or value"},
		{name: "bad value", c: Cookie{Name: "a", Value: "1;b=2", Domain: "example.com"}, wantErr: "invalid name or value"},
		{name: "bad domain", c: Cookie{Name: "a", Value: "1", Domain: "a..b"}, wantErr: "invalid domain"},
		{name: "bad domain chars", c: Cookie{Name: "a", Value: "1", Domain: "exa mple.com"}, wantErr: "invalid domain"},
		{name: "bad path", c: Cookie{Name: "a", Value: "1", Domain: "example.com", Path: "p"}, wantErr: "invalid path"},
		{name: "bad samesite", c: Cookie{Name: "a", Value: "1", Domain: "example.com", SameSite: "sometimes"}, wantErr: "invalid SameSite"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, _ := newTestJar()
			err := j.Set(tt.c)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Set(%+v) error = %v, want one containing %q", tt.c, err, tt.wantErr)
				}
				if j.Len() != 0 {
					t.Errorf("failed Set stored a cookie")
				}
				return
			}
			if err != nil {
				t.Fatalf("Set(%+v): %v", tt.c, err)
			}
			for u, want := range tt.want {
				if got := sent(t, j, u); got != want {
					t.Errorf("Cookies(%s) = %q, want %q", u, got, want)
				}
			}
		})
	}
}

func TestJarSetReplaces(t *testing.T) {
	j, clk := newTestJar()
	setCookie(t, j, "http://example.com/", "a=1")
	clk.advance(time.Minute)
	if err := j.Set(Cookie{Name: "a", Value: "2", Domain: "EXAMPLE.com", HostOnly: true, SameSite: "Lax"}); err != nil {
		t.Fatal(err)
	}
	all := j.All()
	if len(all) != 1 {
		t.Fatalf("All() = %v, want one cookie", all)
	}
	c := all[0]
	if c.Value != "2" || c.Path != "/" || !c.HostOnly || c.SameSite != "lax" || !c.Created.Equal(jarT0) {
		t.Errorf("replaced cookie = %+v, want value 2, path /, host-only, lax, created at %v", c, jarT0)
	}
	created := jarT0.Add(-time.Hour)
	if err := j.Set(Cookie{Name: "b", Value: "1", Domain: "example.com", Created: created}); err != nil {
		t.Fatal(err)
	}
	// b is older than a: sent first.
	if got := sent(t, j, "http://example.com/"); got != "b=1; a=2" {
		t.Errorf("Cookies = %q, want %q", got, "b=1; a=2")
	}
	// An expired Set deletes.
	if err := j.Set(Cookie{Name: "a", Domain: "example.com", Expires: jarT0}); err != nil {
		t.Fatal(err)
	}
	if got := sent(t, j, "http://example.com/"); got != "b=1" {
		t.Errorf("after expired Set: Cookies = %q, want %q", got, "b=1")
	}
}

func TestJarDeleteClear(t *testing.T) {
	j, _ := newTestJar()
	setCookie(t, j, "http://example.com/", "a=1")
	setCookie(t, j, "http://example.com/", "a=2; Path=/x")
	setCookie(t, j, "http://example.com/", "b=1")
	setCookie(t, j, "http://other.com/", "a=3")
	setCookie(t, j, "http://www.other.com/", "a=4; Domain=other.com; Path=/y")
	steps := []struct {
		name, domain string
		n, left      int
	}{
		{"nope", "", 0, 5},
		{"a", "missing.com", 0, 5},
		{"a", ".OTHER.com", 2, 3},
		{"a", "", 2, 1},
		{"b", "example.com", 1, 0},
	}
	for _, s := range steps {
		if n := j.Delete(s.name, s.domain); n != s.n {
			t.Errorf("Delete(%q, %q) = %d, want %d", s.name, s.domain, n, s.n)
		}
		if l := j.Len(); l != s.left {
			t.Errorf("after Delete(%q, %q): Len = %d, want %d", s.name, s.domain, l, s.left)
		}
	}
	setCookie(t, j, "http://example.com/", "a=1")
	setCookie(t, j, "http://other.com/", "a=1")
	j.Clear()
	if j.Len() != 0 || len(j.All()) != 0 || sent(t, j, "http://example.com/") != "" {
		t.Errorf("after Clear: Len %d, All %v", j.Len(), j.All())
	}
	setCookie(t, j, "http://example.com/", "c=1")
	if got := sent(t, j, "http://example.com/"); got != "c=1" {
		t.Errorf("jar unusable after Clear: %q", got)
	}
}

func TestJarZeroValue(t *testing.T) {
	var j Jar
	if got := j.Cookies(mustURL(t, "http://example.com/")); got != nil {
		t.Errorf("zero Jar Cookies = %v", got)
	}
	setCookie(t, &j, "http://example.com/", "a=1")
	if got := sent(t, &j, "http://example.com/"); got != "a=1" {
		t.Errorf("zero Jar: Cookies = %q, want a=1", got)
	}
}

func TestJarCookiesNoAlloc(t *testing.T) {
	j := NewJar()
	u := mustURL(t, "http://www.example.com/some/path?q=1")
	if n := testing.AllocsPerRun(100, func() { j.Cookies(u) }); n != 0 {
		t.Errorf("Cookies on an empty jar: %v allocations, want 0", n)
	}
	setCookie(t, j, "http://other.org/", "a=1")
	if n := testing.AllocsPerRun(100, func() { j.Cookies(u) }); n != 0 {
		t.Errorf("Cookies with nothing for the host: %v allocations, want 0", n)
	}
}

func TestJarWithHTTPClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/set" {
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: "abc", Path: "/"})
			http.SetCookie(w, &http.Cookie{Name: "tmp", Value: "x", MaxAge: -1})
			return
		}
		io.WriteString(w, r.Header.Get("Cookie"))
	}))
	defer srv.Close()
	j := NewJar()
	client := &http.Client{Jar: j}
	for _, p := range []string{"/set", "/show"} {
		resp, err := client.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if p == "/show" && string(body) != "sid=abc" {
			t.Errorf("server saw Cookie %q, want %q", body, "sid=abc")
		}
	}
}

func TestJarConcurrent(t *testing.T) {
	j := NewJar()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			host := fmt.Sprintf("http://h%d.example.com/", g%3)
			u := mustURL(t, host)
			for i := range 200 {
				c := &http.Cookie{Name: fmt.Sprintf("c%d", i%10), Value: "v", Domain: "example.com"}
				j.SetCookies(u, []*http.Cookie{c})
				j.Cookies(u)
				switch i % 50 {
				case 10:
					j.All()
					j.Len()
				case 20:
					j.Delete("c1", "")
				case 30:
					_ = j.Set(Cookie{Name: "s", Value: "1", Domain: "example.com"})
				case 49:
					if g == 0 {
						j.Clear()
					}
				}
			}
		}()
	}
	wg.Wait()
	if n := j.Len(); n != len(j.All()) {
		t.Errorf("Len %d != len(All) %d", n, len(j.All()))
	}
}

func BenchmarkJarCookies(b *testing.B) {
	u := mustURL(b, "http://www.example.com/a/b")
	b.Run("empty", func(b *testing.B) {
		j := NewJar()
		b.ReportAllocs()
		for b.Loop() {
			j.Cookies(u)
		}
	})
	b.Run("three", func(b *testing.B) {
		j := NewJar()
		setCookie(b, j, "http://www.example.com/", "a=1")
		setCookie(b, j, "http://www.example.com/", "b=1; Domain=example.com")
		setCookie(b, j, "http://www.example.com/", "c=1; Path=/a")
		for i := range 50 {
			setCookie(b, j, fmt.Sprintf("http://h%d.other.com/", i), "x=1")
		}
		b.ReportAllocs()
		for b.Loop() {
			j.Cookies(u)
		}
	})
}

// TestJarBounds checks the jar's bounds: a cookie too large is ignored, a
// domain keeps its newest maxDomainCookies and the jar its newest
// maxCookies, whatever a server sends.
func TestJarBounds(t *testing.T) {
	j, clk := newTestJar()
	setCookie(t, j, "http://example.com/", "big="+strings.Repeat("x", maxCookieBytes))
	setCookie(t, j, "http://example.com/", "fits="+strings.Repeat("x", maxCookieBytes-len("fits")))
	if got := sent(t, j, "http://example.com/"); got != "fits="+strings.Repeat("x", maxCookieBytes-len("fits")) {
		t.Errorf("after a too large and a just fitting cookie, sent %.40q...", got)
	}
	j.Clear()

	var many []*http.Cookie
	for i := range maxDomainCookies + 20 {
		many = append(many, &http.Cookie{Name: fmt.Sprintf("c%d", i), Value: "v"})
	}
	j.SetCookies(mustURL(t, "http://example.com/"), many)
	got := j.Cookies(mustURL(t, "http://example.com/"))
	if len(got) != maxDomainCookies || got[0].Name != "c20" || got[len(got)-1].Name != fmt.Sprintf("c%d", maxDomainCookies+19) {
		t.Errorf("one domain kept %d cookies, %s to %s; want %d, c20 to c%d",
			len(got), got[0].Name, got[len(got)-1].Name, maxDomainCookies, maxDomainCookies+19)
	}
	j.Clear()

	// Expired cookies make room first; then the least recently used goes,
	// not the first created: sid, set first, is sent after the others.
	setCookie(t, j, "http://example.com/", "sid=1")
	setCookie(t, j, "http://example.com/", "short=1; Max-Age=5")
	for i := range maxDomainCookies - 2 {
		setCookie(t, j, "http://example.com/t/", fmt.Sprintf("t%d=v; Path=/t/", i))
	}
	if got := sent(t, j, "http://example.com/"); got != "sid=1; short=1" {
		t.Fatalf("sent to / %q, want sid=1; short=1", got)
	}
	clk.advance(10 * time.Second)
	setCookie(t, j, "http://example.com/", "new=1")
	if got := sent(t, j, "http://example.com/"); got != "sid=1; new=1" {
		t.Errorf("after the expired cookie made room, sent %q; want sid=1; new=1", got)
	}
	setCookie(t, j, "http://example.com/", "newer=1")
	names := map[string]bool{}
	for _, c := range j.All() {
		names[c.Name] = true
	}
	if len(names) != maxDomainCookies || names["t0"] || !names["t1"] || !names["sid"] || !names["new"] || !names["newer"] {
		t.Errorf("%d cookies kept, t0 %v, t1 %v, sid %v, new %v, newer %v; want %d, and only t0 (least recently used) gone",
			len(names), names["t0"], names["t1"], names["sid"], names["new"], names["newer"], maxDomainCookies)
	}
	j.Clear()

	// Cookies set by hand are not held to a server's bounds.
	for i := range maxDomainCookies + 5 {
		if err := j.Set(Cookie{Name: fmt.Sprintf("m%d", i), Value: "v", Domain: "example.com"}); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(j.All()); n != maxDomainCookies+5 {
		t.Errorf("%d cookies set by hand kept, want %d", n, maxDomainCookies+5)
	}
	j.Clear()

	for i := range maxCookies + 10 {
		clk.advance(time.Second)
		setCookie(t, j, fmt.Sprintf("http://h%d.example.com/", i), "n=v")
	}
	if n := len(j.All()); n != maxCookies {
		t.Errorf("the jar holds %d cookies, want %d", n, maxCookies)
	}
	if sent(t, j, "http://h0.example.com/") != "" || sent(t, j, "http://h10.example.com/") != "n=v" {
		t.Error("the oldest cookies should have made room, and only those")
	}
}

// TestJarQuotedValueWithHTTPClient: a quoted value goes back quoted
// through net/http's own Cookie writer, which honours Quoted as the
// session's does; the server receives the bytes requests would send.
func TestJarQuotedValueWithHTTPClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/set" {
			w.Header().Add("Set-Cookie", `q="abc"; Path=/`)
			w.Header().Add("Set-Cookie", `r="a b"; Path=/`)
			return
		}
		io.WriteString(w, r.Header.Get("Cookie"))
	}))
	defer srv.Close()
	client := &http.Client{Jar: NewJar()}
	var got string
	for _, p := range []string{"/set", "/show"} {
		resp, err := client.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got = string(body)
	}
	if want := `q="abc"; r="a b"`; got != want {
		t.Errorf("server saw Cookie %q, want %q", got, want)
	}
}

// TestQuotedValueSessionFile: a quoted value is saved as HTTPie 3.2.1
// saves it (the quotes are part of Python's cookie value) and loads back
// to the same bytes.
func TestQuotedValueSessionFile(t *testing.T) {
	s := mustNew(t)
	s.Jar.SetCookies(mustURL(t, "http://example.com/"), []*http.Cookie{{Name: "q", Value: "abc", Quoted: true}})
	path := filepath.Join(t.TempDir(), "s.json")
	if err := s.Save(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"value": "\"abc\""`; !strings.Contains(string(data), want) {
		t.Errorf("saved file lacks %s:\n%s", want, data)
	}
	l := mustNew(t)
	if err := l.Load(path); err != nil {
		t.Fatal(err)
	}
	if got := sent(t, l.Jar, "http://example.com/"); got != `q="abc"` {
		t.Errorf("loaded jar sends %q, want %q", got, `q="abc"`)
	}
	// A file written by HTTPie itself.
	httpie := `{"cookies": [{"domain": "127.0.0.1", "expires": null, "name": "q", "path": "/", "secure": false, "value": "\"abc\""}], "headers": []}`
	if err := os.WriteFile(path, []byte(httpie), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := l.Load(path); err != nil {
		t.Fatal(err)
	}
	if all := l.Jar.All(); len(all) != 1 || all[0].Value != `"abc"` {
		t.Errorf("HTTPie's file loads as %+v, want the value \"abc\" with its quotes", all)
	}
}

// sameHostTransport is a transport that reaches every host on the given
// ports of 127.0.0.1 (http on 80, https on 443), trusting tlsSrv's
// certificate (which names example.com): so the session sees real host
// names over plain http and https.
func sameHostTransport(httpSrv, tlsSrv *httptest.Server) *http.Transport {
	t := tlsSrv.Client().Transport.(*http.Transport).Clone()
	d := &net.Dialer{}
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		_, port, _ := net.SplitHostPort(addr)
		if port == "443" {
			return d.DialContext(ctx, network, tlsSrv.Listener.Addr().String())
		}
		return d.DialContext(ctx, network, httpSrv.Listener.Addr().String())
	}
	return t
}

// TestSecureCookieNotShadowedOverHTTP: end to end, a Secure cookie set
// over https survives a same-named cookie (and a deletion) that arrives
// over plain http, and is what the server receives over https.
func TestSecureCookieNotShadowedOverHTTP(t *testing.T) {
	h := httpbin.New()
	plain := httptest.NewServer(h)
	defer plain.Close()
	tlsSrv := httptest.NewTLSServer(h)
	defer tlsSrv.Close()
	s := mustNew(t, WithTransport(sameHostTransport(plain, tlsSrv)))
	ctx := context.Background()
	setCookieVia := func(base, value string) {
		t.Helper()
		u := base + "/response-headers?Set-Cookie=" + url.QueryEscape(value)
		if _, err := s.Do(ctx, &Request{Method: "GET", URL: u}); err != nil {
			t.Fatal(err)
		}
	}
	setCookieVia("https://example.com", "sid=good; Secure; Path=/")
	setCookieVia("http://example.com", "sid=evil; Path=/")
	setCookieVia("http://www.example.com", "sid=evil2; Domain=example.com; Path=/")
	setCookieVia("http://example.com", "sid=; Max-Age=0; Path=/")
	resp, err := s.Do(ctx, &Request{Method: "GET", URL: "https://example.com/cookies"})
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Cookies map[string]string }
	if err := json.Unmarshal(resp.Body, &got); err != nil {
		t.Fatalf("%v: %s", err, resp.Body)
	}
	if want := map[string]string{"sid": "good"}; !maps.Equal(got.Cookies, want) {
		t.Errorf("server received cookies %v, want %v", got.Cookies, want)
	}
}

// TestSessionSendsQuotedCookie: end to end through the session, a quoted
// value set by the server goes back with its quotes, as requests sends
// it. It needs the Cookie header writer to honour http.Cookie.Quoted.
func TestSessionSendsQuotedCookie(t *testing.T) {
	srv := httptest.NewServer(httpbin.New())
	defer srv.Close()
	s := mustNew(t)
	ctx := context.Background()
	set := srv.URL + "/response-headers?Set-Cookie=" + url.QueryEscape(`q="abc"; Path=/`)
	if _, err := s.Do(ctx, &Request{Method: "GET", URL: set}); err != nil {
		t.Fatal(err)
	}
	resp, err := s.Do(ctx, &Request{Method: "GET", URL: srv.URL + "/headers"})
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Headers map[string][]string }
	if err := json.Unmarshal(resp.Body, &got); err != nil {
		t.Fatalf("%v: %s", err, resp.Body)
	}
	if c := got.Headers["Cookie"]; len(c) != 1 || c[0] != `q="abc"` {
		t.Errorf("server received Cookie %q, want %q", c, `q="abc"`)
	}
}
