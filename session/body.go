package session

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// decoded returns the final response's body decoded (gunzipped,
// inflated), restarting the timeout on every read, and what to close
// when done with it; empty says the response has no body whatever its
// headers say (HEAD, 1xx, 204, 304).
func (x *exchange) decoded(resp *http.Response) (r io.Reader, closeDecoder func(), empty bool, err error) {
	r = resp.Body
	closeDecoder = func() {}
	empty = resp.Body == http.NoBody || x.method == http.MethodHead ||
		resp.StatusCode < 200 || resp.StatusCode == http.StatusNoContent || resp.StatusCode == http.StatusNotModified
	// By key, which is canonical already: Get would check it again.
	switch strings.ToLower(strings.TrimSpace(first(resp.Header["Content-Encoding"]))) {
	case "gzip", "x-gzip":
		if !empty && resp.ContentLength != 0 {
			zr, err := newGzipReader(resp.Body)
			if err != nil {
				return nil, closeDecoder, empty, failure(KindDecode, fmt.Errorf("decode gzip body: %w", err))
			}
			r, closeDecoder = zr, func() { putGzipReader(zr) }
		}
	case "deflate":
		if !empty && resp.ContentLength != 0 {
			r = newDeflateReader(resp.Body)
		}
	}
	if x.timer != nil {
		r = &idleReader{r: r, x: x}
	}
	return r, closeDecoder, empty, nil
}

// readBody reads the (decoded) body of the final response into out, or
// copies it to the exchange's output.
func (x *exchange) readBody(resp *http.Response, out *Response) error {
	defer resp.Body.Close()
	// An encoded body's Content-Length is not the length it decodes to.
	encoding := resp.Header.Get("Content-Encoding")
	r, closeDecoder, empty, err := x.decoded(resp)
	if err != nil {
		return err
	}
	defer closeDecoder()
	if x.output != nil {
		total := resp.ContentLength
		if encoding != "" {
			total = -1
		}
		n, err := copyBody(outputWriter{x.output}, r, total, x.progress)
		out.BodySize = n
		if err != nil {
			return bodyError(err)
		}
		return nil
	}
	if empty {
		return nil
	}
	size := 512 // a guess when the length is not known
	if n := resp.ContentLength; n >= 0 && encoding == "" &&
		(x.maxBody == 0 || n <= x.maxBody) {
		// Room to see the end without growing, up to a bound: a server
		// may promise more than it sends.
		size = int(min(n+1, maxBodyGuess))
	}
	if x.maxBody > 0 {
		r = io.LimitReader(r, x.maxBody+1)
	}
	body, err := readAll(r, size)
	out.Body = body
	out.BodySize = int64(len(body))
	if err != nil {
		return bodyError(err)
	}
	if x.maxBody > 0 && out.BodySize > x.maxBody {
		out.Body, out.Truncated = out.Body[:x.maxBody], true
		out.BodySize = -1
		if encoding == "" && resp.ContentLength > 0 {
			out.BodySize = resp.ContentLength
		}
	}
	return nil
}

// idleReader restarts the exchange's timeout on every read that brings
// data, so the timeout bounds the gaps, not the whole body.
type idleReader struct {
	r io.Reader
	x *exchange
}

func (i *idleReader) Read(p []byte) (int, error) {
	n, err := i.r.Read(p)
	if n > 0 {
		i.x.restartTimer()
	}
	return n, err
}

// maxBodyGuess bounds the buffer a body's Content-Length buys before any
// of it arrived.
const maxBodyGuess = 1 << 20

// readAll reads r to its end into a buffer of size bytes at first, which
// grows only when the body is longer.
func readAll(r io.Reader, size int) ([]byte, error) {
	b := make([]byte, 0, max(size, 1))
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// outputWriter is Request.Output: its write errors are the caller's
// (a full disk), not the body's, and say so to bodyError.
type outputWriter struct{ w io.Writer }

func (o outputWriter) Write(p []byte) (int, error) {
	n, err := o.w.Write(p)
	if err != nil {
		err = &outputError{err}
	}
	return n, err
}

// outputError is an error writing Request.Output.
type outputError struct{ err error }

func (e *outputError) Error() string { return e.err.Error() }
func (e *outputError) Unwrap() error { return e.err }

// copyBody copies r to w, reporting progress after every chunk.
func copyBody(w io.Writer, r io.Reader, total int64, progress func(int64, int64)) (int64, error) {
	if progress == nil {
		return io.Copy(w, r)
	}
	buf := make([]byte, 256<<10)
	var written int64
	progress(0, total)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			m, werr := w.Write(buf[:n])
			written += int64(m)
			progress(written, total)
			if werr != nil {
				return written, werr
			}
		}
		if err == io.EOF {
			return written, nil
		}
		if err != nil {
			return written, err
		}
	}
}

// gzipReaders keeps gzip readers between responses: a new one allocates
// its decompressor's tables and window (about 40 KB), which cost more
// than decoding a small body; Reset reuses them.
var gzipReaders sync.Pool

// newGzipReader returns a gzip reader of r, a kept one when there is one.
func newGzipReader(r io.Reader) (*gzip.Reader, error) {
	if zr, ok := gzipReaders.Get().(*gzip.Reader); ok {
		if err := zr.Reset(r); err != nil {
			gzipReaders.Put(zr)
			return nil, err
		}
		return zr, nil
	}
	return gzip.NewReader(r)
}

// putGzipReader closes zr and keeps it for the next gzip body; zr must
// not be read again.
func putGzipReader(zr *gzip.Reader) {
	zr.Close()
	gzipReaders.Put(zr)
}

// newDeflateReader reads "deflate" content: zlib-wrapped as the RFC says,
// or raw deflate as some servers send it.
func newDeflateReader(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if head, err := br.Peek(2); err == nil && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 && head[0]&0x0f == 8 {
		if zr, err := zlib.NewReader(br); err == nil {
			return zr
		}
	}
	return flate.NewReader(br)
}

// drain reads what is left of a body (up to a bound) and closes it so
// its connection can go back to the pool.
func drain(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 4<<20))
	_ = body.Close()
}
