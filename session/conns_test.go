package session

import (
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

// TestWriteRefusedAfterPeerClose: once the server has closed a
// connection that carried a response, the next write sends nothing and
// says so; on a live connection, or with unread data waiting, it writes.
func TestWriteRefusedAfterPeerClose(t *testing.T) {
	cases := []struct {
		name      string
		server    func(c net.Conn) // after answering "ok"
		wantWrite bool
	}{
		{"server closed", func(c net.Conn) { c.Close() }, false},
		{"server open", func(c net.Conn) {}, true},
		{"unsolicited data waiting", func(c net.Conn) { io.WriteString(c, "junk") }, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			got := make(chan []byte, 1)
			done := make(chan struct{})
			go func() {
				c, err := ln.Accept()
				if err != nil {
					close(done)
					return
				}
				defer c.Close()
				buf := make([]byte, 5)
				io.ReadFull(c, buf)
				io.WriteString(c, "ok")
				tc.server(c)
				close(done)
				rest, _ := io.ReadAll(c)
				got <- rest
			}()
			var counter connCounter
			dial := counter.wrap((&net.Dialer{}).DialContext)
			conn, err := dial(context.Background(), "tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := io.WriteString(conn, "first"); err != nil {
				t.Fatal(err)
			}
			if _, err := io.ReadFull(conn, make([]byte, 2)); err != nil {
				t.Fatal(err)
			}
			<-done // the server has closed (or not) before the next write
			if !tc.wantWrite {
				// The FIN may still be on its way through the loopback.
				cc := conn.(*countedConn)
				for i := 0; i < 500 && !cc.peek.peerClosed(); i++ {
					time.Sleep(10 * time.Millisecond)
				}
			}
			n, err := io.WriteString(conn, "again")
			if !tc.wantWrite {
				if n != 0 || !errors.Is(err, errPeerClosed) {
					t.Errorf("write on a closed connection: %d, %v; want 0 bytes and errPeerClosed", n, err)
				}
				return
			}
			if err != nil || n != 5 {
				t.Fatalf("write on a live connection: %d, %v", n, err)
			}
			conn.Close()
			if rest := <-got; string(rest) != "again" {
				t.Errorf("server received %q after the first request, want %q", rest, "again")
			}
		})
	}
}

// TestResendableWriteSkipsPeek: a connection given to a request the
// session sends again by itself (an idempotent one) writes it without
// looking first, even when the server has closed; the mark holds for
// that one write only, and the next request after a response looks
// again.
func TestResendableWriteSkipsPeek(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	closed := make(chan struct{})
	go func() {
		c, err := ln.Accept()
		if err != nil {
			close(closed)
			return
		}
		io.ReadFull(c, make([]byte, 5))
		io.WriteString(c, "ok")
		c.Close()
		close(closed)
	}()
	var counter connCounter
	conn, err := counter.wrap((&net.Dialer{}).DialContext)(context.Background(), "tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	cc := conn.(*countedConn)
	answer := func() {
		t.Helper()
		if _, err := io.ReadFull(conn, make([]byte, 2)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := io.WriteString(conn, "first"); err != nil {
		t.Fatal(err)
	}
	answer()
	<-closed
	for i := 0; i < 500 && !cc.peek.peerClosed(); i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if !cc.peek.peerClosed() {
		t.Skip("the server's close never showed on this system")
	}
	cc.resendable.Store(true)
	if n, err := io.WriteString(conn, "again"); n != 5 || err != nil {
		t.Fatalf("resendable write on a closed connection: %d, %v; want it written", n, err)
	}
	if cc.resendable.Load() {
		t.Error("the mark outlived the write it was for")
	}
	// As if a response had come: the next request looks again.
	cc.answered.Store(true)
	if n, err := io.WriteString(conn, "third"); n != 0 || !errors.Is(err, errPeerClosed) {
		t.Errorf("next write on the closed connection: %d, %v; want 0 bytes and errPeerClosed", n, err)
	}
}
