package apispec

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/tidwall/gjson"
)

// A large description is not resolved whole at load: rawDoc keeps its
// JSON text, split at the top level, and what ls, cd and completion need
// (the path templates and their methods) is indexed from it. A path
// item is resolved by kin-openapi when it is first used, from a small
// document holding that item and the components it transitively
// refers to.

// errNeedsFullLoad says a description has what the lazy index does not
// handle ($refs to other files or URLs, or to something other than a
// component): it is loaded whole instead.
var errNeedsFullLoad = errors.New("description needs a full load")

// rawDoc is a description's JSON text, split at the top level, with the
// objects looked up so far split one level and kept. Every value is a
// substring of the one copy of the text: nothing is copied again.
type rawDoc struct {
	top   map[string]string
	topAt map[string]int // where each top-level value starts in the text

	mu   sync.Mutex
	objs map[string]map[string]string // by pointer prefix: "components", "components/schemas"
}

// newRawDoc splits a JSON description at its top level. A syntax error
// names its line and column.
func newRawDoc(js []byte) (*rawDoc, error) {
	text := string(js)
	if !gjson.Valid(text) {
		var v any
		if err := json.Unmarshal(js, &v); err != nil {
			return nil, jsonError(js, err)
		}
	}
	r := gjson.Parse(text)
	if !r.IsObject() {
		return nil, errors.New("not an OpenAPI description: not an object")
	}
	d := &rawDoc{top: map[string]string{}, topAt: map[string]int{}, objs: map[string]map[string]string{}}
	r.ForEach(func(k, v gjson.Result) bool {
		d.top[k.String()], d.topAt[k.String()] = v.Raw, v.Index
		return true
	})
	return d, nil
}

// members splits the text of a JSON object into its members' texts (a
// repeated name: the last wins, as with encoding/json); ok is false when
// raw is not an object.
func members(raw string) (map[string]string, bool) {
	r := gjson.Parse(raw)
	if !r.IsObject() {
		return nil, false
	}
	m := map[string]string{}
	r.ForEach(func(k, v gjson.Result) bool {
		m[k.String()] = v.Raw
		return true
	})
	return m, true
}

// jsonError words a JSON decoding error with the line and column it is
// at: "not JSON: line 3, column 7: invalid character ...".
func jsonError(js []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := position(js, int(se.Offset)-1) // Offset is past the bad byte
		return fmt.Errorf("not JSON: line %d, column %d: %s", line, col, strings.TrimPrefix(se.Error(), "json: "))
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		line, col := position(js, int(te.Offset))
		return fmt.Errorf("line %d, column %d: %s", line, col, strings.TrimPrefix(te.Error(), "json: "))
	}
	return fmt.Errorf("not JSON: %w", err)
}

