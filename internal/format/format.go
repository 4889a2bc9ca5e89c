// Package format prints reqsh's HTTP exchanges: the request line and
// headers, the status line and headers, bodies and metadata, in the layout
// HTTPie uses.
//
// A Printer writes to one io.Writer with Options decided once: ANSI
// colors (internal/ansi's palette, made with fatih/color, for the status
// line and headers; tidwall/pretty for JSON), pretty-printed JSON, and
// terminal safety. When Options.Terminal is set, everything that came
// from the network is passed through the same sanitizer as Sanitize
// before it is written, and binary bodies are replaced by a one-line
// note.
package format

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/reqsh/reqsh/internal/ansi"
	"github.com/reqsh/reqsh/session"
)

// Parts says which parts of an exchange to print, as HTTPie's --print
// letters: H request line and headers, B request body, h status line and
// headers, b response body, m metadata.
type Parts struct{ ReqHeaders, ReqBody, RespHeaders, RespBody, Meta bool }

// ParseParts parses --print letters from "HBhbm", in any order; at least
// one is needed.
func ParseParts(s string) (Parts, error) {
	var p Parts
	if s == "" {
		return p, fmt.Errorf("invalid --print value %q: use the letters H B h b m", s)
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'H':
			p.ReqHeaders = true
		case 'B':
			p.ReqBody = true
		case 'h':
			p.RespHeaders = true
		case 'b':
			p.RespBody = true
		case 'm':
			p.Meta = true
		default:
			return Parts{}, fmt.Errorf("invalid --print value %q: use the letters H B h b m", s)
		}
	}
	return p, nil
}

// String returns the parts as --print letters in the order "HBhbm".
func (p Parts) String() string {
	var b [5]byte
	s := b[:0]
	for _, x := range [...]struct {
		on bool
		c  byte
	}{{p.ReqHeaders, 'H'}, {p.ReqBody, 'B'}, {p.RespHeaders, 'h'}, {p.RespBody, 'b'}, {p.Meta, 'm'}} {
		if x.on {
			s = append(s, x.c)
		}
	}
	return string(s)
}

// Options says how a Printer writes.
type Options struct {
	// Color writes ANSI colors. The caller decides it (terminal, --color,
	// NO_COLOR); the Printer never reads fatih/color's global NoColor.
	Color bool
	// Terminal says the output goes to a person's terminal: everything
	// from the network is sanitized and binary bodies are never written.
	Terminal bool
	// Pretty pretty-prints JSON bodies.
	Pretty bool
}

// Printer prints exchanges and bodies to one writer. It keeps scratch
// buffers between calls, so it is not safe for concurrent use.
type Printer struct {
	w    io.Writer
	opts Options

	// What w offers beyond Write, looked up once rather than on every
	// body: a buffer to flush (a *bufio.Writer), and room in that buffer
	// to lay a body out in place.
	flusher   flusher
	available availableBuffer

	pal ansi.Palette // the colors, decided once

	buf        []byte      // scratch for head sections
	colored    []byte      // scratch for colored JSON, kept when small
	pretty     []byte      // scratch for pretty JSON, kept when small
	prettyJSON prettyJSON  // lays out pretty JSON, with its scratch
	small      []byte      // scratch for a small streamed body (StreamBody)
	tracker    readTracker // StreamBody's reader, kept to cost no allocation
	keys       []string    // scratch for sorted header names
	err        error       // the first write error of the current call
	started    bool        // a section has been written in the current call
	lastNL     bool        // the last byte written was a newline
}

// New returns a Printer writing to w. For many small exchanges w may be a
// *bufio.Writer (flushed by the caller): each section is written with one
// or two Write calls.
func New(w io.Writer, opts Options) *Printer {
	p := &Printer{
		w:      w,
		opts:   opts,
		pal:    ansi.NewPalette(opts.Color),
		lastNL: true,
	}
	p.flusher, _ = w.(flusher)
	p.available, _ = w.(availableBuffer)
	return p
}

// availableBuffer is a writer with a buffer that the next Write may be
// appended to in place (a *bufio.Writer).
type availableBuffer interface{ AvailableBuffer() []byte }

