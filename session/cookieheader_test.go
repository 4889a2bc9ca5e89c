package session

import (
	"net/http"
	"testing"
)

// TestCookieHeader checks how a hand-given Cookie and the jar's cookies
// make one header: hand-given first, a jar cookie of the same name left
// out, a Quoted jar cookie written in double quotes.
func TestCookieHeader(t *testing.T) {
	jar := []*http.Cookie{
		{Name: "a", Value: "jar"},
		{Name: "q", Value: "abc", Quoted: true},
		{Name: "sp", Value: "x y", Quoted: true},
	}
	cases := []struct{ hand, want string }{
		{"", `a=jar; q="abc"; sp="x y"`},
		{"a=1", `a=1; q="abc"; sp="x y"`},
		{"q=2; a=3", `q=2; a=3; sp="x y"`},
		{" a =4;b", ` a =4;b; q="abc"; sp="x y"`},
		{"aa=5", `aa=5; a=jar; q="abc"; sp="x y"`},
	}
	for _, tc := range cases {
		if got := cookieHeader(tc.hand, jar); got != tc.want {
			t.Errorf("hand %q: Cookie %q, want %q", tc.hand, got, tc.want)
		}
	}
	if got := cookieHeader("a=1", nil); got != "a=1" {
		t.Errorf("empty jar: Cookie %q, want the hand-given one", got)
	}
}
