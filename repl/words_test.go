package repl

import (
	"strings"
	"testing"
)

// FuzzWordSpans: wordSpans splits a line where Tokenize does, and a span
// not marked quoted is its word as Tokenize gives it.
func FuzzWordSpans(f *testing.F) {
	for _, s := range []string{
		"get /get > out.json", `get /x '>' ">" \> >>`, `a"b c"d 'e f'`, `x\ y \\ "a\"b" 'it''s'`,
		"get /get | jq '.a | .b'", `"unclosed`, "\t a \t", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if strings.Contains(line, "#") {
			return // comments are Tokenize's to define
		}
		words, err := Tokenize(line)
		spans, ok := wordSpans(line)
		if (err == nil) != ok {
			t.Fatalf("%q: Tokenize error %v, wordSpans ok %v", line, err, ok)
		}
		if err != nil {
			return
		}
		if len(spans) != len(words) {
			t.Fatalf("%q: %d spans, %d words %q", line, len(spans), len(words), words)
		}
		for i, s := range spans {
			if !s.quoted && line[s.start:s.end] != words[i] {
				t.Errorf("%q: span %q unquoted, word %q", line, line[s.start:s.end], words[i])
			}
		}
	})
}

func TestWordSpansQuoted(t *testing.T) {
	line := `get > '>' ">" \> >> '>>' | "|" # > comment`
	spans, ok := wordSpans(line)
	if !ok {
		t.Fatal("not ok")
	}
	var bare []string
	for _, s := range spans {
		if !s.quoted {
			bare = append(bare, line[s.start:s.end])
		}
	}
	if got, want := strings.Join(bare, " "), "get > >> |"; got != want {
		t.Errorf("bare words %q, want %q", got, want)
	}
}
