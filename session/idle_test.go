package session

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// TestIdleConnectionsClosedAfterAPause: requests close together share one
// connection; after a pause longer than the session's idle limit the next
// request goes on a new connection, and the old one is closed, as the
// server sees. The limit is set short here (it is idleConnLimit in use).
func TestIdleConnectionsClosedAfterAPause(t *testing.T) {
	var mu sync.Mutex
	opened, closed := 0, 0
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	}))
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		mu.Lock()
		defer mu.Unlock()
		switch st {
		case http.StateNew:
			opened++
		case http.StateClosed:
			closed++
		}
	}
	srv.Start()
	defer srv.Close()
	counts := func() (int, int) {
		mu.Lock()
		defer mu.Unlock()
		return opened, closed
	}

	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if s.idle.limit != idleConnLimit || s.transport.IdleConnTimeout != 0 {
		t.Fatalf("idle limit %v, transport IdleConnTimeout %v: want %v and none", s.idle.limit, s.transport.IdleConnTimeout, idleConnLimit)
	}
	s.idle.limit = 50 * time.Millisecond
	get := func() {
		t.Helper()
		resp, err := s.Get(context.Background(), srv.URL)
		if err != nil || string(resp.Body) != "ok" {
			t.Fatalf("get: %v %v", resp, err)
		}
	}
	for range 3 {
		get()
	}
	if o, _ := counts(); o != 1 {
		t.Fatalf("three requests in a row opened %d connections, want 1", o)
	}
	time.Sleep(4 * s.idle.limit)
	get()
	if o, _ := counts(); o != 2 {
		t.Fatalf("a request after a pause over the limit: %d connections opened, want 2", o)
	}
	// The server sees the old connection closed (its close is reported
	// as it reads the FIN).
	deadline := time.Now().Add(5 * time.Second)
	for _, c := counts(); c < 1; _, c = counts() {
		if time.Now().After(deadline) {
			t.Fatal("the connection idle over the limit was not closed")
		}
		time.Sleep(5 * time.Millisecond)
	}

	// A transport given by the caller keeps its own idle rules.
	custom, err := New(WithTransport(&http.Transport{}))
	if err != nil {
		t.Fatal(err)
	}
	if custom.idle.limit != 0 {
		t.Fatalf("with the caller's transport the session still watches idle connections (limit %v)", custom.idle.limit)
	}
}
