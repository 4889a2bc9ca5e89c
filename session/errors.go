package session

import (
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// Kind says what went wrong in an exchange, whatever words net/http
// used for it.
type Kind uint8

// The kinds of Error.
const (
	// KindOther is a failure that fits no other kind, such as a request
	// the transport refused to write.
	KindOther Kind = iota
	// KindConnect: no connection could be made (refused, unreachable,
	// the proxy would not connect).
	KindConnect
	// KindDNS: the host name did not resolve.
	KindDNS
	// KindTLS: the TLS handshake failed, a certificate did not verify or
	// the peer does not speak TLS.
	KindTLS
	// KindTimeout: the timeout ran out waiting for a connection, for
	// response headers or between two reads of the body (Error.Limit),
	// or the caller's context deadline passed (Limit 0).
	KindTimeout
	// KindMaxTime: the whole exchange took longer than its max-time
	// (Error.Limit).
	KindMaxTime
	// KindCanceled: the caller's context was canceled (Is ErrCanceled).
	KindCanceled
	// KindAborted: the session was aborted (Is ErrAborted).
	KindAborted
	// KindConnClosed: the server closed a pooled connection under the
	// request before any byte of a response.
	KindConnClosed
	// KindResponse: the response could not be read: malformed, headers
	// too large, the connection reset.
	KindResponse
	// KindBody: the body broke off before its end.
	KindBody
	// KindDecode: the body's Content-Encoding (gzip, deflate) did not
	// decode.
	KindDecode
	// KindRedirect: a redirect to a URL that is invalid or not http(s).
	KindRedirect
	// KindRedirectLoop: more redirects than max-redirects.
	KindRedirectLoop
)

var kindNames = [...]string{
	KindOther: "other", KindConnect: "connect", KindDNS: "dns", KindTLS: "tls",
	KindTimeout: "timeout", KindMaxTime: "max-time", KindCanceled: "canceled",
	KindAborted: "aborted", KindConnClosed: "connection closed",
	KindResponse: "response", KindBody: "body", KindDecode: "decode",
	KindRedirect: "redirect", KindRedirectLoop: "redirect loop",
}

// String names the kind: "connect", "timeout", "redirect loop".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Error is how a request sent through a session fails once it is on its
// way: its Kind says what happened, Err the details. Its message names
// the method and the URL asked for (password masked) and what went
// wrong, as `get "http://x/y": dial tcp ...: connection refused`; a
// canceled request says only "request canceled".
type Error struct {
	Kind   Kind
	Method string // the method asked for, upper case
	URL    string // the URL asked for, before redirects, password masked
	// Connecting says no connection had been made for the hop that
	// failed (dialing, the proxy, the TLS handshake).
	Connecting bool
	// Limit is the timeout or max-time that ran out.
	Limit time.Duration
	// Err is what went wrong, worded for the message; it wraps what
	// net/http returned, for errors.As.
	Err error
}

// Error returns the one-line message.
func (e *Error) Error() string {
	if e.Kind == KindCanceled {
		return ErrCanceled.Error()
	}
	return fmt.Sprintf("%s %q: %v", strings.ToLower(e.Method), e.URL, e.Err)
}

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// Is matches ErrCanceled for KindCanceled, ErrAborted for KindAborted
// and context.DeadlineExceeded for KindTimeout and KindMaxTime.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrCanceled:
		return e.Kind == KindCanceled
	case ErrAborted:
		return e.Kind == KindAborted
	case context.DeadlineExceeded:
		return e.Kind == KindTimeout || e.Kind == KindMaxTime
	}
	return false
}

// Timeout reports whether a limit ran out, as net.Error's Timeout does.
func (e *Error) Timeout() bool { return e.Kind == KindTimeout || e.Kind == KindMaxTime }

// ErrCanceled is returned when the caller's context is canceled during a
// request (Ctrl-C at the shell).
var ErrCanceled = errors.New("request canceled")

// ErrAborted is the error of a request on a session after Abort.
var ErrAborted = errors.New("session aborted")

// errTimedOut is the cause of a context canceled by a request's timeout,
// errMaxTime by its max-time.
var (
	errTimedOut = errors.New("timed out")
	errMaxTime  = errors.New("max-time exceeded")
)

