package session

import (
	"sync/atomic"
	"time"
)

// idleConnLimit is how long a pooled connection may stay unused and still
// be sent on: after a longer pause the session's idle connections are
// closed and the next request opens a new one.
const idleConnLimit = 90 * time.Second

// idleWatch closes a session's pooled connections after a pause longer
// than its limit. net/http's IdleConnTimeout would do it with a timer per
// connection, reset on every request: a pending timer makes the Go
// scheduler wake its monitor thread after every network wait, which
// costs a run of many requests about 2% of its CPU. A clock read at the
// start and end of each exchange does the same job.
type idleWatch struct {
	limit time.Duration // 0: no limit (a transport given by the caller keeps its own)
	last  atomic.Int64  // monotonic nanoseconds (see clock) of the last exchange's end; 0 none yet
}

// clockStart anchors clock.
var clockStart = time.Now()

// clock returns monotonic nanoseconds since the process started.
func clock() int64 { return int64(time.Since(clockStart)) + 1 }

// stale reports whether the pause since the last exchange ended is over
// the limit, so the idle connections should be closed before sending.
func (w *idleWatch) stale() bool {
	if w.limit <= 0 {
		return false
	}
	last := w.last.Load()
	return last != 0 && clock()-last > int64(w.limit)
}

// used records the end of an exchange.
func (w *idleWatch) used() {
	if w.limit > 0 {
		w.last.Store(clock())
	}
}
