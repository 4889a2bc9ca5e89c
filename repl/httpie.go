package repl

import (
	"fmt"
	"net/http"

	"github.com/reqsh/reqsh/internal/format"
	"github.com/reqsh/reqsh/session"
)

// offline prints the request as it would be sent (--offline) and sends
// nothing: the request headers and body by default, or the request
// parts --print chose. The last response stays as it was.
func (sh *shell) offline(ra *requestArgs) error {
	sent, err := sh.sess.Prepare(&ra.req)
	if err != nil {
		return err
	}
	parts := format.Parts{ReqHeaders: true, ReqBody: true}
	if ra.partsGiven {
		parts = format.Parts{ReqHeaders: ra.parts.ReqHeaders, ReqBody: ra.parts.ReqBody}
	}
	return sh.printer.Exchange(&session.Response{Request: sent}, parts)
}

// printHops prints the redirect hops before the final exchange (--all),
// each as --print selects (but for the metadata, which the final
// exchange has), each followed by a blank line. A hop's body was not
// kept: its part of the output is empty.
func (sh *shell) printHops(resp *session.Response, ra *requestArgs) error {
	if !ra.all {
		return nil
	}
	parts := ra.parts
	parts.Meta, parts.RespBody = false, false
	for _, hop := range resp.History {
		if !parts.ReqHeaders && !parts.RespHeaders && !(parts.ReqBody && len(hop.Request.Body) > 0) {
			continue // nothing of it to print
		}
		if err := sh.printer.Exchange(hop, parts); err != nil {
			return err
		}
		if _, err := sh.printed().Write([]byte("\n")); err != nil {
			return err
		}
	}
	return nil
}

// statusError is a response that --check-status refuses: a redirect not
// followed (3xx), a client error (4xx) or a server error (5xx).
type statusError struct {
	Code   int    // 404
	Reason string // as the server sent it
}

// Error names the status: "HTTP 404 Not Found (--check-status)".
func (e *statusError) Error() string {
	reason := e.Reason
	if reason == "" {
		reason = http.StatusText(e.Code)
	}
	return fmt.Sprintf("HTTP %d %s (--check-status)", e.Code, reason)
}

// statusCheck returns a *statusError for a 3xx, 4xx or 5xx response when
// --check-status was given, nil otherwise. A followed redirect is not
// the final response, so a final 3xx is one not followed.
func (ra *requestArgs) statusCheck(resp *session.Response) error {
	if !ra.checkStatus || resp == nil || resp.StatusCode < 300 {
		return nil
	}
	return &statusError{Code: resp.StatusCode, Reason: resp.Reason}
}
