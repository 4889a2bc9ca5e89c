package session

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mccutchen/go-httpbin/v2/httpbin"

	"github.com/reqsh/reqsh/session/sessionfile"
)

// fixture is the path of a session file in testdata/sessions.
func fixture(name string) string {
	return filepath.Join("..", "testdata", "sessions", name)
}

// anything sends GET rawURL/anything through s and returns what
// go-httpbin saw: its headers and query args.
func anything(t *testing.T, s *Session, rawURL string) (headers, args map[string][]string) {
	t.Helper()
	resp, err := s.Get(context.Background(), rawURL)
	if err != nil {
		t.Fatalf("GET %s: %v", rawURL, err)
	}
	var e struct {
		Headers map[string][]string `json:"headers"`
		Args    map[string][]string `json:"args"`
	}
	if err := json.Unmarshal(resp.Body, &e); err != nil {
		t.Fatalf("GET %s: not httpbin's echo: %v\n%s", rawURL, err, resp.Body)
	}
	return e.Headers, e.Args
}

// loadFixture starts a go-httpbin and loads a fixture into a new session.
func loadFixture(t *testing.T, name string) (*Session, *httptest.Server) {
	t.Helper()
	srv := httptest.NewServer(httpbin.New())
	t.Cleanup(srv.Close)
	s := mustNew(t)
	if err := s.Load(fixture(name)); err != nil {
		t.Fatal(err)
	}
	return s, srv
}

// header returns the one value of name in an echo, or "" when absent.
func header(h map[string][]string, name string) string {
	return strings.Join(h[name], ", ")
}

// fullSession is a session with every kind of state set.
func fullSession(t *testing.T) *Session {
	t.Helper()
	base, _ := url.Parse("http://127.0.0.1:8080/api")
	s := mustNew(t, WithBase(base))
	s.Headers.Set("User-Agent", "my-program")
	s.Headers.Add("X-Multi", "a")
	s.Headers.Add("X-Multi", "b")
	s.Params.Add("from", "perfcode.com")
	s.Params.Add("tag", "x")
	s.Params.Add("tag", "y")
	s.Auth = DigestAuth("us:er", "p:a\\ss")
	if err := s.SetOptions(Options{Timeout: 1500 * time.Millisecond, MaxTime: time.Minute, Follow: false, MaxRedirects: 3, Verify: VerifyOff, Proxy: "http://proxy.example:3128"}); err != nil {
		t.Fatal(err)
	}
	created := time.Date(2025, 1, 2, 3, 4, 5, 123456789, time.UTC)
	expires := time.Now().Add(48 * time.Hour).Truncate(time.Second)
	for _, c := range []Cookie{
		{Name: "token", Value: "123456", Domain: "127.0.0.1", HostOnly: true, Created: created},
		{Name: "sid", Value: "abc", Domain: "example.com", Path: "/app", Secure: true, HttpOnly: true, SameSite: "strict", Expires: expires, Created: created.Add(time.Second)},
		{Name: "host", Value: "1", Domain: "www.example.com", HostOnly: true, SameSite: "lax", Created: created.Add(2 * time.Second)},
		{Name: "dev", Value: "2", Domain: "localhost", HostOnly: true, Created: created.Add(3 * time.Second)},
		{Name: "lan", Value: "3", Domain: "intranet", HostOnly: true, Created: created.Add(4 * time.Second)},
		{Name: "mdns", Value: "4", Domain: "printer.local", HostOnly: true, Created: created.Add(5 * time.Second)},
	} {
		if err := s.Jar.Set(c); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// TestSaveLoadRoundTrip saves every kind of state and loads it into a new
// session: the same headers, params, auth, base URL, options and cookies
// with all their attributes.
func TestSaveLoadRoundTrip(t *testing.T) {
	s := fullSession(t)
	dir := filepath.Join(t.TempDir(), "new", "dir")
	path := filepath.Join(dir, "s.json")
	if err := s.Save(path); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{path: 0o600, dir: 0o700, filepath.Dir(dir): 0o700} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %o, want %o", p, got, want)
		}
	}

	l := mustNew(t)
	if err := l.Load(path); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(l.Headers, s.Headers) {
		t.Errorf("headers = %v, want %v", l.Headers, s.Headers)
	}
	if !reflect.DeepEqual(l.Params.All(), s.Params.All()) {
		t.Errorf("params = %v, want %v", l.Params.All(), s.Params.All())
	}
	if *l.Auth != *s.Auth {
		t.Errorf("auth = %+v, want %+v", *l.Auth, *s.Auth)
	}
	if l.Base.String() != s.Base.String() {
		t.Errorf("base = %v, want %v", l.Base, s.Base)
	}
	if l.Options() != s.Options() {
		t.Errorf("options = %+v, want %+v", l.Options(), s.Options())
	}
	got, want := l.Jar.All(), s.Jar.All()
	if len(got) != len(want) {
		t.Fatalf("%d cookies loaded, want %d:\n%+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if !g.Expires.Equal(w.Expires) || !g.Created.Equal(w.Created) {
			t.Errorf("cookie %s: expires %v created %v, want %v and %v", w.Name, g.Expires, g.Created, w.Expires, w.Created)
		}
		g.Expires, g.Created, w.Expires, w.Created = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if g != w {
			t.Errorf("cookie loaded as %+v, want %+v", g, w)
		}
	}
}

