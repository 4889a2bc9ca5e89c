// Package workload holds the scripted workloads of reqsh's benchmark,
// each a reqsh script and its floor: what a plain Go program does for the
// same commands (net/http, a cookie jar, tidwall/pretty), the figure
// reqsh is compared with. The floor runs as a program of its own
// (cmd/reqsh-floor) that links nothing else, so it pays no start-up of
// reqsh's packages.
package workload

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"

	"github.com/tidwall/pretty"
	"golang.org/x/net/publicsuffix"
)

// call is one command of a workload: the line reqsh is fed, and the
// request a plain Go program sends for it.
type call struct {
	line   string
	method string
	target string      // path and query, appended to the base URL
	header http.Header // beside the default headers
	body   any         // marshaled to the JSON body when not nil
}

// Workload is a script of commands, the same for reqsh and the floor.
type Workload struct {
	Name  string // what Lookup takes
	Title string // the bench table's heading
	call  func(i int) call
}

// All are the scripted runs, each reqsh against its floor.
var All = []Workload{
	{Name: "get", Title: " × `get /get`", call: func(int) call {
		return call{line: "get /get", method: http.MethodGet, target: "/get"}
	}},
	{Name: "mixed", Title: " mixed commands (cookies set by a redirect and sent back, JSON POSTs, gzip, a custom header, varied paths and queries)", call: mixedCall},
}

// MixedKinds is how many commands the mixed workload cycles through.
const MixedKinds = 5

// mixedCall is command i of the mixed workload, which cycles through
//   - a cookie set by a redirecting endpoint (/cookies/set?cK=vI answers
//     302 to /cookies: two exchanges; four cookie names in turn, so the
//     jar holds four cookies and every later request sends them back),
//   - a JSON POST,
//   - a gzip-encoded body,
//   - a custom header,
//   - a path and query string that change every time.
func mixedCall(i int) call {
	switch i % MixedKinds {
	case 0:
		t := fmt.Sprintf("/cookies/set?c%d=v%d", i/MixedKinds%4, i)
		return call{line: "get " + t, method: http.MethodGet, target: t}
	case 1:
		return call{
			line:   fmt.Sprintf("post /post name=item%d n:=%d ok:=true", i, i),
			method: http.MethodPost, target: "/post",
			header: http.Header{"Content-Type": {"application/json"}, "Accept": {"application/json, */*"}},
			body: struct {
				Name string `json:"name"`
				N    int    `json:"n"`
				OK   bool   `json:"ok"`
			}{fmt.Sprintf("item%d", i), i, true},
		}
	case 2:
		return call{line: "get /gzip", method: http.MethodGet, target: "/gzip"}
	case 3:
		v := fmt.Sprintf("v%d", i)
		return call{line: "get /headers X-Custom:" + v, method: http.MethodGet, target: "/headers",
			header: http.Header{"X-Custom": {v}}}
	default:
		t := fmt.Sprintf("/anything/items/%d?page=%d&q=term%d", i, i%10, i)
		return call{line: "get " + t, method: http.MethodGet, target: t}
	}
}

// Lookup returns the workload of that name.
func Lookup(name string) (Workload, error) {
	for _, w := range All {
		if w.Name == name {
			return w, nil
		}
	}
	return Workload{}, fmt.Errorf("unknown workload %q", name)
}

// Script is the reqsh script of the workload's first n commands.
func (w Workload) Script(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		b.WriteString(w.call(i).line)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// Floor is what a plain Go program does for the workload, the figure
// reqsh is compared with: for each line of in, the request reqsh sends
// for command i (the same method, target, headers and JSON body), through
// one http.Client with a cookie jar that follows redirects; the body is
// decoded when gzipped, pretty-printed and written to out before the
// next request, as reqsh writes each command's output before the next
// command runs.
func Floor(w Workload, base, userAgent string, in io.Reader, out io.Writer) error {
	jar, err := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	if err != nil {
		return err
	}
	// The session's transport does not decode bodies itself either: it
	// sends its own Accept-Encoding and decodes what comes back.
	client := &http.Client{
		Transport: &http.Transport{DisableCompression: true},
		Jar:       jar,
		// net/http adds a Referer on a redirect; reqsh, as requests,
		// does not.
		CheckRedirect: func(req *http.Request, _ []*http.Request) error {
			req.Header.Del("Referer")
			return nil
		},
	}
	lines := bufio.NewReader(in)
	bw := bufio.NewWriterSize(out, 64<<10)
	var zr *gzip.Reader
	for i := 0; ; {
		line, err := lines.ReadString('\n')
		if strings.TrimSpace(line) == "" {
			if err != nil {
				return nil
			}
			continue
		}
		c := w.call(i)
		i++
		var body io.Reader
		if c.body != nil {
			data, err := json.Marshal(c.body)
			if err != nil {
				return err
			}
			body = bytes.NewReader(data)
		}
		req, err := http.NewRequest(c.method, base+c.target, body)
		if err != nil {
			return err
		}
		req.Header["User-Agent"] = []string{userAgent}
		req.Header["Accept"] = []string{"*/*"}
		req.Header["Accept-Encoding"] = []string{"gzip, deflate"}
		for k, v := range c.header {
			req.Header[k] = v
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		var r io.Reader = resp.Body
		if resp.Header.Get("Content-Encoding") == "gzip" {
			if zr == nil {
				zr, err = gzip.NewReader(resp.Body)
			} else {
				err = zr.Reset(resp.Body)
			}
			if err != nil {
				return fmt.Errorf("%s %s: %w", c.method, c.target, err)
			}
			r = zr
		}
		data, err := io.ReadAll(r)
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("%s %s: %w", c.method, c.target, err)
		}
		bw.Write(pretty.Pretty(data))
		if err := bw.Flush(); err != nil {
			return err
		}
	}
}
