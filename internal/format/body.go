package format

import (
	"github.com/reqsh/reqsh/session"

	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/pretty"
)

// sniffLen is how much of a body IsBinary looks at.
const sniffLen = 8 << 10

// prettyOptions are tidwall/pretty's options for JSON bodies.
var prettyOptions = &pretty.Options{Width: 80, Prefix: "", Indent: "  ", SortKeys: false}

// IsBinary reports whether a body is binary: it has a NUL byte or invalid
// UTF-8 in its first 8 KiB (a rune cut at that boundary does not count), or
// contentType is clearly binary (image/*, audio/*, video/*, font/*,
// application/octet-stream, archives, PDF, ...). Text types (text/*, JSON,
// XML, image/svg+xml, JavaScript, forms) are never binary by their type.
func IsBinary(body []byte, contentType string) bool {
	return isBinary(body, mediaType(contentType))
}

// isBinary is IsBinary with the media type already parsed.
func isBinary(body []byte, mt string) bool {
	if isBinaryType(mt) && !isTextType(mt) {
		return true
	}
	head := body
	if len(head) > sniffLen {
		head = head[:sniffLen]
		if i := cutRune(head); i >= 0 {
			// The rune cut at the boundary is judged whole, from the body.
			if r, size := utf8.DecodeRune(body[i:]); r == utf8.RuneError && size == 1 {
				return true
			}
			head = head[:i]
		}
	}
	return bytes.IndexByte(head, 0) >= 0 || !utf8.Valid(head)
}

// cutRune returns the index where an incomplete rune at the end of b starts,
// or -1 when b does not end inside a rune.
func cutRune(b []byte) int {
	for k := 1; k < utf8.UTFMax && k <= len(b); k++ {
		c := b[len(b)-k]
		if c < utf8.RuneSelf {
			return -1
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-k:]) {
				return len(b) - k
			}
			return -1
		}
	}
	return -1
}

// isTextType reports whether a media type is text whatever its name says.
func isTextType(mt string) bool {
	if strings.HasPrefix(mt, "text/") || isJSONType(mt) || isNDJSONType(mt) ||
		strings.HasSuffix(mt, "/xml") || strings.HasSuffix(mt, "+xml") {
		return true
	}
	switch mt {
	case "application/javascript", "application/x-javascript", "application/ecmascript",
		"application/x-www-form-urlencoded", "application/yaml", "application/x-yaml",
		"application/graphql", "application/sql", "application/toml":
		return true
	}
	return false
}

// isBinaryType reports whether a media type is clearly binary.
func isBinaryType(mt string) bool {
	for _, prefix := range [...]string{
		"image/", "audio/", "video/", "font/",
		"application/vnd.openxmlformats-officedocument.",
		"application/vnd.oasis.opendocument.",
	} {
		if strings.HasPrefix(mt, prefix) {
			return true
		}
	}
	switch mt {
	case "application/octet-stream", "application/pdf",
		"application/zip", "application/gzip", "application/x-gzip",
		"application/x-tar", "application/x-bzip2", "application/x-xz",
		"application/zstd", "application/x-7z-compressed",
		"application/x-rar-compressed", "application/vnd.rar",
		"application/java-archive", "application/wasm",
		"application/x-executable", "application/x-sharedlib",
		"application/x-sqlite3", "application/vnd.sqlite3",
		"application/vnd.android.package-archive",
		"application/x-protobuf", "application/protobuf", "application/x-google-protobuf",
		"application/grpc", "application/x-msgpack", "application/msgpack",
		"application/vnd.msgpack", "application/cbor", "application/x-bson",
		"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint":
		return true
	}
	return false
}

// mediaType returns the media type of a Content-Type value, lowercased and
// without parameters.
func mediaType(ct string) string {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.ToLower(strings.TrimSpace(ct))
}

// body prints a request or response body: pretty JSON, the bytes of other
// text (sanitized at a terminal), or binary data (a note at a terminal).
// An empty body prints nothing.
func (p *Printer) body(body []byte, contentType string) {
	p.typedBody(body, contentType, mediaType(contentType))
}

// typedBody is body given also the media type of contentType, for a
// caller that parsed it already.
func (p *Printer) typedBody(body []byte, contentType, mt string) {
	if len(body) == 0 {
		return
	}
	body = p.decodeBytes(body, contentType)
	if kind := kindOf(mt, body); kind != notJSON {
		if p.json(body, true) || p.ndjson(body, kind) {
			return
		}
	}
	p.section()
	if isBinary(body, mt) {
		if !p.opts.Terminal {
			p.write(body)
			return
		}
		b := append(p.buf[:0], "binary data not shown: "...)
		b = strconv.AppendInt(b, int64(len(body)), 10)
		b = append(b, " bytes, "...)
		b = appendType(b, mt)
		b = append(b, " (use -o FILE)\n"...)
		p.writeHead(b)
		return
	}
	if p.opts.Terminal && !clean(body, textMode) {
		body = appendSanitized(make([]byte, 0, len(body)+len(body)/16+16), body, textMode)
	}
	p.write(body)
	p.endLine()
}

