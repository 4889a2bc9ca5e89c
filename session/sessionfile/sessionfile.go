// Package sessionfile reads and writes session files: HTTPie's session
// JSON, plus reqsh's own state under the key "reqsh". It is a codec on
// plain values and on the cookie jar's public API; the session package
// turns its State into a session and back.
//
// A session file is HTTPie's session JSON (HTTPie 3.2's layout: "headers"
// and "cookies" as lists, "auth" with "type" and "raw_auth"), so HTTPie
// reads a file reqsh wrote and reqsh reads a file HTTPie wrote. What
// HTTPie has no place for lives under the top-level key "reqsh", which
// HTTPie keeps as it is when it rewrites the file: the params, the base
// URL, the options and the cookie attributes HTTPie does not store
// (host-only, HttpOnly, SameSite, creation time).
//
// Cookie domains follow Python's cookiejar, which HTTPie uses: a domain
// cookie is written with a leading dot (".example.com"), a host-only
// cookie without ("example.com"), and the host-only cookie of a host with
// no dot in its name gets ".local" appended ("localhost.local"), the only
// form Python sends back to that host.
package sessionfile

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"

	"github.com/reqsh/reqsh/session/cookiejar"
)

// MaxSize is the largest session file Decode reads: far more than any
// session needs, and a bound on what a file someone hands over costs.
const MaxSize = 32 << 20

// Auth types a file names.
const (
	Basic  = "basic"
	Digest = "digest"
	Bearer = "bearer"
)

// State is what a session file holds.
type State struct {
	// Headers are the session headers.
	Headers http.Header
	// Params are the session query parameters, in order.
	Params []Param
	// Auth is the session's credentials; nil means none.
	Auth *Auth
	// Base is the base URL; nil means none.
	Base *url.URL
	// Options are the session's options; nil in a decoded State means
	// the file has none (HTTPie's files have none).
	Options *Options
	// Jar holds the cookies. Encode writes its unexpired cookies;
	// Decode returns a new jar with the file's cookies.
	Jar *cookiejar.Jar
	// Spec is where the API description the shell uses comes from: a
	// file path or a URL; "" means none. It is written as it is.
	Spec string
	// OAuth2Token is the token last fetched for OAuth2 auth; nil means
	// none.
	OAuth2Token *OAuth2Token
}

// OAuth2Token is an OAuth2 access token a file keeps under "reqsh", so
// that a session loaded while it is valid sends it without asking the
// token endpoint. TokenURL and ClientID name the credentials it was
// fetched with: a token is used only with those.
type OAuth2Token struct {
	TokenURL, ClientID string
	Access, Refresh    string
	// Expiry is when the access token expires; zero when the server
	// did not say.
	Expiry time.Time
}

// Param is one session query parameter.
type Param struct {
	Name, Value string
}

// Auth is a set of credentials as a file holds them.
type Auth struct {
	// Type is the auth scheme, lowercase: Basic, Digest, Bearer, or
	// another name a file holds (Decode takes any; the caller checks).
	Type string
	// User and Password are those of basic and digest auth.
	User, Password string
	// Token is a bearer token.
	Token string
	// TokenURL and Scope are OAuth2's token endpoint and scopes (with
	// User and Password the client's ID and secret).
	TokenURL, Scope string
}

// Options are the session options a reqsh file holds.
type Options struct {
	// Timeout and MaxTime are the session's limits; 0 means none.
	Timeout, MaxTime time.Duration
	// Follow makes the session follow redirects, at most MaxRedirects.
	Follow       bool
	MaxRedirects int
	// Verify is "on", "off" or the path of a CA bundle.
	Verify string
	// Proxy is a proxy URL; "" means the environment's.
	Proxy string
	// Retries is how often a failed request is sent again; 0 never.
	Retries int
	// NoNetrc turns the use of ~/.netrc off (on in files that do not say).
	NoNetrc bool
	// Cert and CertKey are the client certificate's PEM files; "" none.
	Cert, CertKey string
}

// Defaults are what Decode takes where a file is silent.
type Defaults struct {
	// Base is the base URL of a file that has none. It also binds the
	// cookies of a file that gives them no domain (HTTPie 2's files).
	Base *url.URL
	// Options give the options a reqsh file leaves out.
	Options Options
	// ParseURL parses the base URL a file holds; nil means url.Parse.
	ParseURL func(string) (*url.URL, error)
}

// fileVersion is the version of the "reqsh" section's layout.
const fileVersion = 1

