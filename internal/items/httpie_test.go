package items

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// httpieRecord is testdata/items/httpie-nested.json: what HTTPie 3 sends
// for generated item lists (written by testdata/items/gen-httpie.py).
type httpieRecord struct {
	About      string       `json:"about"`
	Cases      []httpieCase `json:"cases"`
	Deviations []httpieCase `json:"deviations"`
}

// httpieCase is one item list and HTTPie's JSON body or error.
type httpieCase struct {
	Items []string `json:"items"`
	Body  *string  `json:"body"`
	Error string   `json:"error"`
}

func loadHTTPie(t *testing.T) httpieRecord {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "items", "httpie-nested.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rec httpieRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatal(err)
	}
	if len(rec.Cases) < 300 {
		t.Fatalf("only %d cases in the HTTPie record", len(rec.Cases))
	}
	return rec
}

// bodyOf parses the words and builds the JSON body as reqsh sends it.
func bodyOf(words []string) ([]byte, error) {
	var its []Item
	for _, w := range words {
		it, err := Parse(w)
		if err != nil {
			return nil, err
		}
		its = append(its, it)
	}
	return JSONBody(its)
}

// TestHTTPieNested checks reqsh's JSON body against HTTPie's for every
// recorded item list: the same JSON (key order and repeated keys
// included; numbers by value, as HTTPie rewrites 1e3 as 1000.0), and an
// error, on one line naming an item, where HTTPie gives one.
func TestHTTPieNested(t *testing.T) {
	rec := loadHTTPie(t)
	errs := 0
	for _, c := range rec.Cases {
		got, err := bodyOf(c.Items)
		if c.Body == nil {
			errs++
			if err == nil {
				t.Errorf("%q: sent %s, HTTPie refuses: %s", c.Items, got, c.Error)
				continue
			}
			checkItemError(t, c.Items, err)
			continue
		}
		if err != nil {
			t.Errorf("%q: %v; HTTPie sends %s", c.Items, err, *c.Body)
			continue
		}
		if g, w := canonJSON(t, got), canonJSON(t, []byte(*c.Body)); g != w {
			t.Errorf("%q:\n got %s\nwant %s (HTTPie %s)", c.Items, g, w, *c.Body)
		}
	}
	if errs < 50 || errs > len(rec.Cases)-50 {
		t.Errorf("%d of %d cases are errors: the record does not cover both", errs, len(rec.Cases))
	}
}

// checkItemError checks that err is one line that quotes one of the items.
func checkItemError(t *testing.T, words []string, err error) {
	t.Helper()
	msg := err.Error()
	if strings.ContainsAny(msg, "\r\n") || strings.HasSuffix(msg, ".") {
		t.Errorf("%q: error is not one line: %q", words, msg)
	}
	for _, w := range words {
		if strings.Contains(msg, fmt.Sprintf("%q", w)) {
			return
		}
	}
	t.Errorf("%q: error names no item: %q", words, msg)
}

// TestHTTPieDeviations pins where reqsh differs from HTTPie 3.2 on
// purpose (README, "Request items"), and checks that HTTPie still does
// what the record says.
func TestHTTPieDeviations(t *testing.T) {
	rec := loadHTTPie(t)
	want := map[string]string{
		// A number as the first key is kept as typed.
		`["007=v"]`: `{"007":"v"}`,
		`["+1=v"]`:  `{"+1":"v"}`,
		`["1_0=v"]`: `{"1_0":"v"}`,
		// A path goes into a null, an object given by := (HTTPie drops
		// the whole body, or the item, without a word).
		`["a:=null","a[k]=2"]`:           `{"a":{"k":"2"}}`,
		`["a:={\"k\":1}","a[k]=2"]`:      `{"a":{"k":"2"}}`,
		`["a:={\"k\":1}","a[x]=2"]`:      `{"a":{"k":1,"x":"2"}}`,
		`["a:={}","a[k]=2"]`:             `{"a":{"k":"2"}}`,
		`["a:=[{\"k\":1}]","a[0][k]=2"]`: `{"a":[{"k":"2"}]}`,
		// An empty name is a typo.
		`["=x"]`: `error: empty field name in "=x"`,
	}
	if len(rec.Deviations) != len(want) {
		t.Errorf("%d deviations recorded, %d described", len(rec.Deviations), len(want))
	}
	for _, c := range rec.Deviations {
		key, _ := json.Marshal(c.Items)
		w, ok := want[string(key)]
		if !ok {
			t.Errorf("deviation %s not described", key)
			continue
		}
		got, err := bodyOf(c.Items)
		g := string(got)
		if err != nil {
			g = "error: " + err.Error()
		}
		if g != w {
			t.Errorf("%s: got %s, want %s", key, g, w)
		}
		if c.Body != nil && strings.HasPrefix(w, "{") && canonJSON(t, []byte(*c.Body)) == canonJSON(t, []byte(w)) {
			t.Errorf("%s: HTTPie sends %s too: no deviation", key, *c.Body)
		}
	}
}

// canonJSON writes JSON compactly with object keys in order (repeated ones
// kept) and numbers by value.
func canonJSON(t *testing.T, data []byte) string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var b strings.Builder
	var stack []bool // per open container: is it an object
	var count []int
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			b.WriteRune(rune(d))
			stack, count = stack[:len(stack)-1], count[:len(count)-1]
			continue
		}
		if n := len(stack); n > 0 {
			// In an object, even tokens are keys.
			if count[n-1] > 0 {
				if stack[n-1] && count[n-1]%2 == 1 {
					b.WriteByte(':')
				} else {
					b.WriteByte(',')
				}
			}
			count[n-1]++
		}
		switch v := tok.(type) {
		case json.Delim:
			b.WriteRune(rune(v))
			stack, count = append(stack, v == '{'), append(count, 0)
			continue
		case json.Number:
			f, _, err := big.ParseFloat(v.String(), 10, 200, big.ToNearestEven)
			if err != nil {
				t.Fatalf("number %s: %v", v, err)
			}
			b.WriteString(f.Text('g', -1))
		default:
			s, _ := json.Marshal(v)
			b.Write(s)
		}
	}
	if _, err := dec.Token(); err == nil {
		t.Fatalf("canonJSON: trailing data in %s", data)
	}
	return b.String()
}

func TestCanonJSON(t *testing.T) {
	same := [][2]string{
		{`{"a": 1.5, "b": [1000.0, {"c": null}]}`, `{"a":1.50,"b":[1e3,{"c":null}]}`},
		{`{"u": "\u00e9"}`, `{"u":"é"}`},
		{`[1, 2]`, `[1,2]`},
	}
	for _, p := range same {
		if a, b := canonJSON(t, []byte(p[0])), canonJSON(t, []byte(p[1])); a != b {
			t.Errorf("canonJSON(%s) = %s, canonJSON(%s) = %s", p[0], a, p[1], b)
		}
	}
	differ := [][2]string{
		{`{"a":1,"b":2}`, `{"b":2,"a":1}`},
		{`{"a":1,"a":2}`, `{"a":2}`},
		{`{"a":"1"}`, `{"a":1}`},
		{`[null,"x"]`, `["x"]`},
		{`{"a":[]}`, `{"a":{}}`},
	}
	for _, p := range differ {
		if canonJSON(t, []byte(p[0])) == canonJSON(t, []byte(p[1])) {
			t.Errorf("canonJSON does not tell %s from %s", p[0], p[1])
		}
	}
}
