package words

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		line string
		want []string
	}{
		{"empty", "", nil},
		{"blanks", " \t  \t", nil},
		{"one word", "get", []string{"get"}},
		{"simple", "get /get a==1", []string{"get", "/get", "a==1"}},
		{"extra blanks", "  get \t /get\t\ta==1  ", []string{"get", "/get", "a==1"}},
		{"typical", "get /get a==1 X-Api-Key:abc name=reqsh", []string{"get", "/get", "a==1", "X-Api-Key:abc", "name=reqsh"}},
		{"other whitespace is not a separator", "a\nb\rc\vd", []string{"a\nb\rc\vd"}},
		{"single quotes", "echo 'a b  c'", []string{"echo", "a b  c"}},
		{"single quotes literal", `'a\b "c" \'`, []string{`a\b "c" \`}},
		{"double quotes", `echo "a b  c"`, []string{"echo", "a b  c"}},
		{"double quote escapes", `"a\"b\\c"`, []string{`a"b\c`}},
		{"double quote other backslash kept", `"a\nb\:c\'"`, []string{`a\nb\:c\'`}},
		{"single inside double", `"it's"`, []string{"it's"}},
		{"double inside single", `'say "hi"'`, []string{`say "hi"`}},
		{"glued quotes", `a"b c"d`, []string{"ab cd"}},
		{"glued single", `tags:='["a","b"]'`, []string{`tags:=["a","b"]`}},
		{"glued mixed", `'a'"b"c'd'`, []string{"abcd"}},
		{"empty single", "''", []string{""}},
		{"empty double", `""`, []string{""}},
		{"empty words among others", `a '' "" b`, []string{"a", "", "", "b"}},
		{"empty quotes glued", `a''b""c`, []string{"abc"}},
		{"escaped space", `a\ b`, []string{"a b"}},
		{"escaped tab", "a\\\tb", []string{"a\tb"}},
		{"escaped quotes", `\'\"`, []string{`'"`}},
		{"escaped backslash", `a\\b`, []string{`a\b`}},
		{"item escape colon kept", `a\:b=c`, []string{`a\:b=c`}},
		{"item escape equals kept", `x\==y`, []string{`x\==y`}},
		{"item escape at kept", `f\@x=1`, []string{`f\@x=1`}},
		{"backslash letter kept", `\n\t`, []string{`\n\t`}},
		{"trailing backslash", `a b\`, []string{"a", `b\`}},
		{"lone trailing backslash", `a \`, []string{"a", `\`}},
		{"escaped backslash then quote", `\\'x y'`, []string{`\x y`}},
		{"quoted word at end", `post /x name='a b'`, []string{"post", "/x", "name=a b"}},
		{"header with spaces", `'Authorization:Bearer a:b=c'`, []string{"Authorization:Bearer a:b=c"}},
		{"unicode", "post /ü name=\"héllo wörld\" 日本", []string{"post", "/ü", "name=héllo wörld", "日本"}},
		{"bytes", "a\x00b \x1b[31m \xff\xfe", []string{"a\x00b", "\x1b[31m", "\xff\xfe"}},
		{"bytes in quotes", "'\x00 \xff' \"\x1b\"", []string{"\x00 \xff", "\x1b"}},
		{"plain word then quoted", `abc "d"`, []string{"abc", "d"}},
		{"quoted then plain", `"d" abc`, []string{"d", "abc"}},
		{"comment after a command", "get /get  # smoke", []string{"get", "/get"}},
		{"comment after a tab", "get /get\t#smoke", []string{"get", "/get"}},
		{"comment only", "# a comment", nil},
		{"indented comment", "  \t# a comment 'open", nil},
		{"comment right after a word start", "get #/get", []string{"get"}},
		{"hash inside a path", "get /p#top", []string{"get", "/p#top"}},
		{"hash inside a param", "get /x c==a#b", []string{"get", "/x", "c==a#b"}},
		{"hash ending a word", "let color red#", []string{"let", "color", "red#"}},
		{"single-quoted hash", "get /x '#x'==1", []string{"get", "/x", "#x==1"}},
		{"double-quoted hash", `let c "#fff"`, []string{"let", "c", "#fff"}},
		{"hash after a closed quote", `'a'#b`, []string{"a#b"}},
		{"escaped hash stays a word", `get \#x`, []string{"get", `\#x`}},
		{"hash after an escaped space", `a\ #b`, []string{"a #b"}},
		{"comment after a quoted word", `post /x name='a b' # note`, []string{"post", "/x", "name=a b"}},
		{"comment hides an open quote", "get /x # it's", []string{"get", "/x"}},
		{"comment hides a backslash", `get /x # a\`, []string{"get", "/x"}},
		{"comment after a quote with hash", `'#' # c`, []string{"#"}},
		{"newline in single quotes", "post /x --raw '{\n  \"a\": 1\n}'", []string{"post", "/x", "--raw", "{\n  \"a\": 1\n}"}},
		{"newline in double quotes", "\"a\nb\"", []string{"a\nb"}},
		{"hash after a quoted newline", "'a\n' #c", []string{"a\n"}},
		{"hash at a quoted line start", "'{\n# not a comment\n}'", []string{"{\n# not a comment\n}"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Split(tt.line)
			if err != nil {
				t.Fatalf("Split(%q): %v", tt.line, err)
			}
			if !slices.Equal(got, tt.want) || (got == nil) != (tt.want == nil) {
				t.Errorf("Split(%q) = %q, want %q", tt.line, got, tt.want)
			}
		})
	}
}

func TestSplitErrors(t *testing.T) {
	tests := []struct {
		name string
		line string
		msg  string
		pos  int
		text string
	}{
		{"single", "echo 'abc", MsgUnterminatedSingle, 6, "bad quoting: unterminated single quote at column 6"},
		{"double", `post "a b`, MsgUnterminatedDouble, 6, "bad quoting: unterminated double quote at column 6"},
		{"double at column 7", `post a"b c`, MsgUnterminatedDouble, 7, "bad quoting: unterminated double quote at column 7"},
		{"lone single", "'", MsgUnterminatedSingle, 1, ""},
		{"lone double", `"`, MsgUnterminatedDouble, 1, ""},
		{"escaped closing double", `"abc\"`, MsgUnterminatedDouble, 1, ""},
		{"backslash at end in double", `"abc\`, MsgUnterminatedDouble, 1, ""},
		{"second quote unclosed", `'ok' "no`, MsgUnterminatedDouble, 6, ""},
		{"single after glued", `a'b'c'd`, MsgUnterminatedSingle, 6, ""},
		{"double inside single does not close", `'abc"`, MsgUnterminatedSingle, 1, ""},
		{"column counts characters", `ü日 "x`, MsgUnterminatedDouble, 4, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Split(tt.line)
			if err == nil {
				t.Fatalf("Split(%q) = %q, want error", tt.line, got)
			}
			if got != nil {
				t.Errorf("Split(%q) returned words %q with the error", tt.line, got)
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Split(%q) error %T %v, want *SyntaxError", tt.line, err, err)
			}
			if se.Msg != tt.msg || se.Pos != tt.pos {
				t.Errorf("Split(%q) error {%q %d}, want {%q %d}", tt.line, se.Msg, se.Pos, tt.msg, tt.pos)
			}
			if tt.text != "" && err.Error() != tt.text {
				t.Errorf("Split(%q) error %q, want %q", tt.line, err.Error(), tt.text)
			}
		})
	}
}

// TestSplitFastPathNoAlloc checks that plain lines only allocate the
// result slice.
func TestSplitFastPathNoAlloc(t *testing.T) {
	line := "get /get a==1 X-Api-Key:abc name=reqsh"
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := Split(line); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 1 {
		t.Errorf("Split of a plain line: %v allocations, want at most 1", allocs)
	}
}

// quoteWord quotes w so that Split gives it back as one word.
func quoteWord(w string) string {
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{
		"",
		" ",
		"\t \t",
		"get",
		"get /get a==1 X-Api-Key:abc name=reqsh",
		"  get \t /get\t\ta==1  ",
		"a\nb\rc",
		"echo 'a b  c'",
		`'a\b "c" \'`,
		`echo "a b  c"`,
		`"a\"b\\c"`,
		`"a\nb\:c\'"`,
		`"it's"`,
		`'say "hi"'`,
		`a"b c"d`,
		`tags:='["a","b"]'`,
		`'a'"b"c'd'`,
		"''",
		`""`,
		`a '' "" b`,
		`a''b""c`,
		`a\ b`,
		"a\\\tb",
		`\'\"`,
		`a\\b`,
		`a\:b=c`,
		`x\==y`,
		`f\@x=1`,
		`\n\t`,
		`a b\`,
		`\`,
		`\\`,
		`\\\`,
		`\\'x y'`,
		`'Authorization:Bearer a:b=c'`,
		"post /ü name=\"héllo wörld\" 日本",
		"a\x00b \x1b[31m \xff\xfe",
		"'\x00 \xff' \"\x1b\"",
		"echo 'abc",
		`post "a b`,
		`"abc\"`,
		`"abc\`,
		`'ok' "no`,
		`a'b'c'd`,
		`'abc"`,
		`ü日 "x`,
		`'it'\''s'`,
		`"\\\""`,
		"get /get  # smoke",
		"# only a comment 'x",
		"get /p#top c==a#b '#x'",
		`a\ #b \#c`,
		"post /x --raw '{\n\"a\": 1\n}' # body",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		words, err := Split(line)
		// The general path must agree with the fast path on every line.
		slow, slowErr := splitSlow(nil, line)
		if (err == nil) != (slowErr == nil) || !slices.Equal(words, slow) {
			t.Fatalf("Split(%q) = %q, %v; splitSlow = %q, %v", line, words, err, slow, slowErr)
		}
		// Appended after other words, in room given or not, the words
		// are the same, and the words before stay.
		for _, dst := range [][]string{{"x"}, make([]string, 1, 64)} {
			got, appendErr := AppendSplit(dst, line)
			if (err == nil) != (appendErr == nil) || (err == nil && (!slices.Equal(got[1:], words) || got[0] != dst[0])) {
				t.Fatalf("AppendSplit(%q, %q) = %q, %v; Split gave %q, %v", dst, line, got, appendErr, words, err)
			}
		}
		checkLineScanner(t, line, words, err)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Split(%q) error %T %v, want *SyntaxError", line, err, err)
			}
			if words != nil {
				t.Fatalf("Split(%q) returned words %q with the error", line, words)
			}
			if se.Pos < 1 || se.Pos > len(line) {
				t.Fatalf("Split(%q) error column %d out of range", line, se.Pos)
			}
			return
		}
		if !strings.ContainsAny(line, `'"\`) {
			want := strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == '\t' })
			if i := slices.IndexFunc(want, func(w string) bool { return w[0] == '#' }); i >= 0 {
				want = want[:i] // a comment
			}
			if !slices.Equal(words, want) {
				t.Fatalf("Split(%q) = %q, want %q", line, words, want)
			}
		}
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = quoteWord(w)
		}
		again, err := Split(strings.Join(quoted, " "))
		if err != nil {
			t.Fatalf("Split(%q) = %q; re-quoted: %v", line, words, err)
		}
		if !slices.Equal(again, words) {
			t.Fatalf("Split(%q) = %q; re-quoted gives %q", line, words, again)
		}
	})
}

// checkLineScanner checks that Scanner, which tells where a command
// read line by line ends, reads line as Split does: the quote it
// finds open is the one Split finds unterminated, and the comment it
// finds is the text Split drops.
func checkLineScanner(t *testing.T, line string, words []string, err error) {
	t.Helper()
	var s Scanner
	ls := s.Scan(line)
	var se *SyntaxError
	switch {
	case s.quote != 0:
		want := MsgUnterminatedSingle
		if s.quote == '"' {
			want = MsgUnterminatedDouble
		}
		if !errors.As(err, &se) || se.Msg != want {
			t.Fatalf("Scanner: %q ends inside %c, but Split says %v", line, s.quote, err)
		}
		if ls.End == LineDone {
			t.Fatalf("Scanner: %q ends inside %c, but the command ends", line, s.quote)
		}
	case err != nil:
		t.Fatalf("Scanner: %q ends outside quotes, but Split says %v", line, err)
	case ls.Comment >= 0:
		if line[ls.Comment] != '#' || ls.End != LineDone {
			t.Fatalf("Scanner: %q: comment at %d, end %d", line, ls.Comment, ls.End)
		}
		before, err := Split(line[:ls.Comment])
		if err != nil || !slices.Equal(before, words) {
			t.Fatalf("Scanner: %q has a comment at %d, but Split gives %q, and %q without it (%v)",
				line, ls.Comment, words, before, err)
		}
	case ls.End == LineJoined:
		if !strings.HasSuffix(line, `\`) || ls.Text != line[:len(line)-1] {
			t.Fatalf("Scanner: %q joined as %q", line, ls.Text)
		}
	}
	if ls.End != LineJoined && ls.Text != line {
		t.Fatalf("Scanner: %q gives %q", line, ls.Text)
	}
}

func BenchmarkSplit(b *testing.B) {
	b.Run("plain", func(b *testing.B) {
		line := "get /get a==1 X-Api-Key:abc name=reqsh"
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Split(line); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("quoted", func(b *testing.B) {
		line := `post /post tags:='["a","b"]' 'Authorization:Bearer x y' name="a \"b\"" c\ d`
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Split(line); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// Scanner follows a command over lines: a plain line ends it, and what
// the lines before left open (a word, a quote) decides how it reads.
func TestScannerLines(t *testing.T) {
	for _, tc := range []struct {
		lines []string
		texts []string
		ends  []LineEnd
	}{
		{[]string{"get /get a==1"}, []string{"get /get a==1"}, []LineEnd{LineDone}},
		{[]string{""}, []string{""}, []LineEnd{LineDone}},
		{[]string{`get /get \`, "a==1"}, []string{"get /get ", "a==1"}, []LineEnd{LineJoined, LineDone}},
		{[]string{`get /x\`, "#top"}, []string{"get /x", "#top"}, []LineEnd{LineJoined, LineDone}},
		{[]string{`get /x \`, "#c 'x"}, []string{"get /x ", "#c 'x"}, []LineEnd{LineJoined, LineDone}},
		{[]string{"post /p --raw 'a", "b c", "d'"}, []string{"post /p --raw 'a", "b c", "d'"}, []LineEnd{LineQuoted, LineQuoted, LineDone}},
		{[]string{`x "a`, `b\`, `c"`}, []string{`x "a`, "b", `c"`}, []LineEnd{LineQuoted, LineJoined, LineDone}},
	} {
		var s Scanner
		for i, line := range tc.lines {
			ls := s.Scan(line)
			if ls.Text != tc.texts[i] || ls.End != tc.ends[i] {
				t.Errorf("%q, line %d: %q, end %d; want %q, end %d", tc.lines, i+1, ls.Text, ls.End, tc.texts[i], tc.ends[i])
			}
		}
	}
	// A word continued on a plain line: a # in it is text, not a comment.
	var s Scanner
	s.Scan(`get /x\`)
	if ls := s.Scan("y#z"); ls.Comment != -1 || ls.End != LineDone {
		t.Errorf("y#z after a joined word: comment %d, end %d", ls.Comment, ls.End)
	}
}

func BenchmarkScanner(b *testing.B) {
	line := "get /anything/items/4?page=4&q=term4 X-Custom:v3"
	for b.Loop() {
		var s Scanner
		if ls := s.Scan(line); ls.End != LineDone {
			b.Fatal(ls)
		}
	}
}
