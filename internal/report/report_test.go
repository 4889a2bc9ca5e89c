package report_test

import (
	"bufio"
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reqsh/reqsh/internal/demo"
	"github.com/reqsh/reqsh/internal/report"
	"github.com/reqsh/reqsh/repl"
)

// hostile answers with what a server can slip into a failure message:
// C1 and bidi controls, a line separator and a noncharacter in valid
// JSON, a status reason phrase with an escape sequence and a bell.
func hostile() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/c1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte("{\"msg\":\"a\u009b2Jb\u2028c\u202ed\ufffee]]>&<\"}"))
	})
	mux.HandleFunc("/reason", func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		buf.WriteString("HTTP/1.1 500 Oops\x1b]0;pwn\x07\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		buf.Flush()
	})
	return mux
}

// runnerReports runs reqsh test on scripts (name -> text, in the order of
// names) and returns the file paths, the JUnit and the TAP report.
func runnerReports(t *testing.T, base string, scripts map[string]string, names ...string) ([]string, []byte, string) {
	t.Helper()
	dir := t.TempDir()
	home := t.TempDir()
	var paths []string
	for _, n := range names {
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, []byte(scripts[n]), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	junit, tap := filepath.Join(t.TempDir(), "junit.xml"), filepath.Join(t.TempDir(), "report.tap")
	var stdout, stderr bytes.Buffer
	args := append([]string{"test", "--base", base, "--jobs", "2", "--report-junit", junit, "--report-tap", tap}, paths...)
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_DATA_HOME=" + home, "TERM=dumb"}
	if code := repl.Main(args, strings.NewReader(""), &stdout, &stderr, env); code != repl.ExitFailure {
		t.Fatalf("exit %d, want 1\n%s%s", code, stdout.String(), stderr.String())
	}
	j, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	tp, err := os.ReadFile(tap)
	if err != nil {
		t.Fatal(err)
	}
	return paths, j, string(tp)
}

// The reports of a real run, with every kind of outcome, are what CI
// readers accept: the XSD (with xmllint), the same rules in Go, TAP 13.
func TestReportsFromRunner(t *testing.T) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	bad := httptest.NewServer(hostile())
	defer bad.Close()
	weird := "we<ird>&\"q'#1\xff\x01.reqsh"
	scripts := map[string]string{
		"pass.reqsh":     "get /get a==1\nexpect status 200\nexpect json args.a.0 1\n",
		"fail.reqsh":     "get /get a==1\nexpect status 200\n\nexpect json args.a.0 2\nexpect status 200\n",
		"down.reqsh":     "get http://127.0.0.1:1/nothing\nexpect status 200\n",
		"syntax.reqsh":   "get /get\nexpect status 200\nexpect status abc\n",
		"quote.reqsh":    "get /get\nget /get 'unclosed\n",
		"empty.reqsh":    "",
		"noexpect.reqsh": "# only a request\nget /get\n",
		weird:            "get /get\nexpect status 404\n",
		"control.reqsh":  "get " + bad.URL + "/c1\nexpect json msg ok\n",
		"reason.reqsh":   "get " + bad.URL + "/reason --check-status\n",
	}
	names := []string{"pass.reqsh", "fail.reqsh", "down.reqsh", "syntax.reqsh", "quote.reqsh", "empty.reqsh", "noexpect.reqsh", weird, "control.reqsh", "reason.reqsh"}
	paths, junit, tap := runnerReports(t, srv.URL, scripts, names...)

	t.Run("xsd", func(t *testing.T) { validateXSD(t, junit) })
	suites, err := checkJUnit(junit)
	if err != nil {
		t.Fatalf("junit: %v\n%s", err, junit)
	}
	if len(suites) != len(names) {
		t.Fatalf("%d testsuites, want %d\n%s", len(suites), len(names), junit)
	}
	byName := map[string]jSuite{}
	for i, s := range suites {
		byName[names[i]] = s
		for _, c := range s.Cases {
			if c.ClassName != s.Name {
				t.Errorf("classname %q in testsuite %q: want the file", c.ClassName, s.Name)
			}
		}
	}
	want := map[string][]jCase{
		"pass.reqsh": {{Name: "line 2: expect status 200"}, {Name: "line 3: expect json args.a.0 1"}},
		"fail.reqsh": {{Name: "line 2: expect status 200"}, {Name: "line 4: expect json args.a.0 2", Kind: "failure"}},
		"down.reqsh": {{Name: "line 1", Kind: "error"}},
		"syntax.reqsh": {{Name: "line 2: expect status 200"},
			{Name: "line 3", Kind: "error"}},
		"quote.reqsh":    {{Name: "line 2", Kind: "error"}},
		"empty.reqsh":    {{Name: "no expect", Kind: "skipped"}},
		"noexpect.reqsh": {{Name: "no expect", Kind: "skipped"}},
		weird:            {{Name: "line 2: expect status 404", Kind: "failure"}},
		"control.reqsh":  {{Name: "line 2: expect json msg ok", Kind: "failure"}},
		"reason.reqsh":   {{Name: "line 1", Kind: "error"}},
	}
	for i, n := range names {
		s := byName[n]
		if s.Name != paths[i] && n != weird {
			t.Errorf("testsuite %q, want the path %q", s.Name, paths[i])
		}
		if len(s.Cases) != len(want[n]) {
			t.Errorf("%s: cases %+v, want %+v", n, s.Cases, want[n])
			continue
		}
		for j, w := range want[n] {
			if c := s.Cases[j]; c.Name != w.Name || c.Kind != w.Kind {
				t.Errorf("%s case %d: %q %q, want %q %q", n, j, c.Name, c.Kind, w.Name, w.Kind)
			}
		}
	}
	// A failure's text says where it is, as GitLab shows only the text.
	if c := byName["fail.reqsh"].Cases[1]; c.Text != paths[1]+`:4: expect json "args.a.0" "2": got "1"` {
		t.Errorf("failure text %q", c.Text)
	}
	if c := byName["down.reqsh"].Cases[0]; !strings.Contains(c.Text, paths[2]+":1: ") || !strings.Contains(c.Message, "connection refused") {
		t.Errorf("error %+v", c)
	}
	// Names from the command line and text from the server arrive escaped
	// as the shell shows them, never raw.
	if s := byName[weird]; s.Name != filepath.Dir(paths[0])+`/we<ird>&"q'#1\xff\x01.reqsh` {
		t.Errorf("testsuite name %q", s.Name)
	}
	if c := byName["control.reqsh"].Cases[0]; c.Message != `expect json "msg" "ok": got "a\u009b2Jb\u2028c\u202ed\ufffee]]>&<"` {
		t.Errorf("control characters from a body: message %q", c.Message)
	}
	if c := byName["reason.reqsh"].Cases[0]; !strings.Contains(c.Message, `Oops\x1b]0;pwn\x07`) {
		t.Errorf("control characters from a status line: message %q", c.Message)
	}

	points, err := parseTAP(tap)
	if err != nil {
		t.Fatalf("tap: %v\n%s", err, tap)
	}
	var descs []string
	for _, p := range points {
		descs = append(descs, p.Desc)
		if p.OK == (p.YAML != nil) {
			t.Errorf("point %d (ok %v) has YAML %v: only a failure has a block", p.Num, p.OK, p.YAML)
		}
		if p.YAML != nil {
			if msg, _ := p.YAML["message"].(string); msg == "" || p.YAML["file"] == nil || p.YAML["line"] == nil {
				t.Errorf("point %d: YAML %v", p.Num, p.YAML)
			}
		}
	}
	if len(points) != 13 {
		t.Fatalf("%d points: %q", len(points), descs)
	}
	if p := points[3]; p.OK || p.Desc != paths[1]+": line 4: expect json args.a.0 2" || p.YAML["line"] != 4 || p.YAML["file"] != paths[1] {
		t.Errorf("failing point: %+v", p)
	}
	for _, i := range []int{8, 9} {
		if p := points[i]; !p.OK || p.Directive != "SKIP" || p.Reason != "no expect in this file" {
			t.Errorf("point %d: %+v, want ok # SKIP", i+1, p)
		}
	}
	if p := points[10]; p.Desc != filepath.Dir(paths[0])+`/we<ird>&"q'#1\xff\x01.reqsh: line 2: expect status 404` || p.Directive != "" {
		t.Errorf("point with # in its name: %+v", p)
	}
	if p := points[11]; p.YAML["message"] != byName["control.reqsh"].Cases[0].Message {
		t.Errorf("control characters in YAML: %q", p.YAML["message"])
	}
}

