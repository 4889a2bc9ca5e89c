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
