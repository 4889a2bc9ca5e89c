package sessionfile

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
)

// FuzzDecode feeds the decoder what a file someone hands over may hold.
// It must not panic; an error is one line; what it returns is bounded by
// the input (every header, param and cookie costs bytes of the file);
// and what it returns encodes to a file that decodes again, so reqsh
// never writes a session file it cannot read.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"httpie.json", "httpie2.json", "httpie-localhost.json"} {
		f.Add(fixture(f, name))
	}
	full, err := Encode(fullState(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(full)
	for _, s := range []string{
		`{}`, `null`, `[]`, `{"headers": {"A": "1"}, "cookies": {"c": {"value": "v"}}}`,
		`{"auth": {"type": "bearer", "username": "u", "password": ""}}`,
		`{"auth": {"type": "Basic", "raw_auth": "u\\:x:p"}}`,
		`{"cookies": [{"name": "a", "value": "\"q\"", "domain": ".example.com", "expires": 1e300}]}`,
		`{"cookies": [{"name": "a", "value": "1", "domain": "localhost.local", "expires": -1e300}]}`,
		`{"reqsh": {"version": 1, "base": "http://h/p?q", "params": [{"name": "a", "value": "1"}], "options": {"timeout": "1s"}, "cookies": [{"name": "a", "domain": "h", "path": "/", "jar_domain": "h", "host_only": true, "created": "2025-01-02T03:04:05Z"}]}, "cookies": [{"name": "a", "value": "1", "domain": "h", "path": "/"}]}`,
	} {
		f.Add([]byte(s))
	}
	base, _ := url.Parse("http://127.0.0.1:8080/")
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := Decode(data, Defaults{Base: base})
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("error of more than one line: %q", err)
			}
			return
		}
		n := st.Jar.Len() + len(st.Params)
		for _, v := range st.Headers {
			n += len(v)
		}
		if n > len(data) {
			t.Fatalf("%d headers, params and cookies from %d bytes", n, len(data))
		}
		out, err := Encode(st)
		if err != nil {
			t.Fatalf("encode what was decoded: %v", err)
		}
		if len(out) > 64*len(data)+8192 {
			t.Fatalf("%d bytes decoded re-encode to %d", len(data), len(out))
		}
		if _, err := Decode(out, Defaults{Base: base}); err != nil {
			t.Fatalf("the re-encoded file does not decode: %v\n%s", err, bytes.TrimSpace(out))
		}
	})
}
