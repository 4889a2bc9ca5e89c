package apispec

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/getkin/kin-openapi/openapi3"
)

// Describe writes what help shows of an operation: its method and
// template, summary, description, parameters, request body (fields and
// an example) and responses.
func (o *Op) Describe(out io.Writer) {
	var b strings.Builder
	o.describe(&b)
	for _, line := range strings.SplitAfter(b.String(), "\n") {
		io.WriteString(out, strings.TrimRight(line, " \n"))
		if strings.HasSuffix(line, "\n") {
			io.WriteString(out, "\n")
		}
	}
}

func (o *Op) describe(w io.Writer) {
	fmt.Fprintf(w, "%s %s\n", o.Method, o.Template)
	if o.Op.Summary != "" {
		fmt.Fprintf(w, "  %s\n", oneLine(o.Op.Summary))
	}
	if o.Op.Description != "" {
		fmt.Fprintf(w, "  %s\n", oneLine(o.Op.Description))
	}
	if params := o.Parameters(); len(params) > 0 {
		fmt.Fprintln(w, "Parameters:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, p := range params {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", p.Name, p.In, typeOf(p.Schema), constraints(p.Schema, p.Required))
		}
		tw.Flush()
	}
	if rb := o.Op.RequestBody; rb != nil && rb.Value != nil {
		for _, ct := range sortedKeys(rb.Value.Content) {
			mt := rb.Value.Content[ct]
			req := ""
			if rb.Value.Required {
				req = ", required"
			}
			fmt.Fprintf(w, "Request body (%s%s):\n", ct, req)
			if mt.Schema != nil && mt.Schema.Value != nil {
				describeFields(w, mt.Schema.Value)
				ex := mt.Example
				if ex == nil {
					ex = Example(mt.Schema.Value)
				}
				if js, err := json.Marshal(ex); err == nil {
					fmt.Fprintf(w, "  example: %s\n", js)
				}
			}
		}
	}
	if o.Op.Responses != nil {
		fmt.Fprintln(w, "Responses:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, code := range sortedKeys(o.Op.Responses.Map()) {
			ref := o.Op.Responses.Value(code)
			if ref == nil || ref.Value == nil {
				continue
			}
			desc := ""
			if ref.Value.Description != nil {
				desc = oneLine(*ref.Value.Description)
			}
			types := sortedKeys(ref.Value.Content)
			body := ""
			if len(types) > 0 {
				body = types[0]
				if s := ref.Value.Content[types[0]].Schema; s != nil {
					body += " " + typeOf(s)
				}
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", code, desc, body)
		}
		tw.Flush()
	}
}

// describeFields lists an object schema's properties: name, type,
// required, enum.
func describeFields(w io.Writer, s *openapi3.Schema) {
	if len(s.Properties) == 0 {
		fmt.Fprintf(w, "  %s\n", typeOf(openapi3.NewSchemaRef("", s)))
		return
	}
	required := map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, name := range sortedKeys(s.Properties) {
		p := s.Properties[name]
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", name, typeOf(p), constraints(p, required[name]))
	}
	tw.Flush()
}

// typeOf names a schema's type: "string", "integer", "array of string",
// or the name of the component it refers to.
func typeOf(ref *openapi3.SchemaRef) string {
	if ref == nil || ref.Value == nil {
		return "any"
	}
	s := ref.Value
	t := strings.Join(s.Type.Slice(), "|")
	if t == "array" && s.Items != nil {
		return "array of " + typeOf(s.Items)
	}
	if t == "object" || t == "" {
		if name := refName(ref.Ref); name != "" {
			return name
		}
	}
	if t == "" {
		return "any"
	}
	return t
}

// refName is the last part of a $ref: "schemas.yaml#/Book" -> "Book".
func refName(ref string) string {
	if i := strings.LastIndexAny(ref, "/#"); i >= 0 {
		return ref[i+1:]
	}
	return ref
}

// constraints lists a value's required mark, enum and default.
func constraints(ref *openapi3.SchemaRef, required bool) string {
	var parts []string
	if required {
		parts = append(parts, "required")
	}
	if ref != nil && ref.Value != nil {
		s := ref.Value
		if len(s.Enum) > 0 {
			parts = append(parts, "enum: "+strings.Join(EnumValues(s), ", "))
		}
		if s.Default != nil {
			parts = append(parts, "default: "+scalar(s.Default))
		}
	}
	return strings.Join(parts, "  ")
}

// EnumValues are a schema's enum values as text.
func EnumValues(s *openapi3.Schema) []string {
	var out []string
	for _, v := range s.Enum {
		out = append(out, scalar(v))
	}
	return out
}

// scalar is a value as text: a string as is, others as JSON.
func scalar(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	js, _ := json.Marshal(v)
	return string(js)
}

// Example builds an example value of a schema: its example, default or
// first enum value, else a placeholder of its type; objects list their
// properties.
func Example(s *openapi3.Schema) any {
	return example(s, 0)
}

func example(s *openapi3.Schema, depth int) any {
	if s == nil || depth > 8 {
		return nil
	}
	switch {
	case s.Example != nil:
		return s.Example
	case s.Default != nil:
		return s.Default
	case len(s.Enum) > 0:
		return s.Enum[0]
	}
	switch {
	case s.Type.Is("object") || len(s.Properties) > 0:
		m := map[string]any{}
		for name, p := range s.Properties {
			if p != nil {
				m[name] = example(p.Value, depth+1)
			}
		}
		return m
	case s.Type.Is("array"):
		if s.Items != nil {
			return []any{example(s.Items.Value, depth+1)}
		}
		return []any{}
	case s.Type.Is("integer"):
		return 0
	case s.Type.Is("number"):
		return 0.0
	case s.Type.Is("boolean"):
		return false
	case s.Type.Is("string"):
		return "string"
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
