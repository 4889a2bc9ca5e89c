package repl

import (
	"io"
	"net/http/httptest"
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
