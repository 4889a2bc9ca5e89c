package session_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/reqsh/reqsh/session"
)

// TestGzipBodiesOneAfterAnother sends many gzip responses through one
// session, good ones between a body that is not gzip, one cut short and
// one streamed and closed half read: every good body decodes to what the
// server compressed, whatever came before it (the session keeps its gzip
// readers from one response to the next).
func TestGzipBodiesOneAfterAnother(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return b.Bytes()
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		n := r.URL.Query().Get("n")
		switch r.URL.Path {
		case "/good":
			w.Write(gz(strings.Repeat("body "+n+" ", 1000)))
		case "/not-gzip":
			w.Write([]byte("plain text, not gzip"))
		case "/cut":
			b := gz(strings.Repeat("cut "+n+" ", 1000))
			w.Write(b[:len(b)/2])
		}
	}))
	defer srv.Close()
	s := newSession(t)
	ctx := context.Background()
	for i := range 30 {
		want := strings.Repeat(fmt.Sprintf("body %d ", i), 1000)
		switch i % 4 {
		case 1:
			if _, err := s.Get(ctx, srv.URL+"/not-gzip"); err == nil {
				t.Fatalf("round %d: a body that is not gzip decoded", i)
			}
		case 2:
			if _, err := s.Get(ctx, fmt.Sprintf("%s/cut?n=%d", srv.URL, i)); err == nil {
				t.Fatalf("round %d: a gzip body cut short decoded", i)
			}
		case 3:
			resp, err := s.Send(ctx, &session.Request{Method: "GET", URL: fmt.Sprintf("%s/good?n=%d", srv.URL, i)})
			if err != nil {
				t.Fatal(err)
			}
			half := make([]byte, len(want)/2)
			if _, err := io.ReadFull(resp.Stream, half); err != nil {
				t.Fatalf("round %d: %v", i, err)
			}
			if string(half) != want[:len(half)] {
				t.Fatalf("round %d: streamed body starts %.40q", i, half)
			}
			resp.Stream.Close()
			if _, err := resp.Stream.Read(half); err == nil {
				t.Fatalf("round %d: a closed stream still reads", i)
			}
		}
		resp, err := s.Get(ctx, fmt.Sprintf("%s/good?n=%d", srv.URL, i))
		if err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
		if string(resp.Body) != want {
			t.Fatalf("round %d: body %.40q..., want %.40q...", i, resp.Body, want)
		}
	}
}
