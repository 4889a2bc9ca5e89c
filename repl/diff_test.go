package repl

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestDiffJSONPaths(t *testing.T) {
	a := `{"items":[{"price":1},{"price":2},{"price":3},{"price":10}],"a":{"c":1},"c":true,"k.x":1}`
	b := `{"items":[{"price":1},{"price":2},{"price":3},{"price":12}],"a":{"b":"x","c":1},"k.x":"1"}`
	got := diffBodies([]byte(a), []byte(b), "#1", "#2")
	want := []string{`a.b: added "x"`, `c: removed`, `items.3.price: 10 -> 12`, `k\.x: 1 -> "1"`}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestDiffHeadersKeepsDate(t *testing.T) {
	a := http.Header{"Date": {"Mon, 01 Jan 2024 00:00:00 GMT"}, "X-Old": {"1"}}
	b := http.Header{"Date": {"Mon, 01 Jan 2024 00:00:01 GMT"}, "X-New": {"a", "b"}}
	got := diffHeaders(a, b)
	want := []string{
		`header Date: "Mon, 01 Jan 2024 00:00:00 GMT" -> "Mon, 01 Jan 2024 00:00:01 GMT"`,
		`header X-New: added "a, b"`,
		`header X-Old: removed`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestUnifiedDiffHunks(t *testing.T) {
	var a, b []string
	for i := 1; i <= 20; i++ {
		a = append(a, strings.Repeat("x", i))
		b = append(b, strings.Repeat("x", i))
	}
	b[1] = "changed"                                          // line 2
	b = append(b[:17], append([]string{"new"}, b[17:]...)...) // after line 17
	got, ok := unifiedDiff(a, b, "#1", "#2")
	if !ok {
		t.Fatal("not diffed")
	}
	want := []string{
		"--- #1", "+++ #2",
		"@@ -1,5 +1,5 @@", "x", "-xx", "+changed", "xxx", "xxxx", "xxxxx",
		"@@ -15,6 +15,7 @@", strings.Repeat("x", 15), strings.Repeat("x", 16), strings.Repeat("x", 17), "+new",
		strings.Repeat("x", 18), strings.Repeat("x", 19), strings.Repeat("x", 20),
	}
	for i, l := range want {
		if len(l) > 0 && l[0] == 'x' {
			want[i] = " " + l
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
