package repl

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tidwall/pretty"

	"github.com/reqsh/reqsh/internal/demo"
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

// BenchmarkDispatch is tokenizing and looking up one command line.
func BenchmarkDispatch(b *testing.B) {
	sh, err := newShell(&config{color: "never"}, strings.NewReader(""), io.Discard, io.Discard, nil)
	if err != nil {
		b.Fatal(err)
	}
	line := "get /get a==1 X-Api-Key:abc name=reqsh"
	b.ReportAllocs()
	for b.Loop() {
		words, err := Tokenize(line)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := sh.cmds.lookup(words); err != nil {
			b.Fatal(err)
		}
	}
}
