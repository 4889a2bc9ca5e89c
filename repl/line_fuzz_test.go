package repl

import (
	"io"
	"strings"
	"testing"
)

// FuzzLine feeds any line to everything the shell does with one before
// running it: tokenizing, {{variable}} expansion, command lookup and, for
// a request command, reading its URL, items and options and resolving the
// URL. Nothing is sent and no file is touched. Whatever the bytes, the
// result is a value or an error, never a panic, and an error is one line.
func FuzzLine(f *testing.F) {
	for _, s := range []string{
		"get /get", "post /post name=reqsh tags:='[\"a\",\"b\"]' X-Api-Key:abc q==1",
		`get "/a b" 'it''s' \"x`, "header set User-Agent my-program", "params set from perfcode.com",
		"auth user pass", "get {{base}}/x?id={{ id }}", `get \{{literal}}`, "get {{unclosed",
		"put :3000/x --raw '{\"a\":1}' --timeout 1.5s -p HhBb", "delete http://[::1/", "get 'unbalanced",
		"patch /x a:={", "get /x -o", "nosuch command", "\x00\x1b[2J\xff\xfe", strings.Repeat("{", 300),
		"post /x --form a=1 f@/dev/null --multipart", "get /x --auth-type digest", "# comment",
	} {
		f.Add(s)
	}
	sh, err := newShell(&config{color: "never"}, strings.NewReader(""), io.Discard, io.Discard, nil)
	if err != nil {
		f.Fatal(err)
	}
	base, err := sh.sess.ResolveURL("http://127.0.0.1:8080/api")
	if err != nil {
		f.Fatal(err)
	}
	sh.sess.Base = base
	sh.vars["base"] = "http://127.0.0.1:8080"
	sh.vars["id"] = "42"
	f.Fuzz(func(t *testing.T, line string) {
		if err := parseLineRequest(sh, line); err != nil {
			if msg := err.Error(); msg == "" || strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("line %q: error %q is not one line", line, msg)
			}
		}
	})
}

// parseLineRequest parses a line as execLine does before running it, and
// a request command's arguments as request does before sending.
func parseLineRequest(sh *shell, line string) error {
	cmd, args, err := sh.parseLine(line)
	if cmd == nil {
		return err
	}
	for _, m := range methods {
		if cmd.path[0] != m {
			continue
		}
		ra, err := sh.parseRequest(strings.ToUpper(m), args)
		if err != nil {
			return err
		}
		_, err = sh.sess.ResolveURL(ra.req.URL)
		return err
	}
	return nil
}