// position is the line and column (from 1) of a byte offset in text.
func position(text []byte, off int) (line, col int) {
	off = min(max(off, 0), len(text))
	before := text[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = off - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// version is the description's "openapi" (or "swagger") version.
func (d *rawDoc) version(key string) string {
	if r := gjson.Parse(d.top[key]); r.Type == gjson.String {
		return r.Str
	}
	return ""
}

// object is the JSON object at a pointer prefix (tokens), split one
// level; prefixes of up to two tokens are kept for the next lookup.
func (d *rawDoc) object(tokens []string) (map[string]string, bool) {
	if len(tokens) == 0 {
		return d.top, true
	}
	key := strings.Join(tokens, "/")
	keep := len(tokens) <= 2
	if keep {
		d.mu.Lock()
		obj, ok := d.objs[key]
		d.mu.Unlock()
		if ok {
			return obj, obj != nil
		}
	}
	var obj map[string]string
	if raw, ok := d.lookup(tokens); ok {
		obj, _ = members(raw)
	}
	if keep {
		d.mu.Lock()
		d.objs[key] = obj
		d.mu.Unlock()
	}
	return obj, obj != nil
}

// lookup is the JSON text of the value a JSON pointer's tokens lead to.
func (d *rawDoc) lookup(tokens []string) (string, bool) {
	if len(tokens) == 0 {
		return "", false
	}
	last := len(tokens) - 1
	if parent, ok := d.object(tokens[:last]); ok {
		raw, ok := parent[tokens[last]]
		return raw, ok
	}
	// The parent is not an object: an array, or nothing.
	parent, ok := d.lookup(tokens[:last])
	if !ok {
		return "", false
	}
	arr := gjson.Parse(parent)
	i, err := strconv.Atoi(tokens[last])
	if !arr.IsArray() || err != nil || i < 0 {
		return "", false
	}
	elems := arr.Array()
	if i >= len(elems) {
		return "", false
	}
	return elems[i].Raw, true
}

// localRef splits a local $ref ("#/components/schemas/Book") into its
// JSON pointer's tokens; ok is false for a $ref to another document.
func localRef(ref string) (tokens []string, ok bool) {
	frag, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, false
	}
	if unesc, err := url.PathUnescape(frag); err == nil {
		frag = unesc
	}
	frag = strings.TrimPrefix(frag, "/")
	if frag == "" {
		return nil, true
	}
	tokens = strings.Split(frag, "/")
	for i, t := range tokens {
		tokens[i] = strings.NewReplacer("~1", "/", "~0", "~").Replace(t)
	}
	return tokens, true
}

// component names the component a $ref's tokens are in: kind and name
// ("schemas", "Book"); ok is false when they do not point into one.
func component(tokens []string) (kind, name string, ok bool) {
	if len(tokens) < 3 || tokens[0] != "components" {
		return "", "", false
	}
	return tokens[1], tokens[2], true
}

// scanRefs calls f with each "$ref" string in the JSON text js and the
// byte offset of its key.
func scanRefs(js string, f func(ref string, off int)) {
	const key = `"$ref"`
	for i := 0; ; {
		j := strings.Index(js[i:], key)
		if j < 0 {
			return
		}
		at := i + j
		i = at + len(key)
		if at > 0 && js[at-1] == '\\' {
			continue // inside a string
		}
		k := skipSpace(js, i)
		if k >= len(js) || js[k] != ':' {
			continue
		}
		k = skipSpace(js, k+1)
		if k >= len(js) || js[k] != '"' {
			continue
		}
		end := k + 1
		for end < len(js) && js[end] != '"' {
			if js[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(js) {
			return
		}
		f(gjson.Parse(js[k:end+1]).Str, at)
		i = end + 1
	}
}

// skipSpace is the offset of the first byte at or after i that is not
// JSON white space.
func skipSpace[T string | []byte](js T, i int) int {
	for i < len(js) && (js[i] == ' ' || js[i] == '\n' || js[i] == '\r' || js[i] == '\t') {
		i++
	}
	return i
}

// checkRefs checks every $ref of the description: each must point to
// something inside a component of this document. A $ref to another
// document, or to a place outside the components, is errNeedsFullLoad;
// a dangling one is an error naming its line (found in text, the
// description as it was written). A "$ref" key in example data
// (example, examples, default, enum, const, extensions) is no
// reference: when the quick scan of the text finds a problem, the
// description is walked to tell the two apart.
func (d *rawDoc) checkRefs(text []byte, isJSON bool) error {
	type problem struct {
		key, ref string
		off      int
		err      error
	}
	var problems []problem
	status := map[string]error{}
	for _, k := range slices.Sorted(maps.Keys(d.top)) {
		scanRefs(d.top[k], func(ref string, off int) {
			err, seen := status[ref]
			if !seen {
				err = d.checkRef(ref)
				status[ref] = err
			}
			if err != nil {
				problems = append(problems, problem{k, ref, off, err})
			}
		})
	}
	if len(problems) == 0 {
		return nil
	}
	refs := map[string]map[int]bool{}
	for _, p := range problems {
		if refs[p.key] == nil {
			refs[p.key] = referenceOffsets(d.top[p.key], p.key)
		}
		if !refs[p.key][p.off] {
			continue // in example data
		}
		if errors.Is(p.err, errNeedsFullLoad) {
			return p.err
		}
		at := d.topAt[p.key] + p.off
		if !isJSON {
			at = bytes.Index(text, []byte(p.ref))
		}
		line, _ := position(text, at)
		return fmt.Errorf("line %d: $ref %q: %w", line, p.ref, p.err)
	}
	return nil
}

// errNoSuchThing is what a dangling $ref points to.
var errNoSuchThing = errors.New("no such thing in the description")

// checkRef checks one $ref: nil, errNeedsFullLoad or errNoSuchThing.
func (d *rawDoc) checkRef(ref string) error {
	tokens, ok := localRef(ref)
	if !ok {
		return errNeedsFullLoad
	}
	if _, _, ok := component(tokens); !ok {
		return errNeedsFullLoad
	}
	if _, ok := d.lookup(tokens); !ok {
		return errNoSuchThing
	}
	return nil
}

// The kinds of JSON object referenceOffsets walks through.
const (
	objPlain   = iota // an OpenAPI or Schema object: its keys are keywords
	objNames          // a map of names (properties, components, paths, ...) to such objects
	objExample        // an Example object: its value is data
)

// nameMaps are the keywords whose object value maps names to objects.
var nameMaps = map[string]bool{
	"properties": true, "patternProperties": true, "$defs": true, "definitions": true,
	"dependentSchemas": true, "schemas": true, "parameters": true, "responses": true,
	"requestBodies": true, "headers": true, "securitySchemes": true, "links": true,
	"callbacks": true, "pathItems": true, "paths": true, "webhooks": true,
	"content": true, "encoding": true, "variables": true,
}

// isData reports whether the value of keyword key is data, not
// description: examples, defaults, enums, consts and extensions.
func isData(key string) bool {
	switch key {
	case "example", "default", "enum", "const":
		return true
	}
	return strings.HasPrefix(key, "x-")
}

// referenceOffsets are the offsets in raw (the value of the top-level
// field top) of the "$ref" keys that are references, not data.
func referenceOffsets(raw, top string) map[int]bool {
	out := map[int]bool{}
	if isData(top) {
		return out
	}
	kind := objPlain
	if nameMaps[top] {
		kind = objNames
	}
	walkRefs(gjson.Parse(raw), kind, out, 0)
	return out
}

// walkRefs adds to out the offsets of the "$ref" keys that are
// references in v, an object of the given kind or an array.
func walkRefs(v gjson.Result, kind int, out map[int]bool, depth int) {
	if depth > 10000 {
		return
	}
	if v.IsArray() {
		v.ForEach(func(_, e gjson.Result) bool {
			walkRefs(e, objPlain, out, depth+1)
			return true
		})
		return
	}
	if !v.IsObject() {
		return
	}
	v.ForEach(func(k, e gjson.Result) bool {
		key := k.String()
		switch {
		case kind == objNames:
			walkRefs(e, objPlain, out, depth+1)
		case key == "$ref":
			if e.Type == gjson.String {
				out[k.Index] = true
			}
		case isData(key), kind == objExample && key == "value":
		case key == "examples":
			if e.IsObject() {
				e.ForEach(func(_, ex gjson.Result) bool {
					walkRefs(ex, objExample, out, depth+1)
					return true
				})
			}
		case nameMaps[key] && e.IsObject():
			walkRefs(e, objNames, out, depth+1)
		default:
			walkRefs(e, objPlain, out, depth+1)
		}
		return true
	})
}

// pathIndex lists the path templates with their methods.
func (d *rawDoc) pathIndex() (map[string][]string, error) {
	if _, ok := d.top["paths"]; !ok {
		return nil, nil
	}
	paths, ok := d.object([]string{"paths"})
	if !ok {
		return nil, errors.New(`"paths" is not an object`)
	}
	out := make(map[string][]string, len(paths))
	for tmpl, item := range paths {
		r := gjson.Parse(item)
		if !r.IsObject() {
			return nil, fmt.Errorf("path %q is not an object", tmpl)
		}
		if ref := r.Get(`\$ref`); ref.Exists() {
			tokens, _ := localRef(ref.String())
			target, ok := d.lookup(tokens)
			if !ok || !gjson.Parse(target).IsObject() {
				return nil, fmt.Errorf("path %q: $ref %q: no such thing in the description", tmpl, ref.String())
			}
			r = gjson.Parse(target)
		}
		var methods []string
		r.ForEach(func(k, _ gjson.Result) bool {
			if slices.Contains(methodOrder, k.String()) {
				methods = append(methods, k.String())
			}
			return true
		})
		slices.SortFunc(methods, func(a, b string) int {
			return slices.Index(methodOrder, a) - slices.Index(methodOrder, b)
		})
		out[tmpl] = slices.Compact(methods)
	}
	return out, nil
}

// miniDoc is a document with the top level of the description (info,
// servers, security, ...), one path item and the components it refers
// to, directly or through other components; all security schemes come
// along for the security requirements.
func (d *rawDoc) miniDoc(tmpl string) ([]byte, error) {
	paths, _ := d.object([]string{"paths"})
	item, ok := paths[tmpl]
	if !ok {
		return nil, fmt.Errorf("no path %q", tmpl)
	}
	comps := map[string]map[string]string{}
	if schemes, ok := d.object([]string{"components", "securitySchemes"}); ok {
		comps["securitySchemes"] = schemes
	}
	queue := []string{item}
	for len(queue) > 0 {
		raw := queue[0]
		queue = queue[1:]
		scanRefs(raw, func(ref string, _ int) {
			tokens, _ := localRef(ref)
			kind, name, ok := component(tokens)
			if !ok {
				return
			}
			if _, done := comps[kind][name]; done {
				return
			}
			obj, ok := d.object(tokens[:2])
			if !ok {
				return // checked at load
			}
			v, ok := obj[name]
			if !ok {
				return
			}
			if comps[kind] == nil {
				comps[kind] = map[string]string{}
			}
			comps[kind][name] = v
			queue = append(queue, v)
		})
	}
	var b bytes.Buffer
	b.WriteByte('{')
	d.writeTop(&b)
	b.WriteString(`"paths":{`)
	writeMember(&b, tmpl, item)
	b.WriteString(`},"components":{`)
	for i, kind := range slices.Sorted(maps.Keys(comps)) {
		if i > 0 {
			b.WriteByte(',')
		}
		js, _ := json.Marshal(kind)
		b.Write(js)
		b.WriteString(":{")
		for j, name := range slices.Sorted(maps.Keys(comps[kind])) {
			if j > 0 {
				b.WriteByte(',')
			}
			writeMember(&b, name, comps[kind][name])
		}
		b.WriteByte('}')
	}
	b.WriteString("}}")
	return b.Bytes(), nil
}

// writeMember writes `"name":raw` to b, raw without its white space
// (kin-openapi reads a third faster without).
func writeMember(b *bytes.Buffer, name, raw string) {
	js, _ := json.Marshal(name)
	b.Write(js)
	b.WriteByte(':')
	if json.Compact(b, []byte(raw)) != nil {
		b.WriteString(raw)
	}
}

// topKeys are the top-level fields a path item's document keeps: not
// the paths, components, webhooks or extensions (GitHub's x-webhooks
// are 600 kB).
var topKeys = []string{"openapi", "info", "servers", "security", "tags", "externalDocs", "jsonSchemaDialect"}

// writeTop writes the description's top-level members named in topKeys,
// each followed by a comma.
func (d *rawDoc) writeTop(b *bytes.Buffer) {
	for _, k := range topKeys {
		if v, ok := d.top[k]; ok {
			writeMember(b, k, v)
			b.WriteByte(',')
		}
	}
}

// topDoc is the description's top level (topKeys), resolved: its info
// and servers.
func (d *rawDoc) topDoc(ctx context.Context, loc *url.URL) (*openapi3.T, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	d.writeTop(&b)
	b.WriteString(`"paths":{}}`)
	return loadData(ctx, b.Bytes(), loc, nil, false)
}

// loadData parses and resolves a description with kin-openapi, $refs to
// other files and URLs allowed when external is true.
func loadData(ctx context.Context, data []byte, loc *url.URL, fetch Fetcher, external bool) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	loader.Context = ctx
	if external {
		loader.IsExternalRefsAllowed = true
		// One read of each file or URL a load refers to, however many
		// $refs name it (a server sees one GET, not one a reference).
		loader.ReadFromURIFunc = openapi3.URIMapCache(readURI(ctx, fetch))
	}
	return loader.LoadFromDataWithPath(data, loc)
}

// lazyItems resolves the path items of a rawDoc one at a time, each
// once, safe for concurrent use.
type lazyItems struct {
	raw *rawDoc
	loc *url.URL

	mu    sync.Mutex
	items map[string]*lazyItem
}

// lazyItem is one path item, resolved once.
type lazyItem struct {
	once sync.Once
	item *openapi3.PathItem
	doc  *openapi3.T
	err  error
}

// get resolves the path item of template tmpl, with the small document
// it was resolved in (the one its validators see).
func (l *lazyItems) get(tmpl string) (*openapi3.PathItem, *openapi3.T, error) {
	l.mu.Lock()
	li := l.items[tmpl]
	if li == nil {
		li = &lazyItem{}
		l.items[tmpl] = li
	}
	l.mu.Unlock()
	li.once.Do(func() {
		js, err := l.raw.miniDoc(tmpl)
		if err != nil {
			li.err = err
			return
		}
		doc, err := loadData(context.Background(), js, l.loc, nil, false)
		if err != nil {
			li.err = fmt.Errorf("path %q: %s", tmpl, oneLine(err.Error()))
			return
		}
		li.doc, li.item = doc, doc.Paths.Value(tmpl)
	})
	return li.item, li.doc, li.err
}
