package apispec

import (
	"context"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

const completeJSON = "../../testdata/apispec/complete.json"

// sameCompletion checks that the completion spec answers for method and
// template (from the raw text when it is indexed lazily) is what the
// operation resolved by kin-openapi gives, in the lazy and the whole
// load.
func sameCompletion(t *testing.T, spec *Spec, method, tmpl string, ops ...*Op) {
	t.Helper()
	got, err := spec.Completion(method, tmpl)
	if err != nil {
		t.Errorf("%s %s: Completion: %v", method, tmpl, err)
		return
	}
	for _, op := range ops {
		if want := op.Completion(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s %s: Completion\n got  %+v\n want %+v (resolved)", method, tmpl, got, want)
		}
	}
}

// Every operation of the test descriptions: the candidates read from
// the raw text are those of the resolved operation.
func TestCompletionRawMatchesResolved(t *testing.T) {
	read := func(path string) []byte {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	cases := map[string][]byte{
		"complete.json":          read(completeJSON),
		"tasks-3.1.yaml":         read(tasks31),
		"discover.json":          read("../../testdata/apispec/discover.json"),
		"discover.yaml":          read("../../testdata/apispec/discover.yaml"),
		"bookstore-bundled.json": bundled(t),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			spec, err := Parse(context.Background(), name, data, nil)
			if err != nil {
				t.Fatal(err)
			}
			if spec.raw == nil {
				t.Fatal("not indexed from the raw text")
			}
			n := 0
			for _, tmpl := range spec.Templates() {
				for _, m := range methodOrder {
					op, ok := spec.Operation(m, tmpl)
					if !ok {
						if _, err := spec.Completion(m, tmpl); err == nil {
							t.Errorf("%s %s: completion of no operation", m, tmpl)
						}
						continue
					}
					sameCompletion(t, spec, m, tmpl, op)
					n++
				}
			}
			if n == 0 {
				t.Fatal("no operations compared")
			}
		})
	}
}

// What the raw text offers: parameters $ref'd from components, the path
// item's overridden by the operation's, a $ref'd request body with
// allOf merged, types and enums through $refs.
func TestCompletionFromRaw(t *testing.T) {
	spec := load(t, completeJSON)
	got, err := spec.Completion("post", "/shelves/7/items")
	if err != nil {
		t.Fatal(err)
	}
	want := &Completion{
		Params: []ParamCandidate{
			{Name: "mode", In: "query", Enum: []string{"fast", "slow"}},
			{Name: "X-Trace", In: "header", Enum: []string{"on", "off"}},
			{Name: "dry", In: "query", Enum: []string{"true", "false"}},
		},
		Fields: []FieldCandidate{
			{Name: "color", String: true, Enum: []string{"red", "green"}},
			{Name: "count", String: false},
			{Name: "name", String: true},
			{Name: "size", String: false, Enum: []string{"1", "2.5"}},
			{Name: "tags", String: false},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Completion\n got  %+v\n want %+v", got, want)
	}
	if _, err := spec.Completion("delete", "/shelves/7/items"); err != ErrNoOperation {
		t.Errorf("Completion of no operation: %v, want ErrNoOperation", err)
	}
}

// A description loaded whole answers from its resolved operations.
func TestCompletionWholeLoad(t *testing.T) {
	spec := load(t, bookstore)
	got, err := spec.Completion("get", "/store/books")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Params) != 3 || got.Params[0].Name != "genre" || len(got.Params[0].Enum) == 0 {
		t.Errorf("Completion: %+v", got)
	}
}

// A "$ref" key in example data (example, examples' values, default,
// enum, const, extensions) is no reference: the description loads
// without an error and without falling back to a whole load; a property
// named "example" is still a schema whose $ref counts.
func TestRefsInExampleData(t *testing.T) {
	spec := load(t, "../../testdata/apispec/example-refs.json")
	if spec.raw == nil {
		t.Fatal("loaded whole, want indexed from the raw text")
	}
	op, err := spec.Lookup("post", "/notes")
	if err != nil {
		t.Fatal(err)
	}
	sameCompletion(t, spec, "post", "/notes", op)
	c, _ := spec.Completion("post", "/notes")
	if len(c.Fields) != 3 || c.Fields[0].Name != "example" || !slices.Equal(c.Fields[0].Enum, []string{"memo", "todo"}) {
		t.Errorf("fields %+v", c.Fields)
	}

	dangling := `{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
"components": {"schemas": {"A": {"properties": {"example": {"$ref": "#/components/schemas/Nowhere"}}}}}}`
	_, err = Parse(context.Background(), "d.json", []byte(dangling), nil)
	if err == nil || !strings.Contains(err.Error(), `d.json: line 2: $ref "#/components/schemas/Nowhere": no such thing`) {
		t.Errorf("err = %v, want the dangling $ref of the property named example", err)
	}
	danglingExample := `{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
"components": {"responses": {"R": {"description": "r", "content": {"application/json": {
  "examples": {"e": {"$ref": "#/components/examples/Nowhere"}}}}}}}}`
	_, err = Parse(context.Background(), "e.json", []byte(danglingExample), nil)
	if err == nil || !strings.Contains(err.Error(), `$ref "#/components/examples/Nowhere": no such thing`) {
		t.Errorf("err = %v, want the dangling $ref of an Example object", err)
	}
}
