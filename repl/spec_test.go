package repl

import (
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reqsh/reqsh/internal/apispec"
	"github.com/reqsh/reqsh/internal/demo"
)

// specShell is a shell at the bookstore's base path with its description
// loaded by --spec.
func specShell(t *testing.T) *shell {
	t.Helper()
	srv := httptest.NewServer(demo.Handler())
	t.Cleanup(srv.Close)
	sh, err := newShell(&config{color: "never", baseURL: srv.URL + "/store", spec: "../internal/bookstore/openapi.yaml"},
		strings.NewReader(""), io.Discard, io.Discard, []string{"HOME=/nowhere"})
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

func TestCompleteFromSpec(t *testing.T) {
	sh := specShell(t)
	cases := []struct {
		line string
		want []string
	}{
		{"get ", []string{"authors/", "bargains/", "books/"}},
		{"get books/", []string{"books/{isbn}/"}},
		{"cd bo", []string{"books/"}},
		{"ls books/978-0/", []string{"books/978-0/reviews/"}},
		{"get books ", []string{"genre==", "limit==", "X-Request-Id:"}},
		{"get books genre==", []string{"genre==fiction", "genre==science", "genre==history"}},
		{"get books genre==s", []string{"genre==science"}},
		{"post books ", []string{"genre=", "in_stock:=", "isbn=", "price:=", "tags:=", "title="}},
		{"post books genre=h", []string{"genre=history"}},
		{"get books/978-0 format==", []string{"format==full", "format==short"}},
	}
	for _, c := range cases {
		_, got := sh.complete(c.line)
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("complete(%q) = %q, want %q among them", c.line, got, w)
			}
		}
	}
}

func TestSpecFlagFillsBase(t *testing.T) {
	sh, err := newShell(&config{color: "never", spec: "../internal/bookstore/openapi.yaml"},
		strings.NewReader(""), io.Discard, io.Discard, []string{"HOME=/nowhere"})
	if err != nil {
		t.Fatal(err)
	}
	if got := sh.sess.Base.String(); got != "http://localhost:8080/store" {
		t.Errorf("base = %q, want the first server with its variables' defaults", got)
	}
}

func TestSpecFlagBadFile(t *testing.T) {
	_, err := newShell(&config{color: "never", spec: "../testdata/apispec/broken.yaml"},
		strings.NewReader(""), io.Discard, io.Discard, []string{"HOME=/nowhere"})
	if err == nil || !strings.Contains(err.Error(), "broken.yaml: not JSON or YAML: line 7") {
		t.Errorf("err = %v, want one naming the file and line", err)
	}
}

// TestPathParam: only a whole "{name}" segment is a path parameter.
func TestPathParam(t *testing.T) {
	for seg, want := range map[string]string{"{isbn}": "isbn", "isbn}": "", "{isbn": "", "{}": "", "{a{b}": "", "isbn": ""} {
		if got, ok := pathParam(seg); got != want || ok != (want != "") {
			t.Errorf("pathParam(%q) = %q, %v; want %q", seg, got, ok, want)
		}
	}
}

// Enum values of header parameters complete after Name:, in the case
// typed; field:= offers nothing of them.
func TestItemCandidatesHeaderEnum(t *testing.T) {
	c := &apispec.Completion{
		Params: []apispec.ParamCandidate{{Name: "X-Mode", In: "header", Enum: []string{"fast", "slow"}}},
		Fields: []apispec.FieldCandidate{{Name: "n", String: false}},
	}
	cases := map[string][]string{
		"":        {"X-Mode:", "n:="},
		"x-mode:": {"x-mode:fast", "x-mode:slow"},
		"X-Mode:": {"X-Mode:fast", "X-Mode:slow"},
		"n:=":     nil,
		"n=":      nil,
	}
	for word, want := range cases {
		if got := itemCandidates(c, word); !slices.Equal(got, want) {
			t.Errorf("itemCandidates(%q) = %q, want %q", word, got, want)
		}
	}
}

// An operation that loads with the description but fails to resolve
// when first used: help says why in one line, not "no operation"; its
// items still complete from the raw text.
func TestHelpShowsResolveError(t *testing.T) {
	dir := t.TempDir()
	desc := filepath.Join(dir, "bad-op.json")
	js := `{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "servers": [{"url": "http://localhost:9/"}],
  "paths": {"/x": {"get": {"parameters": [{"name": "a", "in": "query", "schema": {"type": 5}}],
  "responses": {"200": {"description": "ok"}}}}}}`
	if err := os.WriteFile(desc, []byte(js), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runScript(t, strings.NewReader("spec load "+desc+"\nhelp get /x\n"))
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	_, errLine, _ := strings.Cut(stderr, "\n") // after "loaded T 1: ..."
	if strings.Count(errLine, "\n") != 1 || !strings.HasPrefix(errLine, "error: line 2: help GET /x: ") {
		t.Fatalf("stderr is not one error line after the load: %q", stderr)
	}
	for _, w := range []string{"bad-op.json", `path "/x"`, "cannot unmarshal number"} {
		if !strings.Contains(errLine, w) {
			t.Errorf("the error line lacks %q: %q", w, errLine)
		}
	}
	if strings.Contains(stderr, "no operation") {
		t.Errorf("stderr says no operation: %q", stderr)
	}

	sh, err := newShell(&config{color: "never", spec: desc}, strings.NewReader(""), io.Discard, io.Discard, []string{"HOME=/nowhere"})
	if err != nil {
		t.Fatal(err)
	}
	if _, got := sh.complete("get /x "); !slices.Contains(got, "a==") {
		t.Errorf("complete(%q) = %q, want a== among them", "get /x ", got)
	}
}
