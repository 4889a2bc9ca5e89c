package format

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"

	"github.com/reqsh/reqsh/session"
)

// smallBody is how much of a JSON body StreamBody gathers before it
// decides how to print it: a body that ends within it prints exactly as
// Body prints it (checked whole, NDJSON recognized); a longer one flows
// through the streaming formatter.
const smallBody = 64 << 10

// flusher is a writer with a buffer to push out (a *bufio.Writer).
type flusher interface{ Flush() error }

// Head prints the parts of an exchange that come before the response
// body: the request line and headers (H), the request body (B), the
// status line and headers (h). It starts a new exchange: StreamBody and
// Meta continue it. The output is flushed when the writer buffers, so
// the head shows before the body arrives.
func (p *Printer) Head(r *session.Response, parts Parts) error {
	if err := p.head(r, parts); err != nil {
		return err
	}
	p.flush()
	return p.err
}

// Meta prints the metadata section (m) of the exchange Head started.
func (p *Printer) Meta(r *session.Response) error {
	p.writeHead(p.appendMeta(p.appendSep(p.buf[:0]), r))
	return p.err
}

// flush pushes buffered output out, when the writer buffers.
func (p *Printer) flush() {
	if p.flusher != nil && p.err == nil {
		p.err = p.flusher.Flush()
	}
}

// ReadError is a StreamBody error that came from reading the body (the
// network), not from writing the output.
type ReadError struct{ Err error }

// Error returns the read error's text.
func (e *ReadError) Error() string { return e.Err.Error() }

// Unwrap returns the read error.
func (e *ReadError) Unwrap() error { return e.Err }

// readTracker keeps the first read error of a body, so StreamBody can
// tell it from a write error.
type readTracker struct {
	r   io.Reader
	err error
}

func (t *readTracker) Read(b []byte) (int, error) {
	n, err := t.r.Read(b)
	if err != nil && err != io.EOF && t.err == nil {
		t.err = err
	}
	return n, err
}

// StreamBody prints a body read from r as it arrives, continuing the
// exchange Head started, by the rules Body applies to a whole body:
//   - text/event-stream event by event (each event's data pretty when it
//     is JSON; event names and ids shown at a terminal);
//   - NDJSON and JSON sequences document by document;
//   - JSON that ends within 64 KiB as Body prints it, longer JSON through
//     the streaming formatter (the same layout; memory bounded by the
//     nesting depth);
//   - binary data (by type, or a NUL or invalid UTF-8 in the first bytes)
//     as a one-line note at a terminal, as it is elsewhere;
//   - other text as it comes, sanitized at a terminal.
//
// force (--stream) sends JSON straight to the streaming formatter. What
// is printed is flushed after each event, document or chunk. A failed
// read is returned as a *ReadError after what arrived is printed.
func (p *Printer) StreamBody(r io.Reader, contentType string, force bool) error {
	p.tracker = readTracker{r: r}
	t := &p.tracker
	body, contentType := p.decode(t, contentType)
	err := p.streamBody(body, contentType, force)
	p.flush()
	t.r = nil
	if t.err != nil {
		return &ReadError{Err: t.err}
	}
	if err == nil {
		err = p.err
	}
	return err
}

func (p *Printer) streamBody(r io.Reader, contentType string, force bool) error {
	mt := mediaType(contentType)
	switch {
	case mt == "text/event-stream":
		return p.events(r)
	case isNDJSONType(mt) || mt == "application/json-seq":
		return p.jsonDocuments(r)
	}
	maybeJSON := kindOf(mt, []byte("{")) != notJSON
	if maybeJSON && !isJSONType(mt) {
		// No type or text/plain: JSON when it starts like JSON.
		br := bufio.NewReaderSize(r, 32<<10)
		r = br
		if kindOf(mt, leadingSpace(br)) == notJSON {
			return p.text(r, mt, false)
		}
	}
	if !maybeJSON {
		return p.text(r, mt, false)
	}
	if force {
		return p.jsonDocuments(r)
	}
	// Gather a small body whole: it prints as Body prints it.
	head, err := readUpTo(p.small[:0], r, smallBody)
	p.small = head[:0] // kept for the next body: at most smallBody
	if err != nil && err != io.EOF {
		p.typedBody(head, contentType, mt)
		return err
	}
	if len(head) < smallBody {
		p.typedBody(head, contentType, mt)
		return p.err
	}
	return p.jsonDocuments(io.MultiReader(bytes.NewReader(head), r))
}

