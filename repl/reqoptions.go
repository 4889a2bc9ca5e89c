package repl

import (
	"fmt"
	"strings"

	"github.com/reqsh/reqsh/internal/format"
)

// requestOption is one entry of the request options table: the names it
// goes by, the name of its value ("" when it takes none), and what it
// does to the request being parsed. Parsing, did-you-mean and completion
// read the table.
type requestOption struct {
	names []string // long name first: {"--form", "-f"}
	arg   string   // the value's name in help ("TEXT"); "" for a flag
	apply func(ra *requestArgs, name, v string) error
}

// requestOptionTable is the table of the request commands' options.
var requestOptionTable = []requestOption{
	{names: []string{"--form", "-f"}, apply: func(ra *requestArgs, _, _ string) error { ra.mode = bodyForm; return nil }},
	{names: []string{"--multipart"}, apply: func(ra *requestArgs, _, _ string) error { ra.mode = bodyMultipart; return nil }},
	{names: []string{"--json", "-j"}, apply: func(ra *requestArgs, _, _ string) error { ra.mode = bodyJSON; return nil }},
	{names: []string{"--raw"}, arg: "TEXT", apply: func(ra *requestArgs, _, v string) error { ra.raw = &v; return nil }},
	{names: []string{"--print", "-p"}, arg: "WHAT", apply: func(ra *requestArgs, _, v string) error { return ra.setParts(v) }},
	{names: []string{"--verbose", "-v"}, apply: func(ra *requestArgs, _, _ string) error { return ra.setParts("HBhbm") }},
	// HTTPie's --headers and --body.
	{names: []string{"--headers", "-h"}, apply: func(ra *requestArgs, _, _ string) error { return ra.setParts("h") }},
	{names: []string{"--body", "-b"}, apply: func(ra *requestArgs, _, _ string) error { return ra.setParts("b") }},
	{names: []string{"--offline"}, apply: func(ra *requestArgs, _, _ string) error { ra.offline = true; return nil }},
	{names: []string{"--check-status"}, apply: func(ra *requestArgs, _, _ string) error { ra.checkStatus = true; return nil }},
	{names: []string{"--all"}, apply: func(ra *requestArgs, _, _ string) error { ra.all = true; return nil }},
	{names: []string{"--timeout"}, arg: "DURATION", apply: (*requestArgs).setTimeout},
	{names: []string{"--max-time"}, arg: "DURATION", apply: (*requestArgs).setTimeout},
	{names: []string{"--output", "-o"}, arg: "FILE", apply: func(ra *requestArgs, _, v string) error { ra.output = v; return nil }},
	{names: []string{"--auth", "-a"}, arg: "USER[:PASS]", apply: func(ra *requestArgs, _, v string) error { ra.auth = v; return nil }},
	{names: []string{"--auth-type", "-A"}, arg: "TYPE", apply: func(ra *requestArgs, _, v string) error { ra.authTyp = v; return nil }},
	{names: []string{"--cert"}, arg: "FILE", apply: func(ra *requestArgs, _, v string) error { ra.req.Cert.File = v; return nil }},
	{names: []string{"--cert-key"}, arg: "FILE", apply: func(ra *requestArgs, _, v string) error { ra.req.Cert.KeyFile = v; return nil }},
	{names: []string{"--stream", "-S"}, apply: func(ra *requestArgs, _, _ string) error { ra.stream = true; return nil }},
	{names: []string{"--follow", "-F"}, apply: func(ra *requestArgs, _, _ string) error { t := true; ra.req.Follow = &t; return nil }},
	{names: []string{"--no-follow"}, apply: func(ra *requestArgs, _, _ string) error { f := false; ra.req.Follow = &f; return nil }},
}

// findRequestOption returns the table entry named name, or nil.
func findRequestOption(name string) *requestOption {
	for i := range requestOptionTable {
		for _, n := range requestOptionTable[i].names {
			if n == name {
				return &requestOptionTable[i]
			}
		}
	}
	return nil
}

// requestOptionNames lists the long names of the request options, in
// table order, for completion.
func requestOptionNames() []string {
	names := make([]string, len(requestOptionTable))
	for i, o := range requestOptionTable {
		names[i] = o.names[0]
	}
	return names
}

// allRequestOptionNames lists every name of every request option, for
// did-you-mean.
func allRequestOptionNames() []string {
	var names []string
	for _, o := range requestOptionTable {
		names = append(names, o.names...)
	}
	return names
}

// setParts sets what to print, as --print letters; an explicit choice
// that --offline and output redirection keep.
func (ra *requestArgs) setParts(letters string) error {
	p, err := format.ParseParts(letters)
	if err != nil {
		return err
	}
	ra.parts, ra.partsGiven = p, true
	return nil
}

// setTimeout reads --timeout or --max-time.
func (ra *requestArgs) setTimeout(name, v string) error {
	d, err := parseTimeout(v)
	if err != nil {
		return err
	}
	if d == 0 {
		return fmt.Errorf("invalid %s %q: want a duration above zero", strings.TrimPrefix(name, "--"), v)
	}
	if name == "--timeout" {
		ra.req.Timeout = d
	} else {
		ra.req.MaxTime = d
	}
	return nil
}

// unknownOption is the error for a word that looks like an option and is
// not one: only its name (what follows an '=' may be a secret: -a=u:p),
// the options it may have meant, and the help to read, named after the
// command typed.
func (ra *requestArgs) unknownOption(name string) error {
	name, _, _ = strings.Cut(name, "=")
	hint := ""
	if len(name) > 2 && findRequestOption(name) == nil {
		// One letter after a dash is near every other one: no guess.
		hint = didYouMean(name, allRequestOptionNames())
	}
	return fmt.Errorf("unknown option %q%s (type help %s for the options)", name, hint, strings.ToLower(ra.req.Method))
}