// Hostile text in every field a writer gets: each report stays valid,
// and says what was there in visible escapes.
func TestReportsEscapeEverything(t *testing.T) {
	nasty := "a\x00b\x1b[2J\x7f\u0085\u009b\u202e\u2028\ufffe\uffff\xff\xfe]]>&<>\"' #x\r\n\tz"
	files := []report.File{
		{Name: "dir/" + nasty + ".reqsh", Start: time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("X", 3600)), Elapsed: 1500 * time.Millisecond,
			Cases: []report.Case{
				{Name: "expect json " + nasty, Line: 7, Failure: "got " + nasty},
				{Line: 9, Failure: nasty, Error: true},
			}, Failed: true},
		// Failed, but no case says why: still a failure in the reports.
		{Name: "lost.reqsh", Failed: true, Cases: []report.Case{{Name: "expect status 200", Line: 2}}},
		{Name: "empty.reqsh"},
	}
	var junit, tap bytes.Buffer
	if err := report.JUnit(&junit, files); err != nil {
		t.Fatal(err)
	}
	if err := report.TAP(&tap, files); err != nil {
		t.Fatal(err)
	}
	t.Run("xsd", func(t *testing.T) { validateXSD(t, junit.Bytes()) })
	suites, err := checkJUnit(junit.Bytes())
	if err != nil {
		t.Fatalf("junit: %v\n%s", err, junit.String())
	}
	esc := `a\x00b\x1b[2J\x7f\u0085\u009b\u202e\u2028\ufffe\uffff\xff\xfe]]>&<>"' #x\r` + "\n\tz"
	if c := suites[0].Cases[0]; c.Message != "got "+esc || c.Name != "line 7: expect json "+esc || c.ClassName != "dir/"+esc+".reqsh" {
		t.Errorf("escaped case: %q", c)
	}
	if !bytes.Contains(junit.Bytes(), []byte(`timestamp="2026-03-04T04:06:07"`)) {
		t.Errorf("timestamp: want UTC without zone\n%s", junit.String())
	}
	if c := suites[1].Cases; len(c) != 2 || c[1].Kind != "error" || c[1].Name != "run" {
		t.Errorf("failed file without a failing case: %+v", c)
	}

	points, err := parseTAP(tap.String())
	if err != nil {
		t.Fatalf("tap: %v\n%s", err, tap.String())
	}
	if len(points) != 5 {
		t.Fatalf("points %+v", points)
	}
	oneLine := strings.NewReplacer("\n", " ", "\t", " ").Replace(esc)
	if p := points[0]; p.OK || p.Desc != "dir/"+oneLine+".reqsh: line 7: expect json "+oneLine || p.YAML["message"] != "got "+esc {
		t.Errorf("tap point 1: %q %q", p.Desc, p.YAML["message"])
	}
	if p := points[3]; p.OK || p.Desc != "lost.reqsh: run" {
		t.Errorf("tap point 4: %+v", p)
	}
	if p := points[4]; !p.OK || p.Directive != "SKIP" {
		t.Errorf("tap point 5: %+v", p)
	}
	// TAP is line-oriented: nothing but the escapes above splits a line.
	sc := bufio.NewScanner(strings.NewReader(tap.String()))
	for sc.Scan() {
		if strings.ContainsAny(sc.Text(), "\r\x00\x1b\u0085\u2028") {
			t.Errorf("raw control in TAP line %q", sc.Text())
		}
	}
}
