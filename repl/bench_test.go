package repl

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
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

// mixedLine is line i of the mixed workload (as make bench runs it):
// a cookie set by a redirecting endpoint, a JSON POST, a gzip body, a
// custom header, a path and query that change every time.
func mixedLine(i int) string {
	switch i % 5 {
	case 0:
		return fmt.Sprintf("get /cookies/set?c%d=v%d", i/5%4, i)
	case 1:
		return fmt.Sprintf("post /post name=item%d n:=%d ok:=true", i, i)
	case 2:
		return "get /gzip"
	case 3:
		return fmt.Sprintf("get /headers X-Custom:v%d", i)
	default:
		return fmt.Sprintf("get /anything/items/%d?page=%d&q=term%d", i, i%10, i)
	}
}

// BenchmarkScriptMixed runs b.N lines of the mixed workload through the
// whole shell, output discarded.
func BenchmarkScriptMixed(b *testing.B) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	var script strings.Builder
	for i := range b.N {
		script.WriteString(mixedLine(i))
		script.WriteByte('\n')
	}
	b.ReportAllocs()
	b.ResetTimer()
	if code := Main([]string{srv.URL}, strings.NewReader(script.String()), io.Discard, io.Discard, nil); code != 0 {
		b.Fatalf("exit %d", code)
	}
}

// BenchmarkNetHTTPMixed is the floor for BenchmarkScriptMixed: one
// http.Client with a cookie jar sending the same requests, gzip bodies
// decoded, every body pretty-printed.
func BenchmarkNetHTTPMixed(b *testing.B) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	jar, err := cookiejar.New(nil)
	if err != nil {
		b.Fatal(err)
	}
	client := &http.Client{
		Transport: &http.Transport{DisableCompression: true},
		Jar:       jar,
		CheckRedirect: func(req *http.Request, _ []*http.Request) error {
			req.Header.Del("Referer")
			return nil
		},
	}
	out := bufio.NewWriter(io.Discard)
	var zr *gzip.Reader
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		var (
			method         = http.MethodGet
			target         string
			body           io.Reader
			custom, isJSON bool
		)
		switch i % 5 {
		case 0:
			target = fmt.Sprintf("/cookies/set?c%d=v%d", i/5%4, i)
		case 1:
			method, target, isJSON = http.MethodPost, "/post", true
			data, err := json.Marshal(struct {
				Name string `json:"name"`
				N    int    `json:"n"`
				OK   bool   `json:"ok"`
			}{fmt.Sprintf("item%d", i), i, true})
			if err != nil {
				b.Fatal(err)
			}
			body = bytes.NewReader(data)
		case 2:
			target = "/gzip"
		case 3:
			target, custom = "/headers", true
		default:
			target = fmt.Sprintf("/anything/items/%d?page=%d&q=term%d", i, i%10, i)
		}
		req, err := http.NewRequest(method, srv.URL+target, body)
		if err != nil {
			b.Fatal(err)
		}
		req.Header["User-Agent"] = []string{"reqsh/" + Version}
		req.Header["Accept"] = []string{"*/*"}
		req.Header["Accept-Encoding"] = []string{"gzip, deflate"}
		if isJSON {
			req.Header["Content-Type"] = []string{"application/json"}
			req.Header["Accept"] = []string{"application/json, */*"}
		}
		if custom {
			req.Header["X-Custom"] = []string{fmt.Sprintf("v%d", i)}
		}
		i++
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var r io.Reader = resp.Body
		if resp.Header.Get("Content-Encoding") == "gzip" {
			if zr == nil {
				zr, err = gzip.NewReader(resp.Body)
			} else {
				err = zr.Reset(resp.Body)
			}
			if err != nil {
				b.Fatal(err)
			}
			r = zr
		}
		data, err := io.ReadAll(r)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		out.Write(pretty.Pretty(data))
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
