package words

// Span is where one word of a command line lies, as Split splits the
// line, and whether any of it was quoted or escaped: the line's words
// are line[Start:End] before their quotes and escapes are taken out.
type Span struct {
	Start, End int
	Quoted     bool // holds a quote or a backslash
}

// Spans finds the words of line by Split's rules without building
// them, up to a comment (a '#' that starts an unquoted word). It tells
// an operator typed as a bare word (>) from the same text quoted ('>').
// A line with an unclosed quote has no spans: ok is false, and Split
// reports the error.
func Spans(line string) (spans []Span, ok bool) {
	i, n := 0, len(line)
	for {
		for i < n && isBlank(line[i]) {
			i++
		}
		if i >= n || line[i] == '#' {
			return spans, true
		}
		w := Span{Start: i}
		for i < n && !isBlank(line[i]) {
			switch line[i] {
			case '\'':
				w.Quoted = true
				i++
				for i < n && line[i] != '\'' {
					i++
				}
				if i >= n {
					return nil, false
				}
				i++
			case '"':
				w.Quoted = true
				i++
				for i < n && line[i] != '"' {
					if line[i] == '\\' && i+1 < n {
						i++ // an escaped quote or backslash, or a kept backslash
					}
					i++
				}
				if i >= n {
					return nil, false
				}
				i++
			case '\\':
				w.Quoted = true
				i += min(2, n-i)
			default:
				i++
			}
		}
		w.End = i
		spans = append(spans, w)
	}
}
