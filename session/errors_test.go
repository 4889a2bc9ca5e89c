package session_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/reqsh/reqsh/session"
)

// rawServer accepts connections on loopback and hands each to serve.
func rawServer(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				serve(c)
			}()
		}
	}()
	return ln.Addr().String()
}

// hangUp reads what the client sends and never answers, until the
// client goes or the test ends.
func hangUp(done <-chan struct{}) func(net.Conn) {
	return func(c net.Conn) {
		go func() { <-done; c.Close() }()
		io.Copy(io.Discard, c)
	}
}

// errorServer answers the paths of TestErrorKinds.
func errorServer(t *testing.T) *httptest.Server {
	t.Helper()
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/stall":
			w.Write([]byte("x"))
			w.(http.Flusher).Flush()
			select {
			case <-stop:
			case <-r.Context().Done():
			}
		case "/short":
			w.Header().Set("Content-Length", "10")
			w.Write([]byte("abc"))
		case "/not-gzip":
			w.Header().Set("Content-Encoding", "gzip")
			w.Write([]byte("not gzip at all"))
		case "/bad-checksum":
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write([]byte("hello, world"))
			zw.Close()
			body := b.Bytes()
			body[len(body)-8] ^= 0xff // the CRC-32 in the trailer
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(body)
		case "/to-ftp":
			w.Header().Set("Location", "ftp://example.com/")
			w.WriteHeader(http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		default:
			w.Write([]byte("ok"))
		}
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	t.Cleanup(func() { close(stop); srv.Close() })
	return srv
}

// failWriter fails every write, as a full disk does.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// check is what an error case must give.
type check struct {
	kind       session.Kind
	connecting bool
	limit      time.Duration
	as         func(error) bool // what errors.As must still find, if set
}

// errorCase is one way an exchange fails: the request, its session's
// options and context, and the error it must give.
type errorCase struct {
	opts []session.Option
	req  session.Request
	ctx  func() (context.Context, context.CancelFunc)
	want check
}

// errorCases are the ways an exchange fails, against servers that live
// as long as the test.
func errorCases(t *testing.T) map[string]errorCase {
	srv := errorServer(t)
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	silent := rawServer(t, hangUp(done))
	garbage := rawServer(t, func(c net.Conn) {
		c.Read(make([]byte, 4096))
		io.WriteString(c, "this is not HTTP\r\n\r\n")
	})
	// A TLS server that reads the ClientHello and hangs up.
	hangsUpInHandshake := rawServer(t, func(c net.Conn) { c.Read(make([]byte, 4096)) })
	selfSigned := httptest.NewUnstartedServer(http.NotFoundHandler())
	selfSigned.Config.ErrorLog = log.New(io.Discard, "", 0)
	selfSigned.StartTLS()
	t.Cleanup(selfSigned.Close)

	dnsFails := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(addr)
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}}

	return map[string]errorCase{
		"connection refused": {req: session.Request{URL: "http://127.0.0.1:1/x"},
			want: check{kind: session.KindConnect, connecting: true, as: func(err error) bool { var op *net.OpError; return errors.As(err, &op) }}},
		"host not found": {opts: []session.Option{session.WithTransport(dnsFails)}, req: session.Request{URL: "http://nowhere.invalid/x"},
			want: check{kind: session.KindDNS, connecting: true, as: func(err error) bool { var d *net.DNSError; return errors.As(err, &d) }}},
		"self-signed certificate": {req: session.Request{URL: selfSigned.URL + "/x"},
			want: check{kind: session.KindTLS, connecting: true, as: func(err error) bool { var v *tls.CertificateVerificationError; return errors.As(err, &v) }}},
		"TLS to a plain HTTP server": {req: session.Request{URL: strings.Replace(srv.URL, "http:", "https:", 1) + "/x"},
			want: check{kind: session.KindTLS, connecting: true}},
		"hang-up in the TLS handshake": {req: session.Request{URL: "https://" + hangsUpInHandshake + "/x"},
			want: check{kind: session.KindTLS, connecting: true}},
		"connect timeout (TLS handshake unanswered)": {req: session.Request{URL: "https://" + silent + "/x", Timeout: 200 * time.Millisecond},
			want: check{kind: session.KindTimeout, connecting: true, limit: 200 * time.Millisecond}},
		"read timeout (no response)": {req: session.Request{URL: "http://" + silent + "/x", Timeout: 200 * time.Millisecond},
			want: check{kind: session.KindTimeout, limit: 200 * time.Millisecond}},
		"read timeout (body stalls)": {req: session.Request{URL: srv.URL + "/stall", Timeout: 200 * time.Millisecond},
			want: check{kind: session.KindTimeout, limit: 200 * time.Millisecond}},
		"max-time": {req: session.Request{URL: srv.URL + "/stall", MaxTime: 200 * time.Millisecond},
			want: check{kind: session.KindMaxTime, limit: 200 * time.Millisecond}},
		"caller's deadline": {req: session.Request{URL: srv.URL + "/stall"},
			ctx: func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), 200*time.Millisecond)
			},
			want: check{kind: session.KindTimeout, as: func(err error) bool { return errors.Is(err, context.DeadlineExceeded) }}},
		"canceled": {req: session.Request{URL: srv.URL + "/stall"},
			ctx: func() (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancel(context.Background())
				time.AfterFunc(200*time.Millisecond, cancel)
				return ctx, cancel
			},
			want: check{kind: session.KindCanceled, as: func(err error) bool { return errors.Is(err, session.ErrCanceled) }}},
		"not HTTP": {req: session.Request{URL: "http://" + garbage + "/x"},
			want: check{kind: session.KindResponse}},
		"body shorter than its length": {req: session.Request{URL: srv.URL + "/short"},
			want: check{kind: session.KindBody, as: func(err error) bool { return errors.Is(err, io.ErrUnexpectedEOF) }}},
		"not gzip": {req: session.Request{URL: srv.URL + "/not-gzip"},
			want: check{kind: session.KindDecode, as: func(err error) bool { return errors.Is(err, gzip.ErrHeader) }}},
		"gzip checksum": {req: session.Request{URL: srv.URL + "/bad-checksum"},
			want: check{kind: session.KindDecode, as: func(err error) bool { return errors.Is(err, gzip.ErrChecksum) }}},
		"redirect to ftp": {req: session.Request{URL: srv.URL + "/to-ftp"},
			want: check{kind: session.KindRedirect}},
		"redirect loop": {req: session.Request{URL: srv.URL + "/loop"},
			want: check{kind: session.KindRedirectLoop}},
		"output fails": {req: session.Request{URL: srv.URL + "/x", Output: failWriter{}},
			want: check{kind: session.KindOther}},
	}
}

