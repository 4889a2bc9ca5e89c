package sessionfile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reqsh/reqsh/session/cookiejar"
)

// fixture reads a session file of testdata/sessions.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "sessions", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// mustURL parses raw or fails the test.
func mustURL(t testing.TB, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// sent is the Cookie header the jar gives rawURL, a quoted value with its
// quotes.
func sent(t testing.TB, j *cookiejar.Jar, rawURL string) string {
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

// fullState is a State with every kind of state set.
func fullState(t testing.TB) *State {
	t.Helper()
	st := &State{
		Headers: http.Header{},
		Params:  []Param{{"from", "perfcode.com"}, {"tag", "x"}, {"tag", "y"}},
		Auth:    &Auth{Type: Digest, User: "us:er", Password: `p:a\ss`},
		Base:    mustURL(t, "http://127.0.0.1:8080/api"),
		Options: &Options{Timeout: 1500 * time.Millisecond, MaxTime: time.Minute, MaxRedirects: 3, Verify: "off", Proxy: "http://proxy.example:3128"},
		Jar:     cookiejar.New(),
	}
	st.Headers.Set("User-Agent", "my-program")
	st.Headers.Add("X-Multi", "a")
	st.Headers.Add("X-Multi", "b")
	created := time.Date(2025, 1, 2, 3, 4, 5, 123456789, time.UTC)
	expires := time.Now().Add(48 * time.Hour).Truncate(time.Second)
	for _, c := range []cookiejar.Cookie{
		{Name: "token", Value: "123456", Domain: "127.0.0.1", HostOnly: true, Created: created},
		{Name: "sid", Value: "abc", Domain: "example.com", Path: "/app", Secure: true, HttpOnly: true, SameSite: "strict", Expires: expires, Created: created.Add(time.Second)},
		{Name: "host", Value: "1", Domain: "www.example.com", HostOnly: true, SameSite: "lax", Created: created.Add(2 * time.Second)},
		{Name: "dev", Value: "2", Domain: "localhost", HostOnly: true, Created: created.Add(3 * time.Second)},
		{Name: "lan", Value: "3", Domain: "intranet", HostOnly: true, Created: created.Add(4 * time.Second)},
		{Name: "mdns", Value: "4", Domain: "printer.local", HostOnly: true, Created: created.Add(5 * time.Second)},
		{Name: "v6", Value: "5", Domain: "::1", HostOnly: true, Created: created.Add(6 * time.Second)},
	} {
		if err := st.Jar.Set(c); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// TestRoundTrip encodes every kind of state and decodes it: the same
// headers, params, auth, base URL, options and cookies with all their
// attributes.
func TestRoundTrip(t *testing.T) {
	st := fullState(t)
	data, err := Encode(st)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(data, Defaults{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Headers, st.Headers) {
		t.Errorf("headers = %v, want %v", got.Headers, st.Headers)
	}
	if !reflect.DeepEqual(got.Params, st.Params) {
		t.Errorf("params = %v, want %v", got.Params, st.Params)
	}
	if *got.Auth != *st.Auth {
		t.Errorf("auth = %+v, want %+v", *got.Auth, *st.Auth)
	}
	if got.Base.String() != st.Base.String() {
		t.Errorf("base = %v, want %v", got.Base, st.Base)
	}
	if *got.Options != *st.Options {
		t.Errorf("options = %+v, want %+v", *got.Options, *st.Options)
	}
	gc, wc := got.Jar.All(), st.Jar.All()
	if len(gc) != len(wc) {
		t.Fatalf("%d cookies decoded, want %d:\n%+v", len(gc), len(wc), gc)
	}
	for i := range wc {
		g, w := gc[i], wc[i]
		if !g.Expires.Equal(w.Expires) || !g.Created.Equal(w.Created) {
			t.Errorf("cookie %s: expires %v created %v, want %v and %v", w.Name, g.Expires, g.Created, w.Expires, w.Created)
		}
		g.Expires, g.Created, w.Expires, w.Created = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if g != w {
			t.Errorf("cookie decoded as %+v, want %+v", g, w)
		}
	}
}

// TestFileLayout checks what HTTPie reads in an encoded file: cookie
// domains in Python's form, nothing but HTTPie's six keys in a cookie,
// raw_auth, and the rest under "reqsh".
func TestFileLayout(t *testing.T) {
	data, err := Encode(fullState(t))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Meta    map[string]string          `json:"__meta__"`
		Auth    map[string]any             `json:"auth"`
		Cookies []map[string]any           `json:"cookies"`
		Headers []map[string]string        `json:"headers"`
		Reqsh   map[string]json.RawMessage `json:"reqsh"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if f.Meta["about"] != "HTTPie session file" {
		t.Errorf("__meta__ = %v", f.Meta)
	}
	if want := map[string]any{"type": "digest", "raw_auth": `us\:er:p:a\ss`}; !reflect.DeepEqual(f.Auth, want) {
		t.Errorf("auth = %v, want %v", f.Auth, want)
	}
	domains := map[string]string{}
	for _, c := range f.Cookies {
		if len(c) != 6 {
			t.Errorf("cookie %v: want exactly HTTPie's keys domain, expires, name, path, secure, value", c)
		}
		domains[c["name"].(string)] = c["domain"].(string)
		if c["name"] == "sid" {
			if exp, ok := c["expires"].(float64); !ok || exp != float64(int64(exp)) {
				t.Errorf("expires = %v, want a whole Unix time", c["expires"])
			}
		} else if c["expires"] != nil {
			t.Errorf("session cookie %v has expires %v, want null", c["name"], c["expires"])
		}
	}
	want := map[string]string{"token": "127.0.0.1", "sid": ".example.com", "host": "www.example.com",
		"dev": "localhost.local", "lan": "intranet.local", "mdns": "printer.local", "v6": "::1"}
	if !reflect.DeepEqual(domains, want) {
		t.Errorf("cookie domains = %v, want %v", domains, want)
	}
	if len(f.Headers) != 3 || f.Headers[0]["name"] != "User-Agent" {
		t.Errorf("headers = %v, want User-Agent and X-Multi twice", f.Headers)
	}
	for _, k := range []string{"version", "base", "params", "options", "cookies"} {
		if _, ok := f.Reqsh[k]; !ok {
			t.Errorf("reqsh section has no %q: %s", k, data)
		}
	}
	if bytes.Contains(data, []byte(`\u0026`)) {
		t.Error("HTML escaping in the file")
	}
	if _, ok := f.Auth["type"]; !ok {
		t.Error("no auth type")
	}
	none, err := Encode(&State{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(none, []byte(`"auth": {
        "password": null,
        "type": null,
        "username": null
    }`)) {
		t.Errorf("no auth is not HTTPie's empty auth:\n%s", none)
	}
}

// TestDecodeHTTPie decodes files HTTPie 3 and HTTPie 2 wrote, as they
// are: headers, auth, cookies on their hosts (HTTPie's "localhost.local"
// is localhost; HTTPie 2's cookies without a domain go to the base URL's
// host), and no base URL or options of their own.
func TestDecodeHTTPie(t *testing.T) {
	defaults := Defaults{Base: mustURL(t, "http://127.0.0.1:9/"), Options: Options{MaxRedirects: 7}}
	tests := []struct {
		file    string
		header  string
		auth    Auth
		cookies map[string]string // URL -> Cookie header
	}{
		{"httpie.json", "User-Agent: my-program", Auth{Type: Basic, User: "user", Password: "pass"},
			map[string]string{"http://127.0.0.1/": "token=123456; theme=dark", "http://localhost/": ""}},
		{"httpie-localhost.json", "X-Client: reqsh-test", Auth{Type: Bearer, Token: "s3cr3t-token"},
			map[string]string{"http://localhost/": "sid=abc", "http://127.0.0.1/": ""}},
		{"httpie2.json", "User-Agent: my-program", Auth{Type: Digest, User: "user", Password: "pass"},
			map[string]string{"http://127.0.0.1/": "token=123456", "http://localhost/": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			st, err := Decode(fixture(t, tt.file), defaults)
			if err != nil {
				t.Fatal(err)
			}
			name, value, _ := strings.Cut(tt.header, ": ")
			if len(st.Headers) != 1 || st.Headers.Get(name) != value {
				t.Errorf("headers = %v, want %s", st.Headers, tt.header)
			}
			if st.Auth == nil || *st.Auth != tt.auth {
				t.Errorf("auth = %+v, want %+v", st.Auth, tt.auth)
			}
			if st.Base != defaults.Base || st.Options != nil || st.Params != nil {
				t.Errorf("base %v, options %v, params %v: want the defaults' base, no options, no params", st.Base, st.Options, st.Params)
			}
			for u, want := range tt.cookies {
				if got := sent(t, st.Jar, u); got != want {
					t.Errorf("cookies for %s = %q, want %q", u, got, want)
				}
			}
		})
	}
	for _, c := range mustDecode(t, fixture(t, "httpie.json")).Jar.All() {
		if c.Name == "theme" && c.Expires.Unix() != 4949245018 {
			t.Errorf("theme expires %v, want the file's 4949245018", c.Expires)
		}
	}
	if _, err := Decode(fixture(t, "httpie2.json"), Defaults{}); err == nil || !strings.Contains(err.Error(), `cookie "token" has no domain`) {
		t.Errorf("HTTPie 2's file with no base URL: err = %v, want a no-domain error", err)
	}
}

// mustDecode decodes data with no defaults or fails the test.
func mustDecode(t *testing.T, data []byte) *State {
	t.Helper()
	st, err := Decode(data, Defaults{})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestDecodeOptions checks that options a file leaves out are the
// defaults', and that a base URL goes through Defaults.ParseURL.
func TestDecodeOptions(t *testing.T) {
	d := Defaults{
		Options: Options{Timeout: time.Second, Follow: true, MaxRedirects: 9, Verify: "off", Proxy: "http://p:1"},
		ParseURL: func(raw string) (*url.URL, error) {
			return url.Parse(strings.ReplaceAll(raw, " ", "%20"))
		},
	}
	st, err := Decode([]byte(`{"reqsh": {"base": "http://h/a b", "options": {"max_redirects": 2, "verify": ""}}}`), d)
	if err != nil {
		t.Fatal(err)
	}
	want := Options{Timeout: time.Second, Follow: true, MaxRedirects: 2, Verify: "on", Proxy: "http://p:1"}
	if st.Options == nil || *st.Options != want {
		t.Errorf("options = %+v, want %+v", st.Options, want)
	}
	if st.Base.String() != "http://h/a%20b" {
		t.Errorf("base = %v, want it parsed by ParseURL", st.Base)
	}
}

// TestDecodeErrors checks that a bad file is an error of one line that
// says what is wrong.
func TestDecodeErrors(t *testing.T) {
	cases := map[string]struct{ data, want string }{
		"syntax":        {"{\n  \"headers\": [\n    {\"name\": \"A\" \"value\": \"b\"}\n]}", "invalid JSON at line 3, column 19"},
		"not an object": {`[1, 2]`, "invalid JSON"},
		"null":          {`null`, "not a session file: want a JSON object"},
		"foreign":       {`{"name": "my-package", "version": "1.0.0"}`, "not a session file"},
		"empty file":    {``, "invalid JSON"},
		"headers type":  {`{"headers": 5}`, "headers: want a list or an object"},
		"header name":   {`{"headers": [{"name": "Bad Name", "value": "x"}]}`, `invalid header name "Bad Name"`},
		"header value":  {`{"headers": [{"name": "A", "value": "x\ny"}]}`, `invalid value for "A"`},
		"cookie value":  {`{"cookies": [{"name": "a", "value": "x;y", "domain": "example.com"}]}`, `cookie "a": invalid name or value`},
		"cookie domain": {`{"cookies": [{"name": "a", "value": "x", "domain": "a..b"}]}`, `cookie "a": invalid domain "a..b"`},
		"auth field":    {`{"auth": {"type": 1}}`, `invalid JSON at line 1, column`},
		"base":          {`{"reqsh": {"base": "ftp://x"}}`, `base "ftp://x"`},
		"base syntax":   {`{"reqsh": {"base": "http://[x"}}`, `reqsh section: base: `},
		"param":         {`{"reqsh": {"params": [{"value": "1"}]}}`, `a param with no name`},
		"timeout":       {`{"reqsh": {"options": {"timeout": "soon"}}}`, `invalid timeout "soon"`},
		"max_time":      {`{"reqsh": {"options": {"max_time": "-1s"}}}`, `invalid max_time "-1s"`},
		"redirects":     {`{"reqsh": {"options": {"max_redirects": -1}}}`, `invalid max_redirects -1`},
		"options type":  {`{"reqsh": {"options": {"follow": "yes"}}}`, `reqsh section: options: "follow": want bool`},
		"version":       {`{"reqsh": {"version": 99}}`, "version 99 is newer"},
		"created":       {`{"cookies": [{"name": "a", "value": "1", "domain": "example.com", "path": "/"}], "reqsh": {"cookies": [{"name": "a", "domain": "example.com", "path": "/", "created": "yesterday"}]}}`, `invalid created time "yesterday"`},
		"too large":     {`{"headers": []}` + strings.Repeat(" ", MaxSize), "too large"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Decode([]byte(tc.data), Defaults{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to say %q", err, tc.want)
			}
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Errorf("error of more than one line: %q", err)
			}
		})
	}
}

// TestCheck checks what Check takes for a session file.
func TestCheck(t *testing.T) {
	for data, ok := range map[string]bool{
		`{}`:                           true,
		`{"headers": []}`:              true,
		`{"reqsh": null}`:              true,
		`{"name": "my-package"}`:       false,
		`[]`:                           false,
		`{ corrupt`:                    false,
		"package main\n":               false,
		`{"__meta__": {}, "other": 1}`: true,
	} {
		if err := Check([]byte(data)); (err == nil) != ok {
			t.Errorf("Check(%q) = %v, want ok %v", data, err, ok)
		}
	}
}

// testClock is a settable clock for a jar.
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

// TestExpiredCookies checks that expired cookies are not encoded and not
// decoded.
func TestExpiredCookies(t *testing.T) {
	clk := &testClock{t: time.Now()}
	j := cookiejar.New(cookiejar.WithClock(clk.now))
	_ = j.Set(cookiejar.Cookie{Name: "short", Value: "1", Domain: "example.com", Expires: clk.t.Add(time.Minute)})
	_ = j.Set(cookiejar.Cookie{Name: "long", Value: "1", Domain: "example.com", Expires: clk.t.Add(time.Hour)})
	clk.advance(2 * time.Minute)
	data, err := Encode(&State{Jar: j})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(`"short"`)) || !bytes.Contains(data, []byte(`"long"`)) {
		t.Errorf("encoded file has the wrong cookies:\n%s", data)
	}

	past := time.Now().Add(-time.Hour).Unix()
	file := fmt.Sprintf(`{"cookies": [{"name": "gone", "value": "1", "domain": "example.com", "path": "/", "secure": false, "expires": %d},
		{"name": "kept", "value": "1", "domain": "example.com", "path": "/", "secure": false, "expires": null}]}`, past)
	if all := mustDecode(t, []byte(file)).Jar.All(); len(all) != 1 || all[0].Name != "kept" {
		t.Errorf("decoded %+v, want only the unexpired cookie", all)
	}
}

// TestQuotedValue: a quoted value is written as HTTPie 3.2.1 writes it
// (the quotes are part of Python's cookie value) and reads back to the
// same bytes; a file HTTPie wrote reads the same.
func TestQuotedValue(t *testing.T) {
	j := cookiejar.New()
	j.SetCookies(mustURL(t, "http://example.com/"), []*http.Cookie{{Name: "q", Value: "abc", Quoted: true}})
	data, err := Encode(&State{Jar: j})
	if err != nil {
		t.Fatal(err)
	}
	if want := `"value": "\"abc\""`; !strings.Contains(string(data), want) {
		t.Errorf("encoded file lacks %s:\n%s", want, data)
	}
	if got := sent(t, mustDecode(t, data).Jar, "http://example.com/"); got != `q="abc"` {
		t.Errorf("decoded jar sends %q, want %q", got, `q="abc"`)
	}
	httpie := `{"cookies": [{"domain": "127.0.0.1", "expires": null, "name": "q", "path": "/", "secure": false, "value": "\"abc\""}], "headers": []}`
	if all := mustDecode(t, []byte(httpie)).Jar.All(); len(all) != 1 || all[0].Value != `"abc"` {
		t.Errorf("HTTPie's file decodes as %+v, want the value \"abc\" with its quotes", all)
	}
}

// TestSplitRawAuth checks raw_auth splitting against HTTPie's rules.
func TestSplitRawAuth(t *testing.T) {
	for raw, want := range map[string][2]string{
		"user:pass":      {"user", "pass"},
		"user:pa:ss":     {"user", "pa:ss"},
		`us\:er:pass`:    {"us:er", "pass"},
		"user":           {"user", ""},
		"user:":          {"user", ""},
		`a\b:c`:          {`a\b`, "c"},
		":only-password": {"", "only-password"},
	} {
		if u, p := splitRawAuth(raw); u != want[0] || p != want[1] {
			t.Errorf("splitRawAuth(%q) = %q, %q, want %q, %q", raw, u, p, want[0], want[1])
		}
	}
}

// TestOAuth2Token: the OAuth2 token a State holds is written under
// "reqsh" (nowhere in HTTPie's keys) and read back, expiry included; a
// file without one has none; a bad expiry is an error.
func TestOAuth2Token(t *testing.T) {
	st := fullState(t)
	st.Auth = &Auth{Type: "oauth2", User: "app", Password: "s3cret", TokenURL: "https://auth.example/token"}
	st.OAuth2Token = &OAuth2Token{TokenURL: "https://auth.example/token", ClientID: "app", Access: "acc-1", Refresh: "ref-1",
		Expiry: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	data, err := Encode(st)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatal(err)
	}
	var reqsh struct {
		OAuth2 map[string]string `json:"oauth2"`
	}
	json.Unmarshal(top["reqsh"], &reqsh)
	want := map[string]string{"token_url": "https://auth.example/token", "client_id": "app", "access_token": "acc-1", "refresh_token": "ref-1", "expiry": "2030-01-02T03:04:05Z"}
	if !reflect.DeepEqual(reqsh.OAuth2, want) {
		t.Errorf("reqsh.oauth2 = %v, want %v", reqsh.OAuth2, want)
	}
	if bytes.Contains(top["auth"], []byte("acc-1")) {
		t.Errorf("the token is in HTTPie's auth: %s", top["auth"])
	}
	got, err := Decode(data, Defaults{})
	if err != nil {
		t.Fatal(err)
	}
	if got.OAuth2Token == nil || *got.OAuth2Token != *st.OAuth2Token {
		t.Errorf("token = %+v, want %+v", got.OAuth2Token, st.OAuth2Token)
	}

	st.OAuth2Token = nil
	if data, err = Encode(st); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(`"oauth2": {`)) {
		t.Errorf("no token, yet an oauth2 object:\n%s", data)
	}
	if got, err := Decode(data, Defaults{}); err != nil || got.OAuth2Token != nil {
		t.Errorf("no token: decoded %+v, %v", got.OAuth2Token, err)
	}
	_, err = Decode([]byte(`{"reqsh": {"oauth2": {"access_token": "a", "expiry": "tomorrow"}}}`), Defaults{})
	if err == nil || err.Error() != `reqsh section: oauth2: invalid expiry "tomorrow": want an RFC 3339 time` {
		t.Errorf("bad expiry: %v", err)
	}
}
