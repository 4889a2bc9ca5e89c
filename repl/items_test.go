package repl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/reqsh/reqsh/internal/demo"
)

// received is one request as a server read it.
type received struct {
	header http.Header
	body   []byte
}

// recordingBin is go-httpbin behind a recorder of the raw requests.
type recordingBin struct {
	mu   sync.Mutex
	reqs []received
}

func newRecordingBin(t *testing.T) (*recordingBin, *httptest.Server) {
	t.Helper()
	rb := &recordingBin{}
	bin := demo.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rb.mu.Lock()
		rb.reqs = append(rb.reqs, received{r.Header.Clone(), body})
		rb.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		bin.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return rb, srv
}

func (rb *recordingBin) count() int {
	rb.mu.Lock()
	defer rb.mu.Unlock()
	return len(rb.reqs)
}

func (rb *recordingBin) last(t *testing.T) received {
	t.Helper()
	rb.mu.Lock()
	defer rb.mu.Unlock()
	if len(rb.reqs) == 0 {
		t.Fatal("nothing received")
	}
	return rb.reqs[len(rb.reqs)-1]
}

// shellWords quotes words for a reqsh line, as sh would.
func shellWords(words []string) string {
	var b strings.Builder
	for _, w := range words {
		b.WriteString(" '" + strings.ReplaceAll(w, "'", `'\''`) + "'")
	}
	return b.String()
}

// flatCase is one case of testdata/items/httpie-flat.json: items and
// the request HTTPie 3 builds from them (gen-httpie.py).
type flatCase struct {
	Mode    string      `json:"mode"`
	Items   []string    `json:"items"`
	Error   string      `json:"error"`
	Headers [][2]string `json:"headers"`
	Body    string      `json:"body"`
}

// binEcho is what go-httpbin's /anything says it received.
type binEcho struct {
	Headers map[string][]string `json:"headers"`
	Form    map[string][]string `json:"form"`
	Files   map[string][]string `json:"files"`
	JSON    any                 `json:"json"`
}

// echoOf serves one request to go-httpbin's /anything and decodes the echo.
func echoOf(t *testing.T, h http.Header, body []byte) binEcho {
	t.Helper()
	r := httptest.NewRequest("POST", "/anything", bytes.NewReader(body))
	r.Header = h
	w := httptest.NewRecorder()
	demo.Handler().ServeHTTP(w, r)
	var e binEcho
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatalf("echo: %v: %s", err, w.Body.Bytes())
	}
	return e
}

// part is one multipart part, as compared with HTTPie's.
type part struct {
	Name, File, Type, Data string
}

// partsOf reads a multipart body; guessed types are compared by media
// type alone (Go says text/plain; charset=utf-8 where Python says
// text/plain).
func partsOf(t *testing.T, contentType string, body []byte, exactType bool) []part {
	t.Helper()
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		t.Fatalf("content type %q: %v", contentType, err)
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var parts []part
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return parts
		}
		if err != nil {
			t.Fatalf("multipart: %v", err)
		}
		data, _ := io.ReadAll(p)
		typ := p.Header.Get("Content-Type")
		if !exactType {
			typ, _, _ = mime.ParseMediaType(typ)
		}
		parts = append(parts, part{p.FormName(), p.FileName(), typ, string(data)})
	}
}

// typeGiven matches an upload with its type given.
var typeGiven = regexp.MustCompile(`;type=[^ ]`)

