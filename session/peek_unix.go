//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package session

import "syscall"

// peeker looks at a socket without reading from it. One lives with each
// connection so that a look costs no allocation.
type peeker struct {
	raw     syscall.RawConn
	control func(fd uintptr) // p.look, bound once
	buf     [1]byte
	closed  bool
}

// newPeeker returns a peeker for raw, or nil when raw is nil.
func newPeeker(raw syscall.RawConn) *peeker {
	if raw == nil {
		return nil
	}
	p := &peeker{raw: raw}
	p.control = p.look
	return p
}

// peerClosed reports whether the peer has closed the connection (a FIN
// or a reset is waiting) while nothing else is waiting to be read. It
// does not block and consumes nothing: a peek of one byte. Pending data
// is not a close (HTTP/2 frames, a TLS record), nor is an error other
// than a reset. Only one goroutine may call it at a time (the writer).
func (p *peeker) peerClosed() bool {
	if p == nil {
		return false
	}
	p.closed = false
	return p.raw.Control(p.control) == nil && p.closed
}

// look is the peek itself, run on the socket's descriptor.
func (p *peeker) look(fd uintptr) {
	n, errno := peekByte(fd, &p.buf)
	p.closed = (n == 0 && errno == 0) || errno == syscall.ECONNRESET
}