// worded is an error with its own message that still wraps the error
// it stands for.
type worded struct {
	msg string
	err error
}

func (w *worded) Error() string { return w.msg }
func (w *worded) Unwrap() error { return w.err }

// failure returns an *Error of kind k from a step of the exchange; the
// exchange fills in the method and URL (see explain).
func failure(k Kind, err error) *Error { return &Error{Kind: k, Err: err} }

// bodyError is a failure to read the body: KindDecode when the decoder
// found the data bad, KindOther when Request.Output failed, KindBody
// otherwise.
func bodyError(err error) *Error {
	k := KindBody
	var corrupt flate.CorruptInputError
	var output *outputError
	if errors.As(err, &output) {
		k = KindOther
	} else if errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) ||
		errors.Is(err, zlib.ErrChecksum) || errors.Is(err, zlib.ErrHeader) ||
		errors.Is(err, zlib.ErrDictionary) || errors.As(err, &corrupt) {
		k = KindDecode
	}
	return failure(k, fmt.Errorf("read body: %w", err))
}

// explain turns what made an exchange fail into an *Error naming the
// method, the URL and what went wrong: the context's cause first (a
// timeout with its limit, max-time, cancellation), then the session's
// own failures, then what the transport returned, classified by its
// type and by the step the request had reached (see connWatch).
func (x *exchange) explain(ctx context.Context, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	e := &Error{Method: x.asked, URL: x.first.Redacted(), Connecting: x.watch.connecting(), Err: err}
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, errMaxTime):
		e.Kind, e.Limit = KindMaxTime, x.maxTime
		e.Err = &worded{fmt.Sprintf("max-time %s exceeded", x.maxTime), err}
	case errors.Is(cause, errTimedOut):
		e.Kind, e.Limit = KindTimeout, x.timeout
		what := "read"
		if e.Connecting {
			what = "connect"
		}
		e.Err = &worded{fmt.Sprintf("%s timed out after %s", what, x.timeout), err}
	case errors.Is(cause, context.Canceled), errors.Is(ctx.Err(), context.Canceled):
		e.Kind, e.Err = KindCanceled, ErrCanceled
	case errors.Is(cause, context.DeadlineExceeded):
		e.Kind = KindTimeout
		e.Err = fmt.Errorf("deadline exceeded: %w", err)
	default:
		// The session's own failures are worded already; the
		// transport's say "response:" unless they came from making
		// the connection, as dial and TLS errors name their step.
		var own *Error
		if errors.As(err, &own) {
			e.Kind, e.Err = own.Kind, own.Err
			break
		}
		e.Kind = x.watch.classify(err)
		switch e.Kind {
		case KindOther, KindConnClosed, KindResponse:
			e.Err = fmt.Errorf("response: %w", err)
		}
	}
	if x.s.conns.isAborted() && e.Kind != KindCanceled {
		e.Kind = KindAborted
	}
	return e
}

// classify gives the kind of an error from the transport: by its type
// (DNS, TLS, x509), a server closing a pooled connection under the
// request, and otherwise by the step the request had reached.
func (w *connWatch) classify(err error) Kind {
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns):
		return KindDNS
	case isTLSError(err), w.connecting() && w.handshaking.Load():
		return KindTLS
	case w.connecting():
		return KindConnect
	case errors.Is(err, errPeerClosed), w.diedUnanswered():
		return KindConnClosed
	case !w.asked:
		// The transport refused the request before asking for a
		// connection (an invalid header, say).
		return KindOther
	}
	return KindResponse
}

// isTLSError reports an error of TLS or of certificate verification.
func isTLSError(err error) bool {
	var (
		rec      tls.RecordHeaderError
		alert    tls.AlertError
		verify   *tls.CertificateVerificationError
		ech      *tls.ECHRejectionError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		roots    x509.SystemRootsError
	)
	return errors.As(err, &rec) || errors.As(err, &alert) || errors.As(err, &verify) ||
		errors.As(err, &ech) || errors.As(err, &unknown) || errors.As(err, &hostname) ||
		errors.As(err, &invalid) || errors.As(err, &roots)
}