// TestHTTPieFlat sends each recorded item list through reqsh to
// go-httpbin and checks that the server received what HTTPie 3 sends:
// the same headers named by the items (every value, in order), the same
// urlencoded body, the same multipart parts in the same order, and the
// same echo from go-httpbin (form, files, json). Where HTTPie refuses,
// reqsh gives one error line and sends nothing.
func TestHTTPieFlat(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "items", "httpie-flat.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Files map[string]string `json:"files"`
		Cases []flatCase        `json:"cases"`
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, text := range rec.Files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rb, srv := newRecordingBin(t)
	for _, c := range rec.Cases {
		t.Run(fmt.Sprint(c.Mode, c.Items), func(t *testing.T) {
			words := make([]string, len(c.Items))
			for i, w := range c.Items {
				words[i] = strings.ReplaceAll(w, "{dir}", dir)
			}
			line := "post /anything " + c.Mode + shellWords(words) + "\n"
			before := rb.count()
			_, stderr, code := runScript(t, strings.NewReader(line), srv.URL)
			if c.Error != "" {
				if code != 1 || rb.count() != before {
					t.Fatalf("HTTPie refuses (%s); reqsh exit %d, %d requests sent", c.Error, code, rb.count()-before)
				}
				wantOneErrorLine(t, stderr, "error: line 1: ")
				return
			}
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			got := rb.last(t)
			// HTTPie's request, as go-httpbin would read it.
			want := received{header: http.Header{}, body: []byte(strings.ReplaceAll(c.Body, "{dir}", dir))}
			for _, h := range c.Headers {
				want.header.Add(h[0], h[1])
			}
			// Headers named by the items: every value, in order.
			for _, w := range c.Items {
				name, _, ok := strings.Cut(w, ":")
				if n, _, semi := strings.Cut(w, ";"); semi && (!ok || len(n) < len(name)) {
					name, ok = n, true
				}
				if !ok || strings.ContainsAny(name, "=@") {
					continue
				}
				if g, w := got.header.Values(name), want.header.Values(name); fmt.Sprint(g) != fmt.Sprint(w) {
					t.Errorf("header %s: got %q, HTTPie sends %q", name, g, w)
				}
			}
			gotType, wantType := got.header.Get("Content-Type"), want.header.Get("Content-Type")
			switch {
			case strings.HasPrefix(wantType, "multipart/form-data"):
				exact := typeGiven.MatchString(strings.Join(c.Items, " "))
				g, w := partsOf(t, gotType, got.body, exact), partsOf(t, wantType, want.body, exact)
				if fmt.Sprint(g) != fmt.Sprint(w) {
					t.Errorf("multipart parts:\n got %q\nwant %q", g, w)
				}
			case wantType != "":
				if gotType != wantType || string(got.body) != string(want.body) {
					t.Errorf("body: got %s %q, HTTPie sends %s %q", gotType, got.body, wantType, want.body)
				}
			}
			g, w := echoOf(t, got.header, got.body), echoOf(t, want.header, want.body)
			if fmt.Sprint(g.Form, g.Files, g.JSON) != fmt.Sprint(w.Form, w.Files, w.JSON) {
				t.Errorf("go-httpbin echo:\n got %v %v %v\nwant %v %v %v", g.Form, g.Files, g.JSON, w.Form, w.Files, w.JSON)
			}
		})
	}
}

// TestNestedItemsSent checks the JSON body go-httpbin receives from
// nested items, byte for byte (key order kept).
func TestNestedItemsSent(t *testing.T) {
	rb, srv := newRecordingBin(t)
	tests := []struct {
		items, want string
	}{
		{`user[name]=ann user[roles][]=dev user[roles][]=ops n[0]:=1 'tags[]=a b'`,
			`{"user":{"name":"ann","roles":["dev","ops"]},"n":[1],"tags":["a b"]}`},
		{`'[]:=1' '[]:=2' '[][a]=x'`, `[1,2,{"a":"x"}]`},
		{`a\[b\]=c 'x[\1]=y' a[3]:=true`, `{"a[b]":"c","x":{"1":"y"},"a":[null,null,null,true]}`},
		{`a=1 b=2 a=3`, `{"a":"3","b":"2"}`},
		{`o:='{"k":[1]}' 'o[k][]=2' o[m]=3`, `{"o":{"k":[1,"2"],"m":"3"}}`},
	}
	for _, tt := range tests {
		_, stderr, code := runScript(t, strings.NewReader("post /anything "+tt.items+"\n"), srv.URL)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tt.items, code, stderr)
		}
		got := rb.last(t)
		if string(got.body) != tt.want || got.header.Get("Content-Type") != "application/json" {
			t.Errorf("%s: sent %s %s, want %s", tt.items, got.header.Get("Content-Type"), got.body, tt.want)
		}
	}
}

// TestItemErrorsSendNothing checks that a bad item is one error line
// naming it, and that nothing is sent.
func TestItemErrorsSendNothing(t *testing.T) {
	rb, srv := newRecordingBin(t)
	tests := []struct {
		items string
		want  []string
	}{
		{`a=1 'a[b]=2'`, []string{`item "a[b]=2"`, `"a" is a string, not an object`}},
		{`'a[]=1' 'a[x]=2'`, []string{`item "a[x]=2"`, `"a" is an array, not an object`}},
		{`a=1 '[]=2'`, []string{`item "[]=2"`, "the body is an object, not an array"}},
		{`'a[-1]=1'`, []string{`item "a[-1]=1"`, "negative index"}},
		{`'a[b=1'`, []string{`item "a[b=1"`, `want ']' after "a[b"`}},
		{`'a]=1'`, []string{`item "a]=1"`, `want '['`}},
		{`=x`, []string{`empty field name in "=x"`}},
		{`==x`, []string{`empty query parameter name in "==x"`}},
		{`'X-A;v'`, []string{`invalid item "X-A;v"`, `"X-A;"`}},
		{`--form 'o:={"a":1}'`, []string{`field "o": an object (:=) cannot be sent in a form`}},
		{`--form f@/nonexistent/x.txt`, []string{`upload "f"`}},
	}
	for _, tt := range tests {
		_, stderr, code := runScript(t, strings.NewReader("post /anything "+tt.items+"\n"), srv.URL)
		if code != 1 {
			t.Errorf("%s: exit %d, want 1", tt.items, code)
		}
		wantOneErrorLine(t, stderr, "error: line 1: ", tt.want...)
	}
	if n := rb.count(); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

// TestHeaderItemsOverSession checks repeated, removed and empty header
// items against a session header and the defaults, at go-httpbin.
func TestHeaderItemsOverSession(t *testing.T) {
	_, srv := newRecordingBin(t)
	tests := []struct {
		items string
		want  []string // X-A values received; nil: none
		agent bool     // User-Agent received
	}{
		{``, []string{"s"}, true},
		{`X-A:1 X-A:2`, []string{"1", "2"}, true},
		{`x-a:1 X-A:2`, []string{"1", "2"}, true},
		{`X-A:`, nil, true},
		{`X-A:1 X-A:`, nil, true},
		{`X-A: X-A:v`, []string{"v"}, true},
		{`x-a: X-A:v`, []string{"v"}, true},
		{`X-A:1 X-A: X-A:2`, []string{"2"}, true},
		{`'X-A;'`, []string{""}, true},
		{`'X-A;' X-A:v`, []string{"", "v"}, true},
		{`User-Agent:`, []string{"s"}, false},
		// Go's net/http cannot send an empty User-Agent: none goes.
		{`User-Agent: 'User-Agent;'`, []string{"s"}, false},
	}
	for _, tt := range tests {
		script := "header set X-A s\nget /anything " + tt.items + "\n"
		stdout, stderr, code := runScript(t, strings.NewReader(script), srv.URL)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tt.items, code, stderr)
		}
		var e binEcho
		if err := json.Unmarshal([]byte(stdout), &e); err != nil {
			t.Fatalf("%s: %v: %s", tt.items, err, stdout)
		}
		if got := e.Headers["X-A"]; fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: X-A received %q, want %q", tt.items, got, tt.want)
		}
		if _, got := e.Headers["User-Agent"]; got != tt.agent {
			t.Errorf("%s: User-Agent received: %v, want %v", tt.items, got, tt.agent)
		}
	}
}

