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
// verification as the session's options say, over https the client
// certificate it was sent with (SentRequest.Cert) as send's cert=. It
// prints the response's status and body.
func Python(req *session.SentRequest, opts session.Options) (string, error) {
	if err := check(req); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(pythonImports)
	b.WriteString("\ns = requests.Session()\n")
	writeSessionTransport(&b, opts)
	h := sentHeaders(req)
	var lines []string
	for _, name := range slices.Sorted(maps.Keys(h)) {
		lines = append(lines, fmt.Sprintf("        %s: %s,\n", PyString(name), PyString(strings.Join(h[name], ", "))))
	}
	for _, name := range requestsDefaults {
		if _, ok := h[name]; !ok {
			lines = append(lines, fmt.Sprintf("        %s: %s,\n", PyString(name), leaveOut(name)))
		}
	}
	cert := certArg(req, session.ClientCert{})
	if cert != "" {
		writeCertNote(&b, req.Cert)
	}
	writePrepared(&b, req, req.URL.String(), "", lines, false, cert)
	b.WriteString("print(response.text)\n")
	return b.String(), nil
}

// pythonImports start every program.
const pythonImports = `import requests
from urllib3.util import SKIP_HEADER  # leaves out a header urllib3 adds
`

// leaveOut is the Python value that leaves a default header out:
// SKIP_HEADER for those urllib3 would add itself, None for requests'.
func leaveOut(name string) string {
	if name == "User-Agent" || name == "Accept-Encoding" {
		return "SKIP_HEADER"
	}
	return "None"
}

// writePrepared writes one request on the session s: prepared, its
// Content-Length taken out when reqsh sent none and requests would add
// one, sent without following redirects.
//
// cert, when not "", is the send's cert= argument (the request's own
// client certificate).
func writePrepared(b *strings.Builder, r *session.SentRequest, target, params string, headerLines []string, noAuth bool, cert string) {
	fmt.Fprintf(b, "request = s.prepare_request(requests.Request(\n    %s,\n    %s,\n", PyString(r.Method), PyText(target))
	if params != "" {
		fmt.Fprintf(b, "    params=%s,\n", params)
	}
	if len(headerLines) > 0 {
		b.WriteString("    headers={\n" + strings.Join(headerLines, "") + "    },\n")
	}
	if noAuth {
		b.WriteString("    auth=lambda r: r,  # not the session's auth\n")
	}
	if r.Body != nil {
		fmt.Fprintf(b, "    data=%s,\n", PyBytes(r.Body))
	}
	b.WriteString("))\n")
	if _, ok := r.Header["Content-Length"]; !ok && r.Method != http.MethodGet && r.Method != http.MethodHead {
		b.WriteString("request.headers.pop('Content-Length', None)\n")
	}
	if cert != "" {
		fmt.Fprintf(b, "response = s.send(request, allow_redirects=False, cert=%s)\n", cert)
	} else {
		b.WriteString("response = s.send(request, allow_redirects=False)\n")
	}
	b.WriteString("print(response.status_code, response.reason)\n")
}

// writeTransport writes the verify= and proxies= arguments the
// session's options ask for.
func writeTransport(b *strings.Builder, indent string, u *url.URL, opts session.Options) {
	if u != nil && u.Scheme != "https" {
		// verify only matters for https.
	} else {
		switch v := opts.Verify; {
		case v.Off():
			fmt.Fprintf(b, "%sverify=False,\n", indent)
		case v.CAFile() != "":
			fmt.Fprintf(b, "%sverify=%s,\n", indent, PyText(v.CAFile()))
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
// session (a header it added or left out, its own query, its own client
// certificate over https, or None for none, as cert=). The session's
// client certificate (st.Options.Cert, its paths absolute) is s.cert.
// Cookies the server set arrive in the jar as they did in reqsh.
func PythonSession(st SessionState, reqs []*session.SentRequest) (string, error) {
	for _, r := range reqs {
		if err := check(r); err != nil {
			return "", err
		}
	}
	var b strings.Builder
	b.WriteString(pythonImports)
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
		// A dict, as requests merges only mappings; a name's values in
		// a list.
		b.WriteString("s.params = {\n")
		for _, g := range groupParams(st.Params) {
			if len(g) == 1 {
				fmt.Fprintf(&b, "    %s: %s,\n", PyText(g[0].Name), PyText(g[0].Value))
				continue
			}
			var vs []string
			for _, p := range g {
				vs = append(vs, PyText(p.Value))
			}
			fmt.Fprintf(&b, "    %s: [%s],\n", PyText(g[0].Name), strings.Join(vs, ", "))
		}
		b.WriteString("}\n")
	}
	for _, c := range st.Cookies {
		fmt.Fprintf(&b, "s.cookies.set(%s, %s, domain=%s, path=%s)\n",
			PyString(c.Name), PyString(c.Value), PyText(c.Domain), PyText(c.Path))
	}
	writeSessionTransport(&b, st.Options)
	if c := st.Options.Cert; !c.IsZero() {
		writeCertNote(&b, c)
		fmt.Fprintf(&b, "s.cert = %s\n", pyCert(c))
	}
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
			lines = append(lines, fmt.Sprintf("        %s: %s,\n", PyString(name), leaveOut(name)))
		}
	}
	cert := certArg(r, st.Options.Cert)
	if cert != "" {
		writeCertNote(b, r.Cert)
	}
	writePrepared(b, r, u.String(), params, lines, noAuth, cert)
}

// pyCert returns c as requests' cert=: 'FILE', or ('FILE', 'KEYFILE').
func pyCert(c session.ClientCert) string {
	if c.KeyFile == "" {
		return PyText(c.File)
	}
	return "(" + PyText(c.File) + ", " + PyText(c.KeyFile) + ")"
}

// certArg returns the cert= argument of r's send when r went over https
// with another client certificate than the session's (sess): its own,
// or None for none; "" when the session's serves.
func certArg(r *session.SentRequest, sess session.ClientCert) string {
	if r.URL.Scheme != "https" || r.Cert == sess {
		return ""
	}
	if r.Cert.IsZero() {
		return "None"
	}
	return pyCert(r.Cert)
}

// writeCertNote writes a comment line when c's key is encrypted:
// requests (urllib3 2) refuses one ("Client private key is encrypted,
// password is required") and has no way to be given its passphrase.
func writeCertNote(b *strings.Builder, c session.ClientCert) {
	if c.IsZero() || !c.KeyEncrypted() {
		return
	}
	key := c.KeyFile
	if key == "" {
		key = c.File
	}
	// The path as a literal: no newline in it can end the comment.
	fmt.Fprintf(b, "# The client key %s is encrypted: requests cannot use it. Decrypt it (openssl pkey -in KEY -out PLAIN.pem) and name the plain key below.\n", PyText(key))
}

// groupParams groups params by name, in the order names first appear:
// the order a Python dict of lists encodes them in.
func groupParams(ps []session.Param) [][]session.Param {
	var groups [][]session.Param
	at := map[string]int{}
	for _, p := range ps {
		i, ok := at[p.Name]
		if !ok {
			i = len(groups)
			at[p.Name] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], p)
	}
	return groups
}

// encodeParams encodes params as requests encodes the session's dict.
func encodeParams(ps []session.Param) string {
	var parts []string
	for _, g := range groupParams(ps) {
		for _, p := range g {
			parts = append(parts, url.QueryEscape(p.Name)+"="+url.QueryEscape(p.Value))
		}
	}
	return strings.Join(parts, "&")
}
