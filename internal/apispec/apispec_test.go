package apispec

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

const (
	bookstore = "../bookstore/openapi.yaml"
	tasks31   = "../../testdata/apispec/tasks-3.1.yaml"
	petstore2 = "../../testdata/apispec/petstore-swagger2.json"
)

// load loads a description or fails the test.
func load(t *testing.T, source string) *Spec {
	t.Helper()
	s, err := Load(context.Background(), source, nil)
	if err != nil {
		t.Fatalf("load %s: %v", source, err)
	}
	return s
}

// parseFull parses data as parse does, but resolves the description
// whole, the way taken before the lazy index.
func parseFull(t *testing.T, source string, data []byte) *Spec {
	t.Helper()
	loc, err := location(source)
	if err != nil {
		t.Fatal(err)
	}
	js, _, err := asJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := loadData(context.Background(), js, loc, nil, true)
	if err != nil {
		t.Fatalf("full load of %s: %v", source, err)
	}
	return fullSpec(source, doc)
}

// bundled is the bookstore's description with its $refs to schemas.yaml
// made local (by kin-openapi), as JSON: one file the lazy index takes.
func bundled(t *testing.T) []byte {
	t.Helper()
	s := load(t, bookstore)
	s.Doc.InternalizeRefs(context.Background(), nil)
	js, err := json.Marshal(s.Doc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

func TestLoadModes(t *testing.T) {
	cases := map[string]struct {
		source string
		lazy   bool
	}{
		"relative-file refs load whole":  {bookstore, false},
		"swagger 2.0 is converted whole": {petstore2, false},
		"one-file 3.1 YAML is indexed":   {tasks31, true},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if s := load(t, c.source); s.lazy != c.lazy {
				t.Errorf("lazy = %v, want %v", s.lazy, c.lazy)
			}
		})
	}
}

func TestServersFillVariables(t *testing.T) {
	cases := map[string][]string{
		bookstore: {"http://localhost:8080/store"},
		tasks31:   {"http://localhost:9000/v1"},
		petstore2: {"http://localhost:8080/anything"},
	}
	for source, want := range cases {
		if got := load(t, source).Servers(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Servers() = %q, want %q", source, got, want)
		}
	}
}

func TestTitleAndOperations(t *testing.T) {
	s := load(t, bookstore)
	title, version := s.Title()
	if title != "Bookstore" || version != "1.2.0" || s.Operations() != 9 {
		t.Errorf("got %q %q %d operations, want Bookstore 1.2.0 9", title, version, s.Operations())
	}
}

func TestChildren(t *testing.T) {
	s := load(t, bookstore)
	cases := map[string][]Entry{
		"/store": {
			{Name: "authors", Methods: []string{"get"}},
			{Name: "bargains", Methods: []string{"get"}, Leaf: true},
			{Name: "books", Methods: []string{"get", "post"}},
		},
		"/store/books":        {{Name: "{isbn}", Methods: []string{"get", "put", "delete"}}},
		"/store/books/978-0":  {{Name: "reviews", Methods: []string{"get"}, Leaf: true}},
		"/store/books/{isbn}": {{Name: "reviews", Methods: []string{"get"}, Leaf: true}},
		"/books":              {{Name: "{isbn}", Methods: []string{"get", "put", "delete"}}},
	}
	for p, want := range cases {
		got, ok := s.Children(p)
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("Children(%q) = %+v, %v; want %+v", p, got, ok, want)
		}
	}
	if _, ok := s.Children("/store/nowhere"); ok {
		t.Error(`Children("/store/nowhere") is ok, want not a path`)
	}
}

func TestMatch(t *testing.T) {
	s := load(t, bookstore)
	cases := map[string]struct {
		template string
		params   map[string]string
	}{
		"/store/books/978-0":         {"/books/{isbn}", map[string]string{"isbn": "978-0"}},
		"/store/books/a%20b/reviews": {"/books/{isbn}/reviews", map[string]string{"isbn": "a b"}},
		"/books?genre=x":             {"/books", map[string]string{}},
		"/store/authors/7":           {"/authors/{id}", map[string]string{"id": "7"}},
	}
	for p, want := range cases {
		tmpl, item, params, ok := s.Match(p)
		if !ok || tmpl != want.template || item == nil || !reflect.DeepEqual(params, want.params) {
			t.Errorf("Match(%q) = %q, %v, %v; want %q, %v", p, tmpl, params, ok, want.template, want.params)
		}
	}
	for _, p := range []string{"/store/nowhere", "/store", "/other/books"} {
		if tmpl, _, _, ok := s.Match(p); ok {
			t.Errorf("Match(%q) = %q, want no match", p, tmpl)
		}
	}
}

