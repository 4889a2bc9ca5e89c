package format

import (
	"io"
	"mime"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/transform"
)

// charset returns the decoder for the charset a Content-Type value
// declares (iso-8859-1, windows-1252, shift_jis, euc-jp, koi8-r,
// utf-16le, ..., by their WHATWG or IANA names), or nil when the body
// needs none: no charset, UTF-8, a charset not known, or a binary type.
func charset(contentType string) *encoding.Decoder {
	if !strings.Contains(contentType, "charset") {
		return nil
	}
	if _, params, _ := strings.Cut(contentType, ";"); strings.EqualFold(strings.TrimSpace(params), "charset=utf-8") {
		// What most servers declare needs nothing, and no parameter map
		// from ParseMediaType.
		return nil
	}
	mt, params, err := mime.ParseMediaType(contentType)
	name := strings.TrimSpace(params["charset"])
	if err != nil || name == "" || (isBinaryType(mt) && !isTextType(mt)) {
		return nil
	}
	enc, err := htmlindex.Get(name)
	if err != nil {
		if enc, err = ianaindex.IANA.Encoding(name); err != nil || enc == nil {
			return nil
		}
	}
	switch canonical, _ := htmlindex.Name(enc); canonical {
	case "utf-8", "replacement":
		// UTF-8 needs nothing (and invalid UTF-8 stays binary); the
		// WHATWG "replacement" decoder turns a body into one U+FFFD.
		return nil
	}
	return enc.NewDecoder()
}

// decode returns r decoded to UTF-8 from its declared charset for the
// terminal, with the content type that now describes it (the charset
// dropped); elsewhere (a pipe, a file) the bytes go as they came.
func (p *Printer) decode(r io.Reader, contentType string) (io.Reader, string) {
	if !p.opts.Terminal {
		return r, contentType
	}
	if d := charset(contentType); d != nil {
		return transform.NewReader(r, d), mediaType(contentType)
	}
	return r, contentType
}

// decodeBytes is decode for a whole body; the body it was given is not
// changed.
func (p *Printer) decodeBytes(body []byte, contentType string) []byte {
	if !p.opts.Terminal || len(body) == 0 {
		return body
	}
	if d := charset(contentType); d != nil {
		if out, err := d.Bytes(body); err == nil {
			return out
		}
	}
	return body
}
