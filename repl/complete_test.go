package repl

import (
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func testShell(t *testing.T) *shell {
	t.Helper()
	sh, err := newShell(&config{color: "never", baseURL: "http://127.0.0.1:8080"}, strings.NewReader(""), io.Discard, io.Discard, []string{"HOME=/nowhere", "API_TOKEN=x"})
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

func TestComplete(t *testing.T) {
	sh := testShell(t)
	sh.sess.Headers.Set("X-Session", "1")
	sh.sess.Params.Set("from", "perfcode.com")
	sh.vars["token"] = "abc"
	sh.notePaths("/users", "/users/1", "/get")

	cases := []struct {
		line     string
		word     string
		contains []string
		absent   []string
	}{
		{"he", "he", []string{"header ", "headers ", "head ", "help "}, []string{"get "}},
		{"HEA", "HEA", []string{"HEADER ", "HEAD "}, nil},
		{"header ", "", []string{"set ", "unset ", "clear ", "list "}, nil},
		{"header s", "s", []string{"set "}, []string{"unset "}},
		{"header set acc", "acc", []string{"accept", "accept-encoding", "accept-language"}, []string{"Accept"}},
		{"header set Content-Type app", "app", []string{"application/json"}, nil},
		{"header unset ", "", []string{"X-Session"}, nil},
		{"header unset X-", "X-", []string{"X-Session"}, []string{"X-SESSION"}},
		{"header unset X-SE", "X-SE", []string{"X-SESSION"}, nil},
		{"header unset x-", "x-", []string{"x-session"}, nil},
		// Title-Case typing keeps the names' case; two capitals in a row
		// ask for capitals.
		{"get /get X-R", "X-R", []string{"X-Request-Id:", "X-Requested-With:"}, []string{"X-REQUEST-ID:"}},
		{"get /get X-Request-I", "X-Request-I", []string{"X-Request-Id:"}, nil},
		{"header set X-F", "X-F", []string{"X-Forwarded-For", "X-Forwarded-Host"}, []string{"X-FORWARDED-FOR"}},
		{"header set C-", "C-", nil, []string{"C-ONTENT-TYPE"}},
		{"header set X-FO", "X-FO", []string{"X-FORWARDED-FOR"}, nil},
		{"get /get x-r", "x-r", []string{"x-request-id:"}, nil},
		{"params unset f", "f", []string{"from"}, nil},
		{"set ", "", []string{"timeout", "follow", "verify"}, nil},
		{"set follow o", "o", []string{"on", "off"}, nil},
		{"get ", "", []string{"/users", "/users/1", "/get"}, nil},
		{"get /us", "/us", []string{"/users", "/users/1"}, []string{"/get"}},
		{"get /get User-Ag", "User-Ag", []string{"User-Agent:"}, nil},
		{"get /get accept:app", "accept:app", []string{"accept:application/json"}, nil},
		{"post /post --fo", "--fo", []string{"--form ", "--follow "}, nil},
		{"get /get -A ", "", []string{"basic", "digest", "bearer"}, nil},
		{"get /get X-Token:{{to", "X-Token:{{to", []string{"X-Token:{{token}}"}, nil},
		{"get /{{env.API", "/{{env.API", []string{"/{{env.API_TOKEN}}"}, nil},
		{"get /get a=={{env.api", "a=={{env.api", nil, []string{"a=={{env.api_token}}"}},
		{"help hea", "hea", []string{"header", "head"}, nil},
		{"cd ", "", []string{"..", "/users"}, nil},
		{"cookies s", "s", []string{"set ", "show "}, nil},
		{"nosuch ", "", nil, []string{"set "}},
	}
	for _, tc := range cases {
		word, got := sh.complete(tc.line)
		if word != tc.word {
			t.Errorf("complete(%q): word %q, want %q", tc.line, word, tc.word)
		}
		for _, want := range tc.contains {
			if !contains(got, want) {
				t.Errorf("complete(%q) = %q, lacks %q", tc.line, got, want)
			}
		}
		for _, bad := range tc.absent {
			if contains(got, bad) {
				t.Errorf("complete(%q) = %q, should not offer %q", tc.line, got, bad)
			}
		}
		for _, g := range got {
			if !strings.HasPrefix(g, tc.word) {
				t.Errorf("complete(%q): candidate %q does not extend %q as typed", tc.line, g, tc.word)
			}
		}
	}
}

func TestCompleteFiles(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"body.json", "big.bin", ".hidden"} {
		os.WriteFile(filepath.Join(dir, f), nil, 0o600)
	}
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	sh := testShell(t)
	cases := map[string][]string{
		"post /post @" + dir + "/b":          {"@" + dir + "/big.bin", "@" + dir + "/body.json"},
		"post /post file@" + dir + "/s":      {"file@" + dir + "/sub/"},
		"post /post note=@" + dir + "/bo":    {"note=@" + dir + "/body.json"},
		"get /bytes/9 -o " + dir + "/":       {dir + "/big.bin", dir + "/body.json", dir + "/sub/"},
		"post /post raw:=@" + dir + "/body.": {"raw:=@" + dir + "/body.json"},
		"source " + dir + "/bo":              {dir + "/body.json"},
		"source " + dir + "/body.json x":     nil,
	}
	for line, want := range cases {
		_, got := sh.complete(line)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("complete(%q) = %q, want %q", line, got, want)
		}
	}
}

// TestCompleterDo checks the readline adapter: suffixes and the length of
// the word they complete.
func TestCompleterDo(t *testing.T) {
	c := &completer{sh: testShell(t)}
	line := []rune("header s")
	got, n := c.Do(line, len(line))
	if n != 1 || len(got) != 1 || string(got[0]) != "et " {
		t.Errorf("Do(%q) = %q, %d; want [\"et \"], 1", string(line), got, n)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
