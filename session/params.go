package session

import "net/url"

// Param is one query parameter.
type Param struct {
	Name, Value string
}

// Params is an ordered list of query parameters. Names are case-sensitive
// and a name may repeat, as in a URL's query string. The zero value is an
// empty list ready to use.
type Params struct {
	list []Param
}

// Set replaces every value of name with value, keeping the position of the
// first one; a new name goes last.
func (p *Params) Set(name, value string) {
	for i, q := range p.list {
		if q.Name == name {
			p.list[i].Value = value
			p.list = append(p.list[:i+1], removeName(p.list[i+1:], name)...)
			return
		}
	}
	p.list = append(p.list, Param{name, value})
}

// Add appends one more value for name.
func (p *Params) Add(name, value string) {
	p.list = append(p.list, Param{name, value})
}

// Del removes every value of name and reports whether there was any.
func (p *Params) Del(name string) bool {
	n := len(p.list)
	p.list = removeName(p.list, name)
	return len(p.list) != n
}

// Clear removes all parameters.
func (p *Params) Clear() { p.list = nil }

// Len returns the number of name=value pairs.
func (p *Params) Len() int { return len(p.list) }

// All returns a copy of the parameters in order.
func (p *Params) All() []Param { return append([]Param(nil), p.list...) }

// Has reports whether name has at least one value.
func (p *Params) Has(name string) bool { return hasParam(p.list, name) }

// removeName filters list in place, dropping every entry called name.
func removeName(list []Param, name string) []Param {
	out := list[:0]
	for _, q := range list {
		if q.Name != name {
			out = append(out, q)
		}
	}
	return out
}

// mergeParams overlays the request's params on the session's as requests
// merges its params dicts: names in the order they first appear, session
// names first; all values of a name together in its place; a name the
// request gives replaces every session value of that name in that place.
// So session a=1, b=2 with request a=9, c=3 gives a=9, b=2, c=3.
func mergeParams(session, req []Param) []Param {
	out := make([]Param, 0, len(session)+len(req))
	placed := func(name string) bool {
		for _, p := range out {
			if p.Name == name {
				return true
			}
		}
		return false
	}
	add := func(list []Param, name string) {
		for _, p := range list {
			if p.Name == name {
				out = append(out, p)
			}
		}
	}
	for _, list := range [2][]Param{session, req} {
		for _, p := range list {
			if placed(p.Name) {
				continue
			}
			if hasParam(req, p.Name) {
				add(req, p.Name)
			} else {
				add(session, p.Name)
			}
		}
	}
	return out
}

func hasParam(list []Param, name string) bool {
	for _, p := range list {
		if p.Name == name {
			return true
		}
	}
	return false
}

// appendQuery adds the parameters to an encoded query string, as
// name=value pairs joined by '&'.
func appendQuery(raw string, params []Param) string {
	for _, q := range params {
		if raw != "" {
			raw += "&"
		}
		raw += url.QueryEscape(q.Name) + "=" + url.QueryEscape(q.Value)
	}
	return raw
}
