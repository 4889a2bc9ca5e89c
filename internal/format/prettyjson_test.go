package format

import (
	"bufio"
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidwall/pretty"

	"github.com/reqsh/reqsh/internal/sample"
)

// smallBodies are response bodies of the workloads, as go-httpbin sends
// them: /get, /gzip (decoded), a /post echo of a JSON body, /cookies and
// /headers.
func smallBodies(t testing.TB) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob("testdata/bodies/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no bodies in testdata/bodies: %v", err)
	}
	bodies := make(map[string][]byte)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		bodies[strings.TrimSuffix(filepath.Base(f), ".json")] = b
	}
	return bodies
}

// checkPrettyJSON asserts that prettyJSON agrees with checkJSON
// followed by tidwall/pretty on doc: the same verdicts, the same bytes.
func checkPrettyJSON(t testing.TB, pj *prettyJSON, doc []byte, terminal bool) {
	t.Helper()
	info := checkJSON(doc, terminal)
	prefix := []byte("kept")
	out, status := pj.append(prefix[:len(prefix):len(prefix)], doc, terminal)
	switch {
	case !info.valid && info.depth <= maxPrettyDepth:
		if status != prettyInvalid {
			t.Fatalf("%q (terminal %v): status %d, want invalid", doc, terminal, status)
		}
	case !info.valid:
		if status == prettyDone {
			t.Fatalf("%q (terminal %v): invalid and too deep, done", doc, terminal)
		}
	case info.depth > maxPrettyDepth || info.fix:
		if status != prettyDefer {
			t.Fatalf("%q (terminal %v): %+v, status %d, want defer", doc, terminal, info, status)
		}
	default:
		if status != prettyDone {
			t.Fatalf("%q (terminal %v): %+v, status %d, want done", doc, terminal, info, status)
		}
		want := pretty.PrettyOptions(doc, prettyOptions)
		if !bytes.HasPrefix(out, prefix) || !bytes.Equal(out[len(prefix):], want) {
			t.Fatalf("%q (terminal %v):\n got %q\nwant %q", doc, terminal, out, append(prefix, want...))
		}
	}
}

// checkPrinterJSON asserts that Printer.json prints what checkJSON and
// jsonDoc print, with every option.
func checkPrinterJSON(t testing.TB, doc []byte) {
	t.Helper()
	for _, opts := range streamOptions() {
		var got, want bytes.Buffer
		p := New(&got, opts)
		p.started = true // a separator goes first
		ok := p.json(doc, true)
		q := New(&want, opts)
		q.started = true
		info := checkJSON(doc, opts.Terminal)
		if info.valid {
			q.section()
			q.jsonDoc(doc, info)
		}
		if ok != info.valid || !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("%q %+v: valid %v (checkJSON %v)\n got %q\nwant %q", doc, opts, ok, info.valid, got.Bytes(), want.Bytes())
		}
		// Through a buffered writer: laid out in place in its buffer when
		// there is room, in the Printer's scratch when there is not.
		for _, size := range []int{16, 2*len(doc) + 64} {
			var buffered bytes.Buffer
			bw := bufio.NewWriterSize(&buffered, size)
			r := New(bw, opts)
			r.started = true
			r.json(doc, true)
			if err := bw.Flush(); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buffered.Bytes(), want.Bytes()) {
				t.Fatalf("%q %+v through a %d-byte buffer:\n got %q\nwant %q", doc, opts, size, buffered.Bytes(), want.Bytes())
			}
		}
	}
}

// prettyCorpus is the JSON of the package's tests, valid and not, and
// the bodies of the workloads.
func prettyCorpus(t testing.TB) [][]byte {
	var docs [][]byte
	for _, s := range jsonSamples {
		docs = append(docs, []byte(s))
	}
	for _, s := range streamCorpus {
		docs = append(docs, []byte(s))
	}
	for _, s := range []string{
		`{"a":[1,2,{"b":null}],"c":"\u001b"}`, "{\"a\":\"\u009b\x7f\u202e\"}\r\n",
		strings.Repeat("[", 63) + strings.Repeat("]", 63),
		strings.Repeat("[", 65) + strings.Repeat("]", 65),
		strings.Repeat(`{"a":`, 64) + "1" + strings.Repeat("}", 64),
		strings.Repeat(`{"a":`, 65) + "1" + strings.Repeat("}", 65),
		strings.Repeat(`[1,`, 65) + "1" + strings.Repeat("]", 65),
		strings.Repeat(`[1,`, 65) + "1" + strings.Repeat("]", 64),
		strings.Repeat("[", 70) + "\r" + strings.Repeat("]", 70),
		"<html>\x1b[2J</html>", "\"x\"", "[\"\xff\"", "[1,\r\n", "[\"\u202e\",",
	} {
		docs = append(docs, []byte(s))
	}
	for _, b := range smallBodies(t) {
		docs = append(docs, b)
	}
	return append(docs, sample.JSON(64<<10))
}

func TestPrettyJSONCorpus(t *testing.T) {
	t.Parallel()
	var pj prettyJSON // one for all documents: its scratch is reused
	for _, doc := range prettyCorpus(t) {
		for _, terminal := range []bool{false, true} {
			checkPrettyJSON(t, &pj, doc, terminal)
		}
		checkPrinterJSON(t, doc)
		// Every prefix: documents cut short anywhere.
		if len(doc) < 2000 {
			for n := range len(doc) {
				checkPrettyJSON(t, &pj, doc[:n], false)
				checkPrettyJSON(t, &pj, doc[:n], true)
			}
		}
	}
}

