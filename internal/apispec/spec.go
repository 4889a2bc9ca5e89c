package apispec

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// Spec is a loaded description with its paths indexed as a tree.
type Spec struct {
	// Source is where the description was read from: a path or a URL.
	Source string
	// Doc is the resolved OpenAPI 3 document: whole for a Swagger 2.0
	// description or one with $refs to other files; otherwise only its
	// top level (info, servers, security) with no paths, each path item
	// being resolved when first used (see Operation and Match).
	Doc       *openapi3.T
	root      *node
	ops       int
	templates []string
	// item resolves a template's path item, with the document it is
	// resolved in.
	item func(tmpl string) (*openapi3.PathItem, *openapi3.T, error)
	lazy bool    // path items resolved when first used
	raw  *rawDoc // the JSON text a lazy description is indexed from
	// completions keeps the Completion of each "method template" read
	// from raw.
	completions sync.Map
}

// node is one path segment of the tree: its children by segment text
// ("books", "{isbn}"), and the template ending here with its methods.
type node struct {
	children map[string]*node
	isPath   bool
	template string
	methods  []string
}

// methodOrder is the order methods are listed in.
var methodOrder = []string{"get", "head", "post", "put", "patch", "delete", "options", "trace"}

// New indexes a document already resolved (by a kin-openapi loader) as
// if it had been loaded from source.
func New(source string, doc *openapi3.T) *Spec {
	return fullSpec(source, doc)
}

// fullSpec indexes a description resolved whole.
func fullSpec(source string, doc *openapi3.T) *Spec {
	s := &Spec{Source: source, Doc: doc}
	s.item = func(tmpl string) (*openapi3.PathItem, *openapi3.T, error) {
		if item := doc.Paths.Value(tmpl); item != nil {
			return item, doc, nil
		}
		return nil, nil, fmt.Errorf("no path %q", tmpl)
	}
	methods := map[string][]string{}
	if doc.Paths != nil {
		for tmpl, item := range doc.Paths.Map() {
			methods[tmpl] = methodsOf(item)
		}
	}
	s.index(methods)
	return s
}

// lazySpec indexes a description from its JSON text; its path items are
// resolved when first used.
func lazySpec(ctx context.Context, source string, raw *rawDoc, loc *url.URL) (*Spec, error) {
	methods, err := raw.pathIndex()
	if err != nil {
		return nil, err
	}
	doc, err := raw.topDoc(ctx, loc)
	if err != nil {
		return nil, err
	}
	items := &lazyItems{raw: raw, loc: loc, items: map[string]*lazyItem{}}
	s := &Spec{Source: source, Doc: doc, lazy: true, raw: raw, item: func(tmpl string) (*openapi3.PathItem, *openapi3.T, error) {
		item, doc, err := items.get(tmpl)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", source, err)
		}
		return item, doc, nil
	}}
	s.index(methods)
	return s, nil
}

// index builds the tree of path templates, each with its methods.
func (s *Spec) index(methods map[string][]string) {
	s.root = &node{}
	for tmpl, ms := range methods {
		n := s.root
		for _, seg := range segments(tmpl) {
			if n.children == nil {
				n.children = map[string]*node{}
			}
			c := n.children[seg]
			if c == nil {
				c = &node{}
				n.children[seg] = c
			}
			n = c
		}
		n.isPath, n.template, n.methods = true, tmpl, ms
		s.ops += len(ms)
		s.templates = append(s.templates, tmpl)
	}
	sort.Strings(s.templates)
}

