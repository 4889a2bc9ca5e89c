package apispec

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/tidwall/gjson"
)

// Completion is what completing a request's items offers from its
// operation: its query and header parameters and the top-level fields of
// its JSON request body, each with its enum values.
type Completion struct {
	Params []ParamCandidate // in the operation's order: the path item's, overridden by the operation's
	Fields []FieldCandidate // sorted by name
}

// ParamCandidate is a query or header parameter offered for completion.
type ParamCandidate struct {
	Name string
	In   string   // "query" or "header"
	Enum []string // its schema's enum values, as text
}

// FieldCandidate is a top-level field of a JSON request body offered for
// completion.
type FieldCandidate struct {
	Name   string
	String bool     // of type string: field=value, else field:=json
	Enum   []string // its schema's enum values, as text
}

// Completion is what completing the items of a request for method and
// a concrete path offers. A description indexed from its JSON text
// answers from that text, following its $refs there, without resolving
// the operation; one loaded whole answers from the resolved operation.
// The error is Lookup's. The Completion is shared: read it, do not
// change it.
func (s *Spec) Completion(method, p string) (*Completion, error) {
	if s.raw == nil {
		op, err := s.Lookup(method, p)
		if err != nil {
			return nil, err
		}
		return op.Completion(), nil
	}
	n, _ := s.find(p)
	if n == nil || !n.isPath {
		return nil, ErrNoOperation
	}
	key := strings.ToLower(method) + " " + n.template
	if c, ok := s.completions.Load(key); ok {
		return c.(*Completion), nil
	}
	c, ok := s.raw.completion(n.template, strings.ToLower(method))
	if !ok {
		return nil, ErrNoOperation
	}
	s.completions.Store(key, c)
	return c, nil
}

// Completion is what completing the operation's request items offers,
// from the resolved operation.
func (o *Op) Completion() *Completion {
	c := &Completion{}
	for _, p := range o.Parameters() {
		if p.In != openapi3.ParameterInQuery && p.In != openapi3.ParameterInHeader {
			continue
		}
		c.Params = append(c.Params, ParamCandidate{Name: p.Name, In: p.In, Enum: schemaEnum(p.Schema)})
	}
	rb := o.Op.RequestBody
	if rb == nil || rb.Value == nil {
		return c
	}
	ct, ok := jsonContent(sortedKeys(rb.Value.Content))
	if !ok {
		return c
	}
	mt := rb.Value.Content[ct]
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return c
	}
	props := map[string]*openapi3.SchemaRef{}
	mergeProperties(mt.Schema.Value, props, 0)
	for _, name := range sortedKeys(props) {
		ref := props[name]
		f := FieldCandidate{Name: name, Enum: schemaEnum(ref)}
		f.String = ref == nil || ref.Value == nil || ref.Value.Type.Is(openapi3.TypeString)
		c.Fields = append(c.Fields, f)
	}
	return c
}

// maxDepth bounds how deep allOf and $ref chains are followed (a cycle
// ends there).
const maxDepth = 32

// mergeProperties adds a schema's properties to props, then those of its
// allOf schemas, in order; a name already there stays.
func mergeProperties(s *openapi3.Schema, props map[string]*openapi3.SchemaRef, depth int) {
	if s == nil || depth > maxDepth {
		return
	}
	for _, name := range sortedKeys(s.Properties) {
		if _, ok := props[name]; !ok {
			props[name] = s.Properties[name]
		}
	}
	for _, sub := range s.AllOf {
		if sub != nil {
			mergeProperties(sub.Value, props, depth+1)
		}
	}
}

// schemaEnum is a schema's enum values as text.
func schemaEnum(ref *openapi3.SchemaRef) []string {
	if ref == nil || ref.Value == nil {
		return nil
	}
	return EnumValues(ref.Value)
}

// jsonContent is the first of the sorted content types that is JSON.
func jsonContent(types []string) (string, bool) {
	for _, ct := range types {
		if strings.Contains(ct, "json") {
			return ct, true
		}
	}
	return "", false
}

// completion is what completing the items of method on template offers,
// read from the JSON text; ok is false when there is no such operation.
func (d *rawDoc) completion(tmpl, method string) (*Completion, bool) {
	paths, _ := d.object([]string{"paths"})
	raw, ok := paths[tmpl]
	if !ok {
		return nil, false
	}
	item, ok := d.deref(gjson.Parse(raw))
	if !ok {
		return nil, false
	}
	op, ok := d.deref(item.Get(gjson.Escape(method)))
	if !ok || !op.IsObject() {
		return nil, false
	}
	c := &Completion{}
	c.Params = d.params(item.Get("parameters"), op.Get("parameters"))
	c.Fields = d.bodyFields(op.Get("requestBody"))
	return c, true
}