// fileMeta is the "__meta__" object HTTPie writes; "httpie" names the
// layout (3.2's: lists of headers and cookies), not the program.
var fileMeta = map[string]string{
	"about":  "HTTPie session file",
	"help":   "https://httpie.io/docs#sessions",
	"httpie": "3.2.4",
}

// fileKeys are the top-level keys of a session file.
var fileKeys = []string{"__meta__", "auth", "cookies", "headers", "reqsh"}

// fileJSON is a session file as written. Fields are in the order HTTPie
// writes them (sorted by key).
type fileJSON struct {
	Meta    map[string]string `json:"__meta__"`
	Auth    map[string]any    `json:"auth"`
	Cookies []fileCookie      `json:"cookies"`
	Headers []fileHeader      `json:"headers"`
	Reqsh   *reqshJSON        `json:"reqsh"`
}

// fileIn is a session file as read: cookies and headers may be HTTPie 3's
// lists or HTTPie 2's objects.
type fileIn struct {
	Auth    *authJSON       `json:"auth"`
	Cookies json.RawMessage `json:"cookies"`
	Headers json.RawMessage `json:"headers"`
	Reqsh   json.RawMessage `json:"reqsh"`
}

// fileHeader is one entry of HTTPie's "headers" list.
type fileHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// fileCookie is one entry of HTTPie's "cookies" list: the attributes
// HTTPie keeps. Extra keys are not allowed there (HTTPie passes every key
// to requests' create_cookie, which fails on unknown ones).
type fileCookie struct {
	Domain *string `json:"domain"`
	// Expires is a Unix time in seconds; null for a session cookie.
	Expires *float64 `json:"expires"`
	Name    string   `json:"name"`
	Path    *string  `json:"path"`
	Secure  bool     `json:"secure"`
	Value   string   `json:"value"`
}

// authJSON is HTTPie's "auth" object: {"type", "raw_auth"} since HTTPie
// 3, {"type", "username", "password"} before.
type authJSON struct {
	Type     *string `json:"type"`
	RawAuth  *string `json:"raw_auth"`
	Username *string `json:"username"`
	Password *string `json:"password"`
	// TokenURL and Scope are reqsh's, for OAuth2 client credentials.
	TokenURL string `json:"token_url"`
	Scope    string `json:"scope"`
}

// reqshJSON is the "reqsh" section.
type reqshJSON struct {
	Version int          `json:"version"`
	Base    string       `json:"base,omitempty"`
	Params  []fileHeader `json:"params"`
	Options *optionsJSON `json:"options,omitempty"`
	Cookies []cookieJSON `json:"cookies,omitempty"`
	// Spec is State.Spec: the API description's path or URL.
	Spec   string      `json:"spec,omitempty"`
	OAuth2 *oauth2JSON `json:"oauth2,omitempty"`
}