// leadingSpace peeks at br up to and including its first byte that is
// not JSON whitespace (or to its end), consuming nothing.
func leadingSpace(br *bufio.Reader) []byte {
	for n := 1; ; n = br.Buffered() + 1 {
		b, _ := br.Peek(n)
		for i, c := range b {
			if !isSpace(c) {
				return b[:i+1]
			}
		}
		if len(b) < n || n > br.Size() {
			return b
		}
	}
}

// readUpTo reads from r into b until it has n bytes or the input ends.
func readUpTo(b []byte, r io.Reader, n int) ([]byte, error) {
	if cap(b) == 0 {
		b = make([]byte, 0, min(n, 4096))
	}
	for len(b) < n {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		m, err := r.Read(b[len(b):min(cap(b), n)])
		b = b[:len(b)+m]
		if err != nil {
			return b, err
		}
	}
	return b, nil
}

// jsonDocuments prints JSON documents as they arrive; what follows input
// that is not JSON prints as text.
func (p *Printer) jsonDocuments(r io.Reader) error {
	c, err := firstByte(r)
	if err != nil || c == nil {
		return err
	}
	r = io.MultiReader(bytes.NewReader(c), r)
	p.section()
	s := newJSONStream(r, &flushWriter{p: p}, p.opts)
	err = s.Documents()
	if errors.Is(err, errInvalidJSON) {
		p.endLine()
		return p.text(s.Rest(), "", true)
	}
	return err
}

// flushWriter writes a stream's output through the Printer and flushes
// it, so a document shows as soon as it is complete.
type flushWriter struct{ p *Printer }

func (f *flushWriter) Write(b []byte) (int, error) {
	f.p.write(b)
	f.p.flush()
	if f.p.err != nil {
		return 0, f.p.err
	}
	return len(b), nil
}

