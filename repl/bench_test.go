package repl

import (
	"bytes"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/reqsh/reqsh/internal/demo"
	"github.com/reqsh/reqsh/internal/workload"
)

// BenchmarkScriptGet runs b.N `get /get` lines through the whole shell,
// output discarded, as `reqsh URL < script > /dev/null` does.
func BenchmarkScriptGet(b *testing.B) { benchWorkload(b, "get", scriptThroughShell) }

// BenchmarkNetHTTPLoop is the floor for BenchmarkScriptGet, the one make
// bench compares reqsh with: a plain net/http loop sending the same
// requests and pretty-printing the bodies.
func BenchmarkNetHTTPLoop(b *testing.B) { benchWorkload(b, "get", workload.Floor) }

// BenchmarkScriptMixed runs b.N lines of make bench's mixed workload
// through the whole shell, output discarded.
func BenchmarkScriptMixed(b *testing.B) { benchWorkload(b, "mixed", scriptThroughShell) }

// BenchmarkNetHTTPMixed is the floor for BenchmarkScriptMixed.
func BenchmarkNetHTTPMixed(b *testing.B) { benchWorkload(b, "mixed", workload.Floor) }

// benchWorkload feeds b.N lines of the named workload of make bench
// (internal/workload) to run, reqsh or its floor, against go-httpbin in
// process, output discarded.
func benchWorkload(b *testing.B, name string, run func(w workload.Workload, base, userAgent string, script io.Reader, out io.Writer) error) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	w, err := workload.Lookup(name)
	if err != nil {
		b.Fatal(err)
	}
	script := w.Script(b.N)
	b.ReportAllocs()
	b.ResetTimer()
	if err := run(w, srv.URL, "reqsh/"+Version, bytes.NewReader(script), io.Discard); err != nil {
		b.Fatal(err)
	}
}

// scriptThroughShell runs script through the whole shell, as `reqsh base < script`.
func scriptThroughShell(_ workload.Workload, base, _ string, script io.Reader, out io.Writer) error {
	if code := Main([]string{base}, script, out, io.Discard, nil); code != 0 {
		return fmt.Errorf("exit %d", code)
	}
	return nil
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