// A literal segment wins over a parameter, and of two parameter
// segments the one that leads to a template wins, whatever the map order.
func TestMatchPrefersTemplates(t *testing.T) {
	doc := `{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
		"/repos/{owner}/{repo}": {"get": {"responses": {"200": {"description": "ok"}}}},
		"/repos/{template_owner}/{template_repo}/generate": {"post": {"responses": {"201": {"description": "ok"}}}},
		"/repos/mine/{repo}": {"delete": {"responses": {"204": {"description": "ok"}}}}}}`
	s, err := Parse(context.Background(), "t.json", []byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		if tmpl, _, _, _ := s.Match("/repos/octo/hello"); tmpl != "/repos/{owner}/{repo}" {
			t.Fatalf("Match(/repos/octo/hello) = %q", tmpl)
		}
		if tmpl, _, _, _ := s.Match("/repos/mine/hello"); tmpl != "/repos/mine/{repo}" {
			t.Fatalf("Match(/repos/mine/hello) = %q", tmpl)
		}
	}
}

func TestTemplates(t *testing.T) {
	want := []string{"/authors", "/authors/{id}", "/bargains", "/books", "/books/{isbn}", "/books/{isbn}/reviews"}
	if got := load(t, bookstore).Templates(); !reflect.DeepEqual(got, want) {
		t.Errorf("Templates() = %q, want %q", got, want)
	}
}

func TestOperation(t *testing.T) {
	s := load(t, bookstore)
	op, ok := s.Operation("get", "/store/books/978-0")
	if !ok {
		t.Fatal("no GET /store/books/978-0")
	}
	if op.Method != "GET" || op.Template != "/books/{isbn}" || op.PathParams["isbn"] != "978-0" {
		t.Errorf("got %s %s %v", op.Method, op.Template, op.PathParams)
	}
	var names []string
	for _, p := range op.Parameters() {
		names = append(names, p.In+":"+p.Name)
	}
	if want := []string{"path:isbn", "query:format"}; !reflect.DeepEqual(names, want) {
		t.Errorf("Parameters() = %q, want %q (the path item's, then the operation's)", names, want)
	}
	if _, ok := s.Operation("patch", "/store/books/978-0"); ok {
		t.Error("PATCH /store/books/978-0 found, want none")
	}
	if _, err := s.Lookup("patch", "/store/books/978-0"); !errors.Is(err, ErrNoOperation) {
		t.Errorf("Lookup(PATCH) = %v, want ErrNoOperation", err)
	}
}