// oauth2JSON is an OAuth2Token in the "reqsh" section.
type oauth2JSON struct {
	TokenURL     string `json:"token_url"`
	ClientID     string `json:"client_id"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	// Expiry is an RFC 3339 time; "" when the server gave none.
	Expiry string `json:"expiry,omitempty"`
}

// optionsJSON is the session's Options in the "reqsh" section.
type optionsJSON struct {
	// Timeout is a Go duration ("30s"); "" or "0s" means none.
	Timeout string `json:"timeout"`
	// MaxTime is a Go duration too, for Options.MaxTime.
	MaxTime      string `json:"max_time,omitempty"`
	Follow       bool   `json:"follow"`
	MaxRedirects int    `json:"max_redirects"`
	Verify       string `json:"verify"`
	Proxy        string `json:"proxy"`
	Retries      int    `json:"retries,omitempty"`
	// Netrc is written only when false; absent, the session's setting
	// stays, as for every option a file leaves out.
	Netrc *bool `json:"netrc,omitempty"`
	// Cert and CertKey are paths, as the user gave them.
	Cert    string `json:"cert,omitempty"`
	CertKey string `json:"cert_key,omitempty"`
}

// cookieJSON holds the attributes of one cookie that HTTPie's list has no
// place for. Name, Domain and Path are those of its entry in the list
// (Domain as written there); JarDomain is the domain in the jar.
type cookieJSON struct {
	Name      string `json:"name"`
	Domain    string `json:"domain"`
	Path      string `json:"path"`
	JarDomain string `json:"jar_domain"`
	HostOnly  bool   `json:"host_only"`
	HttpOnly  bool   `json:"http_only"`
	SameSite  string `json:"same_site,omitempty"`
	// Created is an RFC 3339 time with nanoseconds.
	Created string `json:"created,omitempty"`
}

// cookieKey identifies an entry of HTTPie's cookie list.
type cookieKey struct{ domain, path, name string }

// Encode writes st as a session file: its headers, cookies (unexpired
// ones only) and auth in HTTPie's layout, and its params, base URL and
// options under "reqsh". Secrets are written as they are.
func Encode(st *State) ([]byte, error) {
	f := fileJSON{
		Meta:    fileMeta,
		Auth:    authOut(st.Auth),
		Cookies: []fileCookie{},
		Headers: []fileHeader{},
		Reqsh: &reqshJSON{
			Version: fileVersion,
			Params:  []fileHeader{},
		},
	}
	if st.Options != nil {
		f.Reqsh.Options = optionsOut(*st.Options)
	}
	if st.Base != nil {
		f.Reqsh.Base = st.Base.String()
	}
	f.Reqsh.Spec = st.Spec
	f.Reqsh.OAuth2 = oauth2Out(st.OAuth2Token)
	for _, name := range slices.Sorted(maps.Keys(st.Headers)) {
		for _, v := range st.Headers[name] {
			f.Headers = append(f.Headers, fileHeader{Name: name, Value: v})
		}
	}
	for _, p := range st.Params {
		f.Reqsh.Params = append(f.Reqsh.Params, fileHeader(p))
	}
	if st.Jar != nil {
		for _, c := range st.Jar.All() {
			fc, extra := cookieOut(c)
			f.Cookies = append(f.Cookies, fc)
			f.Reqsh.Cookies = append(f.Reqsh.Cookies, extra)
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "    ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// authOut is the "auth" object for a: HTTPie's empty one for none.
func authOut(a *Auth) map[string]any {
	if a == nil {
		return map[string]any{"type": nil, "username": nil, "password": nil}
	}
	raw := a.Token
	if a.Type != Bearer {
		// HTTPie splits raw_auth at the first ':' not escaped by '\'.
		raw = strings.ReplaceAll(a.User, ":", `\:`) + ":" + a.Password
	}
	out := map[string]any{"type": a.Type, "raw_auth": raw}
	if a.TokenURL != "" {
		out["token_url"] = a.TokenURL
		if a.Scope != "" {
			out["scope"] = a.Scope
		}
	}
	return out
}

// oauth2Out is the "oauth2" object for t, nil for none.
func oauth2Out(t *OAuth2Token) *oauth2JSON {
	if t == nil || t.Access == "" {
		return nil
	}
	out := &oauth2JSON{TokenURL: t.TokenURL, ClientID: t.ClientID, AccessToken: t.Access, RefreshToken: t.Refresh}
	if !t.Expiry.IsZero() {
		out.Expiry = t.Expiry.UTC().Format(time.RFC3339)
	}
	return out
}

// oauth2In reads the "oauth2" object.
func oauth2In(o *oauth2JSON) (*OAuth2Token, error) {
	if o == nil || o.AccessToken == "" {
		return nil, nil
	}
	t := &OAuth2Token{TokenURL: o.TokenURL, ClientID: o.ClientID, Access: o.AccessToken, Refresh: o.RefreshToken}
	if o.Expiry != "" {
		exp, err := time.Parse(time.RFC3339, o.Expiry)
		if err != nil {
			return nil, fmt.Errorf("oauth2: invalid expiry %q: want an RFC 3339 time", o.Expiry)
		}
		t.Expiry = exp
	}
	return t, nil
}

// optionsOut is the "options" object for o.
func optionsOut(o Options) *optionsJSON {
	out := &optionsJSON{
		Follow:       o.Follow,
		MaxRedirects: o.MaxRedirects,
		Verify:       o.Verify,
		Proxy:        o.Proxy,
		Retries:      o.Retries,
		Cert:         o.Cert,
		CertKey:      o.CertKey,
	}
	if o.NoNetrc {
		// Written only when off, so files of the defaults stay as they were.
		out.Netrc = new(bool)
	}
	if o.Timeout > 0 {
		out.Timeout = o.Timeout.String()
	}
	if o.MaxTime > 0 {
		out.MaxTime = o.MaxTime.String()
	}
	return out
}

// cookieOut splits c into its entry in HTTPie's list and its reqsh-only
// attributes.
func cookieOut(c cookiejar.Cookie) (fileCookie, cookieJSON) {
	domain := c.Domain
	switch {
	case !c.HostOnly:
		domain = "." + domain
	case !strings.ContainsAny(domain, ".:"):
		// Python's "effective request host" of a dotless host (a name:
		// an IP address has dots or colons).
		domain += ".local"
	}
	path := c.Path
	fc := fileCookie{Domain: &domain, Name: c.Name, Path: &path, Secure: c.Secure, Value: c.Value}
	if !c.Expires.IsZero() {
		exp := float64(c.Expires.Unix())
		fc.Expires = &exp
	}
	extra := cookieJSON{
		Name: c.Name, Domain: domain, Path: c.Path, JarDomain: c.Domain,
		HostOnly: c.HostOnly, HttpOnly: c.HttpOnly, SameSite: c.SameSite,
	}
	if !c.Created.IsZero() {
		extra.Created = c.Created.UTC().Format(time.RFC3339Nano)
	}
	return fc, extra
}

// Decode reads a session file. The base URL and the options are the
// file's, or d's where the file has none; options the file leaves out
// are d's too. HTTPie 2's layout (headers and cookies as objects, auth
// with username and password) is read too. Expired cookies are dropped;
// a cookie with no domain (HTTPie 2 wrote none) is bound to the host of
// the base URL. Any error is one line that says what is wrong and
// where.
func Decode(data []byte, d Defaults) (*State, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("too large: over %d MiB", MaxSize>>20)
	}
	if d.ParseURL == nil {
		d.ParseURL = url.Parse
	}
	return decodeFile(data, d)
}

// Check reports whether data looks like a session file: a JSON object,
// empty or with at least one of the keys a session file has. Saving
// over a file that fails it would destroy something else.
func Check(data []byte) error { return checkFileJSON(data) }

// decodeFile reads a session file into a State, checking everything.
func decodeFile(data []byte, d Defaults) (*State, error) {
	if err := checkFileJSON(data); err != nil {
		return nil, err
	}
	var f fileIn
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, jsonError(data, err)
	}
	st := &State{Headers: http.Header{}, Base: d.Base, Jar: cookiejar.New()}
	var extras map[cookieKey]cookieJSON
	if len(f.Reqsh) > 0 && string(f.Reqsh) != "null" {
		var err error
		if extras, err = decodeReqsh(st, f.Reqsh, d); err != nil {
			return nil, err
		}
	}
	if err := decodeHeaders(st, f.Headers); err != nil {
		return nil, err
	}
	st.Auth = decodeAuth(f.Auth)
	if err := decodeCookies(st, f.Cookies, extras); err != nil {
		return nil, err
	}
	return st, nil
}

// checkFileJSON makes sure data is a JSON object that looks like a session
// file: empty, or with at least one of the keys a session file has.
func checkFileJSON(data []byte) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return jsonError(data, err)
	}
	if top == nil {
		return errors.New("not a session file: want a JSON object")
	}
	if len(top) == 0 {
		return nil
	}
	for _, k := range fileKeys {
		if _, ok := top[k]; ok {
			return nil
		}
	}
	return fmt.Errorf("not a session file: none of the keys %s", strings.Join(fileKeys, ", "))
}

// jsonError describes a JSON decoding error with its line and column.
func jsonError(data []byte, err error) error {
	var off int64
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		off = typ.Offset
		if typ.Field != "" {
			err = fmt.Errorf("%q: want %s, got %s", typ.Field, typ.Type, typ.Value)
		}
	default:
		return fmt.Errorf("invalid JSON: %w", err)
	}
	off = min(max(off, 0), int64(len(data)))
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := int(off) - bytes.LastIndexByte(data[:off], '\n')
	return fmt.Errorf("invalid JSON at line %d, column %d: %w", line, col, err)
}

// decodeReqsh reads the "reqsh" section into st: params, base URL,
// options (missing ones take d's values); it returns the cookies' extra
// attributes.
func decodeReqsh(st *State, raw json.RawMessage, d Defaults) (map[cookieKey]cookieJSON, error) {
	var r struct {
		reqshJSON
		Options json.RawMessage `json:"options"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("reqsh section: %w", unwrapJSON(err))
	}
	if r.Version > fileVersion {
		return nil, fmt.Errorf("reqsh section: version %d is newer than this reqsh reads (%d)", r.Version, fileVersion)
	}
	if r.Base != "" {
		u, err := d.ParseURL(r.Base)
		if err != nil {
			return nil, fmt.Errorf("reqsh section: base: %w", err)
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("reqsh section: base %q: want an http or https URL with a host", r.Base)
		}
		st.Base = u
	}
	for _, p := range r.Params {
		if p.Name == "" {
			return nil, errors.New("reqsh section: a param with no name")
		}
		st.Params = append(st.Params, Param(p))
	}
	if len(r.Options) > 0 && string(r.Options) != "null" {
		o := optionsOut(d.Options)
		if err := json.Unmarshal(r.Options, o); err != nil {
			return nil, fmt.Errorf("reqsh section: options: %w", unwrapJSON(err))
		}
		opts, err := o.options()
		if err != nil {
			return nil, fmt.Errorf("reqsh section: options: %w", err)
		}
		st.Options = &opts
	}
	st.Spec = r.Spec
	tok, err := oauth2In(r.OAuth2)
	if err != nil {
		return nil, fmt.Errorf("reqsh section: %w", err)
	}
	st.OAuth2Token = tok
	extras := make(map[cookieKey]cookieJSON, len(r.Cookies))
	for _, c := range r.Cookies {
		extras[cookieKey{c.Domain, c.Path, c.Name}] = c
	}
	return extras, nil
}

