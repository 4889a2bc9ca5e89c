// Package curl writes a request reqsh sent as a curl command line that
// sends the same request: the method, the final URL, every header as
// sent and the body, each value quoted for a POSIX shell (Quote) or, for
// a command shown at a terminal, so that every character of it is
// visible (QuoteVisible). It is a pure function of the recorded request
// and the session's options: it imports nothing of the shell.
package curl

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/reqsh/reqsh/internal/format"
	"github.com/reqsh/reqsh/session"
)

// Command returns a POSIX sh command line that makes curl send req as
// the session sent it: the method, the final URL (after redirects), every
// header as sent (cookies and auth included) and the body, one option a
// line joined with " \". Each value is quoted by quote: Quote for
// the exact text, QuoteVisible for a command shown at a terminal.
//
// The rules, so that the server sees the same request:
//   - HEAD is --head; other methods than GET are -X METHOD, except POST
//     with a body (--data-binary implies it); GET with a body is -X GET;
//   - Host is left out unless it differs from the URL's host, and
//     Content-Length too (curl computes it), unless it is an empty body's 0;
//   - headers curl adds by itself (User-Agent, Accept, and Content-Type
//     for a body) are turned off with -H 'Name:' when reqsh did not send
//     them;
//   - Accept-Encoding is kept as sent, and --compressed makes curl decode
//     gzip and deflate bodies as reqsh does;
//   - the body is --data-binary (--data-raw when it starts with @, which
//     --data-binary reads as a file name); a binary body, or one with
//     control characters, is an error;
//   - --globoff when the URL has [ ] { } (curl's globbing), and the
//     session's TLS and proxy options as --insecure, --cacert, --proxy;
//   - over https, the client certificate the request was sent with
//     (SentRequest.Cert) as --cert FILE and --key KEYFILE (curl reads
//     the key from FILE without --key). An encrypted key's passphrase
//     is never written (--pass): curl asks for it at a terminal.
func Command(req *session.SentRequest, opts session.Options, quote func(string) string) (string, error) {
	if req == nil || req.URL == nil {
		return "", fmt.Errorf("no request to export")
	}
	if req.Body == nil && req.BodySize > 0 {
		return "", fmt.Errorf("the last request body (%d bytes) was not kept; not exported", req.BodySize)
	}
	if err := checkExportable(req.Body); err != nil {
		return "", err
	}
	hasBody := len(req.Body) > 0
	first := []string{"curl"}
	switch method := req.Method; {
	case method == http.MethodHead:
		first = append(first, "--head")
	case method == http.MethodGet && !hasBody, method == http.MethodPost && hasBody:
	default:
		// The method is one of the request commands' names.
		first = append(first, "-X", method)
	}
	url := req.URL.String()
	if strings.ContainsAny(url, "[]{}") {
		first = append(first, "--globoff")
	}
	first = append(first, quote(url))
	lines := []string{strings.Join(first, " ")}
	header := func(name, value string) {
		lines = append(lines, "-H "+quote(name+": "+value))
	}
	for _, name := range slices.Sorted(maps.Keys(req.Header)) {
		for _, v := range req.Header[name] {
			switch {
			case name == "Host" && v == req.URL.Host:
			case name == "Content-Length" && (hasBody || v != "0"):
			default:
				header(name, v)
			}
		}
	}
	for _, name := range []string{"User-Agent", "Accept"} {
		if _, ok := req.Header[name]; !ok {
			lines = append(lines, "-H "+quote(name+":"))
		}
	}
	if hasBody {
		if _, ok := req.Header["Content-Type"]; !ok {
			lines = append(lines, "-H "+quote("Content-Type:"))
		}
		opt := "--data-binary"
		if req.Body[0] == '@' {
			opt = "--data-raw"
		}
		lines = append(lines, opt+" "+quote(string(req.Body)))
	}
	if ae := strings.ToLower(strings.Join(req.Header.Values("Accept-Encoding"), ",")); strings.Contains(ae, "gzip") || strings.Contains(ae, "deflate") {
		lines = append(lines, "--compressed")
	}
	if req.URL.Scheme == "https" {
		switch v := opts.Verify; {
		case v.Off():
			lines = append(lines, "--insecure")
		case v.CAFile() != "":
			lines = append(lines, "--cacert "+quote(v.CAFile()))
		}
		if c := req.Cert; !c.IsZero() {
			lines = append(lines, "--cert "+quote(certArg(c.File)))
			if c.KeyFile != "" {
				lines = append(lines, "--key "+quote(c.KeyFile))
			}
		}
	}
	if opts.Proxy != "" {
		lines = append(lines, "--proxy "+quote(opts.Proxy))
	}
	return strings.Join(lines, " \\\n  "), nil
}

// certArg escapes path for curl's --cert, which reads "FILE:PASSWORD":
// a colon and a backslash in the file name are backslash-escaped.
func certArg(path string) string {
	return strings.NewReplacer(`\`, `\\`, ":", `\:`).Replace(path)
}

// checkExportable reports a body that cannot be written as shell text:
// binary (a NUL or invalid UTF-8), or with control characters that would
// garble a terminal (a carriage return is allowed before a newline, as in
// multipart bodies).
func checkExportable(body []byte) error {
	if !utf8.Valid(body) || strings.IndexByte(string(body), 0) >= 0 {
		return fmt.Errorf("the last request body is binary (%d bytes); not exported", len(body))
	}
	s := string(body)
	for i, r := range s {
		switch {
		case r == '\t' || r == '\n':
		case r == '\r' && strings.HasPrefix(s[i+1:], "\n"):
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			return fmt.Errorf("the last request body has control characters (%d bytes); not exported", len(body))
		}
	}
	return nil
}

// Quote quotes s for a POSIX shell: inside single quotes, where a
// single quote is written by closing the quotes, a backslash-escaped
// quote, and opening them again.
func Quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// QuoteVisible quotes s for a shell so that a person sees every
// character of it: as Quote does when the sanitizer leaves s as it is, else in
// ANSI-C quotes ($'...', read by bash, zsh, ksh and POSIX.1-2024 sh) with
// each character the sanitizer would escape written as the escapes of its
// bytes: \x1b for ESC, \xe2\x80\xae for U+202E (RIGHT-TO-LEFT OVERRIDE),
// \xff for a byte of invalid UTF-8; \n, \t and \r as such. Bytes, not \u:
// bash reads $'\u202e' back as that text itself in a non-UTF-8 locale. The
// shell reads the same bytes back, and no bidi control or escape sequence
// can make the pasted command differ from the one shown (Trojan Source).
func QuoteVisible(s string) string {
	if format.Sanitize(s) == s {
		return Quote(s)
	}
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\\' || r == '\'':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == utf8.RuneError && size == 1, r < 0x20, r == 0x7f,
			format.Sanitize(string(r)) != string(r):
			for _, c := range []byte(s[i : i+size]) {
				fmt.Fprintf(&b, `\x%02x`, c)
			}
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('\'')
	return b.String()
}