// truncated prints the note that stands for a body that was not kept
// (over max-body) when an exchange is printed again.
func (p *Printer) truncated(r *session.Response) {
	p.section()
	b := append(p.buf[:0], "body not kept: "...)
	b = strconv.AppendInt(b, r.BodySize, 10)
	b = append(b, " bytes, "...)
	b = appendType(b, mediaType(r.Header.Get("Content-Type")))
	b = append(b, " (over max-body; use -o FILE, or set max-body)\n"...)
	p.writeHead(b)
}

// appendType appends a media type for a note about a body not shown,
// made safe for a terminal, or "unknown type".
func appendType(b []byte, mt string) []byte {
	if mt == "" {
		return append(b, "unknown type"...)
	}
	return appendSanitized(b, mt, lineMode)
}

// endLine ends the current line unless it is ended.
func (p *Printer) endLine() {
	if !p.lastNL {
		p.write(newline)
	}
}

var newline = []byte{'\n'}

// ndjson prints body as newline-delimited JSON documents, each pretty, when
// every non-blank line is valid JSON (two lines at least unless the
// Content-Type says NDJSON). It reports whether it did.
func (p *Printer) ndjson(body []byte, kind jsonKind) bool {
	n := 0
	ndjsonLines(body, func(line []byte) bool {
		if !checkJSON(line, false).valid {
			n = -1
			return false
		}
		n++
		return true
	})
	if n < 1 || (n < 2 && kind != ndjsonType) {
		return false
	}
	p.section()
	ndjsonLines(body, func(line []byte) bool {
		p.json(line, false)
		return p.err == nil
	})
	return true
}

// json prints doc as jsonDoc prints it, after a section separator when
// section is set, and reports true; it prints nothing and reports false
// when doc is not valid JSON. Pretty output comes from prettyJSON when it
// can; the rest (no pretty-printing, nesting over maxPrettyDepth, a
// terminal fix) goes through checkJSON and jsonDoc.
func (p *Printer) json(doc []byte, section bool) bool {
	if p.opts.Pretty {
		switch p.prettyJSON.check(doc, p.opts.Terminal) {
		case prettyDone:
			if section {
				p.section()
			}
			p.printPretty(doc)
			return true
		case prettyInvalid:
			return false
		}
	}
	info := checkJSON(doc, p.opts.Terminal)
	if !info.valid {
		return false
	}
	if section {
		p.section()
	}
	p.jsonDoc(doc, info)
	return true
}

// printPretty prints a document prettyJSON checked, laid out. Without
// colors, the layout is what is written, so it is appended straight to
// the free space of the writer's buffer when the writer has one with
// room for it (bufio.Writer.AvailableBuffer's use): written in place,
// not laid out in a scratch buffer and copied from there.
func (p *Printer) printPretty(doc []byte) {
	if !p.opts.Color && p.available != nil && p.err == nil {
		if b := p.available.AvailableBuffer(); cap(b) >= layoutSize(doc) {
			p.printJSON(p.prettyJSON.appendLayout(b, doc))
			return
		}
	}
	out := p.prettyJSON.appendLayout(p.pretty[:0], doc)
	p.pretty = out[:0]
	if cap(out) > keepColored {
		p.pretty = nil
	}
	p.printJSON(out)
}

// jsonDoc prints one valid JSON document, checked by checkJSON: pretty
// (compact when nested deeper than maxPrettyDepth) or as it is, colored,
// made safe for a terminal, ending with one newline.
func (p *Printer) jsonDoc(doc []byte, info jsonInfo) {
	if info.fix {
		doc = appendTerminalJSON(make([]byte, 0, len(doc)+64), doc)
	}
	out := doc
	switch {
	case p.opts.Pretty && info.depth <= maxPrettyDepth:
		out = pretty.PrettyOptions(doc, prettyOptions)
	case p.opts.Pretty:
		var b bytes.Buffer
		b.Grow(len(doc) + 1)
		_ = json.Compact(&b, doc) // doc is valid
		b.WriteByte('\n')
		out = b.Bytes()
	default:
		out = bytes.TrimRight(doc, " \t\r\n")
	}
	p.printJSON(out)
}

// printJSON writes a JSON document laid out for printing, colored when
// the Printer colors, ending the line.
func (p *Printer) printJSON(out []byte) {
	if p.opts.Color {
		p.colored = appendColor(p.colored[:0], out, pretty.TerminalStyle)
		out = p.colored
		if cap(p.colored) > keepColored {
			p.colored = nil
		}
	}
	p.write(out)
	p.endLine()
}

// keepColored is the largest colored-JSON (or pretty JSON) buffer a
// Printer keeps for the next body.
const keepColored = 256 << 10
