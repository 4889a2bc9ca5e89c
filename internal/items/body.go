package items

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/reqsh/reqsh/internal/jsonnum"
)

// The JSON body is built as a tree of these values: string (a field=value),
// json.RawMessage (a field:=json, compact, decoded only when a later path
// goes into it), *object, *array and nil (a null left by a sparse index).

// object is a JSON object that keeps its keys in the order first set.
type object struct {
	keys []string
	vals []any
	at   map[string]int
}

func newObject() *object { return &object{at: map[string]int{}} }

// slot returns the place of key's value, added with v when absent.
func (o *object) slot(key string, v func() any) *any {
	i, ok := o.at[key]
	if !ok {
		i = len(o.keys)
		o.at[key] = i
		o.keys = append(o.keys, key)
		o.vals = append(o.vals, v())
	}
	return &o.vals[i]
}

// array is a JSON array.
type array struct{ elems []any }

// container returns the empty value a step works on: an object for a
// key, an array for an index or an append.
func container(k stepKind) any {
	if k == stepKey {
		return newObject()
	}
	return &array{}
}

// JSONBody builds the JSON body from Field and RawJSON items, in the order
// given, as HTTPie 3 does: each name is a path (see the package doc) into
// one object (or, when the first path starts with [N] or [], one array).
// A later item with the same path replaces the earlier value in its place
// (a=1 a=2 gives {"a":"2"}); a[3]=x fills a with nulls before x; paths go
// into objects and arrays given by := items too. A path that does not
// parse, or that goes into a value of another type (a=1 a[b]=2), is an
// error naming the item. Items of other kinds are ignored: read FieldFile
// and RawJSONFile items into Field and RawJSON items first. The result is
// compact JSON, "{}" when there are no fields.
func JSONBody(items []Item) ([]byte, error) {
	if body, ok, err := flatJSONBody(items); ok {
		return body, err
	}
	return treeJSONBody(items)
}

// maxFlat is how many fields flatJSONBody takes: it looks for a repeated
// name pair by pair.
const maxFlat = 16

