package repl

import (
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/reqsh/reqsh/internal/apispec"
)

// completeSpecPath offers the description's path segments under the
// base path for the first argument (ls, cd): "books/", "{isbn}/".
func completeSpecPath(sh *shell, args []string, word string) []string {
	if len(args) > 0 || sh.spec == nil {
		return nil
	}
	return sh.specPaths(word)
}

// specPaths lists the children of the directory part of word, each
// after that part: "books/9" -> "books/{isbn}/".
func (sh *shell) specPaths(word string) []string {
	dir := word[:strings.LastIndex(word, "/")+1]
	p, err := sh.specPath(dir)
	if err != nil {
		return nil
	}
	entries, ok := sh.spec.Children(p)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		out = append(out, dir+e.Name+"/")
	}
	return out
}

// completeRequestAs is the completion of a request command for method:
// the description's paths, parameters, body fields and enum values
// first, then the usual candidates.
func completeRequestAs(method string) func(sh *shell, args []string, word string) []string {
	return func(sh *shell, args []string, word string) []string {
		usual := completeRequest(sh, args, word)
		if sh.spec == nil || strings.HasPrefix(word, "-") {
			return usual
		}
		if len(args) == 0 {
			return append(sh.specPaths(word), usual...)
		}
		p, err := sh.specPath(args[0])
		if err != nil {
			return usual
		}
		op, ok := sh.spec.Operation(method, p)
		if !ok {
			return usual
		}
		if cands := itemCandidates(op, word); len(cands) > 0 {
			return cands
		}
		return usual
	}
}

// itemCandidates offers request items from an operation: query
// parameters as name==, header parameters as Name:, body fields as
// field= or field:= by type; after == or = the enum values of that
// parameter or field.
func itemCandidates(op *apispec.Op, word string) []string {
	params := op.Parameters()
	fields := bodyFields(op)
	if name, _, ok := strings.Cut(word, "=="); ok {
		for _, p := range params {
			if p.In == openapi3.ParameterInQuery && p.Name == name && p.Schema != nil {
				return prefixAll(name+"==", enumOf(p.Schema))
			}
		}
		return nil
	}
	if name, _, ok := strings.Cut(word, "="); ok && !strings.HasSuffix(name, ":") {
		if s := fields[name]; s != nil {
			return prefixAll(name+"=", enumOf(s))
		}
		return nil
	}
	if strings.ContainsAny(word, ":=@") {
		return nil
	}
	var out []string
	for _, p := range params {
		switch p.In {
		case openapi3.ParameterInQuery:
			out = append(out, p.Name+"==")
		case openapi3.ParameterInHeader:
			out = append(out, p.Name+":")
		}
	}
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if s := fields[name].Value; s != nil && !s.Type.Is("string") {
			out = append(out, name+":=")
		} else {
			out = append(out, name+"=")
		}
	}
	return out
}

// bodyFields are the properties of the operation's JSON request body.
func bodyFields(op *apispec.Op) map[string]*openapi3.SchemaRef {
	rb := op.Op.RequestBody
	if rb == nil || rb.Value == nil {
		return nil
	}
	for ct, mt := range rb.Value.Content {
		if strings.Contains(ct, "json") && mt.Schema != nil && mt.Schema.Value != nil {
			return mt.Schema.Value.Properties
		}
	}
	return nil
}

// enumOf lists a schema's enum values as text.
func enumOf(ref *openapi3.SchemaRef) []string {
	if ref == nil || ref.Value == nil {
		return nil
	}
	return apispec.EnumValues(ref.Value)
}
