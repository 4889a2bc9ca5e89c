package session

import (
	"context"
	"errors"
	"github.com/mccutchen/go-httpbin/v2/httpbin"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestSendStreamsTheBody checks that Send returns at the headers, before
// the body is complete, and that the body then arrives piece by piece.
func TestSendStreamsTheBody(t *testing.T) {
	t.Parallel()
	next := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i := range 3 {
			io.WriteString(w, "data: "+string(rune('a'+i))+"\n\n")
			w.(http.Flusher).Flush()
			<-next
		}
	}))
	defer srv.Close()
	s := mustNew(t)
	resp, err := s.Send(context.Background(), &Request{Method: "GET", URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Stream.Close()
	if resp.Body != nil || resp.StatusCode != 200 || resp.ContentType() != "text/event-stream" {
		t.Fatalf("got %d %q body %q", resp.StatusCode, resp.ContentType(), resp.Body)
	}
	buf := make([]byte, 64)
	for i := range 3 {
		n, err := resp.Stream.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		if want := "data: " + string(rune('a'+i)) + "\n\n"; string(buf[:n]) != want {
			t.Fatalf("chunk %d = %q, want %q (sent before the next was allowed)", i, buf[:n], want)
		}
		next <- struct{}{}
	}
	if rest, err := io.ReadAll(resp.Stream); err != nil || len(rest) != 0 {
		t.Fatalf("rest %q %v", rest, err)
	}
	if resp.BodySize != int64(3*len("data: a\n\n")) {
		t.Errorf("BodySize = %d", resp.BodySize)
	}
}

// TestSendConnections: a stream read to its end gives its connection back;
// one closed early drops it.
func TestSendConnections(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, strings.Repeat("x", 1<<20))
	}))
	defer srv.Close()
	s := mustNew(t)
	for range 3 {
		resp, err := s.Send(context.Background(), &Request{Method: "GET", URL: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Stream)
		resp.Stream.Close()
	}
	if got := s.conns.opened.Load(); got != 1 {
		t.Errorf("3 streams read to the end opened %d connections, want 1", got)
	}
	resp, err := s.Send(context.Background(), &Request{Method: "GET", URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	resp.Stream.Read(make([]byte, 10))
	resp.Stream.Close()
	if got := s.OpenConns(); got != 0 {
		t.Errorf("a stream closed early left %d connections open, want 0 (dropped)", got)
	}
}

// stallingServer answers every request with "first" and then nothing
// until the test ends.
func stallingServer(t *testing.T) *httptest.Server {
	t.Helper()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "first")
		w.(http.Flusher).Flush()
		<-release
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	return srv
}

// TestSendTimeoutBetweenReads: the timeout bounds each wait for more of
// the body, and the error names it.
func TestSendTimeoutBetweenReads(t *testing.T) {
	t.Parallel()
	srv := stallingServer(t)
	s := mustNew(t)
	resp, err := s.Send(context.Background(), &Request{Method: "GET", URL: srv.URL, Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Stream.Close()
	_, err = io.ReadAll(resp.Stream)
	var te *Error
	if !errors.As(err, &te) || te.Kind != KindTimeout || te.Limit != 100*time.Millisecond {
		t.Fatalf("got %v, want a read timeout of 100ms", err)
	}
}

// TestSendCanceled: canceling the context during the body is ErrCanceled.
func TestSendCanceled(t *testing.T) {
	t.Parallel()
	srv := stallingServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	resp, err := mustNew(t).Send(ctx, &Request{Method: "GET", URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Stream.Close()
	buf := make([]byte, 10)
	resp.Stream.Read(buf)
	cancel()
	if _, err := io.ReadAll(resp.Stream); !errors.Is(err, ErrCanceled) {
		t.Fatalf("got %v, want ErrCanceled", err)
	}
}

// TestSendDecodesAndHead: a gzip body arrives decoded; HEAD has none.
func TestSendDecodesAndHead(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(httpbin.New())
	defer srv.Close()
	s := mustNew(t)
	resp, err := s.Send(context.Background(), &Request{Method: "GET", URL: srv.URL + "/gzip"})
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Stream)
	resp.Stream.Close()
	if err != nil || !strings.Contains(string(body), `"gzipped": true`) {
		t.Fatalf("got %q %v", body, err)
	}
	resp, err = s.Send(context.Background(), &Request{Method: "HEAD", URL: srv.URL + "/gzip"})
	if err != nil {
		t.Fatal(err)
	}
	body, err = io.ReadAll(resp.Stream)
	resp.Stream.Close()
	if err != nil || len(body) != 0 {
		t.Fatalf("HEAD body %q %v", body, err)
	}
}

// TestAbort: Abort ends a request blocked on a server that stopped
// sending, and the session sends nothing afterwards.
func TestAbort(t *testing.T) {
	t.Parallel()
	srv := stallingServer(t)
	s := mustNew(t)
	done := make(chan error, 1)
	go func() {
		_, err := s.Do(context.Background(), &Request{Method: "GET", URL: srv.URL})
		done <- err
	}()
	// Wait until the request is on a connection, then abort.
	for s.OpenConns() == 0 {
		time.Sleep(time.Millisecond)
	}
	s.Abort()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("the blocked request succeeded after Abort")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Abort did not end the blocked request")
	}
	if _, err := s.Do(context.Background(), &Request{Method: "GET", URL: srv.URL}); !errors.Is(err, ErrAborted) {
		t.Fatalf("a request after Abort: %v, want ErrAborted", err)
	}
}

// TestClosedStreamLetsGo: a response outlives its stream (the shell
// keeps the last ones), so a closed stream holds none of the
// transport's readers, whether it was read to its end or not; reading
// it then is an error and closing it again is not.
func TestClosedStreamLetsGo(t *testing.T) {
	srv := httptest.NewServer(httpbin.New())
	defer srv.Close()
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, readAll := range []bool{true, false} {
		resp, err := s.Send(context.Background(), &Request{Method: "GET", URL: srv.URL + "/gzip"})
		if err != nil {
			t.Fatal(err)
		}
		if readAll {
			if _, err := io.ReadAll(resp.Stream); err != nil {
				t.Fatal(err)
			}
		}
		if err := resp.Stream.Close(); err != nil && readAll {
			t.Fatal(err)
		}
		b := resp.Stream.(*bodyStream)
		if b.r != nil || b.body != nil || b.closeDecoder != nil || b.ctx != nil {
			t.Errorf("read to its end %v: the closed stream still holds the transport's body or its decoder", readAll)
		}
		if _, err := resp.Stream.Read(make([]byte, 1)); err == nil {
			t.Error("read after close: no error")
		}
		if err := resp.Stream.Close(); err != nil {
			t.Errorf("second close: %v", err)
		}
	}
}
