package repl

import (
	"slices"
	"testing"
)

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"get", "get", 0}, {"gt", "get", 1}, {"hedaer", "header", 1},
		{"ab", "ba", 1}, {"frob", "show", 3}, {"", "abc", 3}, {"kitten", "sitting", 3},
		{"héader", "header", 1},
	} {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	cmds := []string{"get", "post", "put", "head", "header", "headers", "help", "set", "session", "cookies"}
	for _, tc := range []struct {
		word string
		want []string
	}{
		{"gt", []string{"get"}},
		{"GT", []string{"get"}},
		{"pst", []string{"post", "put"}},
		{"sesion", []string{"session"}},
		{"cooki", []string{"cookies"}},                // a prefix
		{"he", []string{"head", "header", "headers"}}, // prefixes, at most three
		{"frobnicate", nil},                           // nothing near
		{"x", nil},
	} {
		if got := suggest(tc.word, cmds); !slices.Equal(got, tc.want) {
			t.Errorf("suggest(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
	if got, want := didYouMean("pst", cmds), `: did you mean "post" or "put"?`; got != want {
		t.Errorf("didYouMean = %q, want %q", got, want)
	}
}
