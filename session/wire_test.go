package session_test

import (
	"bufio"
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/textproto"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/reqsh/reqsh/session"
)

// wireRequest is a request as a raw server read it off the connection.
type wireRequest struct {
	line   string // "GET /x HTTP/1.1"
	header []string
	body   string
}

// wireServer is a raw HTTP/1.1 server on loopback that keeps the bytes
// of every request it reads and answers each with 200 "ok". Its requests
// are what was on the wire, whatever net/http's server would make of them.
type wireServer struct {
	addr string
	mu   sync.Mutex
	got  []wireRequest
}

func newWireServer(t *testing.T) *wireServer {
	t.Helper()
	w := &wireServer{}
	w.addr = rawServer(t, func(c net.Conn) {
		br := bufio.NewReader(c)
		for {
			req, ok := readWireRequest(br)
			if !ok {
				return
			}
			w.mu.Lock()
			w.got = append(w.got, req)
			w.mu.Unlock()
			if _, err := io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"); err != nil {
				return
			}
		}
	})
	return w
}

// last returns the last request read.
func (w *wireServer) last(t *testing.T) wireRequest {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.got) == 0 {
		t.Fatal("the server read no request")
	}
	return w.got[len(w.got)-1]
}

// readWireRequest reads one request: its line, its header lines as they
// came, and its body framed by Content-Length or chunked encoding.
func readWireRequest(br *bufio.Reader) (wireRequest, bool) {
	tp := textproto.NewReader(br)
	line, err := tp.ReadLine()
	if err != nil {
		return wireRequest{}, false
	}
	req := wireRequest{line: line}
	length, chunked := 0, false
	for {
		h, err := tp.ReadLine()
		if err != nil {
			return req, false
		}
		if h == "" {
			break
		}
		req.header = append(req.header, h)
		name, value, _ := strings.Cut(h, ":")
		switch value = strings.TrimSpace(value); http.CanonicalHeaderKey(name) {
		case "Content-Length":
			length, _ = strconv.Atoi(value)
		case "Transfer-Encoding":
			chunked = strings.EqualFold(value, "chunked")
		}
	}
	var body []byte
	if chunked {
		body, err = io.ReadAll(httputil.NewChunkedReader(br))
		for err == nil { // the trailer, up to its empty line
			var line string
			if line, err = tp.ReadLine(); line == "" {
				break
			}
		}
	} else {
		body = make([]byte, length)
		_, err = io.ReadFull(br, body)
	}
	req.body = string(body)
	return req, err == nil
}

// headerLines writes a recorded header as sorted "Name: value" lines,
// one a value, as a raw server would read them.
func headerLines(h http.Header) []string {
	var lines []string
	for name, values := range h {
		for _, v := range values {
			lines = append(lines, name+": "+v)
		}
	}
	sort.Strings(lines)
	return lines
}

// canonicalLines sorts raw header lines with their names canonical.
func canonicalLines(raw []string) []string {
	lines := make([]string, 0, len(raw))
	for _, h := range raw {
		name, value, _ := strings.Cut(h, ":")
		lines = append(lines, http.CanonicalHeaderKey(name)+": "+strings.TrimLeft(value, " "))
	}
	sort.Strings(lines)
	return lines
}