// firstByte waits for the first byte of r; nil at the end of the input.
func firstByte(r io.Reader) ([]byte, error) {
	var b [1]byte
	for {
		n, err := r.Read(b[:])
		if n > 0 {
			return b[:], nil
		}
		if err == io.EOF {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// text prints a text body as it comes, chunk by chunk, sanitized at a
// terminal; a binary one (by type, or by its first bytes) as a note at a
// terminal and as it is elsewhere. cont says the body's section started
// already (the text follows JSON documents).
func (p *Printer) text(r io.Reader, mt string, cont bool) error {
	buf := make([]byte, 32<<10)
	n, err := io.ReadAtLeast(r, buf, 1)
	if n == 0 {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil
		}
		return err
	}
	if !cont {
		p.section()
	}
	if isBinary(buf[:n], mt) {
		if !p.opts.Terminal {
			p.write(buf[:n])
			p.flush()
			_, err := io.CopyBuffer(&flushWriter{p: p}, r, buf)
			return err
		}
		total, err := io.CopyBuffer(io.Discard, r, buf)
		b := append(p.buf[:0], "binary data not shown: "...)
		b = strconv.AppendInt(b, int64(n)+total, 10)
		b = append(b, " bytes, "...)
		b = appendType(b, mt)
		b = append(b, " (use -o FILE)\n"...)
		p.writeHead(b)
		return err
	}
	var held []byte // an incomplete rune or a '\r' kept for the next chunk
	var out []byte
	for {
		chunk := buf[:n]
		if len(held) > 0 {
			chunk = append(held, chunk...)
			held = nil
		}
		if p.opts.Terminal && err == nil {
			// Keep back what the next chunk decides: a rune cut in two,
			// a carriage return that may start a CRLF.
			if i := cutRune(chunk); i >= 0 {
				held = append([]byte(nil), chunk[i:]...)
				chunk = chunk[:i]
			} else if len(chunk) > 0 && chunk[len(chunk)-1] == '\r' {
				held = []byte{'\r'}
				chunk = chunk[:len(chunk)-1]
			}
		}
		if p.opts.Terminal && !clean(chunk, textMode) {
			out = appendSanitized(out[:0], chunk, textMode)
			p.write(out)
		} else {
			p.write(chunk)
		}
		p.flush()
		if err != nil || p.err != nil {
			break
		}
		n, err = r.Read(buf)
	}
	if err == io.EOF {
		err = nil
	}
	p.endLine()
	return err
}

// sseEvent is one server-sent event as it is read.
type sseEvent struct {
	name, id []byte
	data     []byte
	hasData  bool
}

// maxEventData bounds the data of one event kept to print it whole;
// beyond it the data prints as text as it comes.
const maxEventData = 1 << 20

// events prints a text/event-stream body event by event: at a terminal
// each event's name and id, then its data (pretty when it is JSON); in a
// pipe the data alone. Comments and retry fields are not printed.
func (p *Printer) events(r io.Reader) error {
	lr := newLineReader(r, maxEventData)
	var ev sseEvent
	printed := 0
	dispatch := func() {
		if !ev.hasData && (!p.opts.Terminal || ev.name == nil && ev.id == nil) {
			ev = sseEvent{data: ev.data[:0]}
			return
		}
		if printed == 0 {
			p.section()
		} else if p.opts.Terminal {
			p.endLine()
			p.write(newline)
		}
		printed++
		p.event(&ev)
		p.flush()
		ev = sseEvent{data: ev.data[:0]}
	}
	for {
		line, long, err := lr.line()
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			dispatch()
			return err
		}
		if long {
			// A line over the bound: print the event so far and the line
			// as text.
			dispatch()
			p.section()
			p.printText(line)
			p.endLine()
			continue
		}
		if len(line) == 0 {
			dispatch()
			continue
		}
		if line[0] == ':' {
			continue // a comment
		}
		field, value := line, []byte(nil)
		if i := bytes.IndexByte(line, ':'); i >= 0 {
			field, value = line[:i], line[i+1:]
			if len(value) > 0 && value[0] == ' ' {
				value = value[1:]
			}
		}
		switch string(field) {
		case "data":
			if ev.hasData {
				ev.data = append(ev.data, '\n')
			}
			ev.data = append(ev.data, value...)
			ev.hasData = true
			if len(ev.data) > maxEventData {
				dispatch()
			}
		case "event":
			ev.name = append([]byte{}, value...)
		case "id":
			ev.id = append([]byte{}, value...)
		}
	}
}

// event prints one event.
func (p *Printer) event(ev *sseEvent) {
	if p.opts.Terminal {
		var b []byte
		if ev.name != nil {
			b = p.appendHeaderLine(p.buf[:0], "event", string(ev.name))
		}
		if ev.id != nil {
			b = p.appendHeaderLine(b, "id", string(ev.id))
		}
		p.writeHead(b)
	}
	if !ev.hasData {
		return
	}
	if p.json(ev.data, false) {
		return
	}
	p.printText(ev.data)
	p.endLine()
}

// printText writes text, sanitized at a terminal.
func (p *Printer) printText(b []byte) {
	if p.opts.Terminal && !clean(b, textMode) {
		b = appendSanitized(make([]byte, 0, len(b)+16), b, textMode)
	}
	p.write(b)
}

// lineReader splits a stream into lines ending in CRLF, LF or CR, as an
// event stream's lines end, with a bound on a line's length.
type lineReader struct {
	r       io.Reader
	buf     []byte
	i, n    int
	max     int
	err     error
	skipLF  bool // the last line ended with CR: a LF next belongs to it
	partial []byte
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{r: r, buf: make([]byte, 32<<10), max: max}
}

// line returns the next line without its end. long says the line was
// cut at the bound (the rest comes as further lines).
func (l *lineReader) line() (line []byte, long bool, err error) {
	l.partial = l.partial[:0]
	for {
		if l.skipLF && l.i < l.n {
			if l.buf[l.i] == '\n' {
				l.i++
			}
			l.skipLF = false
		}
		if i := bytes.IndexAny(l.buf[l.i:l.n], "\r\n"); i >= 0 {
			end := l.i + i
			l.partial = append(l.partial, l.buf[l.i:end]...)
			l.skipLF = l.buf[end] == '\r'
			l.i = end + 1
			return l.partial, false, nil
		}
		l.partial = append(l.partial, l.buf[l.i:l.n]...)
		l.i, l.n = 0, 0
		if len(l.partial) > l.max {
			return l.partial, true, nil
		}
		if l.err != nil {
			if len(l.partial) > 0 {
				return l.partial, false, nil
			}
			return nil, false, l.err
		}
		m, err := l.r.Read(l.buf)
		l.n = m
		l.err = err
		if m == 0 && err == nil {
			continue
		}
	}
}
