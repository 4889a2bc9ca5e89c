package repl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/reqsh/reqsh/internal/format"
)

// diffCmd prints the differences between two logged exchanges, one line
// a difference: the status, the response headers, and the bodies (JSON
// value by value with gjson paths, text as a unified diff).
func (sh *shell) diffCmd(args []string) error {
	var es [2]*exchange
	for i, a := range args {
		n, err := parseExchangeNumber(a)
		if err != nil {
			return err
		}
		if es[i], err = sh.exchanges.get(n); err != nil {
			return err
		}
	}
	lines, err := diffExchanges(es[0], es[1])
	if err != nil {
		return err
	}
	if len(lines) == 0 {
		sh.println(fmt.Sprintf("exchanges %d and %d do not differ", es[0].n, es[1].n))
		return nil
	}
	for _, l := range lines {
		sh.println(format.Sanitize(l))
	}
	return nil
}

// diffExchanges lists the differences between exchanges a and b.
func diffExchanges(a, b *exchange) ([]string, error) {
	var out []string
	if a.resp.StatusCode != b.resp.StatusCode {
		out = append(out, fmt.Sprintf("status: %d -> %d", a.resp.StatusCode, b.resp.StatusCode))
	}
	out = append(out, diffHeaders(a.resp.Header, b.resp.Header)...)
	ab, err := a.bodyBytes()
	if err != nil {
		return nil, err
	}
	bb, err := b.bodyBytes()
	if err != nil {
		return nil, err
	}
	return append(out, diffBodies(ab, bb, fmt.Sprintf("#%d", a.n), fmt.Sprintf("#%d", b.n))...), nil
}

// diffHeaders compares two header sets by name, values of a name joined
// with ", ": "header X-A: added "1"", "header X-B: removed",
// "header Date: D1 -> D2".
func diffHeaders(a, b http.Header) []string {
	var out []string
	for _, k := range unionKeys(a, b) {
		av, inA := a[k]
		bv, inB := b[k]
		switch {
		case !inA:
			out = append(out, fmt.Sprintf("header %s: added %s", k, strconv.Quote(strings.Join(bv, ", "))))
		case !inB:
			out = append(out, fmt.Sprintf("header %s: removed", k))
		case !slices.Equal(av, bv):
			out = append(out, fmt.Sprintf("header %s: %s -> %s", k,
				strconv.Quote(strings.Join(av, ", ")), strconv.Quote(strings.Join(bv, ", "))))
		}
	}
	return out
}

// diffBodies compares two bodies: an empty one, by the other's size; both
// JSON, value by value; both text, as a unified diff of lines; otherwise
// by size.
func diffBodies(a, b []byte, nameA, nameB string) []string {
	if bytes.Equal(a, b) {
		return nil
	}
	switch {
	case len(a) == 0:
		return []string{fmt.Sprintf("body: added (%d bytes)", len(b))}
	case len(b) == 0:
		return []string{fmt.Sprintf("body: removed (%d bytes)", len(a))}
	}
	va, errA := decodeJSON(a)
	vb, errB := decodeJSON(b)
	if errA == nil && errB == nil {
		var out []string
		diffJSON("", va, vb, &out)
		return out
	}
	if utf8.Valid(a) && utf8.Valid(b) {
		if d, ok := unifiedDiff(splitLines(string(a)), splitLines(string(b)), nameA, nameB); ok {
			return d
		}
	}
	return []string{fmt.Sprintf("body: %d bytes -> %d bytes, different", len(a), len(b))}
}

// decodeJSON decodes a whole JSON body, numbers kept as written.
func decodeJSON(data []byte) (any, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("empty body")
	}
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, fmt.Errorf("more than one JSON value")
	}
	return v, nil
}