// deref follows a value's $ref (and the $refs of what it points to) to
// the value itself; ok is false when one dangles or they go round.
func (d *rawDoc) deref(v gjson.Result) (gjson.Result, bool) {
	for range maxDepth {
		if !v.IsObject() {
			return v, v.Exists()
		}
		ref := v.Get(`\$ref`)
		if ref.Type != gjson.String {
			return v, true
		}
		tokens, ok := localRef(ref.Str)
		if !ok {
			return gjson.Result{}, false
		}
		raw, ok := d.lookup(tokens)
		if !ok {
			return gjson.Result{}, false
		}
		v = gjson.Parse(raw)
	}
	return gjson.Result{}, false
}

// params are the query and header parameters of a path item's and an
// operation's "parameters" arrays: the path item's, overridden in place
// by the operation's of the same name and place.
func (d *rawDoc) params(lists ...gjson.Result) []ParamCandidate {
	var out []ParamCandidate
	seen := map[string]int{}
	for _, list := range lists {
		for _, ref := range list.Array() {
			p, ok := d.deref(ref)
			if !ok || !p.IsObject() {
				continue
			}
			name, in := p.Get("name").String(), p.Get("in").String()
			key := in + "\x00" + name
			var c ParamCandidate
			if in == openapi3.ParameterInQuery || in == openapi3.ParameterInHeader {
				c = ParamCandidate{Name: name, In: in}
				if s, ok := d.deref(p.Get("schema")); ok {
					c.Enum = rawEnum(s)
				}
			}
			if i, ok := seen[key]; ok {
				out[i] = c
				continue
			}
			seen[key] = len(out)
			out = append(out, c)
		}
	}
	out = slices.DeleteFunc(out, func(c ParamCandidate) bool { return c.In == "" })
	if len(out) == 0 {
		return nil
	}
	return out
}

// bodyFields are the top-level fields of a request body's first JSON
// content type (by name), with allOf merged, sorted by name.
func (d *rawDoc) bodyFields(rb gjson.Result) []FieldCandidate {
	rb, ok := d.deref(rb)
	if !ok || !rb.IsObject() {
		return nil
	}
	content := rb.Get("content")
	var types []string
	content.ForEach(func(k, _ gjson.Result) bool {
		types = append(types, k.String())
		return true
	})
	slices.Sort(types)
	ct, ok := jsonContent(types)
	if !ok {
		return nil
	}
	schema, ok := d.deref(content.Get(gjson.Escape(ct)).Get("schema"))
	if !ok {
		return nil
	}
	props := map[string]gjson.Result{}
	d.mergeProperties(schema, props, 0)
	var out []FieldCandidate
	for _, name := range sortedKeys(props) {
		f := FieldCandidate{Name: name, String: true}
		if s, ok := d.deref(props[name]); ok {
			f.String = isStringType(s.Get("type"))
			f.Enum = rawEnum(s)
		}
		out = append(out, f)
	}
	return out
}

// mergeProperties adds a schema's properties to props, then those of its
// allOf schemas, in order; a name already there stays.
func (d *rawDoc) mergeProperties(s gjson.Result, props map[string]gjson.Result, depth int) {
	if depth > maxDepth || !s.IsObject() {
		return
	}
	s.Get("properties").ForEach(func(k, v gjson.Result) bool {
		if _, ok := props[k.String()]; !ok {
			props[k.String()] = v
		}
		return true
	})
	for _, sub := range s.Get("allOf").Array() {
		if sub, ok := d.deref(sub); ok {
			d.mergeProperties(sub, props, depth+1)
		}
	}
}

// isStringType reports whether a schema's "type" is "string" alone.
func isStringType(t gjson.Result) bool {
	if t.IsArray() {
		a := t.Array()
		return len(a) == 1 && a[0].Type == gjson.String && a[0].Str == openapi3.TypeString
	}
	return t.Type == gjson.String && t.Str == openapi3.TypeString
}

// rawEnum is a schema's enum values as text, worded as EnumValues words
// them.
func rawEnum(s gjson.Result) []string {
	e := s.Get("enum")
	if !e.IsArray() {
		return nil
	}
	var vals []any
	if json.Unmarshal([]byte(e.Raw), &vals) != nil {
		return nil
	}
	var out []string
	for _, v := range vals {
		out = append(out, scalar(v))
	}
	return out
}
