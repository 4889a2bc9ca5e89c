package items

import (
	"fmt"
	"strings"
	"unicode"
)

// A field name is a path in HTTPie 3's nested JSON syntax:
//
//	path  = root ( "[" key "]" | "[" number "]" | "[]" )*
//	root  = name | "[" number "]" | "[]"
//
// "[" and "]" are operators; a backslash before "[", "]" or "\" takes that
// character literally; a backslash before anything else is kept. A
// bracketed text that reads as an integer (Python's int(): optional sign,
// digits with single underscores between them, blanks around) is an array
// index; a backslash before it (a[\1]) makes it the object key "1".

// MaxIndex is the largest array index a path may hold: a[MaxIndex]=x gives
// MaxIndex nulls before x.
const MaxIndex = 10000

// MaxDepth is the most steps a path may have (HTTPie's encoder stops near
// a thousand levels too).
const MaxDepth = 1000

// stepKind says what one step of a path does.
type stepKind int

const (
	stepKey    stepKind = iota // an object member: a, [a]
	stepIndex                  // an array element: [0]
	stepAppend                 // a new array element: []
)

// step is one step of a parsed path.
type step struct {
	kind  stepKind
	key   string // stepKey
	index int    // stepIndex
	end   int    // offset in the path just after this step
}

// tokenKind is the kind of a path token.
type tokenKind int

const (
	tokText tokenKind = iota
	tokNumber
	tokOpen
	tokClose
)

// token is one token of a path: text, a number, "[" or "]".
type token struct {
	kind       tokenKind
	text       string
	num        int // tokNumber, saturated at MaxIndex+1 either way
	start, end int
}

// describe names the token for an error message.
func (t token) describe() string {
	switch t.kind {
	case tokOpen:
		return "'['"
	case tokClose:
		return "']'"
	case tokNumber:
		return "the number " + quote(t.text)
	}
	return "the key " + quote(t.text)
}

// tokenize splits a path into tokens, as HTTPie's nested_json.tokenize.
func tokenize(src string) []token {
	var toks []token
	var buf strings.Builder
	start, escaped := 0, false
	flush := func(end int) {
		if buf.Len() == 0 {
			return
		}
		t := token{kind: tokText, text: buf.String(), start: start, end: end}
		if !escaped {
			if n, ok := pyInt(t.text); ok {
				t.kind, t.num = tokNumber, n
			} else if len(t.text) > 1 && t.text[0] == '\\' {
				if _, ok := pyInt(t.text[1:]); ok {
					t.text = t.text[1:] // \1 is the key "1"
				}
			}
		}
		toks = append(toks, t)
		buf.Reset()
		escaped = false
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '[' || c == ']' {
			flush(i)
			kind := tokOpen
			if c == ']' {
				kind = tokClose
			}
			toks = append(toks, token{kind: kind, text: src[i : i+1], start: i, end: i + 1})
			continue
		}
		if buf.Len() == 0 {
			start = i
		}
		if c == '\\' && i+1 < len(src) {
			i++
			switch src[i] {
			case '[', ']', '\\':
				escaped = true
			default:
				buf.WriteByte('\\')
			}
			buf.WriteByte(src[i])
			continue
		}
		buf.WriteByte(c)
	}
	flush(len(src))
	return toks
}

// pyInt reports whether s reads as an integer to Python's int(): blanks
// around, an optional sign, ASCII digits with single underscores between
// them. The value saturates beyond MaxIndex, keeping its sign.
func pyInt(s string) (int, bool) {
	s = strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || (0x1c <= r && r <= 0x1f) })
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_' && s[i-1] != '_':
		case '0' <= c && c <= '9':
			if n <= MaxIndex {
				n = n*10 + int(c-'0')
			}
		default:
			return 0, false
		}
	}
	n = min(n, MaxIndex+1)
	if neg {
		n = -n
	}
	return n, true
}

// parsePath parses a field name into steps. The first step is the root:
// a key of the body object, or an index or append of the body array.
func parsePath(src string) ([]step, error) {
	p := &pathParser{src: src, toks: tokenize(src)}
	if len(p.toks) == 0 {
		return []step{{kind: stepKey}}, nil
	}
	var steps []step
	// The root: a name, [N] or [].
	if t, ok := p.next(tokText, tokNumber); ok {
		// A number as the root is the key as typed (HTTPie would
		// rewrite 007 as "7").
		steps = append(steps, step{kind: stepKey, key: t.text, end: t.end})
	} else if _, ok := p.next(tokOpen); ok {
		s, err := p.bracket(true)
		if err != nil {
			return nil, err
		}
		steps = append(steps, s)
	} else {
		return nil, p.fail("a name or '['")
	}
	for p.i < len(p.toks) {
		if _, ok := p.next(tokOpen); !ok {
			return nil, p.fail("'['")
		}
		s, err := p.bracket(false)
		if err != nil {
			return nil, err
		}
		steps = append(steps, s)
		if len(steps) > MaxDepth {
			return nil, fmt.Errorf("bad path: over %d levels", MaxDepth)
		}
	}
	return steps, nil
}

// pathParser walks the tokens of one path.
type pathParser struct {
	src  string
	toks []token
	i    int // the next token
}

// next takes the next token if it is of one of the kinds.
func (p *pathParser) next(kinds ...tokenKind) (token, bool) {
	if p.i < len(p.toks) {
		for _, k := range kinds {
			if p.toks[p.i].kind == k {
				p.i++
				return p.toks[p.i-1], true
			}
		}
	}
	return token{}, false
}

// fail is the error for a missing token: want says what was expected.
func (p *pathParser) fail(want string) error {
	if p.i >= len(p.toks) {
		return fmt.Errorf("bad path: want %s after %s", want, quote(p.src))
	}
	t := p.toks[p.i]
	if t.start == 0 {
		return fmt.Errorf("bad path: want %s at the start, not %s", want, t.describe())
	}
	return fmt.Errorf("bad path: want %s after %s, not %s", want, quote(p.src[:t.start]), t.describe())
}

// bracket parses what follows a "[": "KEY]", "N]" or "]" (at the root
// only "N]" or "]").
func (p *pathParser) bracket(root bool) (step, error) {
	if t, ok := p.next(tokClose); ok {
		return step{kind: stepAppend, end: t.end}, nil
	}
	want, kinds := "a key, a number or ']'", []tokenKind{tokText, tokNumber}
	if root {
		want, kinds = "a number or ']'", []tokenKind{tokNumber}
	}
	t, ok := p.next(kinds...)
	if !ok {
		return step{}, p.fail(want)
	}
	s := step{kind: stepKey, key: t.text}
	if t.kind == tokNumber {
		switch {
		case t.num < 0:
			return step{}, fmt.Errorf("bad path: negative index %s", quote(strings.TrimSpace(t.text)))
		case t.num > MaxIndex:
			return step{}, fmt.Errorf("bad path: index %s over %d", quote(strings.TrimSpace(t.text)), MaxIndex)
		}
		s = step{kind: stepIndex, index: t.num}
	}
	end, ok := p.next(tokClose)
	if !ok {
		return step{}, p.fail("']'")
	}
	s.end = end.end
	return s, nil
}