// jsonGen writes random JSON documents with what decides tidwall/pretty's
// layout and checkJSON's verdicts: nesting, arrays and objects whose
// one-line form ends near the 80th column, empty containers, strings
// with escapes, unicode and bytes a terminal must not get, numbers of
// every form, and whitespace of every kind.
type jsonGen struct {
	r    *rand.Rand
	b    []byte
	left int // how many more values the document may have
}

func (g *jsonGen) space() {
	const spaces = " \t\n\r"
	for g.r.IntN(3) == 0 {
		n := g.r.IntN(4)
		if g.r.IntN(8) > 0 {
			n = g.r.IntN(3) // mostly no carriage return
		}
		g.b = append(g.b, spaces[n])
	}
}

var genStrings = []string{
	"", "a", "ab", "key", "value", "Accept-Encoding", "127.0.0.1:18080",
	`\"`, `\\`, `\/`, `\b\f\n\r\t`, `\u00e9`, `\uD83D\uDE00`, `\u001b`,
	"é", "日本語", "\U0001F600", "\u009b", "\x7f", "\u202e", "\u2028", "\xff", "\xe2\x82",
}

func (g *jsonGen) str() {
	g.b = append(g.b, '"')
	for n := g.r.IntN(4); n > 0; n-- {
		g.b = append(g.b, genStrings[g.r.IntN(len(genStrings))]...)
	}
	if g.r.IntN(4) == 0 {
		// Lengths that put a container just inside or outside 80 columns.
		g.b = append(g.b, strings.Repeat("x", g.r.IntN(80))...)
	}
	g.b = append(g.b, '"')
}

var genNumbers = []string{
	"0", "-0", "1", "-1", "12", "123456789", "0.5", "-0.25", "1e5", "1E5", "1e+5", "1e-5",
	"-1.5E-10", "0e0", "10.01e+01", "9007199254740993", "1.7976931348623157e308",
}

func (g *jsonGen) value(depth int) {
	g.space()
	k := g.r.IntN(10)
	if g.left--; g.left < 0 {
		k = 4 + g.r.IntN(6) // no more containers
	}
	switch {
	case k < 2:
		g.b = append(g.b, '[')
		n := g.r.IntN(6)
		if g.r.IntN(8) == 0 {
			n = 20 + g.r.IntN(20) // a long array of short items
		}
		for i := range n {
			if i > 0 {
				g.space()
				g.b = append(g.b, ',')
			}
			g.value(depth + 1)
		}
		g.space()
		g.b = append(g.b, ']')
	case k < 4:
		g.b = append(g.b, '{')
		for i := range g.r.IntN(6) {
			if i > 0 {
				g.space()
				g.b = append(g.b, ',')
			}
			g.space()
			g.str()
			g.space()
			g.b = append(g.b, ':')
			g.value(depth + 1)
		}
		g.space()
		g.b = append(g.b, '}')
	case k < 6:
		g.str()
	case k < 8:
		g.b = append(g.b, genNumbers[g.r.IntN(len(genNumbers))]...)
	default:
		g.b = append(g.b, [...]string{"true", "false", "null"}[g.r.IntN(3)]...)
	}
	g.space()
}

// doc returns a new document: valid mostly, cut short or with a byte
// changed sometimes.
func (g *jsonGen) doc() []byte {
	g.b = g.b[:0]
	g.left = 1 + g.r.IntN(100)
	depth := 0
	if g.r.IntN(50) == 0 {
		depth = 55 + g.r.IntN(12) // near maxPrettyDepth
		for range depth {
			g.b = append(g.b, '[')
		}
	}
	g.value(depth)
	for range depth {
		g.b = append(g.b, ']')
	}
	switch g.r.IntN(10) {
	case 0:
		g.b = g.b[:g.r.IntN(len(g.b)+1)]
	case 1:
		g.b[g.r.IntN(len(g.b))] = ",:[]{}\"\\ 0e-.xtn\r"[g.r.IntN(17)]
	}
	return g.b
}

func TestPrettyJSONGenerated(t *testing.T) {
	t.Parallel()
	n := 20000
	if testing.Short() {
		n = 2000
	}
	g := &jsonGen{r: rand.New(rand.NewPCG(1, 2))}
	var pj prettyJSON
	valid := 0
	for range n {
		doc := g.doc()
		for _, terminal := range []bool{false, true} {
			checkPrettyJSON(t, &pj, doc, terminal)
		}
		if checkJSON(doc, false).valid {
			valid++
		}
	}
	if valid < n/2 {
		t.Fatalf("only %d of %d generated documents are valid", valid, n)
	}
	for range n / 20 {
		checkPrinterJSON(t, g.doc())
	}
}

// FuzzPrettyJSON checks that prettyJSON agrees with checkJSON
// followed by tidwall/pretty on any input: verdicts and bytes.
func FuzzPrettyJSON(f *testing.F) {
	for _, doc := range prettyCorpus(f) {
		if len(doc) < 4096 {
			f.Add(doc)
		}
	}
	g := &jsonGen{r: rand.New(rand.NewPCG(3, 4))}
	for range 50 {
		f.Add(bytes.Clone(g.doc()))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		var pj prettyJSON
		checkPrettyJSON(t, &pj, doc, false)
		checkPrettyJSON(t, &pj, doc, true)
	})
}
