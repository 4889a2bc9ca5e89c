package session

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
)

// connCounter counts the connections a session's transport has open.
type connCounter struct {
	n      atomic.Int64
	opened atomic.Int64
}

type dialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// wrap returns a dial function that counts the connections dial opens
// until they are closed.
func (c *connCounter) wrap(dial dialFunc) dialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		c.n.Add(1)
		c.opened.Add(1)
		return &countedConn{Conn: conn, c: c}, nil
	}
}

func (c *connCounter) open() int { return int(c.n.Load()) }

type countedConn struct {
	net.Conn
	c    *connCounter
	once sync.Once
}

func (cc *countedConn) Close() error {
	cc.once.Do(func() { cc.c.n.Add(-1) })
	return cc.Conn.Close()
}
