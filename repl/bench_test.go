package repl

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tidwall/pretty"

	"github.com/reqsh/reqsh/internal/demo"
	"github.com/reqsh/reqsh/internal/workload"
)

// BenchmarkScriptGet runs b.N `get /get` lines through the whole shell,
// output discarded, as `reqsh URL < script > /dev/null` does.
func BenchmarkScriptGet(b *testing.B) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	script := strings.Repeat("get /get\n", b.N)
	b.ReportAllocs()
	b.ResetTimer()
	if code := Main([]string{srv.URL}, strings.NewReader(script), io.Discard, io.Discard, nil); code != 0 {
		b.Fatalf("exit %d", code)
	}
}

// BenchmarkNetHTTPLoop is the floor for BenchmarkScriptGet: one
// http.Client sending the same requests (reqsh's headers) and
// pretty-printing the bodies.
func BenchmarkNetHTTPLoop(b *testing.B) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	out := bufio.NewWriter(io.Discard)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/get", nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header["User-Agent"] = []string{"reqsh/" + Version}
		req.Header["Accept"] = []string{"*/*"}
		req.Header["Accept-Encoding"] = []string{"gzip, deflate"}
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		out.Write(pretty.Pretty(body))
	}
}

// BenchmarkScriptMixed runs b.N lines of make bench's mixed workload
// through the whole shell, output discarded.
func BenchmarkScriptMixed(b *testing.B) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	w, err := workload.Lookup("mixed")
	if err != nil {
		b.Fatal(err)
	}
	script := w.Script(b.N)
	b.ReportAllocs()
	b.ResetTimer()
	if code := Main([]string{srv.URL}, bytes.NewReader(script), io.Discard, io.Discard, nil); code != 0 {
		b.Fatalf("exit %d", code)
	}
}

// BenchmarkNetHTTPMixed is the floor for BenchmarkScriptMixed, the one
// make bench compares reqsh with: a plain net/http loop doing the same
// requests and pretty-printing the bodies.
func BenchmarkNetHTTPMixed(b *testing.B) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	w, err := workload.Lookup("mixed")
	if err != nil {
		b.Fatal(err)
	}
	script := w.Script(b.N)
	b.ReportAllocs()
	b.ResetTimer()
	if err := workload.Floor(w, srv.URL, "reqsh/"+Version, bytes.NewReader(script), io.Discard); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkDispatch is one line made ready to run: tokenized, its
// {{variables}} expanded, its command found and, for a request, its URL,
// items and options read.
func BenchmarkDispatch(b *testing.B) {
	sh, err := newShell(&config{color: "never"}, strings.NewReader(""), io.Discard, io.Discard, nil)
	if err != nil {
		b.Fatal(err)
	}
	sh.vars["key"] = "abc"
	for _, line := range []string{
		"get /get",
		"post /post a==1 X-Api-Key:{{key}} name=reqsh tags:='[\"a\",\"b\"]' --timeout 5s",
	} {
		b.Run(strings.Fields(line)[0], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				cmd, args, err := sh.parseLine(line)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := sh.parseRequest(strings.ToUpper(cmd.path[0]), args); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScriptLoop is the script loop's own work on a line, without a
// request: b.N `params list` lines read, split, looked up and run (the
// command prints one line).
func BenchmarkScriptLoop(b *testing.B) {
	script := strings.Repeat("params list\n", b.N)
	b.ReportAllocs()
	b.ResetTimer()
	if code := Main(nil, strings.NewReader(script), io.Discard, io.Discard, nil); code != 0 {
		b.Fatalf("exit %d", code)
	}
}
