package export

import (
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/reqsh/reqsh/session"
	"github.com/reqsh/reqsh/session/cookiejar"
)

// requestsDefaults are the headers a requests.Session sends by itself;
// one reqsh did not send is removed for the request (a None value).
var requestsDefaults = []string{"Accept", "Accept-Encoding", "Connection", "User-Agent"}

// Python returns a Python program that sends req with requests as the
// session sent it: the method, the final URL, every header as sent
// (cookies and auth included) and the body, redirects not followed, TLS
// verification as the session's options say. It prints the response's
// status and body.
func Python(req *session.SentRequest, opts session.Options) (string, error) {
	if err := check(req); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("import requests\n\n")
	b.WriteString("response = requests.request(\n")
	fmt.Fprintf(&b, "    %s,\n    %s,\n", PyString(req.Method), PyText(req.URL.String()))
	b.WriteString("    headers={\n")
	h := sentHeaders(req)
	for _, name := range slices.Sorted(maps.Keys(h)) {
		fmt.Fprintf(&b, "        %s: %s,\n", PyString(name), PyString(strings.Join(h[name], ", ")))
	}
	for _, name := range requestsDefaults {
		if _, ok := h[name]; !ok {
			fmt.Fprintf(&b, "        %s: None,\n", PyString(name))
		}
	}
	b.WriteString("    },\n")
	if req.Body != nil {
		fmt.Fprintf(&b, "    data=%s,\n", PyBytes(req.Body))
	}
	b.WriteString("    allow_redirects=False,\n")
	writeTransport(&b, "    ", req.URL, opts)
	b.WriteString(")\n")
	b.WriteString("print(response.status_code, response.reason)\nprint(response.text)\n")
	return b.String(), nil
}

// writeTransport writes the verify= and proxies= arguments the
// session's options ask for.
func writeTransport(b *strings.Builder, indent string, u *url.URL, opts session.Options) {
	if u != nil && u.Scheme != "https" {
		// verify only matters for https.
	} else {
		switch opts.Verify {
		case "", "on":
		case "off":
			fmt.Fprintf(b, "%sverify=False,\n", indent)
		default:
			fmt.Fprintf(b, "%sverify=%s,\n", indent, PyText(opts.Verify))
		}
	}
	if opts.Proxy != "" {
		fmt.Fprintf(b, "%sproxies={'http': %s, 'https': %s},\n", indent, PyText(opts.Proxy), PyText(opts.Proxy))
	}
}

// SessionState is what a requests.Session program starts with: the
// session's headers as reqsh sends them (its defaults included), params,
// auth, and the cookies no logged response set (set by hand or loaded).
type SessionState struct {
	Headers http.Header // every header the session sends by default
	Params  []session.Param
	Auth    *session.Auth
	Cookies []cookiejar.Cookie
	Options session.Options
}

// PythonSession returns one Python program that replays reqs, in order,
// on one requests.Session: headers, params and auth set on the session,
// cookies in its jar, then each request with only what differs from the
// session (a header it added or left out, its own query). Cookies the
// server set arrive in the jar as they did in reqsh.
func PythonSession(st SessionState, reqs []*session.SentRequest) (string, error) {
	for _, r := range reqs {
		if err := check(r); err != nil {
			return "", err
		}
	}
	var b strings.Builder
	b.WriteString("import requests\n")
	if st.Auth != nil && st.Auth.Scheme == session.Digest {
		b.WriteString("from requests.auth import HTTPDigestAuth\n")
	}
	b.WriteString("\ns = requests.Session()\ns.headers.clear()\n")
	base := http.Header{}
	for _, name := range slices.Sorted(maps.Keys(st.Headers)) {
		v := strings.Join(st.Headers[name], ", ")
		base.Set(name, v)
		fmt.Fprintf(&b, "s.headers[%s] = %s\n", PyString(name), PyString(v))
	}
	authHeader := ""
	switch {
	case st.Auth == nil:
	case st.Auth.Scheme == session.Basic:
		fmt.Fprintf(&b, "s.auth = (%s, %s)\n", PyText(st.Auth.User), PyText(st.Auth.Password))
		authHeader = "Basic " + base64.StdEncoding.EncodeToString([]byte(st.Auth.User+":"+st.Auth.Password))
	case st.Auth.Scheme == session.Digest:
		fmt.Fprintf(&b, "s.auth = HTTPDigestAuth(%s, %s)\n", PyText(st.Auth.User), PyText(st.Auth.Password))
	case st.Auth.Scheme == session.Bearer:
		authHeader = "Bearer " + st.Auth.Token
		base.Set("Authorization", authHeader)
		fmt.Fprintf(&b, "s.headers['Authorization'] = %s\n", PyString(authHeader))
	}
	if len(st.Params) > 0 {
		b.WriteString("s.params = [\n")
		for _, p := range st.Params {
			fmt.Fprintf(&b, "    (%s, %s),\n", PyText(p.Name), PyText(p.Value))
		}
		b.WriteString("]\n")
	}
	for _, c := range st.Cookies {
		fmt.Fprintf(&b, "s.cookies.set(%s, %s, domain=%s, path=%s)\n",
			PyString(c.Name), PyString(c.Value), PyText(c.Domain), PyText(c.Path))
	}
	writeSessionTransport(&b, st.Options)
	for i, r := range reqs {
		fmt.Fprintf(&b, "\n# %d\n", i+1)
		writeSessionRequest(&b, r, base, st, authHeader)
	}
	return b.String(), nil
}