// TestRecordIsWhatWasSent: for requests with headers that net/http
// drops, rewrites or adds, SentRequest (what -v, --print H, curl and
// exports show) holds exactly the header lines a raw server read off the
// connection, and the protocol of the request line.
func TestRecordIsWhatWasSent(t *testing.T) {
	srv := newWireServer(t)
	base := "http://" + srv.addr
	cases := map[string]session.Request{
		"GET with Transfer-Encoding and Content-Length items": {URL: base + "/x",
			Header: http.Header{"Transfer-Encoding": {"chunked"}, "Content-Length": {"5"}}},
		"POST with a body and a wrong Content-Length": {Method: "POST", URL: base + "/x", Body: []byte("hello"),
			Header: http.Header{"Transfer-Encoding": {"chunked"}, "Content-Length": {"99"}}},
		"POST with an empty body":    {Method: "POST", URL: base + "/x", Body: []byte{}},
		"PUT with no body":           {Method: "PUT", URL: base + "/x"},
		"GET with an empty body":     {URL: base + "/x", Body: []byte{}},
		"DELETE with Content-Length": {Method: "DELETE", URL: base + "/x", Header: http.Header{"Content-Length": {"3"}}},
		"two User-Agents":            {URL: base + "/x", Header: http.Header{"User-Agent": {"first", "second"}}},
		"empty User-Agent":           {URL: base + "/x", Header: http.Header{"User-Agent": {""}}},
		"Trailer":                    {URL: base + "/x", Header: http.Header{"Trailer": {"X-Sum"}}},
		"values with spaces around":  {URL: base + "/x", Header: http.Header{"X-Pad": {"  v  ", "\tw"}, "User-Agent": {" ua "}}},
		"Host given":                 {URL: base + "/x", Header: http.Header{"Host": {"example.com:8080"}}},
		"Host not ASCII":             {URL: base + "/x", Header: http.Header{"Host": {"bücher.example"}}},
		"Host not valid":             {URL: base + "/x", Header: http.Header{"Host": {"a b"}}},
		"hop-by-hop headers":         {URL: base + "/x", Header: http.Header{"Keep-Alive": {"timeout=5"}, "Upgrade": {"websocket"}, "Proxy-Connection": {"keep-alive"}}},
		"Connection close":           {URL: base + "/x", Header: http.Header{"Connection": {"close"}}},
		"cookies by hand":            {URL: base + "/x", Header: http.Header{"Cookie": {"a=1; b=2"}}},
	}
	for name, r := range cases {
		t.Run(name, func(t *testing.T) {
			s := newSession(t)
			if err := s.Jar.Set(session.Cookie{Name: "jar", Value: "j", Domain: "127.0.0.1", Path: "/", HostOnly: true}); err != nil {
				t.Fatal(err)
			}
			resp, err := s.Do(context.Background(), &r)
			if err != nil {
				t.Fatal(err)
			}
			wire := srv.last(t)
			rec := resp.Request
			if want := rec.Method + " " + rec.URL.RequestURI() + " " + rec.Proto; wire.line != want {
				t.Errorf("request line %q, recorded %q", wire.line, want)
			}
			if got, want := headerLines(rec.Header), canonicalLines(wire.header); !reflect.DeepEqual(got, want) {
				t.Errorf("recorded:\n  %s\non the wire:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
			if string(rec.Body) != wire.body || rec.BodySize != int64(len(wire.body)) {
				t.Errorf("recorded body %q (%d bytes), on the wire %q", rec.Body, rec.BodySize, wire.body)
			}
			prepared, err := s.Prepare(&r)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := headerLines(prepared.Header), canonicalLines(wire.header); !reflect.DeepEqual(got, want) {
				t.Errorf("Prepare:\n  %s\non the wire:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
		})
	}
}

// TestRecordProxyCredentials: a plain http request through a proxy whose
// URL holds credentials carries the Proxy-Authorization net/http adds
// for them, and the record shows it.
func TestRecordProxyCredentials(t *testing.T) {
	proxy := newWireServer(t)
	o := session.DefaultOptions()
	o.Proxy = "http://pu:pp@" + proxy.addr
	s := newSession(t, session.WithOptions(o))
	resp, err := s.Get(context.Background(), "http://origin.example/x")
	if err != nil {
		t.Fatal(err)
	}
	wire := proxy.last(t)
	if got, want := headerLines(resp.Request.Header), canonicalLines(wire.header); !reflect.DeepEqual(got, want) {
		t.Errorf("recorded:\n  %s\non the wire:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestRecordHTTP2: against a TLS server that offers HTTP/2, the session
// speaks it, and the record says HTTP/2.0 and holds the headers the
// server received (no hop-by-hop headers, which HTTP/2 does not send;
// Host as the :authority).
func TestRecordHTTP2(t *testing.T) {
	type seen struct {
		proto, host string
		header      http.Header
	}
	// The server takes the names a Trailer header declares out of the
	// header map (into Request.Trailer): put the header back.
	trailerHeader := func(r *http.Request) http.Header {
		h := r.Header.Clone()
		var names []string
		for name := range r.Trailer {
			names = append(names, name)
		}
		if len(names) > 0 {
			sort.Strings(names)
			h.Set("Trailer", strings.Join(names, ","))
		}
		return h
	}
	got := make(chan seen, 1)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		got <- seen{r.Proto, r.Host, trailerHeader(r)}
		fmt.Fprint(w, "ok")
	}))
	srv.EnableHTTP2 = true
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	o := session.DefaultOptions()
	o.Verify = session.VerifyCA(ca)
	s := newSession(t, session.WithOptions(o))

	for name, r := range map[string]session.Request{
		"GET":  {URL: srv.URL + "/x", Header: http.Header{"X-A": {"1"}}},
		"POST": {Method: "POST", URL: srv.URL + "/x", Body: []byte("hello"), Header: http.Header{"Content-Length": {"99"}}},
		"hop-by-hop and connection headers": {URL: srv.URL + "/x", Header: http.Header{
			"Connection": {"keep-alive"}, "Keep-Alive": {"timeout=5"}, "Proxy-Connection": {"keep-alive"},
			"Transfer-Encoding": {"chunked"}, "Trailer": {"X-Sum"}, "User-Agent": {"first", "second"}, "X-Pad": {" v "},
		}},
		"cookies": {URL: srv.URL + "/x", Header: http.Header{"Cookie": {"a=1; b=2"}}},
	} {
		t.Run(name, func(t *testing.T) {
			resp, err := s.Do(context.Background(), &r)
			if err != nil {
				t.Fatal(err)
			}
			server := <-got
			rec := resp.Request
			if server.proto != "HTTP/2.0" || rec.Proto != "HTTP/2.0" || resp.Proto != "HTTP/2.0" {
				t.Errorf("server got %s, recorded %s, response %s; want HTTP/2.0", server.proto, rec.Proto, resp.Proto)
			}
			want := server.header.Clone()
			want.Set("Host", server.host)
			if got, want := headerLines(rec.Header), headerLines(want); !reflect.DeepEqual(got, want) {
				t.Errorf("recorded:\n  %s\nreceived:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
		})
	}
}