// TestFormItemsSent checks forms at go-httpbin: repeated fields all sent,
// := scalars as text, multipart parts in the order given with the type
// given.
func TestFormItemsSent(t *testing.T) {
	rb, srv := newRecordingBin(t)
	dir := t.TempDir()
	note := filepath.Join(dir, "note.txt")
	if err := os.WriteFile(note, []byte("hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	script := "post /anything --form a=1 b=2 a=3 n:=1 ok:=true\n"
	stdout, stderr, code := runScript(t, strings.NewReader(script), srv.URL)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var e binEcho
	if err := json.Unmarshal([]byte(stdout), &e); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(e.Form); got != "map[a:[1 3] b:[2] n:[1] ok:[true]]" {
		t.Errorf("form received %s", got)
	}
	if got := string(rb.last(t).body); got != "a=1&a=3&b=2&n=1&ok=true" {
		t.Errorf("form body %q", got)
	}

	script = "post /anything z=1 'f@" + note + ";type=image/png' a=2 'g@" + note + "' n:=5\n"
	stdout, stderr, code = runScript(t, strings.NewReader(script), srv.URL)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	e = binEcho{}
	if err := json.Unmarshal([]byte(stdout), &e); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(e.Form, e.Files); got != "map[a:[2] n:[5] z:[1]] map[f:[hi\n] g:[hi\n]]" {
		t.Errorf("multipart received %q", got)
	}
	got := rb.last(t)
	parts := partsOf(t, got.header.Get("Content-Type"), got.body, true)
	want := []part{{"z", "", "", "1"}, {"f", "note.txt", "image/png", "hi\n"}, {"a", "", "", "2"},
		{"g", "note.txt", "text/plain; charset=utf-8", "hi\n"}, {"n", "", "", "5"}}
	if fmt.Sprint(parts) != fmt.Sprint(want) {
		t.Errorf("parts\n got %q\nwant %q", parts, want)
	}
}

// Each request sends its own fields only: a request after one with more
// fields, with fewer, with none, or as a form, carries nothing of the
// ones before (the shell reuses its parsed request from line to line).
func TestFieldsDoNotCarryOver(t *testing.T) {
	rb, srv := newRecordingBin(t)
	lines := []struct{ line, body string }{
		{`post /post name=item1 n:=1 ok:=true tags:='["a"]'`, `{"name":"item1","n":1,"ok":true,"tags":["a"]}`},
		{`post /post c=3`, `{"c":"3"}`},
		{`post /post`, ``},
		{`post /post --form a=1 b=2`, `a=1&b=2`},
		{`put /put n:=2.5e1`, `{"n":2.5e1}`},
		{`get /get`, ``},
		{`post /post x:=null y:=false`, `{"x":null,"y":false}`},
	}
	var script strings.Builder
	for _, l := range lines {
		script.WriteString(l.line + "\n")
	}
	if _, errOut, code := runScript(t, strings.NewReader(script.String()), srv.URL); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rb.mu.Lock()
	defer rb.mu.Unlock()
	if len(rb.reqs) != len(lines) {
		t.Fatalf("%d requests received, want %d", len(rb.reqs), len(lines))
	}
	for i, l := range lines {
		if got := string(rb.reqs[i].body); got != l.body {
			t.Errorf("%s: server received %q, want %q", l.line, got, l.body)
		}
	}
}
