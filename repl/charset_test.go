package repl

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCharsetBodies gets text a small handler sends in declared
// charsets (go-httpbin sends UTF-8 only): at a terminal the text shows
// decoded, as the response and again with last; the body kept for later
// commands and the -o file hold the bytes as sent.
func TestCharsetBodies(t *testing.T) {
	bodies := map[string]struct {
		ct   string
		raw  string
		text string
	}{
		"latin1":   {"text/plain; charset=iso-8859-1", "caf\xe9 cr\xe8me", "café crème"},
		"cp1252":   {"text/html; charset=windows-1252", "<p>\x93hi\x94 \x80</p>", "<p>\u201chi\u201d €</p>"},
		"sjis":     {"text/plain; charset=shift_jis", "\x82\xb1\x82\xf1\x82\xc9\x82\xbf\x82\xcd", "こんにちは"},
		"eucjp":    {"text/plain; charset=EUC-JP", "\xc6\xfc\xcb\xdc\xb8\xec", "日本語"},
		"koi8r":    {"text/plain; charset=koi8-r", "\xf0\xd2\xc9\xd7\xc5\xd4", "Привет"},
		"json1":    {"application/json; charset=iso-8859-1", `{"name": "Andr` + "\xe9" + `"}`, `"André"`},
		"unknown":  {"text/plain; charset=x-unknown", "plain text", "plain text"},
		"utf8only": {"text/plain; charset=utf-8", "bad \xe9 utf-8", "binary data not shown"},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := bodies[strings.TrimPrefix(r.URL.Path, "/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", b.ct)
		w.Write([]byte(b.raw))
	}))
	defer srv.Close()
	var out bytes.Buffer
	sh, err := newShell(&config{color: "never", baseURL: srv.URL}, strings.NewReader(""), &out, &out, testEnv(t))
	if err != nil {
		t.Fatal(err)
	}
	sh.outTerminal = true // what a person sees
	sh.newPrinter()
	dir := t.TempDir()
	for name, b := range bodies {
		for _, line := range []string{"get /" + name + " --print b", "last"} {
			out.Reset()
			if err := sh.execLine(line); err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			sh.out.Flush()
			if !strings.Contains(out.String(), b.text) {
				t.Errorf("%s (%s): screen %q, want %q", line, b.ct, out.String(), b.text)
			}
		}
		if kept, err := sh.keptBody(sh.last); err != nil || string(kept) != b.raw {
			t.Errorf("%s: body kept %q (%v), want the bytes as sent %q", name, kept, err, b.raw)
		}
		file := filepath.Join(dir, name)
		if err := sh.execLine("get /" + name + " -o " + file); err != nil {
			t.Fatal(err)
		}
		if data, _ := os.ReadFile(file); string(data) != b.raw {
			t.Errorf("-o %s holds %q, want the bytes as sent %q", name, data, b.raw)
		}
	}
}
