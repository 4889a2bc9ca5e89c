package repl

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/reqsh/reqsh/internal/curl"
	"github.com/reqsh/reqsh/internal/export"
	"github.com/reqsh/reqsh/session"
)

// exportTargets are the formats export writes.
var exportTargets = []string{"curl", "httpie", "python"}

// exportCmd writes exchange N (default: the last) as a curl or HTTPie
// command line or a Python requests program; `export python --session`
// writes every logged request as one requests.Session program.
func (sh *shell) exportCmd(args []string) error {
	target := strings.ToLower(args[0])
	whole := false
	var rest []string
	for _, a := range args[1:] {
		if a == "--session" {
			whole = true
			continue
		}
		rest = append(rest, a)
	}
	n := 0
	switch {
	case len(rest) > 1:
		return &usageError{Usage: "export curl|httpie|python [N] [--session]", Msg: "export: too many arguments"}
	case len(rest) == 1:
		var err error
		if n, err = parseExchangeNumber(rest[0]); err != nil {
			return err
		}
	}
	if whole {
		if target != "python" || n != 0 {
			return fmt.Errorf("--session goes with export python alone (no N)")
		}
		return sh.exportSession()
	}
	e, err := sh.exchanges.get(n)
	if err != nil {
		return err
	}
	quote := curl.Quote
	if sh.outTerminal {
		// A command shown to be copied and pasted: nothing in it may
		// hide or reorder text.
		quote = curl.QuoteVisible
	}
	var text string
	opts := sh.sess.Options()
	switch target {
	case "curl":
		text, err = curl.Command(e.resp.Request, opts, quote)
	case "httpie", "http":
		text, err = export.HTTPie(e.resp.Request, opts, quote)
	case "python":
		text, err = export.Python(e.resp.Request, opts)
	default:
		return fmt.Errorf("unknown export format %q (want %s)", args[0], strings.Join(exportTargets, ", "))
	}
	if err != nil {
		if target == "curl" {
			return fmt.Errorf("curl: %w", err)
		}
		return fmt.Errorf("export %s: %w", target, err)
	}
	sh.println(strings.TrimSuffix(text, "\n"))
	return nil
}

// exportSession writes the logged requests as one requests.Session
// program.
func (sh *shell) exportSession() error {
	if sh.exchanges.len() == 0 {
		return errNoExchanges
	}
	st := export.SessionState{
		Headers: sh.sess.DefaultHeaders(),
		Params:  sh.sess.Params.All(),
		Auth:    sh.sess.Auth,
		Options: sh.sess.Options(), // its files absolute (SetOptions)
	}
	for k, v := range sh.sess.Headers {
		st.Headers[http.CanonicalHeaderKey(k)] = v
	}
	fromServer := map[string]bool{}
	var reqs []*session.SentRequest
	for e := range sh.exchanges.all() {
		reqs = append(reqs, e.resp.Request)
		for _, r := range append(append([]*session.Response(nil), e.resp.History...), e.resp) {
			for _, c := range (&http.Response{Header: r.Header}).Cookies() {
				fromServer[c.Name] = true
			}
		}
	}
	for _, c := range sh.sess.Jar.All() {
		if !fromServer[c.Name] {
			st.Cookies = append(st.Cookies, c)
		}
	}
	text, err := export.PythonSession(st, reqs)
	if err != nil {
		return fmt.Errorf("export python --session: %w", err)
	}
	sh.println(strings.TrimSuffix(text, "\n"))
	return nil
}

// curlCmd is the short form of export curl.
func (sh *shell) curlCmd(args []string) error {
	return sh.exportCmd(append([]string{"curl"}, args...))
}
