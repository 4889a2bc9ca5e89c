package words

import (
	"strings"
	"testing"
)

// FuzzSpans: Spans splits a line where Split does, and a span
// not marked quoted is its word as Split gives it.
func FuzzSpans(f *testing.F) {
	for _, s := range []string{
		"get /get > out.json", `get /x '>' ">" \> >>`, `a"b c"d 'e f'`, `x\ y \\ "a\"b" 'it''s'`,
		"get /get | jq '.a | .b'", `"unclosed`, "\t a \t", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if strings.Contains(line, "#") {
			return // comments are Split's to define
		}
		words, err := Split(line)
		spans, ok := Spans(line)
		if (err == nil) != ok {
			t.Fatalf("%q: Split error %v, Spans ok %v", line, err, ok)
		}
		if err != nil {
			return
		}
		if len(spans) != len(words) {
			t.Fatalf("%q: %d spans, %d words %q", line, len(spans), len(words), words)
		}
		for i, s := range spans {
			if !s.Quoted && line[s.Start:s.End] != words[i] {
				t.Errorf("%q: span %q unquoted, word %q", line, line[s.Start:s.End], words[i])
			}
		}
	})
}

func TestWordSpansQuoted(t *testing.T) {
	line := `get > '>' ">" \> >> '>>' | "|" # > comment`
	spans, ok := Spans(line)
	if !ok {
		t.Fatal("not ok")
	}
	var bare []string
	for _, s := range spans {
		if !s.Quoted {
			bare = append(bare, line[s.Start:s.End])
		}
	}
	if got, want := strings.Join(bare, " "), "get > >> |"; got != want {
		t.Errorf("bare words %q, want %q", got, want)
	}
}