// unionKeys returns the keys of a and b, each once, sorted.
func unionKeys[M ~map[string]V, V any](a, b M) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// diffJSON appends the differences between JSON values a and b at path:
// "items.3.price: 10 -> 12", "a.b: added "x"", "c: removed".
func diffJSON(path string, a, b any, out *[]string) {
	switch av := a.(type) {
	case map[string]any:
		if bv, ok := b.(map[string]any); ok {
			for _, k := range unionKeys(av, bv) {
				diffMember(joinPath(path, gjsonKey(k)), av, bv, k, out)
			}
			return
		}
	case []any:
		if bv, ok := b.([]any); ok {
			for i := 0; i < len(av) || i < len(bv); i++ {
				p := joinPath(path, strconv.Itoa(i))
				switch {
				case i >= len(bv):
					*out = append(*out, p+": removed")
				case i >= len(av):
					*out = append(*out, p+": added "+diffValue(bv[i]))
				default:
					diffJSON(p, av[i], bv[i], out)
				}
			}
			return
		}
	}
	if ja, jb := diffValue(a), diffValue(b); ja != jb {
		p := path
		if p == "" {
			p = "@this"
		}
		*out = append(*out, fmt.Sprintf("%s: %s -> %s", p, ja, jb))
	}
}

// diffMember compares the member k of two objects.
func diffMember(path string, a, b map[string]any, k string, out *[]string) {
	av, inA := a[k]
	bv, inB := b[k]
	switch {
	case !inA:
		*out = append(*out, path+": added "+diffValue(bv))
	case !inB:
		*out = append(*out, path+": removed")
	default:
		diffJSON(path, av, bv, out)
	}
}

// joinPath adds one gjson path component.
func joinPath(path, part string) string {
	if path == "" {
		return part
	}
	return path + "." + part
}

// gjsonKey escapes the characters that mean something in a gjson path.
func gjsonKey(k string) string {
	var b strings.Builder
	for _, r := range k {
		if strings.ContainsRune(`.*?|#@\!=<>%`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// diffValue is a JSON value written compactly, as in the body.
func diffValue(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// splitLines splits text into lines without their ends; a last line
// without an end counts as a line.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(strings.TrimSuffix(l, "\n"), "\r")
	}
	return lines
}

// maxDiffCells bounds the table of the line diff (lines of a times lines
// of b); bigger bodies are compared by size only.
const maxDiffCells = 4 << 20

// diffContext is how many unchanged lines surround a change in a hunk.
const diffContext = 3

// unifiedDiff is the unified diff of two texts' lines, found with the
// longest common subsequence; ok is false when they are too long.
func unifiedDiff(a, b []string, nameA, nameB string) ([]string, bool) {
	if len(a)*len(b) > maxDiffCells {
		return nil, false
	}
	ops := lineOps(a, b)
	var out []string
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		// A hunk: from diffContext lines before this change to
		// diffContext lines after the last change closer than
		// 2*diffContext unchanged lines.
		start := max(0, i-diffContext)
		end := i
		for j := i; j < len(ops); j++ {
			if ops[j].kind != ' ' {
				end = j + 1
			} else if j-end >= 2*diffContext {
				break
			}
		}
		end = min(len(ops), end+diffContext)
		if len(out) == 0 {
			out = append(out, "--- "+nameA, "+++ "+nameB)
		}
		out = append(out, hunk(ops[start:end])...)
		i = end
	}
	return out, true
}

// lineOp is one line of a diff: ' ' kept, '-' removed, '+' added, with
// the line's number (from 1) in a and in b.
type lineOp struct {
	kind   byte
	text   string
	ai, bi int
}

// lineOps walks the LCS table of a and b into diff lines.
func lineOps(a, b []string) []lineOp {
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	lcs := make([][]int32, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []lineOp
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			ops = append(ops, lineOp{' ', a[i], i + 1, j + 1})
			i, j = i+1, j+1
		case j >= len(b) || (i < len(a) && lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, lineOp{'-', a[i], i + 1, j})
			i++
		default:
			ops = append(ops, lineOp{'+', b[j], i, j + 1})
			j++
		}
	}
	return ops
}

// hunk writes a run of diff lines under its "@@ -a,n +b,m @@" header.
func hunk(ops []lineOp) []string {
	var na, nb int
	startA, startB := -1, -1
	for _, op := range ops {
		if op.kind != '+' {
			na++
			if startA < 0 {
				startA = op.ai
			}
		}
		if op.kind != '-' {
			nb++
			if startB < 0 {
				startB = op.bi
			}
		}
	}
	if startA < 0 {
		startA = ops[0].ai // no line of a: the line before the hunk
	}
	if startB < 0 {
		startB = ops[0].bi
	}
	out := []string{fmt.Sprintf("@@ -%d,%d +%d,%d @@", startA, na, startB, nb)}
	for _, op := range ops {
		out = append(out, string(op.kind)+op.text)
	}
	return out
}
