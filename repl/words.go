package repl

// wordSpan is where one word of a command line lies, as Tokenize splits
// the line, and whether any of it was quoted or escaped: the line's
// words are line[start:end] before their quotes and escapes are taken
// out.
type wordSpan struct {
	start, end int
	quoted     bool // holds a quote or a backslash
}

// wordSpans finds the words of line by Tokenize's rules without building
// them, up to a comment (a '#' that starts an unquoted word). It tells
// an operator typed as a bare word (>) from the same text quoted ('>').
// A line with an unclosed quote has no spans: ok is false, and Tokenize
// reports the error.
func wordSpans(line string) (spans []wordSpan, ok bool) {
	i, n := 0, len(line)
	for {
		for i < n && isBlank(line[i]) {
			i++
		}
		if i >= n || line[i] == '#' {
			return spans, true
		}
		w := wordSpan{start: i}
		for i < n && !isBlank(line[i]) {
			switch line[i] {
			case '\'':
				w.quoted = true
				i++
				for i < n && line[i] != '\'' {
					i++
				}
				if i >= n {
					return nil, false
				}
				i++
			case '"':
				w.quoted = true
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
				w.quoted = true
				i += min(2, n-i)
			default:
				i++
			}
		}
		w.end = i
		spans = append(spans, w)
	}
}