// TestLoadHTTPieFixture loads a file HTTPie 3 wrote, as it is, and sends
// its header, cookies and basic auth; the cookies stay with their host.
func TestLoadHTTPieFixture(t *testing.T) {
	s, srv := loadFixture(t, "httpie.json")
	h, _ := anything(t, s, srv.URL+"/anything")
	for name, want := range map[string]string{
		"User-Agent":    "my-program",
		"Authorization": "Basic dXNlcjpwYXNz",
		"Cookie":        "token=123456; theme=dark",
	} {
		if got := header(h, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	var theme Cookie
	for _, c := range s.Jar.All() {
		if !c.HostOnly || c.Domain != "127.0.0.1" {
			t.Errorf("cookie %s loaded as %+v, want host-only on 127.0.0.1", c.Name, c)
		}
		if c.Name == "theme" {
			theme = c
		}
	}
	if theme.Expires.Unix() != 4949245018 {
		t.Errorf("theme expires %v, want the file's 4949245018", theme.Expires)
	}
	other := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	if h, _ := anything(t, s, other+"/anything"); header(h, "Cookie") != "" {
		t.Errorf("a cookie of 127.0.0.1 went to localhost: %q", header(h, "Cookie"))
	}
}

// TestLoadHTTPieLocalhost loads HTTPie's "localhost.local" cookie domain
// as localhost, and bearer auth.
func TestLoadHTTPieLocalhost(t *testing.T) {
	s, srv := loadFixture(t, "httpie-localhost.json")
	local := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	h, _ := anything(t, s, local+"/anything")
	for name, want := range map[string]string{"X-Client": "reqsh-test", "Authorization": "Bearer s3cr3t-token", "Cookie": "sid=abc"} {
		if got := header(h, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if h, _ := anything(t, s, srv.URL+"/anything"); header(h, "Cookie") != "" {
		t.Errorf("a cookie of localhost went to 127.0.0.1: %q", header(h, "Cookie"))
	}
}

// TestLoadHTTPie2 loads HTTPie 2's layout: objects for headers and
// cookies, auth with username and password, cookies without a domain
// bound to the base URL's host.
func TestLoadHTTPie2(t *testing.T) {
	s := mustNew(t)
	s.Headers.Set("X-Before", "1")
	if err := s.Load(fixture("httpie2.json")); err == nil || !strings.Contains(err.Error(), `cookie "token" has no domain`) {
		t.Fatalf("load with no base URL: err = %v, want a no-domain error", err)
	}
	if s.Headers.Get("X-Before") != "1" || s.Auth != nil {
		t.Fatal("a failed load changed the session")
	}

	srv := httptest.NewServer(httpbin.New())
	defer srv.Close()
	s.Base, _ = url.Parse(srv.URL)
	if err := s.Load(fixture("httpie2.json")); err != nil {
		t.Fatal(err)
	}
	if s.Auth == nil || *s.Auth != *DigestAuth("user", "pass") {
		t.Errorf("auth = %+v, want digest user:pass", s.Auth)
	}
	h, _ := anything(t, s, "/anything")
	if header(h, "User-Agent") != "my-program" || header(h, "Cookie") != "token=123456" || header(h, "X-Before") != "" {
		t.Errorf("sent headers %v", h)
	}
	if c := s.Jar.All(); len(c) != 1 || !c[0].HostOnly || c[0].Domain != "127.0.0.1" {
		t.Errorf("jar = %+v, want one host-only cookie on 127.0.0.1", c)
	}
}

// TestLoadReplaces checks that a load replaces the request state, empties
// the params for a file without a reqsh section, and keeps the base URL
// and options then.
func TestLoadReplaces(t *testing.T) {
	base, _ := url.Parse("http://127.0.0.1:1")
	s := mustNew(t, WithBase(base))
	s.Headers.Set("X-Old", "1")
	s.Params.Set("old", "1")
	s.Auth = BearerAuth("old")
	_ = s.Jar.Set(Cookie{Name: "old", Value: "1", Domain: "127.0.0.1"})
	o := s.Options()
	o.MaxRedirects = 7
	_ = s.SetOptions(o)
	if err := s.Load(fixture("httpie.json")); err != nil {
		t.Fatal(err)
	}
	if s.Headers.Get("X-Old") != "" || s.Params.Len() != 0 || s.Auth.Scheme != Basic {
		t.Errorf("old state kept: headers %v, params %v, auth %v", s.Headers, s.Params.All(), s.Auth)
	}
	for _, c := range s.Jar.All() {
		if c.Name == "old" {
			t.Error("old cookie kept")
		}
	}
	if s.Base.String() != base.String() || s.Options().MaxRedirects != 7 {
		t.Errorf("base %v and max redirects %d changed by a file without them", s.Base, s.Options().MaxRedirects)
	}
}

// TestLoadErrors checks that a bad file is an error that says what is
// wrong, and leaves the session as it was.
func TestLoadErrors(t *testing.T) {
	// The decoder's own errors are tested in package sessionfile; these
	// go through the whole load: the codec, the checks of auth and
	// options, the jar.
	cases := map[string]struct{ data, want string }{
		"syntax":       {"{\n  \"headers\": [\n    {\"name\": \"A\" \"value\": \"b\"}\n]}", "invalid JSON at line 3, column 19"},
		"foreign":      {`{"name": "my-package", "version": "1.0.0"}`, "not a session file"},
		"header name":  {`{"headers": [{"name": "Bad Name", "value": "x"}]}`, `invalid header name "Bad Name"`},
		"cookie value": {`{"cookies": [{"name": "a", "value": "x;y", "domain": "example.com"}]}`, `cookie "a": invalid name or value`},
		"auth type":    {`{"auth": {"type": "ntlm", "raw_auth": "u:p"}}`, `auth: unknown auth scheme "ntlm"`},
		"base":         {`{"reqsh": {"base": "ftp://x"}}`, `base "ftp://x"`},
		"timeout":      {`{"reqsh": {"options": {"timeout": "soon"}}}`, `invalid timeout "soon"`},
		"verify":       {`{"reqsh": {"options": {"verify": "/no/such/ca.pem"}}}`, `options: read CA bundle`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.json")
			if err := os.WriteFile(path, []byte(tc.data), 0o600); err != nil {
				t.Fatal(err)
			}
			s := fullSession(t)
			before, _ := s.MarshalJSON()
			err := s.Load(path)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("err = %v, want it to name the file and say %q", err, tc.want)
			}
			if after, _ := s.MarshalJSON(); !bytes.Equal(before, after) {
				t.Errorf("a failed load changed the session:\n%s", after)
			}
		})
	}
	big := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(big, []byte(`{"headers": []}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, sessionfile.MaxSize+1); err != nil {
		t.Fatal(err)
	}
	if err := mustNew(t).Load(big); err == nil || !strings.Contains(err.Error(), big+": too large") {
		t.Errorf("a file over sessionfile.MaxSize: err = %v, want too large", err)
	}
	if err := mustNew(t).Load(filepath.Join(t.TempDir(), "missing.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err = %v, want os.ErrNotExist", err)
	}
}

// TestSaveKeepsForeignFile checks that Save does not overwrite a file that
// is not a session file.
func TestSaveKeepsForeignFile(t *testing.T) {
	for _, content := range []string{"{ corrupt", `{"name": "my-package"}`, "package main\n"} {
		path := filepath.Join(t.TempDir(), "f.json")
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		err := fullSession(t).Save(path)
		if err == nil || !strings.Contains(err.Error(), "not overwritten") {
			t.Errorf("save over %q: err = %v, want not overwritten", content, err)
		}
		if got, _ := os.ReadFile(path); string(got) != content {
			t.Errorf("file changed to %q", got)
		}
	}
	empty := filepath.Join(t.TempDir(), "empty.json")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := fullSession(t).Save(empty); err != nil {
		t.Errorf("save over an empty file: %v", err)
	}
	dir := t.TempDir()
	for _, path := range []string{dir, filepath.Join(dir, "sub") + "/"} {
		if err := mustNew(t).Save(path); err == nil {
			t.Errorf("save to %q: no error", path)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("save to a directory left %v", entries)
	}
}

// TestLoadedCookieStaysOnItsHost checks that a cookie loaded from a file
// does not follow a redirect to another host.
func TestLoadedCookieStaysOnItsHost(t *testing.T) {
	s, srv := loadFixture(t, "httpie.json")
	other := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	target := srv.URL + "/redirect-to?url=" + url.QueryEscape(other+"/anything")
	resp, err := s.Get(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Redirects != 1 || resp.URL.Hostname() != "localhost" {
		t.Fatalf("ended at %v after %d redirects, want localhost after 1", resp.URL, resp.Redirects)
	}
	if sent := resp.History[0].Request.Header.Get("Cookie"); sent != "token=123456; theme=dark" {
		t.Errorf("first hop sent Cookie %q, want the file's cookies", sent)
	}
	if sent := resp.Request.Header.Get("Cookie"); sent != "" {
		t.Errorf("redirect to localhost sent Cookie %q, want none", sent)
	}
}

// TestHTTPieReadsSavedFile runs HTTPie (when installed) on a file reqsh
// saved: HTTPie must send its headers, cookies and auth; then reqsh loads
// the file as HTTPie rewrote it, with the reqsh section intact.
func TestHTTPieReadsSavedFile(t *testing.T) {
	httpie, err := exec.LookPath("http")
	if err != nil {
		t.Skip("HTTPie (http) is not installed")
	}
	srv := httptest.NewServer(httpbin.New())
	defer srv.Close()
	local := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	for _, tc := range []struct{ name, url, cookie string }{
		{"ip", srv.URL, "token=123456"},
		{"localhost", local, "dev=2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := mustNew(t)
			s.Base, _ = url.Parse(tc.url)
			s.Headers.Set("User-Agent", "my-program")
			s.Headers.Set("X-Api-Key", "k")
			s.Params.Set("from", "perfcode.com")
			s.Auth = BasicAuth("user", "pass")
			for _, c := range []Cookie{
				{Name: "token", Value: "123456", Domain: "127.0.0.1", HostOnly: true, HttpOnly: true, SameSite: "lax"},
				{Name: "dev", Value: "2", Domain: "localhost", HostOnly: true},
				{Name: "other", Value: "3", Domain: "example.com"},
			} {
				if err := s.Jar.Set(c); err != nil {
					t.Fatal(err)
				}
			}
			dir := t.TempDir()
			path := filepath.Join(dir, "s.json")
			if err := s.Save(path); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(httpie, "--ignore-stdin", "--print=b", "--session="+path, "GET", tc.url+"/anything")
			cmd.Env = append(os.Environ(), "HOME="+dir, "HTTPIE_CONFIG_DIR="+filepath.Join(dir, "httpie"))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("http: %v\n%s", err, stderr.String())
			}
			var e struct {
				Headers map[string][]string `json:"headers"`
			}
			if err := json.Unmarshal(out, &e); err != nil {
				t.Fatalf("HTTPie's output is not httpbin's echo: %v\n%s", err, out)
			}
			for name, want := range map[string]string{
				"User-Agent":    "my-program",
				"X-Api-Key":     "k",
				"Authorization": "Basic dXNlcjpwYXNz",
				"Cookie":        tc.cookie,
			} {
				if got := header(e.Headers, name); got != want {
					t.Errorf("HTTPie sent %s %q, want %q", name, got, want)
				}
			}

			l := mustNew(t)
			if err := l.Load(path); err != nil {
				t.Fatalf("load the file HTTPie rewrote: %v", err)
			}
			if l.Base.String() != tc.url || l.Params.Len() != 1 || l.Auth.User != "user" {
				t.Errorf("after HTTPie: base %v, params %v, auth %v", l.Base, l.Params.All(), l.Auth)
			}
			got, want := l.Jar.All(), s.Jar.All()
			if !reflect.DeepEqual(cookieNames(got), cookieNames(want)) {
				t.Errorf("after HTTPie: cookies %q, want %q", cookieNames(got), cookieNames(want))
			}
			for _, c := range got {
				if c.Name == "token" && (!c.HttpOnly || c.SameSite != "lax") {
					t.Errorf("after HTTPie: token lost its attributes: %+v", c)
				}
			}
		})
	}
}

// cookieNames lists "name@domain host-only" for each cookie.
func cookieNames(cs []Cookie) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s=%s@%s %v", c.Name, c.Value, c.Domain, c.HostOnly))
	}
	return out
}

// A session saved to a file is HTTPie's session JSON, with reqsh's own
// state under "reqsh"; Load restores it.
func ExampleSession_Save() {
	dir, err := os.MkdirTemp("", "reqsh-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "example.json")

	base, _ := url.Parse("http://127.0.0.1:8080")
	s, err := New(WithBase(base))
	if err != nil {
		fmt.Println(err)
		return
	}
	s.Headers.Set("User-Agent", "my-program")
	s.Params.Set("from", "perfcode.com")
	s.Auth = BasicAuth("user", "pass")
	_ = s.Jar.Set(Cookie{Name: "token", Value: "123456", Domain: "127.0.0.1",
		Created: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)})
	if err := s.Save(path); err != nil {
		fmt.Println(err)
		return
	}
	data, _ := os.ReadFile(path)
	fmt.Print(string(data))

	restored, _ := New()
	if err := restored.Load(path); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(restored.Base, restored.Auth, restored.Jar.Len(), "cookie")
	// Output:
	// {
	//     "__meta__": {
	//         "about": "HTTPie session file",
	//         "help": "https://httpie.io/docs#sessions",
	//         "httpie": "3.2.4"
	//     },
	//     "auth": {
	//         "raw_auth": "user:pass",
	//         "type": "basic"
	//     },
	//     "cookies": [
	//         {
	//             "domain": "127.0.0.1",
	//             "expires": null,
	//             "name": "token",
	//             "path": "/",
	//             "secure": false,
	//             "value": "123456"
	//         }
	//     ],
	//     "headers": [
	//         {
	//             "name": "User-Agent",
	//             "value": "my-program"
	//         }
	//     ],
	//     "reqsh": {
	//         "version": 1,
	//         "base": "http://127.0.0.1:8080",
	//         "params": [
	//             {
	//                 "name": "from",
	//                 "value": "perfcode.com"
	//             }
	//         ],
	//         "options": {
	//             "timeout": "",
	//             "follow": true,
	//             "max_redirects": 30,
	//             "verify": "on",
	//             "proxy": ""
	//         },
	//         "cookies": [
	//             {
	//                 "name": "token",
	//                 "domain": "127.0.0.1",
	//                 "path": "/",
	//                 "jar_domain": "127.0.0.1",
	//                 "host_only": true,
	//                 "http_only": false,
	//                 "created": "2025-01-02T03:04:05Z"
	//             }
	//         ]
	//     }
	// }
	// http://127.0.0.1:8080 basic user:**** 1 cookie
}
