package session

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// TooManyRedirectsError is returned when a request would follow more
// redirects than the session allows.
type TooManyRedirectsError struct {
	Max  int    // the session's max-redirects
	Last string // the URL the last redirect pointed to
}

// Error names the limit and the last URL.
func (e *TooManyRedirectsError) Error() string {
	return fmt.Sprintf("too many redirects (more than %d), last to %q", e.Max, e.Last)
}

// TimeoutError is returned when a request takes longer than its timeout.
type TimeoutError struct {
	Limit   time.Duration // the timeout that ran out
	Connect bool          // no connection had been made when time ran out
	Whole   bool          // the limit was the max-time of the whole exchange
}

// Error says which wait timed out and after how long.
func (e *TimeoutError) Error() string {
	if e.Whole {
		return fmt.Sprintf("max-time %s exceeded", e.Limit)
	}
	if e.Connect {
		return fmt.Sprintf("connect timed out after %s", e.Limit)
	}
	return fmt.Sprintf("read timed out after %s", e.Limit)
}

// Timeout reports true, so a TimeoutError satisfies net.Error's test.
func (e *TimeoutError) Timeout() bool { return true }

// ErrCanceled is returned when the caller's context is canceled during a
// request (Ctrl-C at the shell).
var ErrCanceled = errors.New("request canceled")

// explain turns a transport error into one clear error naming the method,
// the URL and what went wrong: a timeout with its limit, a failure to
// connect, or a failure after connecting.
func (x *exchange) explain(ctx context.Context, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	connecting := isConnectError(err)
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, errMaxTime):
		err = &TimeoutError{Limit: x.maxTime, Whole: true}
	case errors.Is(cause, errTimedOut):
		err = &TimeoutError{Limit: x.timeout, Connect: connecting}
	case errors.Is(cause, context.Canceled), errors.Is(ctx.Err(), context.Canceled):
		return ErrCanceled
	case errors.Is(cause, context.DeadlineExceeded):
		err = fmt.Errorf("deadline exceeded: %w", err)
	default:
		// A dial error says "dial tcp ...: connect: ..." itself.
		if !connecting && !isRequestError(err) {
			err = fmt.Errorf("response: %w", err)
		}
	}
	return fmt.Errorf("%s %q: %w", strings.ToLower(x.asked), x.first.Redacted(), err)
}

// isConnectError reports whether err came from making the connection:
// dialing (DNS, TCP, a proxy) or the TLS handshake.
func isConnectError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var rec tls.RecordHeaderError
	var cert *tls.CertificateVerificationError
	msg := err.Error()
	return errors.As(err, &rec) || errors.As(err, &cert) ||
		strings.Contains(msg, "TLS handshake") || strings.Contains(msg, "proxyconnect")
}

// isRequestError reports errors that already say which step failed.
func isRequestError(err error) bool {
	var tm *TooManyRedirectsError
	var cc *ConnClosedError
	msg := err.Error()
	return errors.As(err, &tm) || errors.As(err, &cc) || strings.HasPrefix(msg, "read body") ||
		strings.HasPrefix(msg, "decode ") || strings.HasPrefix(msg, "redirect")
}

// errTimedOut is the cause of a context canceled by a request's timeout,
// errMaxTime by its max-time.
var (
	errTimedOut = errors.New("timed out")
	errMaxTime  = errors.New("max-time exceeded")
)

// ErrAborted is the error of a request on a session after Abort.
var ErrAborted = errors.New("session aborted")
