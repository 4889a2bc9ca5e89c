package repl

import (
	"strings"

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
		c, err := sh.spec.Completion(method, p)
		if err != nil {
			return usual
		}
		if cands := itemCandidates(c, word); len(cands) > 0 {
			return cands
		}
		return usual
	}
}

// itemCandidates offers request items from an operation's completion:
// query parameters as name==, header parameters as Name:, body fields as
// field= or field:= by type; after ==, : or = the enum values of that
// parameter or field.
func itemCandidates(c *apispec.Completion, word string) []string {
	if name, _, ok := strings.Cut(word, "=="); ok {
		return paramEnum(c, "query", name, "==")
	}
	if name, _, ok := strings.Cut(word, "="); ok && !strings.HasSuffix(name, ":") {
		for _, f := range c.Fields {
			if f.Name == name {
				return prefixAll(name+"=", f.Enum)
			}
		}
		return nil
	}
	if name, rest, ok := strings.Cut(word, ":"); ok && !strings.HasPrefix(rest, "=") && !strings.ContainsAny(name, "=@") {
		return paramEnum(c, "header", name, ":")
	}
	if strings.ContainsAny(word, "=@") {
		return nil
	}
	var out []string
	for _, p := range c.Params {
		switch p.In {
		case "query":
			out = append(out, p.Name+"==")
		case "header":
			out = append(out, p.Name+":")
		}
	}
	for _, f := range c.Fields {
		if f.String {
			out = append(out, f.Name+"=")
		} else {
			out = append(out, f.Name+":=")
		}
	}
	return out
}

// paramEnum is the enum values of the parameter in place in named name
// (header names case-insensitive), each after name and sep.
func paramEnum(c *apispec.Completion, in, name, sep string) []string {
	for _, p := range c.Params {
		if p.In == in && (p.Name == name || in == "header" && strings.EqualFold(p.Name, name)) {
			return prefixAll(name+sep, p.Enum)
		}
	}
	return nil
}