// TestErrorKinds: every way an exchange fails gives a *session.Error of
// its kind, classified from net/http's types and the step the request
// had reached, never from its wording; its message names the method and
// the URL; errors.As still reaches what net/http returned.
func TestErrorKinds(t *testing.T) {
	for name, c := range errorCases(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newSession(t, c.opts...)
			defer s.Close()
			checkErrorCase(t, s, c)
		})
	}
}

// TestErrorKindsInOneSession runs the error cases one after another in
// one session, each between two requests that succeed on a pooled
// connection: what an exchange learned of its connections never leaks
// into the next one's error (the session keeps the exchanges' trace
// hooks from one to the next).
func TestErrorKindsInOneSession(t *testing.T) {
	srv := errorServer(t)
	s := newSession(t)
	ok := func(when string) {
		t.Helper()
		resp, err := s.Get(context.Background(), srv.URL+"/x")
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %v %v", when, resp, err)
		}
	}
	ok("first")
	for name, c := range errorCases(t) {
		if len(c.opts) > 0 || c.req.Output != nil {
			continue // needs a session of its own
		}
		ok("before " + name)
		t.Run(name, func(t *testing.T) { checkErrorCase(t, s, c) })
		ok("after " + name)
	}
}

// checkErrorCase sends c's request through s and checks its error.
func checkErrorCase(t *testing.T, s *session.Session, c errorCase) {
	t.Helper()
	ctx, cancel := context.Background(), context.CancelFunc(func() {})
	if c.ctx != nil {
		ctx, cancel = c.ctx()
	}
	defer cancel()
	req := c.req
	_, err := s.Do(ctx, &req)
	var e *session.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want a *session.Error", err, err)
	}
	if e.Kind != c.want.kind || e.Connecting != c.want.connecting || e.Limit != c.want.limit {
		t.Errorf("kind %v, connecting %v, limit %v; want %v, %v, %v (%v)",
			e.Kind, e.Connecting, e.Limit, c.want.kind, c.want.connecting, c.want.limit, err)
	}
	if c.want.as != nil && !c.want.as(err) {
		t.Errorf("errors.As/Is does not find the cause in %v", err)
	}
	if e.Method != "GET" || e.URL != req.URL {
		t.Errorf("method %q, URL %q; want GET %q", e.Method, e.URL, req.URL)
	}
	if want := `get "` + req.URL + `": `; e.Kind != session.KindCanceled && !strings.HasPrefix(err.Error(), want) {
		t.Errorf("message %q does not start with %q", err, want)
	}
}

// TestErrorKindAborted: a request that Abort cut, and one sent after it,
// fail as KindAborted and match ErrAborted.
func TestErrorKindAborted(t *testing.T) {
	srv := errorServer(t)
	s := newSession(t)
	done := make(chan error, 1)
	go func() {
		_, err := s.Get(context.Background(), srv.URL+"/stall")
		done <- err
	}()
	for s.OpenConns() == 0 {
		time.Sleep(time.Millisecond)
	}
	s.Abort()
	for i, err := range []error{<-done, func() error { _, err := s.Get(context.Background(), srv.URL+"/x"); return err }()} {
		if kindOf(err) != session.KindAborted || !errors.Is(err, session.ErrAborted) {
			t.Errorf("request %d: err = %v, kind %v; want KindAborted", i+1, err, kindOf(err))
		}
	}
}

// TestErrorMessages keeps the words a user reads for the session's own
// limits, which the shell's transcripts show.
func TestErrorMessages(t *testing.T) {
	for _, c := range []struct {
		err  *session.Error
		want string
	}{
		{&session.Error{Kind: session.KindCanceled, Method: "GET", URL: "http://h/x", Err: session.ErrCanceled}, "request canceled"},
		{&session.Error{Kind: session.KindOther, Method: "POST", URL: "http://h/x", Err: errors.New("boom")}, `post "http://h/x": boom`},
	} {
		if got := c.err.Error(); got != c.want {
			t.Errorf("message %q, want %q", got, c.want)
		}
	}
	if got := session.KindRedirectLoop.String(); got != "redirect loop" {
		t.Errorf("KindRedirectLoop.String() = %q", got)
	}
}
