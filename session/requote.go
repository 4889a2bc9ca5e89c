package session

import "strings"

// Characters a URL component may hold as they are, after urllib3's
// util/url.py (_PATH_CHARS, _QUERY_CHARS): the unreserved characters, the
// sub-delimiters, ':' and '@', and '/' in a path; '?' too in a query or
// fragment.
var (
	pathChars  = charSet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-~" + "!$&'()*+,;=" + ":@/")
	queryChars = charSet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-~" + "!$&'()*+,;=" + ":@/?")
)

type asciiSet [128]bool

func charSet(s string) *asciiSet {
	var set asciiSet
	for i := 0; i < len(s); i++ {
		set[s[i]] = true
	}
	return &set
}

func (s *asciiSet) has(b byte) bool { return b < 128 && s[b] }

// requoteRef percent-encodes the path, query and fragment of a URL
// reference (absolute, scheme-relative or relative) the way requests
// prepares a URL before it is sent: every byte that may not stand in its
// component (non-ASCII as UTF-8, spaces, '|', '"', '{', ...) becomes %XX,
// escapes already there are kept (uppercased) unless one '%' in the
// component is not a valid escape, and escapes of unreserved characters
// are decoded (requote_uri). The scheme and authority are left alone. In
// an absolute reference the path's dot segments are removed first, as
// urllib3 does; a relative one has them resolved against its base.
func requoteRef(ref string) string { return encodeRef(ref, true) }

// requoteLocation percent-encodes a redirect's Location as requests does:
// requote_uri over the whole reference, then each component as urllib3
// encodes a request target. Dot segments are left to URL resolution.
func requoteLocation(loc string) string { return encodeRef(requoteURI(loc), false) }

// encodeRef encodes the path, query and fragment of ref (see requoteRef),
// removing the dot segments of an absolute reference's path when dots is
// set.
func encodeRef(ref string, dots bool) string {
	head, rest := splitAuthority(ref)
	if !needsRequote(rest) {
		return ref
	}
	rest, frag, hasFrag := strings.Cut(rest, "#")
	path, query, hasQuery := strings.Cut(rest, "?")
	if dots && head != "" {
		path = removeDotSegments(path)
	}
	var b strings.Builder
	b.Grow(len(ref) + 16)
	b.WriteString(head)
	b.WriteString(requote(path, pathChars))
	if hasQuery {
		b.WriteByte('?')
		b.WriteString(requote(query, queryChars))
	}
	if hasFrag {
		b.WriteByte('#')
		b.WriteString(requote(frag, queryChars))
	}
	return b.String()
}

// splitAuthority splits "scheme://authority" (or "//authority") off the
// front of ref; head is "" for a reference without an authority.
func splitAuthority(ref string) (head, rest string) {
	i := 0
	if n := schemeLen(ref); n > 0 {
		i = n + 1
	}
	if !strings.HasPrefix(ref[i:], "//") {
		return ref[:i], ref[i:]
	}
	end := strings.IndexAny(ref[i+2:], "/?#")
	if end < 0 {
		return ref, ""
	}
	return ref[:i+2+end], ref[i+2+end:]
}

// schemeLen returns the length of ref's scheme ("http" in "http:..."), or
// 0 when ref does not start with one.
func schemeLen(ref string) int {
	for i := 0; i < len(ref); i++ {
		c := ref[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9', c == '+', c == '-', c == '.':
			if i == 0 {
				return 0
			}
		case c == ':':
			return i
		default:
			return 0
		}
	}
	return 0
}

// needsRequote reports whether requote could change s: it has a byte
// outside the query characters, a '%', or a dot segment. Most typed paths
// have none, and then nothing is copied.
func needsRequote(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '#' && !queryChars.has(c) || c == '%' {
			return true
		}
	}
	return strings.Contains(s, "/.")
}

// requote is urllib3's _encode_invalid_chars followed by requests'
// requote_uri for one component.
func requote(s string, allowed *asciiSet) string {
	valid := true // every '%' starts an escape
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && !isEscape(s, i) {
			valid = false
			break
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && valid:
			v := unhex(s[i+1])<<4 | unhex(s[i+2])
			if unreserved(v) {
				b.WriteByte(v) // requote_uri's unquote_unreserved
			} else {
				writeEscape(&b, v)
			}
			i += 2
		case c != '%' && allowed.has(c):
			b.WriteByte(c)
		default:
			writeEscape(&b, c)
		}
	}
	return b.String()
}

const upperHex = "0123456789ABCDEF"

// isEscape reports whether s[i] (a '%') begins a %XX escape.
func isEscape(s string, i int) bool {
	return i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// requoteURI is requests' requote_uri: escapes of unreserved characters
// are decoded and every byte that is neither unreserved, reserved nor '%'
// is escaped; when a '%' is followed by two letters or digits that are
// not hex digits, every '%' is escaped instead.
func requoteURI(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isAlnum(s[i+1]) && isAlnum(s[i+2]):
			if !isHex(s[i+1]) || !isHex(s[i+2]) {
				return quoteURI(s)
			}
			if v := unhex(s[i+1])<<4 | unhex(s[i+2]); unreserved(v) {
				b.WriteByte(v)
			} else {
				b.WriteString(s[i : i+3])
			}
			i += 2
		case c == '%' || uriSafe(c):
			b.WriteByte(c)
		default:
			writeEscape(&b, c)
		}
	}
	return b.String()
}

// quoteURI escapes every byte of s that is neither unreserved nor
// reserved, '%' included (requote_uri's fallback).
func quoteURI(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		if c := s[i]; uriSafe(c) {
			b.WriteByte(c)
		} else {
			writeEscape(&b, c)
		}
	}
	return b.String()
}

// uriSafe reports the bytes requote_uri never escapes but '%'.
func uriSafe(c byte) bool {
	return unreserved(c) || strings.IndexByte("!#$&'()*+,/:;=?@[]~", c) >= 0
}

func writeEscape(b *strings.Builder, c byte) {
	b.WriteByte('%')
	b.WriteByte(upperHex[c>>4])
	b.WriteByte(upperHex[c&15])
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// unreserved reports RFC 3986's unreserved characters.
func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// removeDotSegments removes "." and ".." segments from a path as urllib3's
// _remove_path_dot_segments does (RFC 3986 5.2.4).
func removeDotSegments(path string) string {
	if !strings.Contains(path, ".") {
		return path
	}
	segments := strings.Split(path, "/")
	out := make([]string, 0, len(segments))
	for _, seg := range segments {
		switch seg {
		case ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, seg)
		}
	}
	if strings.HasPrefix(path, "/") && (len(out) == 0 || out[0] != "") {
		out = append([]string{""}, out...)
	}
	if strings.HasSuffix(path, "/.") || strings.HasSuffix(path, "/..") {
		out = append(out, "")
	}
	return strings.Join(out, "/")
}