// Exchange prints the parts of r that parts selects, in this order: the
// request line and headers (H), the request body (B), the status line and
// headers (h), the response body (b), metadata (m). Sections are separated
// by one blank line; nothing follows the last one.
func (p *Printer) Exchange(r *session.Response, parts Parts) error {
	if err := p.head(r, parts); err != nil {
		return err
	}
	if parts.RespBody {
		if r.Truncated {
			p.truncated(r)
		} else {
			p.body(r.Body, r.Header.Get("Content-Type"))
		}
	}
	if parts.Meta {
		return p.Meta(r)
	}
	return p.err
}

// head starts an exchange: the sections before the response body.
func (p *Printer) head(r *session.Response, parts Parts) error {
	if r == nil {
		return errors.New("no response to print")
	}
	p.reset()
	if req := r.Request; req != nil {
		if parts.ReqHeaders {
			p.writeHead(p.appendRequestHead(p.appendSep(p.buf[:0]), req))
		}
		if parts.ReqBody {
			p.requestBody(req)
		}
	}
	if parts.RespHeaders {
		p.writeHead(p.appendResponseHead(p.appendSep(p.buf[:0]), r))
	}
	return p.err
}

// Body prints only a body with the given Content-Type value (parameters
// allowed), by the same rules as a response body in Exchange.
func (p *Printer) Body(body []byte, contentType string) error {
	p.reset()
	p.body(body, contentType)
	return p.err
}

func (p *Printer) reset() {
	p.err = nil
	p.started = false
	p.lastNL = true
}

// write writes b unless an earlier write failed.
func (p *Printer) write(b []byte) {
	if p.err != nil || len(b) == 0 {
		return
	}
	_, p.err = p.w.Write(b)
	p.lastNL = b[len(b)-1] == '\n'
}

// writeHead writes a head section built in p.buf and keeps the buffer.
func (p *Printer) writeHead(b []byte) {
	p.buf = b
	p.write(b)
}

// appendSep appends the separator that goes before a new section: a blank
// line when something was written before (and a newline first when that
// did not end a line).
func (p *Printer) appendSep(b []byte) []byte {
	if p.started {
		if !p.lastNL {
			b = append(b, '\n')
		}
		b = append(b, '\n')
	}
	p.started = true
	return b
}

// section writes the separator before a body section.
func (p *Printer) section() {
	p.buf = p.appendSep(p.buf[:0])
	p.write(p.buf)
}

// appendField appends one-line text from the network or the user,
// sanitized at a terminal.
func (p *Printer) appendField(b []byte, s string) []byte {
	if p.opts.Terminal && !clean(s, lineMode) {
		return appendSanitized(b, s, lineMode)
	}
	return append(b, s...)
}

func (p *Printer) appendHeaderLine(b []byte, name, value string) []byte {
	start := len(b)
	b = p.appendField(b, name)
	b = p.pal.Name.AppendTail(b, start)
	b = append(b, ':', ' ')
	b = p.appendField(b, value)
	return append(b, '\n')
}

// appendHeaders appends h sorted by name, one line per value, leaving out
// Host when skipHost is set.
func (p *Printer) appendHeaders(b []byte, h http.Header, skipHost bool) []byte {
	keys := p.keys[:0]
	for k := range h {
		if skipHost && k == "Host" {
			continue
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			b = p.appendHeaderLine(b, k, v)
		}
	}
	clear(keys)
	p.keys = keys[:0]
	return b
}

// appendRequestHead appends `GET /path?query HTTP/1.1`, the Host header
// and the other headers sorted by name.
func (p *Printer) appendRequestHead(b []byte, req *session.SentRequest) []byte {
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	uri, host := "/", ""
	if req.URL != nil {
		uri, host = req.URL.RequestURI(), req.URL.Host
	}
	start := len(b)
	b = p.appendField(b, method)
	b = append(b, ' ')
	b = p.appendField(b, uri)
	b = append(b, ' ')
	b = p.appendField(b, protoOr(req.Proto))
	b = p.pal.RequestLine.AppendTail(b, start)
	b = append(b, '\n')
	if hosts := req.Header["Host"]; len(hosts) > 0 {
		for _, h := range hosts {
			b = p.appendHeaderLine(b, "Host", h)
		}
	} else if host != "" {
		b = p.appendHeaderLine(b, "Host", host)
	}
	return p.appendHeaders(b, req.Header, true)
}

