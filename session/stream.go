package session

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// bodyStream is a response body read as it arrives (Response.Stream): it
// decodes, restarts the timeout on every read, turns read errors into the
// session's errors (a timeout with its limit, ErrCanceled), and counts
// what it read.
type bodyStream struct {
	x            *exchange
	ctx          context.Context
	out          *Response
	r            io.Reader
	body         io.ReadCloser // the response's own body
	closeDecoder func()
	eof          bool
	closed       bool
}

// openStream sets out.Stream to the final response's body.
func (x *exchange) openStream(ctx context.Context, resp *http.Response, out *Response) error {
	r, closeDecoder, empty, err := x.decoded(resp)
	if err != nil {
		drain(resp.Body)
		return err
	}
	if empty {
		r = http.NoBody
	}
	x.streamed = bodyStream{x: x, ctx: ctx, out: out, r: r, body: resp.Body, closeDecoder: closeDecoder}
	out.Stream = &x.streamed
	return nil
}

// Read reads the decoded body.
func (b *bodyStream) Read(p []byte) (int, error) {
	if b.closed {
		return 0, fmt.Errorf("read body: stream closed")
	}
	n, err := b.r.Read(p)
	b.out.BodySize += int64(n)
	switch {
	case err == io.EOF:
		if !b.eof {
			b.eof = true
			b.out.Elapsed = time.Since(b.x.start)
		}
	case err != nil:
		err = b.x.explain(b.ctx, bodyError(err))
	}
	return n, err
}

// Close ends the stream: the connection goes back to the pool when the
// body was read to its end, and is dropped otherwise. It releases the
// exchange's timeout and max-time.
func (b *bodyStream) Close() error {
	if b.closed {
		return nil
	}
	b.closed = true
	b.closeDecoder()
	err := b.body.Close()
	if !b.eof {
		b.out.Elapsed = time.Since(b.x.start)
	}
	b.x.release()
	// A response outlives its stream (a shell keeps the last ones in
	// its log): let go of the transport's body and the decoder, so that
	// the garbage collector neither keeps nor scans them.
	b.r, b.body, b.closeDecoder, b.ctx = nil, nil, nil, nil
	return err
}