func TestDescribe(t *testing.T) {
	s := load(t, bookstore)
	op, _ := s.Operation("post", "/store/books")
	var b strings.Builder
	op.Describe(&b)
	want := `POST /books
  Add a book
Request body (application/json, required):
  genre     string           enum: fiction, science, history
  in_stock  boolean
  isbn      string           required
  price     number           required
  tags      array of string
  title     string           required
  example: {"genre":"fiction","in_stock":false,"isbn":"978-0","price":9.5,"tags":["string"],"title":"Dune"}
Responses:
  201  The book as stored     application/json Book
  400  The book is not valid
`
	if b.String() != want {
		t.Errorf("Describe:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestCheckRequest(t *testing.T) {
	s := load(t, bookstore)
	cases := map[string]struct {
		method, target, body string
		want                 []string
	}{
		"conforms": {"POST", "/store/books", `{"isbn":"1","title":"t","price":1}`, nil},
		"missing field and wrong type": {"POST", "/store/books", `{"isbn":"1","price":"x"}`, []string{
			`/price: value must be a number`,
			`/title: property "title" is missing`,
		}},
		"unknown and bad query parameters": {"GET", "/store/books?colour=red&genre=poetry", "", []string{
			`query parameter "colour": not a parameter of GET /books`,
			`query parameter "genre": value is not one of the allowed values ["fiction","science","history"]`,
		}},
		"no such operation": {"PATCH", "/store/books", "", []string{
			"PATCH /store/books: no such operation in the API description",
		}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, "http://localhost:8080"+c.target, nil)
			if c.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			got := s.CheckRequest(context.Background(), req, []byte(c.body))
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestCheckResponseViolationPointers(t *testing.T) {
	s := load(t, bookstore)
	h := http.Header{"Content-Type": {"application/json"}}
	body := `{"items": [{"isbn": "1", "title": "a", "price": 1}, {"isbn": "2", "title": "b", "price": "cheap"}]}`
	got, err := s.CheckResponse(context.Background(), "GET", "/store/bargains", 200, h, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/items/1/price: value must be a number"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, _ := s.CheckResponse(context.Background(), "GET", "/store/authors/1", 200, h, []byte(`{"id":1,"name":"a"}`)); len(got) != 0 {
		t.Errorf("a conforming response: %q", got)
	}
	if _, err := s.CheckResponse(context.Background(), "GET", "/store/nowhere", 200, h, nil); err == nil {
		t.Error("no error for a path the description does not have")
	}
}

// OpenAPI 3.1 schemas are validated as JSON Schema 2020-12: type arrays
// with "null", const, prefixItems.
func TestOpenAPI31Validation(t *testing.T) {
	s := load(t, tasks31)
	h := http.Header{"Content-Type": {"application/json"}}
	cases := map[string][]string{
		`{"kind": "task", "title": "a", "note": null, "tags": ["x", 1]}`: nil,
		`{"kind": "job", "title": "a", "note": 5}`: {
			"/kind: value must be 'task'",
			"/note: got number, want null or string",
		},
		`{"kind": "task", "title": "a", "tags": [1, "x"]}`: {
			"/tags/0: got number, want string",
			"/tags/1: got string, want integer",
		},
	}
	for body, want := range cases {
		got, err := s.CheckResponse(context.Background(), "GET", "/v1/tasks/1", 200, h, []byte(body))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %q, %v; want %q", body, got, err, want)
		}
	}
	req, _ := http.NewRequest("PUT", "http://localhost:9000/v1/tasks/1", nil)
	req.Header.Set("Content-Type", "application/json")
	got := s.CheckRequest(context.Background(), req, []byte(`{"title": "a", "note": null}`))
	if want := []string{`/kind: missing property 'kind'`}; !reflect.DeepEqual(got, want) {
		t.Errorf("request: got %q, want %q", got, want)
	}
}

func TestSwagger2(t *testing.T) {
	s := load(t, petstore2)
	if s.Operations() != 3 {
		t.Errorf("Operations() = %d, want 3", s.Operations())
	}
	op, ok := s.Operation("get", "/anything/pets")
	if !ok {
		t.Fatal("no GET /anything/pets")
	}
	p := op.Parameters()
	if len(p) != 1 || p[0].Name != "kind" || !reflect.DeepEqual(EnumValues(p[0].Schema.Value), []string{"cat", "dog"}) {
		t.Errorf("parameters: %+v", p)
	}
}

func TestRelativeFileRef(t *testing.T) {
	op, ok := load(t, bookstore).Operation("get", "/store/books")
	if !ok {
		t.Fatal("no GET /store/books")
	}
	genre := op.Parameters()[0].Schema
	if genre.Ref != "schemas.yaml#/Genre" || !reflect.DeepEqual(EnumValues(genre.Value), []string{"fiction", "science", "history"}) {
		t.Errorf("genre from schemas.yaml: ref %q, enum %v", genre.Ref, EnumValues(genre.Value))
	}
}

func TestErrorsNameLine(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]struct{ text, want string }{
		"bad.json": {"{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {,}\n}",
			`bad.json: not JSON: line 3, column 13: invalid character ',' looking for beginning of object key string`},
		"dangling.json": {"{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"},\n\"paths\": {\"/a\": {\"get\": {\"responses\": {\"200\": {\"description\": \"ok\",\n  \"content\": {\"application/json\": {\"schema\": {\"$ref\": \"#/components/schemas/Gone\"}}}}}}}}}",
			`dangling.json: line 3: $ref "#/components/schemas/Gone": no such thing in the description`},
		"dangling.yaml": {"openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    parameters:\n      - $ref: '#/components/parameters/Nope'\n",
			`dangling.yaml: line 6: $ref "#/components/parameters/Nope": no such thing in the description`},
		"bad.yaml":  {"openapi: 3.0.3\npaths:\n  /a: [\n", `bad.yaml: not JSON or YAML: line 4: did not find expected node content`},
		"none.yaml": {"title: not a description\n", `none.yaml: not an OpenAPI description: no "openapi" or "swagger" version`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, []byte(c.text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(context.Background(), path, nil)
			if err == nil || err.Error() != filepath.Join(dir, c.want) {
				t.Errorf("got  %v\nwant %s", err, filepath.Join(dir, c.want))
			}
		})
	}
}

// The lazy index gives what resolving the whole description gives: the
// same tree, the same operations, the same help and the same checks.
func TestLazyMatchesFull(t *testing.T) {
	read := func(path string) []byte {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	cases := map[string][]byte{
		"tasks-3.1.yaml":         read(tasks31),
		"bookstore-bundled.json": bundled(t),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			lazy, err := Parse(context.Background(), name, data, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !lazy.lazy {
				t.Fatal("not loaded lazily")
			}
			sameSpec(t, lazy, parseFull(t, name, data))
		})
	}
}

// sameSpec compares two Specs of one description on every template and
// method: children, help, the operation as JSON, and the checks of an
// empty request and an empty response.
func sameSpec(t *testing.T, lazy, full *Spec) {
	t.Helper()
	if !reflect.DeepEqual(lazy.Templates(), full.Templates()) || lazy.Operations() != full.Operations() ||
		!reflect.DeepEqual(lazy.Servers(), full.Servers()) {
		t.Fatalf("templates %q / %q, operations %d / %d", lazy.Templates(), full.Templates(), lazy.Operations(), full.Operations())
	}
	lt, lv := lazy.Title()
	ft, fv := full.Title()
	if lt != ft || lv != fv {
		t.Errorf("title %q %q / %q %q", lt, lv, ft, fv)
	}
	for _, tmpl := range full.Templates() {
		lc, _ := lazy.Children(tmpl)
		fc, _ := full.Children(tmpl)
		if !reflect.DeepEqual(lc, fc) {
			t.Errorf("Children(%q): %v / %v", tmpl, lc, fc)
		}
		for _, m := range methodOrder {
			fo, fok := full.Operation(m, tmpl)
			lo, lok := lazy.Operation(m, tmpl)
			if fok != lok {
				t.Errorf("%s %s: found %v lazily, %v whole", m, tmpl, lok, fok)
				continue
			}
			if !fok {
				continue
			}
			sameCompletion(t, lazy, m, tmpl, lo, fo)
			var lb, fb strings.Builder
			lo.Describe(&lb)
			fo.Describe(&fb)
			if lb.String() != fb.String() {
				t.Errorf("%s %s: Describe:\n%s\nwhole:\n%s", m, tmpl, lb.String(), fb.String())
			}
			lj, _ := json.Marshal(lo.Op)
			fj, _ := json.Marshal(fo.Op)
			if string(lj) != string(fj) {
				t.Errorf("%s %s: operation:\n%s\nwhole:\n%s", m, tmpl, lj, fj)
			}
			req := &http.Request{Method: strings.ToUpper(m), URL: &url.URL{Path: tmpl, RawQuery: "x=1"}, Header: http.Header{"Content-Type": {"application/json"}}}
			lr := lazy.CheckRequest(context.Background(), req, []byte("{}"))
			fr := full.CheckRequest(context.Background(), req, []byte("{}"))
			if !reflect.DeepEqual(lr, fr) {
				t.Errorf("%s %s: CheckRequest %q / %q", m, tmpl, lr, fr)
			}
			h := http.Header{"Content-Type": {"application/json"}}
			lv, _ := lazy.CheckResponse(context.Background(), m, tmpl, 200, h, []byte(`{"items": [{}]}`))
			fv, _ := full.CheckResponse(context.Background(), m, tmpl, 200, h, []byte(`{"items": [{}]}`))
			if !reflect.DeepEqual(lv, fv) {
				t.Errorf("%s %s: CheckResponse %q / %q", m, tmpl, lv, fv)
			}
		}
	}
}

// GitHub's description, when REQSH_SPEC_CORPUS names it (make
// spec-corpus fetches it): the lazy index against the whole load, on a
// sample of its operations.
func TestLazyMatchesFullOnCorpus(t *testing.T) {
	path := os.Getenv("REQSH_SPEC_CORPUS")
	if path == "" {
		t.Skip("REQSH_SPEC_CORPUS not set")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lazy, err := Parse(context.Background(), path, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameSpec(t, lazy, parseFull(t, path, data))
}

// Path items resolve once, whoever asks first, from many goroutines.
func TestLazyConcurrent(t *testing.T) {
	s, err := Parse(context.Background(), "b.json", bundled(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	ops := make([]*Op, 8)
	for i := range ops {
		wg.Go(func() {
			ops[i], _ = s.Operation("get", "/store/books/1")
		})
	}
	wg.Wait()
	for i, op := range ops {
		if op == nil || op.Op != ops[0].Op {
			t.Fatalf("goroutine %d: %v, want the one resolved operation", i, op)
		}
	}
}

func ExampleSpec_Children() {
	s, _ := Load(context.Background(), "../bookstore/openapi.yaml", nil)
	entries, _ := s.Children("/store/books")
	for _, e := range entries {
		fmt.Println(e.Name, e.Methods)
	}
	// Output: {isbn} [get put delete]
}