// requestBody prints the request body, or a note when it was streamed
// from a file.
func (p *Printer) requestBody(req *session.SentRequest) {
	if len(req.Body) > 0 || req.BodySize == 0 {
		p.body(req.Body, req.Header.Get("Content-Type"))
		return
	}
	b := p.appendSep(p.buf[:0])
	b = append(b, "body not shown: "...)
	if req.BodySize > 0 {
		b = strconv.AppendInt(b, req.BodySize, 10)
		b = append(b, " bytes "...)
	}
	b = append(b, "sent from a file\n"...)
	p.writeHead(b)
}

// appendResponseHead appends `HTTP/1.1 200 OK` and the headers sorted by
// name.
func (p *Printer) appendResponseHead(b []byte, r *session.Response) []byte {
	class := r.StatusCode / 100
	if class < 1 || class > 5 {
		class = 0
	}
	start := len(b)
	b = p.appendField(b, protoOr(r.Proto))
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(r.StatusCode), 10)
	reason := r.Reason
	if reason == "" {
		reason = http.StatusText(r.StatusCode)
	}
	if reason != "" {
		b = append(b, ' ')
		b = p.appendField(b, reason)
	}
	b = p.pal.Status[class].AppendTail(b, start)
	b = append(b, '\n')
	return p.appendHeaders(b, r.Header, false)
}

// appendMeta appends the elapsed time, the redirects followed, whether
// the connection was new or reused, the protocol, over TLS its version
// and the server's certificate, and the resends and retries.
func (p *Printer) appendMeta(b []byte, r *session.Response) []byte {
	b = appendElapsed(p.appendMetaName(b, "elapsed"), r.Elapsed)
	b = append(b, '\n')
	b = strconv.AppendInt(p.appendMetaName(b, "redirects"), int64(r.Redirects), 10)
	b = append(b, '\n')
	b = p.appendMetaName(b, "connection")
	if r.Reused {
		b = append(b, "reused\n"...)
	} else {
		b = append(b, "new\n"...)
	}
	b = append(p.appendMetaName(b, "protocol"), protoOr(r.Proto)...)
	b = append(b, '\n')
	if t := r.TLS; t != nil {
		b = p.appendField(p.appendMetaName(b, "tls"), t.Version)
		b = append(b, '\n')
		b = p.appendField(p.appendMetaName(b, "certificate"), t.Subject)
		b = t.NotAfter.UTC().AppendFormat(append(b, ", expires "...), "2006-01-02 15:04:05 UTC")
		b = append(b, '\n')
	}
	if r.Resent > 0 {
		// A connection the server had closed: the request went again on
		// a new one.
		b = strconv.AppendInt(p.appendMetaName(b, "resent"), int64(r.Resent), 10)
		b = append(b, '\n')
	}
	if r.Retries > 0 {
		// `set retries`: sent again after a failure or a Retry-After.
		b = strconv.AppendInt(p.appendMetaName(b, "retries"), int64(r.Retries), 10)
		b = append(b, '\n')
	}
	return b
}

// appendMetaName appends a metadata line's name, colored, and ": ".
func (p *Printer) appendMetaName(b []byte, name string) []byte {
	start := len(b)
	b = append(b, name...)
	b = p.pal.Name.AppendTail(b, start)
	return append(b, ':', ' ')
}

// appendElapsed appends d readably: milliseconds with one decimal under a
// second (12.3ms), else rounded to the millisecond (1.204s, 1m2.5s).
func appendElapsed(b []byte, d time.Duration) []byte {
	if d < 0 {
		d = 0
	}
	const tenth = 100 * time.Microsecond
	if t := (d + tenth/2) / tenth; t < 10000 {
		b = strconv.AppendInt(b, int64(t/10), 10)
		b = append(b, '.', byte('0'+t%10))
		return append(b, "ms"...)
	}
	return append(b, d.Round(time.Millisecond).String()...)
}

func protoOr(proto string) string {
	if proto == "" {
		return "HTTP/1.1"
	}
	return proto
}