// unwrapJSON shortens a type error to the field and the types.
func unwrapJSON(err error) error {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) && typ.Field != "" {
		return fmt.Errorf("%q: want %s, got %s", typ.Field, typ.Type, typ.Value)
	}
	return err
}

// options checks the options read from a file.
func (o *optionsJSON) options() (Options, error) {
	out := Options{Follow: o.Follow, MaxRedirects: o.MaxRedirects, Verify: o.Verify, Proxy: o.Proxy,
		Retries: o.Retries, NoNetrc: o.Netrc != nil && !*o.Netrc, Cert: o.Cert, CertKey: o.CertKey}
	for _, d := range []struct {
		name, value string
		to          *time.Duration
	}{{"timeout", o.Timeout, &out.Timeout}, {"max_time", o.MaxTime, &out.MaxTime}} {
		if d.value == "" {
			continue
		}
		v, err := time.ParseDuration(d.value)
		if err != nil || v < 0 {
			return out, fmt.Errorf("invalid %s %q: want a duration such as 30s", d.name, d.value)
		}
		*d.to = v
	}
	if o.MaxRedirects < 0 {
		return out, fmt.Errorf("invalid max_redirects %d: want 0 or more", o.MaxRedirects)
	}
	if o.Retries < 0 {
		return out, fmt.Errorf("invalid retries %d: want 0 or more", o.Retries)
	}
	if out.Verify == "" {
		out.Verify = "on"
	}
	return out, nil
}