// writeSessionTransport sets verify and proxies on the session.
func writeSessionTransport(b *strings.Builder, opts session.Options) {
	var args strings.Builder
	writeTransport(&args, "", nil, opts)
	for _, line := range strings.Split(strings.TrimSpace(args.String()), "\n") {
		if line == "" {
			continue
		}
		b.WriteString("s." + strings.Replace(strings.TrimSuffix(line, ","), "=", " = ", 1) + "\n")
	}
}

// writeSessionRequest writes one request of a session program: what it
// sent that the session would not send by itself.
func writeSessionRequest(b *strings.Builder, r *session.SentRequest, base http.Header, st SessionState, authHeader string) {
	u := *r.URL
	params := ""
	if q := encodeParams(st.Params); q != "" {
		switch {
		case u.RawQuery == q:
			u.RawQuery = ""
		case strings.HasSuffix(u.RawQuery, "&"+q):
			u.RawQuery = strings.TrimSuffix(u.RawQuery, "&"+q)
		default:
			// The session's params were others then: this request's
			// query is sent as it was, without them.
			var names []string
			for _, p := range st.Params {
				if !slices.Contains(names, p.Name) {
					names = append(names, p.Name)
				}
			}
			var parts []string
			for _, n := range names {
				parts = append(parts, PyText(n)+": None")
			}
			params = "{" + strings.Join(parts, ", ") + "}"
		}
	}
	fmt.Fprintf(b, "response = s.request(%s, %s,\n", PyString(r.Method), PyText(u.String()))
	if params != "" {
		fmt.Fprintf(b, "    params=%s,\n", params)
	}
	h := sentHeaders(r)
	h.Del("Cookie") // the jar's, as in reqsh
	noAuth := false
	if st.Auth != nil && st.Auth.Scheme != session.Digest {
		if got := h.Get("Authorization"); got == authHeader {
			h.Del("Authorization")
		} else if st.Auth.Scheme == session.Basic {
			noAuth = true // the request's own, or none
		}
	}
	if st.Auth != nil && st.Auth.Scheme == session.Digest {
		h.Del("Authorization")
	}
	var lines []string
	names := slices.Sorted(maps.Keys(h))
	for _, name := range names {
		v := strings.Join(h[name], ", ")
		if base.Get(name) == v && len(base[name]) > 0 {
			continue
		}
		lines = append(lines, fmt.Sprintf("        %s: %s,\n", PyString(name), PyString(v)))
	}
	for _, name := range slices.Sorted(maps.Keys(base)) {
		if _, ok := h[name]; !ok && !(name == "Authorization" && authHeader != "") {
			lines = append(lines, fmt.Sprintf("        %s: None,\n", PyString(name)))
		}
	}
	if len(lines) > 0 {
		b.WriteString("    headers={\n" + strings.Join(lines, "") + "    },\n")
	}
	if noAuth {
		b.WriteString("    auth=lambda r: r,\n")
	}
	if r.Body != nil {
		fmt.Fprintf(b, "    data=%s,\n", PyBytes(r.Body))
	}
	b.WriteString("    allow_redirects=False)\n")
	b.WriteString("print(response.status_code, response.reason)\n")
}

// encodeParams encodes params as a query string, as reqsh and requests
// both do.
func encodeParams(ps []session.Param) string {
	var parts []string
	for _, p := range ps {
		parts = append(parts, url.QueryEscape(p.Name)+"="+url.QueryEscape(p.Value))
	}
	return strings.Join(parts, "&")
}