// flatJSONBody is JSONBody for the usual body, a flat object: every field
// named by a plain key (no brackets, no escapes), none repeated. It
// writes the object as treeJSONBody would, without building the tree
// (each name's path, the object and its index, values boxed in
// interfaces). ok is false when the fields need the tree.
func flatJSONBody(items []Item) (body []byte, ok bool, err error) {
	n := 0
	for i, it := range items {
		if it.Kind != Field && it.Kind != RawJSON {
			continue
		}
		if n++; n > maxFlat || it.Name == "" || strings.ContainsAny(it.Name, `[]\`) {
			return nil, false, nil
		}
		for _, prev := range items[:i] {
			if (prev.Kind == Field || prev.Kind == RawJSON) && prev.Name == it.Name {
				return nil, false, nil // a repeated name replaces in place
			}
		}
	}
	if n == 0 {
		return nil, false, nil
	}
	// The body's size when nothing needs escaping: the buffer is
	// allocated once for the usual body.
	size := 2
	for _, it := range items {
		size += len(it.Name) + len(it.Value) + 6
	}
	var w writer
	w.buf.Grow(size)
	w.buf.WriteByte('{')
	for _, it := range items {
		if it.Kind != Field && it.Kind != RawJSON {
			continue
		}
		if w.buf.Len() > 1 {
			w.buf.WriteByte(',')
		}
		w.value(it.Name)
		w.buf.WriteByte(':')
		if it.Kind == Field {
			w.value(it.Value)
			continue
		}
		if err := compactRaw(&w.buf, it); err != nil {
			return nil, true, err
		}
	}
	w.buf.WriteByte('}')
	return w.buf.Bytes(), true, nil
}

// compactRaw appends a RawJSON item's value to buf without its
// whitespace.
func compactRaw(buf *bytes.Buffer, it Item) error {
	if plainJSON(it.Value) {
		// Valid, and nothing in it to compact: json.Compact would
		// copy it as it is, after a scanner's pass.
		buf.WriteString(it.Value)
		return nil
	}
	if err := json.Compact(buf, []byte(it.Value)); err != nil {
		return fmt.Errorf("field %q: invalid JSON %q", it.Name, it.Value)
	}
	return nil
}

// treeJSONBody is JSONBody by way of a tree of the body: any paths.
func treeJSONBody(items []Item) ([]byte, error) {
	var root any
	for _, it := range items {
		var v any
		switch it.Kind {
		case Field:
			v = it.Value
		case RawJSON:
			var buf bytes.Buffer
			if err := compactRaw(&buf, it); err != nil {
				return nil, err
			}
			v = json.RawMessage(buf.Bytes())
		default:
			continue
		}
		if err := set(&root, it.Name, v); err != nil {
			return nil, fmt.Errorf("item %s: %w", quote(itemText(it)), err)
		}
	}
	if root == nil {
		root = newObject()
	}
	var w writer
	w.value(root)
	return w.buf.Bytes(), nil
}

// itemText is the item as typed, for errors.
func itemText(it Item) string {
	if it.Raw != "" {
		return it.Raw
	}
	return it.Name
}

// quote quotes s for an error message, cut to 60 characters.
func quote(s string) string {
	if len(s) <= 60 {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%.60q...", s)
}

// set puts v at the path name under *root.
func set(root *any, name string, v any) error {
	steps, err := parsePath(name)
	if err != nil {
		return err
	}
	slot := root
	for i, st := range steps {
		cur, err := open(slot)
		if err != nil {
			return err
		}
		if cur == nil {
			// The first item makes the body; a null on the way
			// becomes what the path needs (HTTPie 3.2 would drop
			// the whole body so far).
			cur = container(st.kind)
			*slot = cur
		}
		last := i == len(steps)-1
		next := func() any {
			if last {
				return v
			}
			return container(steps[i+1].kind)
		}
		if st.kind == stepKey {
			obj, ok := cur.(*object)
			if !ok {
				return typeError(name, steps, i, cur, "an object")
			}
			slot = obj.slot(st.key, next)
			if last {
				*slot = v
			}
			continue
		}
		arr, ok := cur.(*array)
		if !ok {
			return typeError(name, steps, i, cur, "an array")
		}
		if st.kind == stepAppend {
			arr.elems = append(arr.elems, next())
			slot = &arr.elems[len(arr.elems)-1]
			continue
		}
		for len(arr.elems) <= st.index {
			arr.elems = append(arr.elems, nil)
		}
		slot = &arr.elems[st.index]
		if last {
			*slot = v
		}
	}
	return nil
}

// open returns the value in slot, with a raw JSON object or array
// decoded into a tree (and stored back) so that a path can go into it,
// and a raw null as nil.
func open(slot *any) (any, error) {
	raw, ok := (*slot).(json.RawMessage)
	if !ok {
		return *slot, nil
	}
	switch raw[0] {
	case '{', '[':
		v, err := decodeTree(json.NewDecoder(bytes.NewReader(raw)))
		if err != nil {
			return nil, err
		}
		*slot = v
		return v, nil
	case 'n':
		*slot = nil
		return nil, nil
	}
	return raw, nil
}

// decodeTree reads one JSON value from dec into a tree: objects keep
// their key order (a repeated key replaces the value in its first place),
// scalars stay raw.
func decodeTree(dec *json.Decoder) (any, error) {
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			obj := newObject()
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := decodeTree(dec)
				if err != nil {
					return nil, err
				}
				key, _ := k.(string)
				*obj.slot(key, func() any { return nil }) = v
			}
			_, err := dec.Token()
			return obj, err
		}
		arr := &array{}
		for dec.More() {
			v, err := decodeTree(dec)
			if err != nil {
				return nil, err
			}
			arr.elems = append(arr.elems, v)
		}
		_, err := dec.Token()
		return arr, err
	case string:
		return t, nil
	case json.Number:
		return json.RawMessage(t), nil
	case bool:
		return json.RawMessage(fmt.Sprint(t)), nil
	case nil:
		return json.RawMessage("null"), nil
	}
	return nil, errors.New("unexpected JSON token")
}

// typeError says that the value a path's step i works on is of the wrong
// type.
func typeError(name string, steps []step, i int, cur any, want string) error {
	where := "the body"
	if i > 0 {
		where = quote(name[:steps[i-1].end])
	}
	return fmt.Errorf("%s is %s, not %s", where, typeName(cur), want)
}

// typeName names a value's JSON type with its article.
func typeName(v any) string {
	switch v := v.(type) {
	case *object:
		return "an object"
	case *array:
		return "an array"
	case string:
		return "a string"
	case json.RawMessage:
		switch v[0] {
		case '"':
			return "a string"
		case 't', 'f':
			return "a boolean"
		case '{':
			return "an object"
		case '[':
			return "an array"
		case 'n':
			return "null"
		}
		return "a number"
	}
	return "null"
}

// writer writes the body as compact JSON.
type writer struct {
	buf bytes.Buffer
	// enc escapes the strings that need it into escaped; both are made
	// for the first such string, so a body of plain strings costs no
	// encoder (and buf, not given to one, can stay on the stack).
	enc     *json.Encoder
	escaped *bytes.Buffer
}

// value writes v as compact JSON.
func (w *writer) value(v any) {
	buf := &w.buf
	switch v := v.(type) {
	case string:
		if plainString(v) {
			// Nothing to escape: the text as it is, in quotes, without
			// the encoder's reflection.
			buf.WriteByte('"')
			buf.WriteString(v)
			buf.WriteByte('"')
			return
		}
		if w.enc == nil {
			w.escaped = new(bytes.Buffer)
			w.enc = json.NewEncoder(w.escaped)
			w.enc.SetEscapeHTML(false)
		}
		// Encoding a string cannot fail; drop the newline Encode adds.
		w.escaped.Reset()
		_ = w.enc.Encode(v)
		buf.Write(w.escaped.Bytes()[:w.escaped.Len()-1])
	case json.RawMessage:
		buf.Write(v)
	case *object:
		buf.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			w.value(k)
			buf.WriteByte(':')
			w.value(v.vals[i])
		}
		buf.WriteByte('}')
	case *array:
		buf.WriteByte('[')
		for i, e := range v.elems {
			if i > 0 {
				buf.WriteByte(',')
			}
			w.value(e)
		}
		buf.WriteByte(']')
	default:
		buf.WriteString("null")
	}
}

// plainString reports whether s is printable ASCII without a quote or a
// backslash: a JSON string that is s in quotes.
func plainString(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// FormValue is the text a field sends in a form (--form, --multipart): a
// Field's value; for a RawJSON field, a string's text, or a number or
// boolean as written (HTTPie sends n:=1 as n=1). Null, objects and arrays
// cannot be sent in a form.
func FormValue(it Item) (string, error) {
	if it.Kind != RawJSON {
		return it.Value, nil
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(it.Value))
	dec.UseNumber()
	if !json.Valid([]byte(it.Value)) || dec.Decode(&v) != nil {
		return "", fmt.Errorf("field %q: invalid JSON %q", it.Name, it.Value)
	}
	switch v := v.(type) {
	case string:
		return v, nil
	case json.Number:
		return v.String(), nil
	case bool:
		return strconv.FormatBool(v), nil
	}
	return "", fmt.Errorf("field %q: %s (:=) cannot be sent in a form", it.Name, typeName(json.RawMessage(bytes.TrimSpace([]byte(it.Value)))))
}

// plainJSON reports whether s is a JSON value written without anything
// to compact: true, false, null, or a number with no blanks around it
// (-12, 0.5, 1e3). Such a value is valid JSON as it is, and compacting
// it gives it back unchanged, so the JSON scanner need not read it.
func plainJSON(s string) bool {
	switch s {
	case "true", "false", "null":
		return true
	}
	return jsonnum.End(s, 0) == len(s)
}
