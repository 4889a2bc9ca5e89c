package format

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tidwall/pretty"

	"github.com/reqsh/reqsh/internal/sample"
	"github.com/reqsh/reqsh/internal/spool"
	"github.com/reqsh/reqsh/session"
)

// smallJSON is an httpbin-like /get response: about 300 bytes of JSON
// with 8 headers.
func smallJSON() *session.Response {
	u, _ := url.Parse("http://127.0.0.1:8080/get?page=2&q=shoes")
	body := `{"args":{"page":["2"],"q":["shoes"]},"headers":{"Accept":["application/json, */*"],` +
		`"Accept-Encoding":["gzip"],"Host":["127.0.0.1:8080"],"User-Agent":["reqsh/0.1"]},` +
		`"method":"GET","origin":"127.0.0.1:53412","url":"http://127.0.0.1:8080/get?page=2&q=shoes"}` + "\n"
	return &session.Response{
		Request: &session.SentRequest{
			Method: "GET", URL: u, Proto: "HTTP/1.1",
			Header: http.Header{"Host": {"127.0.0.1:8080"}, "Accept": {"application/json, */*"}},
		},
		Proto: "HTTP/1.1", StatusCode: 200, Reason: "OK",
		Header: http.Header{
			"Access-Control-Allow-Credentials": {"true"},
			"Access-Control-Allow-Origin":      {"*"},
			"Content-Length":                   {strconv.Itoa(len(body))},
			"Content-Type":                     {"application/json; charset=utf-8"},
			"Date":                             {"Mon, 24 Nov 2025 10:00:00 GMT"},
			"Server":                           {"go-httpbin"},
			"Vary":                             {"Accept-Encoding"},
			"X-Request-Id":                     {"5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"},
		},
		Body: []byte(body), BodySize: int64(len(body)), URL: u,
		Elapsed: 1234 * time.Microsecond,
	}
}

func BenchmarkExchangeSmallJSON(b *testing.B) {
	r := smallJSON()
	for _, parts := range []Parts{{RespBody: true}, {RespHeaders: true, RespBody: true}} {
		for _, color := range []bool{false, true} {
			b.Run("parts="+parts.String()+"/color="+strconv.FormatBool(color), func(b *testing.B) {
				w := bufio.NewWriter(io.Discard)
				p := New(w, Options{Color: color, Terminal: true, Pretty: true})
				b.SetBytes(int64(len(r.Body)))
				b.ReportAllocs()
				for b.Loop() {
					if err := p.Exchange(r, parts); err != nil {
						b.Fatal(err)
					}
				}
				w.Flush()
			})
		}
	}
}

// bigJSON is the 10 MiB document of the terminal printing benchmarks.
var bigJSON = sync.OnceValue(func() []byte { return sample.JSON(10 << 20) })

func BenchmarkBody10MiBJSON(b *testing.B) {
	doc := bigJSON()
	p := New(io.Discard, Options{Color: true, Terminal: true, Pretty: true})
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if err := p.Body(doc, "application/json"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrettyColor10MiB is the yardstick for BenchmarkBody10MiBJSON:
// tidwall/pretty alone, without checks.
func BenchmarkPrettyColor10MiB(b *testing.B) {
	doc := bigJSON()
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		out := pretty.Color(pretty.Pretty(doc), pretty.TerminalStyle)
		if _, err := io.Discard.Write(out); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStream10MiBJSON is BenchmarkBody10MiBJSON through the
// streaming formatter (StreamBody with --stream), the path of bodies over
// 64 KiB.
func BenchmarkStream10MiBJSON(b *testing.B) {
	doc := sample.JSON(10 << 20)
	for _, c := range []struct {
		name string
		opts Options
	}{
		{"terminal", Options{Color: true, Terminal: true, Pretty: true}},
		{"pipe", Options{Pretty: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			p := New(io.Discard, c.opts)
			b.SetBytes(int64(len(doc)))
			b.ReportAllocs()
			for b.Loop() {
				if err := p.StreamBody(bytes.NewReader(doc), "application/json", true); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPrettySmallJSON compares the two ways of pretty-printing the
// small bodies of the workloads: checkJSON then tidwall/pretty, and
// prettyJSON's.
func BenchmarkPrettySmallJSON(b *testing.B) {
	bodies := smallBodies(b)
	for _, name := range []string{"get", "gzip", "post", "cookies", "headers"} {
		benchPrettyPaths(b, name, bodies[name])
	}
}

// BenchmarkPrettyLargeJSON is BenchmarkPrettySmallJSON on the documents
// Body still prints whole (64 KiB and more).
func BenchmarkPrettyLargeJSON(b *testing.B) {
	for _, size := range []int{64 << 10, 1 << 20, 10 << 20} {
		doc := sample.JSON(size)
		if size == 10<<20 {
			doc = bigJSON()
		}
		benchPrettyPaths(b, strconv.Itoa(size>>10)+"KiB", doc)
	}
}

// benchPrettyPaths runs doc through both ways of pretty-printing it, as
// sub-benchmarks NAME/path=old and NAME/path=new.
func benchPrettyPaths(b *testing.B, name string, doc []byte) {
	b.Run(name+"/path=old", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		for b.Loop() {
			if info := checkJSON(doc, false); !info.valid || info.depth > maxPrettyDepth {
				b.Fatal("not valid")
			}
			_ = pretty.PrettyOptions(doc, prettyOptions)
		}
	})
	b.Run(name+"/path=new", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		var out []byte
		var pj prettyJSON
		for b.Loop() {
			var status prettyStatus
			if out, status = pj.append(out[:0], doc, false); status != prettyDone {
				b.Fatal("not done")
			}
		}
	})
}

// BenchmarkPrintAndKeepSmallJSON is what the shell does with each small
// JSON response of the workloads in a script: Head (nothing of the head
// printed in a pipe), then StreamBody reading the body through a spool
// that keeps it, to a buffered writer.
func BenchmarkPrintAndKeepSmallJSON(b *testing.B) {
	bodies := smallBodies(b)
	for _, name := range []string{"get", "post"} {
		b.Run(name, func(b *testing.B) {
			doc := bodies[name]
			r := smallJSON()
			r.Body, r.BodySize = nil, int64(len(doc))
			w := bufio.NewWriterSize(io.Discard, 64<<10)
			p := New(w, Options{Pretty: true})
			var src bytes.Reader
			b.SetBytes(int64(len(doc)))
			b.ReportAllocs()
			for b.Loop() {
				var s spool.Spool
				s.Init("", spool.DefaultMemory, 0)
				src.Reset(doc)
				if err := p.Head(r, Parts{RespBody: true}); err != nil {
					b.Fatal(err)
				}
				if err := p.StreamBody(s.Tee(&src), "application/json", false); err != nil {
					b.Fatal(err)
				}
				if kept, _ := s.Bytes(); len(kept) != len(doc) {
					b.Fatalf("kept %d bytes, want %d", len(kept), len(doc))
				}
			}
		})
	}
}
