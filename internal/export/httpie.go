package export

import (
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/reqsh/reqsh/session"
)

// httpieDefaults are the headers HTTPie adds by itself; one reqsh did not
// send is turned off with an empty item (Name:).
var httpieDefaults = []string{"Accept", "Accept-Encoding", "Connection", "User-Agent"}

// HTTPie returns a POSIX sh command line that makes HTTPie (http) send
// req as the session sent it: the method, the final URL, every header
// as sent (cookies and auth included) as Name:value items, the headers
// HTTPie would add by itself and reqsh did not send turned off (Name:),
// and the body as --raw. Redirects are not followed (the URL is the
// last hop's), and --verify=no or a CA bundle follow the session's
// options. Over https the client certificate the request was sent with
// (SentRequest.Cert) is --cert and --cert-key; an encrypted key's
// passphrase is not written: HTTPie asks for it. HTTPie cannot leave out everything a client may: a request
// without Accept-Encoding goes with "Accept-Encoding: identity", one
// without User-Agent with urllib3's, and a DELETE (or other method but
// GET and HEAD) without a body with "Content-Length: 0". Each word is quoted by quote (internal/curl's Quote or
// QuoteVisible).
func HTTPie(req *session.SentRequest, opts session.Options, quote func(string) string) (string, error) {
	if err := check(req); err != nil {
		return "", err
	}
	words := []string{"http", "--ignore-stdin"}
	if req.URL.Scheme == "https" {
		switch v := opts.Verify; {
		case v.Off():
			words = append(words, "--verify=no")
		case v.CAFile() != "":
			words = append(words, "--verify="+quote(v.CAFile()))
		}
		if c := req.Cert; !c.IsZero() {
			words = append(words, "--cert="+quote(c.File))
			if c.KeyFile != "" {
				words = append(words, "--cert-key="+quote(c.KeyFile))
			}
		}
	}
	if opts.Proxy != "" {
		words = append(words, "--proxy="+quote(req.URL.Scheme+":"+opts.Proxy))
	}
	words = append(words, req.Method, quote(req.URL.String()))
	h := sentHeaders(req)
	for _, name := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[name] {
			if v == "" {
				words = append(words, quote(name+";"))
				continue
			}
			words = append(words, quote(name+":"+v))
		}
	}
	for _, name := range httpieDefaults {
		if _, ok := h[name]; !ok {
			words = append(words, quote(name+":"))
		}
	}
	if len(req.Body) > 0 || req.Body != nil && req.Method != http.MethodGet && req.Method != http.MethodHead {
		if _, ok := h["Content-Type"]; !ok {
			words = append(words, quote("Content-Type:"))
		}
		words = append(words, "--raw", quote(string(req.Body)))
	}
	return strings.Join(words, " "), nil
}
