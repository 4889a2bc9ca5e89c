package apispec

import (
	"net/url"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Spec is a loaded description with its paths indexed as a tree.
type Spec struct {
	// Source is where the description was read from: a path or a URL.
	Source string
	// Doc is the resolved OpenAPI 3 document.
	Doc  *openapi3.T
	root *node
	ops  int
}

// node is one path segment of the tree: its children by segment text
// ("books", "{isbn}") and the path item of the template ending here.
type node struct {
	children map[string]*node
	template string
	item     *openapi3.PathItem
}

// methodOrder is the order methods are listed in.
var methodOrder = []string{"get", "head", "post", "put", "patch", "delete", "options", "trace"}

func newSpec(source string, doc *openapi3.T) *Spec {
	s := &Spec{Source: source, Doc: doc, root: &node{}}
	if doc.Paths == nil {
		return s
	}
	for tmpl, item := range doc.Paths.Map() {
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
		n.template, n.item = tmpl, item
		s.ops += len(item.Operations())
	}
	return s
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
	if n == nil || n.item == nil {
		return "", nil, nil, false
	}
	return n.template, n.item, params, true
}

// find is the node of the tree a concrete path leads to, under any
// server base path, with the path parameters' values.
func (s *Spec) find(p string) (*node, map[string]string) {
	p = strings.SplitN(p, "?", 2)[0]
	for _, base := range s.basePaths() {
		rest, ok := strings.CutPrefix(p, base)
		if !ok || (rest != "" && rest[0] != '/') {
			continue
		}
		params := map[string]string{}
		if n := walk(s.root, segments(rest), params); n != nil {
			return n, params
		}
	}
	return nil, nil
}

// walk follows segs down from n: a literal child first, then each
// parameter child, backtracking.
func walk(n *node, segs []string, params map[string]string) *node {
	if len(segs) == 0 {
		return n
	}
	seg := segs[0]
	if c := n.children[seg]; c != nil {
		if found := walk(c, segs[1:], params); found != nil {
			return found
		}
	}
	if isParam(seg) {
		return nil // a literal "{x}" typed only matches itself
	}
	for name, c := range n.children {
		if !isParam(name) {
			continue
		}
		if found := walk(c, segs[1:], params); found != nil {
			if v, err := url.PathUnescape(seg); err == nil {
				seg = v
			}
			params[name[1:len(name)-1]] = seg
			return found
		}
	}
	return nil
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
		entries = append(entries, Entry{Name: name, Methods: methodsOf(c.item), Leaf: len(c.children) == 0})
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
	var out []string
	if s.Doc.Paths != nil {
		for t := range s.Doc.Paths.Map() {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

// Operation finds the operation for method and a concrete path, with its
// template and path parameters.
func (s *Spec) Operation(method, p string) (*Op, bool) {
	tmpl, item, params, ok := s.Match(p)
	if !ok {
		return nil, false
	}
	op := item.GetOperation(strings.ToUpper(method))
	if op == nil {
		return nil, false
	}
	return &Op{Method: strings.ToUpper(method), Template: tmpl, Item: item, Op: op, PathParams: params}, true
}

// Op is one operation of the description, found for a request.
type Op struct {
	Method     string // "GET"
	Template   string // "/books/{isbn}"
	Item       *openapi3.PathItem
	Op         *openapi3.Operation
	PathParams map[string]string
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
