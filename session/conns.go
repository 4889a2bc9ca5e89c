package session

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
)

// connCounter counts the connections a session's transport has open and
// the bytes written on them.
type connCounter struct {
	n       atomic.Int64
	opened  atomic.Int64
	written atomic.Int64
	// dials counts the dials begun; hooks keeps the exchanges' trace
	// hooks (see connWatch.done).
	dials atomic.Int64
	hooks sync.Pool

	// live holds the open connections and abort ends dials in progress,
	// for Session.Abort; both are touched per connection, never per
	// request.
	mu      sync.Mutex
	live    map[*countedConn]struct{}
	abort   chan struct{}
	aborted bool
}

type dialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// wrap returns a dial function that counts the connections dial opens
// until they are closed.
func (c *connCounter) wrap(dial dialFunc) dialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c.dials.Add(1)
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		stop := c.onAbort(cancel)
		conn, err := dial(ctx, network, addr)
		stop()
		if err != nil {
			if c.isAborted() {
				return nil, ErrAborted
			}
			return nil, err
		}
		c.n.Add(1)
		c.opened.Add(1)
		cc := &countedConn{Conn: conn, c: c}
		if sc, ok := conn.(syscall.Conn); ok {
			if raw, err := sc.SyscallConn(); err == nil {
				cc.peek = newPeeker(raw)
			}
		}
		if !c.track(cc) {
			conn.Close()
			return nil, ErrAborted
		}
		return cc, nil
	}
}

// onAbort arranges for cancel to run when the session is aborted, until
// the returned stop is called.
func (c *connCounter) onAbort(cancel func()) (stop func()) {
	c.mu.Lock()
	if c.abort == nil {
		c.abort = make(chan struct{})
	}
	ch, aborted := c.abort, c.aborted
	c.mu.Unlock()
	if aborted {
		cancel()
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		select {
		case <-ch:
			cancel()
		case <-done:
		}
	}()
	return func() { close(done) }
}

// isAborted reports whether Abort was called.
func (c *connCounter) isAborted() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.aborted
}

// track records an open connection; false when the session was aborted.
func (c *connCounter) track(cc *countedConn) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.aborted {
		return false
	}
	if c.live == nil {
		c.live = map[*countedConn]struct{}{}
	}
	c.live[cc] = struct{}{}
	return true
}

// abortAll closes every open connection and ends every dial in progress,
// now and later.
func (c *connCounter) abortAll() {
	c.mu.Lock()
	if c.aborted {
		c.mu.Unlock()
		return
	}
	c.aborted = true
	if c.abort == nil {
		c.abort = make(chan struct{})
	}
	close(c.abort)
	live := c.live
	c.live = nil
	c.mu.Unlock()
	for cc := range live {
		cc.Conn.Close()
	}
}

func (c *connCounter) open() int { return int(c.n.Load()) }

// countedConn is a connection of the session's transport. It counts
// itself closed once, and it does not write a new request on a connection
// the server has already closed.
//
// Why: the transport learns that a pooled connection was closed by the
// server only when its read loop goroutine runs and reads the EOF. The
// shell runs on one thread (GOMAXPROCS=1), so that goroutine often has
// not run yet when the next request takes the connection from the pool;
// the request is written to a dead socket and, unless the transport may
// replay it (GET, HEAD, ...), fails with EOF although the server never
// saw it. So the first write after a response asks the kernel, without
// blocking and without consuming anything, whether the peer has closed
// (as urllib3 does for requests before reusing a connection). If so, the
// write fails with nothing written: the transport knows then that the
// request never left and sends it on a new connection, whatever its
// method. A FIN that arrives after this check is not seen: that request
// is lost with the connection as with any client. An idempotent request
// skips the check (see resendable).
type countedConn struct {
	net.Conn
	c    *connCounter
	peek *peeker // nil when the connection has no socket to look at
	once sync.Once
	// answered is set by a read that brought bytes and cleared by a
	// write: a write that finds it set starts a new request on a
	// connection that has already carried a response.
	answered atomic.Bool
	// resendable is set when the connection is given to a request that
	// the session sends again by itself should the server have closed
	// the connection under it (an idempotent one, see
	// exchange.roundTrip), and cleared by the next write. Such a
	// request's write needs no peek: written to a dead socket, it is
	// sent again on a new connection all the same, and a GET or a PUT
	// in a row skips a system call each.
	resendable atomic.Bool
}

// errPeerClosed is the error of a write refused because the server had
// already closed the connection.
var errPeerClosed = errors.New("server closed the connection")

func (cc *countedConn) Read(p []byte) (int, error) {
	n, err := cc.Conn.Read(p)
	if n > 0 {
		cc.answered.Store(true)
	}
	return n, err
}

func (cc *countedConn) Write(p []byte) (int, error) {
	if cc.answered.Swap(false) && !cc.resendable.Swap(false) && cc.peek.peerClosed() {
		return 0, &net.OpError{Op: "write", Net: "tcp", Source: cc.LocalAddr(), Addr: cc.RemoteAddr(), Err: errPeerClosed}
	}
	n, err := cc.Conn.Write(p)
	cc.c.written.Add(int64(n))
	return n, err
}

func (cc *countedConn) Close() error {
	cc.once.Do(func() {
		cc.c.n.Add(-1)
		cc.c.mu.Lock()
		delete(cc.c.live, cc)
		cc.c.mu.Unlock()
	})
	return cc.Conn.Close()
}