// decodeHeaders reads "headers": HTTPie 3's list of {name, value} or
// HTTPie 2's object of name: value.
func decodeHeaders(st *State, raw json.RawMessage) error {
	list, err := decodeListOrObject("headers", raw, func(name, value string) fileHeader {
		return fileHeader{Name: name, Value: value}
	})
	if err != nil {
		return err
	}
	for _, h := range list {
		if !httpguts.ValidHeaderFieldName(h.Name) {
			return fmt.Errorf("headers: invalid header name %q", h.Name)
		}
		if !httpguts.ValidHeaderFieldValue(h.Value) {
			return fmt.Errorf("headers: invalid value for %q", h.Name)
		}
		st.Headers.Add(h.Name, h.Value)
	}
	return nil
}

// decodeListOrObject decodes what HTTPie 3 writes as a list of T and
// HTTPie 2 wrote as an object of name: V; entry makes a T of one member,
// taken in name order. Nothing or null is an empty list.
func decodeListOrObject[T, V any](what string, raw json.RawMessage, entry func(string, V) T) ([]T, error) {
	switch jsonKind(raw) {
	case 0:
		return nil, nil
	case '[':
		var list []T
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, fmt.Errorf("%s: %w", what, unwrapJSON(err))
		}
		return list, nil
	case '{':
		var m map[string]V
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", what, unwrapJSON(err))
		}
		list := make([]T, 0, len(m))
		for _, name := range slices.Sorted(maps.Keys(m)) {
			list = append(list, entry(name, m[name]))
		}
		return list, nil
	}
	return nil, fmt.Errorf("%s: want a list or an object", what)
}

