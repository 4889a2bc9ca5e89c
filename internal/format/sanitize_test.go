package format

import "testing"

func TestTypeable(t *testing.T) {
	yes := []string{"", "/users/1", "X-Api-Key:", "héllo wörld", "/search?q=日本", "set "}
	no := []string{
		"/a\x1b]52;c;eA==\x07", "/a\tb", "/a\nb", "/a\rb", "/a\x7f", "/a\u009b1m",
		"/bidi\u202egnp.exe", "/a\u2066b", "/a\u200fb", "/sep\u2028line", "/a\u2029b", "/a\xff",
	}
	for _, s := range yes {
		if !Typeable(s) {
			t.Errorf("Typeable(%q) = false, want true", s)
		}
	}
	for _, s := range no {
		if Typeable(s) {
			t.Errorf("Typeable(%q) = true, want false", s)
		}
		if Sanitize(s) == s && s != "/a\tb" && s != "/a\nb" {
			t.Errorf("Sanitize(%q) leaves it as is, yet Typeable refuses it", s)
		}
	}
}