// segments splits a path into its non-empty segments.
func segments(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// isParam reports whether a template segment is a path parameter: "{isbn}".
func isParam(seg string) bool {
	return len(seg) > 2 && seg[0] == '{' && seg[len(seg)-1] == '}'
}

// Operations is the number of operations the description has.
func (s *Spec) Operations() int { return s.ops }

// Title is the description's title and version: "Bookstore 1.0.0".
func (s *Spec) Title() (title, version string) {
	if s.Doc.Info == nil {
		return "", ""
	}
	return s.Doc.Info.Title, s.Doc.Info.Version
}

// Servers returns the servers' URLs with their variables filled with
// their defaults.
func (s *Spec) Servers() []string {
	var out []string
	for _, srv := range s.Doc.Servers {
		if srv == nil {
			continue
		}
		u := srv.URL
		for name, v := range srv.Variables {
			if v != nil {
				u = strings.ReplaceAll(u, "{"+name+"}", v.Default)
			}
		}
		out = append(out, u)
	}
	return out
}

// basePaths are the path prefixes of the servers (longest first), and
// the empty prefix.
func (s *Spec) basePaths() []string {
	var out []string
	for _, raw := range s.Servers() {
		u, err := url.Parse(raw)
		if err != nil {
			continue
		}
		if p := strings.TrimSuffix(u.Path, "/"); p != "" {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return append(out, "")
}

// Match finds the path template a concrete URL path belongs to
// ("/v1/books/978-0" -> "/books/{isbn}", with the servers' base path
// taken off), with the values of its path parameters. Literal segments
// win over parameters. ok is false when no template matches.
func (s *Spec) Match(p string) (template string, item *openapi3.PathItem, params map[string]string, ok bool) {
	n, params := s.find(p)
	if n == nil || !n.isPath {
		return "", nil, nil, false
	}
	item, _, err := s.item(n.template)
	if err != nil {
		return "", nil, nil, false
	}
	return n.template, item, params, true
}

// find is the node of the tree a concrete path leads to, under any
// server base path, with the path parameters' values: a node that is a
// path template when there is one (under /repos, "{owner}/{repo}" over
// "{template_owner}/{template_repo}" for /repos/o/r), else any node.
func (s *Spec) find(p string) (*node, map[string]string) {
	if n, params := s.findWhere(p, func(n *node) bool { return n.isPath }); n != nil {
		return n, params
	}
	return s.findWhere(p, func(*node) bool { return true })
}

// findWhere is the first node a concrete path leads to that accept
// takes, under any server base path, with the path parameters' values.
func (s *Spec) findWhere(p string, accept func(*node) bool) (*node, map[string]string) {
	p = strings.SplitN(p, "?", 2)[0]
	for _, base := range s.basePaths() {
		rest, ok := strings.CutPrefix(p, base)
		if !ok || (rest != "" && rest[0] != '/') {
			continue
		}
		params := map[string]string{}
		if n := walk(s.root, segments(rest), params, accept); n != nil {
			return n, params
		}
	}
	return nil, nil
}

// walk follows segs down from n to a node accept takes: a literal child
// first, then each parameter child in order of name, backtracking.
func walk(n *node, segs []string, params map[string]string, accept func(*node) bool) *node {
	if len(segs) == 0 {
		if accept(n) {
			return n
		}
		return nil
	}
	seg := segs[0]
	if c := n.children[seg]; c != nil {
		if found := walk(c, segs[1:], params, accept); found != nil {
			return found
		}
	}
	if isParam(seg) {
		return nil // a literal "{x}" typed only matches itself
	}
	for _, name := range n.paramNames() {
		if found := walk(n.children[name], segs[1:], params, accept); found != nil {
			if v, err := url.PathUnescape(seg); err == nil {
				seg = v
			}
			params[name[1:len(name)-1]] = seg
			return found
		}
	}
	return nil
}

// paramNames are the parameter segments among n's children, sorted.
func (n *node) paramNames() []string {
	var out []string
	for name := range n.children {
		if isParam(name) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Entry is one child of a path in the tree: its segment and the methods
// of the template ending there.
type Entry struct {
	Name    string   // "books", "{isbn}"
	Methods []string // "get", "post", in the usual order
	Leaf    bool     // nothing below it
}

// Children lists the segments under a concrete or template path, sorted
// with literal segments before parameters; ok is false when the path is
// not in the description.
func (s *Spec) Children(p string) (entries []Entry, ok bool) {
	n, _ := s.find(p)
	if n == nil {
		return nil, false
	}
	for name, c := range n.children {
		entries = append(entries, Entry{Name: name, Methods: c.methods, Leaf: len(c.children) == 0})
	}
	sort.Slice(entries, func(i, j int) bool {
		pi, pj := isParam(entries[i].Name), isParam(entries[j].Name)
		if pi != pj {
			return pj
		}
		return entries[i].Name < entries[j].Name
	})
	return entries, true
}

// methodsOf lists a path item's methods, lowercase, in the usual order.
func methodsOf(item *openapi3.PathItem) []string {
	if item == nil {
		return nil
	}
	ops := item.Operations()
	var out []string
	for _, m := range methodOrder {
		if ops[strings.ToUpper(m)] != nil {
			out = append(out, m)
		}
	}
	return out
}

// Templates lists every path template, sorted.
func (s *Spec) Templates() []string {
	return slices.Clone(s.templates)
}

// Operation finds the operation for method and a concrete path, with its
// template and path parameters. ok is false when there is none, or when
// its path item cannot be resolved (Lookup says why).
func (s *Spec) Operation(method, p string) (*Op, bool) {
	op, err := s.Lookup(method, p)
	return op, err == nil
}

// ErrNoOperation is what Lookup returns when the description has no
// operation for a method and path.
var ErrNoOperation = errors.New("no such operation in the API description")

// Lookup finds the operation for method and a concrete path, resolving
// its path item if this is its first use. The error is ErrNoOperation,
// or one line naming the source and what is wrong in it (a $ref or
// schema kin-openapi cannot resolve).
func (s *Spec) Lookup(method, p string) (*Op, error) {
	n, params := s.find(p)
	if n == nil || !n.isPath {
		return nil, ErrNoOperation
	}
	item, doc, err := s.item(n.template)
	if err != nil {
		return nil, err
	}
	op := item.GetOperation(strings.ToUpper(method))
	if op == nil {
		return nil, ErrNoOperation
	}
	return &Op{Method: strings.ToUpper(method), Template: n.template, Item: item, Op: op, PathParams: params, doc: doc}, nil
}

// Op is one operation of the description, found for a request.
type Op struct {
	Method     string // "GET"
	Template   string // "/books/{isbn}"
	Item       *openapi3.PathItem
	Op         *openapi3.Operation
	PathParams map[string]string
	doc        *openapi3.T // the document Item is resolved in
}

// Parameters are the operation's parameters: the path item's, overridden
// by the operation's of the same name and place.
func (o *Op) Parameters() []*openapi3.Parameter {
	var out []*openapi3.Parameter
	seen := map[string]int{}
	add := func(refs openapi3.Parameters) {
		for _, ref := range refs {
			if ref == nil || ref.Value == nil {
				continue
			}
			p := ref.Value
			key := p.In + "\x00" + p.Name
			if i, ok := seen[key]; ok {
				out[i] = p
				continue
			}
			seen[key] = len(out)
			out = append(out, p)
		}
	}
	add(o.Item.Parameters)
	add(o.Op.Parameters)
	return out
}