// jsonKind returns the first byte of a JSON value ('[', '{', '"', ...), or
// 0 for none or null.
func jsonKind(raw json.RawMessage) byte {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0
	}
	return raw[0]
}

// decodeAuth reads "auth": HTTPie 3's raw_auth ("user:pass", or the token
// for bearer) or HTTPie 2's username and password. The type is
// lowercased and not checked.
func decodeAuth(a *authJSON) *Auth {
	if a == nil || a.Type == nil || *a.Type == "" {
		return nil
	}
	out := &Auth{Type: strings.ToLower(*a.Type), TokenURL: a.TokenURL, Scope: a.Scope}
	switch {
	case a.RawAuth != nil && out.Type == Bearer:
		out.Token = *a.RawAuth
	case a.RawAuth != nil:
		out.User, out.Password = splitRawAuth(*a.RawAuth)
	default:
		if a.Username != nil {
			out.User = *a.Username
		}
		if a.Password != nil {
			out.Password = *a.Password
		}
		if out.Type == Bearer {
			out.Token, out.User, out.Password = cmp.Or(out.Password, out.User), "", ""
		}
	}
	return out
}

// splitRawAuth splits HTTPie's raw_auth as HTTPie does: at the first ':'
// not escaped by a backslash; "\:" on either side is a ':'.
func splitRawAuth(raw string) (user, pass string) {
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case '\\':
			i++
		case ':':
			return unescapeColon(raw[:i]), unescapeColon(raw[i+1:])
		}
	}
	return unescapeColon(raw), ""
}

// unescapeColon turns "\:" into ":".
func unescapeColon(s string) string { return strings.ReplaceAll(s, `\:`, ":") }

// decodeCookies reads "cookies" (HTTPie 3's list, or HTTPie 2's object
// keyed by name) into st.Jar, with the extra attributes of the reqsh
// section where an entry has them.
func decodeCookies(st *State, raw json.RawMessage, extras map[cookieKey]cookieJSON) error {
	list, err := decodeListOrObject("cookies", raw, func(name string, c fileCookie) fileCookie {
		c.Name = name
		return c
	})
	if err != nil {
		return err
	}
	for _, fc := range list {
		c, err := cookieIn(fc, extras, st.Base)
		if err != nil {
			return fmt.Errorf("cookies: %w", err)
		}
		if err := st.Jar.Set(c); err != nil {
			return fmt.Errorf("cookies: %w", err)
		}
	}
	return nil
}

// cookieIn turns an entry of HTTPie's list into a Cookie; a cookie with
// no domain is bound to base's host.
func cookieIn(fc fileCookie, extras map[cookieKey]cookieJSON, base *url.URL) (cookiejar.Cookie, error) {
	c := cookiejar.Cookie{Name: fc.Name, Value: fc.Value, Path: "/", Secure: fc.Secure, HostOnly: true}
	if fc.Path != nil && *fc.Path != "" {
		c.Path = *fc.Path
	}
	if fc.Expires != nil {
		// Clamped, so that the conversion to int64 is defined.
		sec := min(max(*fc.Expires, -float64(1<<40)), float64(1<<40))
		c.Expires = time.Unix(int64(sec), 0)
	}
	written := ""
	if fc.Domain != nil {
		written = *fc.Domain
	}
	if x, ok := extras[cookieKey{written, c.Path, c.Name}]; ok {
		c.Domain, c.HostOnly, c.HttpOnly, c.SameSite = x.JarDomain, x.HostOnly, x.HttpOnly, x.SameSite
		if x.Created != "" {
			t, err := time.Parse(time.RFC3339Nano, x.Created)
			if err != nil {
				return c, fmt.Errorf("cookie %q: invalid created time %q", c.Name, x.Created)
			}
			c.Created = t
		}
		if c.Domain != "" {
			return c, nil
		}
	}
	switch {
	case strings.HasPrefix(written, "."):
		c.Domain, c.HostOnly = written[1:], false
	case strings.EqualFold(written, "localhost.local"):
		// Python's name for localhost, which HTTPie writes.
		c.Domain = "localhost"
	case written != "":
		c.Domain = written
	case base != nil:
		// No domain (HTTPie 2): bind it to the session's host, as
		// "httpie cli sessions upgrade --bind-cookies" does.
		c.Domain = base.Hostname()
	default:
		return c, fmt.Errorf("cookie %q has no domain and there is no base URL to bind it to", c.Name)
	}
	return c, nil
}
