// Package items parses HTTPie's request items, the words after the URL of a
// request command that set headers (Name:Value, Name:, Name;), query
// parameters (name==value), body fields (field=value, field:=json,
// field=@file, field:=@file), file uploads (field@file, field@file;type=T)
// and the whole body (@file), and builds a JSON body from the fields with
// HTTPie 3's nested paths (user[name]=ann, tags[]=a, [0]:=1).
//
// A word is parsed at its earliest unescaped separator; when several
// separators start there, the longest wins. A backslash before ':', '=',
// '@' or ';' escapes it: the backslash is dropped and the character is
// taken literally, in the name and in the value. A backslash before any
// other character is kept, with that character (so a field name keeps
// "\[" for the nested path parser, as in HTTPie).
package items

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Kind says what a request item sets.
type Kind int

// The kinds of request items.
const (
	Header       Kind = iota + 1 // Name:Value
	HeaderRemove                 // Name:   (empty value: do not send the header)
	HeaderEmpty                  // Name;   (send the header with an empty value)
	Query                        // name==value
	Field                        // field=value (JSON string, or form field)
	RawJSON                      // field:=json (raw JSON value, validated)
	FieldFile                    // field=@path (field value = text content of the file)
	RawJSONFile                  // field:=@path (raw JSON value read from the file)
	Upload                       // field@path (file upload, multipart)
	BodyFile                     // @path (the whole body read from the file)
)

var kindNames = [...]string{
	Header:       "header",
	HeaderRemove: "header removal",
	HeaderEmpty:  "empty header",
	Query:        "query parameter",
	Field:        "field",
	RawJSON:      "raw JSON field",
	FieldFile:    "field from file",
	RawJSONFile:  "raw JSON field from file",
	Upload:       "file upload",
	BodyFile:     "body from file",
}

// String returns a short lowercase description, e.g. "query parameter".
func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Item is one parsed request item.
type Item struct {
	// Kind says what the item sets.
	Kind Kind
	// Name is the header, query parameter or field name, escapes removed.
	// It is empty for BodyFile.
	Name string
	// Value is the header value (trimmed of blanks; empty for
	// HeaderRemove and HeaderEmpty), the query or field value, the raw
	// JSON text, or the file path for FieldFile, RawJSONFile, Upload and
	// BodyFile; escapes removed.
	Value string
	// Type is an Upload's content type, given after ";type=" in the
	// word (f@photo;type=image/png); empty: guess it from the file.
	Type string
	// Raw is the word as given to Parse.
	Raw string
}

// sep is a separator with its kind, longest first for each first byte.
type sep struct {
	text string
	kind Kind
}

var (
	colonSeps = []sep{{":=@", RawJSONFile}, {":=", RawJSON}, {":", Header}}
	equalSeps = []sep{{"=@", FieldFile}, {"==", Query}, {"=", Field}}
	atSeps    = []sep{{"@", Upload}}
	semiSeps  = []sep{{";", HeaderEmpty}}
)

// uploadType separates an upload's path from its content type.
const uploadType = ";type="

// isSeparator reports whether c starts a separator; a backslash before
// it escapes it.
func isSeparator(c byte) bool { return c == ':' || c == '=' || c == '@' || c == ';' }

// Parse parses one request item (a word already tokenized). It fails when
// the word has no separator, the name is empty (except for @path), a header
// name is not a valid HTTP token, a header value holds control characters,
// a file path is empty, or a raw JSON value is not valid JSON. Files are
// not read.
func Parse(word string) (Item, error) {
	// Find the earliest unescaped separator. A backslash always takes the
	// next byte with it, so \\: is a kept backslash pair and then a
	// separator, as in HTTPie.
	at, escaped := -1, false
	for i := 0; i < len(word); i++ {
		c := word[i]
		if c == '\\' {
			escaped = true
			i++
			continue
		}
		if isSeparator(c) {
			at = i
			break
		}
	}
	if at < 0 {
		return Item{}, fmt.Errorf("not a request item: %q (want Name:Value, name==value, field=value, field:=json, field@file)", word)
	}
	var seps []sep
	switch word[at] {
	case ':':
		seps = colonSeps
	case '=':
		seps = equalSeps
	case ';':
		seps = semiSeps
	default:
		seps = atSeps
	}
	s := seps[len(seps)-1]
	for _, cand := range seps {
		if strings.HasPrefix(word[at:], cand.text) {
			s = cand
			break
		}
	}
	name := word[:at]
	if escaped {
		name = unescape(name)
	}
	value := unescape(word[at+len(s.text):])
	it := Item{Kind: s.kind, Name: name, Value: value, Raw: word}

	switch s.kind {
	case Header:
		if name == "" {
			return Item{}, fmt.Errorf("empty header name in %q", word)
		}
		if !validToken(name) {
			return Item{}, fmt.Errorf("invalid header name %q", name)
		}
		it.Value = strings.Trim(value, " \t")
		if it.Value == "" {
			it.Kind = HeaderRemove
			return it, nil
		}
		if !validHeaderValue(it.Value) {
			return Item{}, fmt.Errorf("header %q: invalid value %q (control character)", name, it.Value)
		}
	case HeaderEmpty:
		if name == "" {
			return Item{}, fmt.Errorf("empty header name in %q", word)
		}
		if !validToken(name) {
			return Item{}, fmt.Errorf("invalid header name %q", name)
		}
		if value != "" {
			return Item{}, fmt.Errorf("invalid item %q: an empty header is written %q", word, name+";")
		}
	case Query:
		if name == "" {
			return Item{}, fmt.Errorf("empty query parameter name in %q", word)
		}
	case Field, RawJSON:
		if name == "" {
			return Item{}, fmt.Errorf("empty field name in %q", word)
		}
		if s.kind == RawJSON && !plainJSON(value) && !json.Valid([]byte(value)) {
			return Item{}, fmt.Errorf("field %q: invalid JSON %q", name, value)
		}
	case FieldFile, RawJSONFile, Upload:
		if name == "" {
			if s.kind == Upload && at == 0 {
				it.Kind = BodyFile
				if value == "" {
					return Item{}, fmt.Errorf("empty file path in %q", word)
				}
				return it, nil
			}
			return Item{}, fmt.Errorf("empty field name in %q", word)
		}
		if s.kind == Upload {
			if path, typ, ok := strings.Cut(value, uploadType); ok {
				if !validHeaderValue(typ) {
					return Item{}, fmt.Errorf("upload %q: invalid type %q (control character)", name, typ)
				}
				it.Value, it.Type = path, strings.Trim(typ, " \t")
			}
		}
		if it.Value == "" {
			return Item{}, fmt.Errorf("field %q: empty file path in %q", name, word)
		}
	}
	return it, nil
}

// unescape drops the backslash of \: \= \@ and \; and keeps any other
// backslash pair (and a trailing lone backslash) as is.
func unescape(s string) string {
	i := strings.IndexByte(s, '\\')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		if !isSeparator(s[i]) {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// validToken reports whether s is an HTTP token (RFC 7230 tchar+).
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTchar(s[i]) {
			return false
		}
	}
	return true
}

func isTchar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// validHeaderValue reports whether s has no control characters other than
// horizontal tab (what net/http would refuse to send).
func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}
