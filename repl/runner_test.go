package repl

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/reqsh/reqsh/internal/demo"
)

// writeTestFiles writes name -> script files into a new directory and
// returns their paths in the order of names.
func writeTestFiles(t *testing.T, scripts map[string]string, names ...string) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for _, n := range names {
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, []byte(scripts[n]), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

func runTestCmd(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(append([]string{"test"}, args...), strings.NewReader(""), &stdout, &stderr, testEnv(t))
	return stdout.String(), stderr.String(), code
}

func TestRunnerPassFailAndReports(t *testing.T) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	files := writeTestFiles(t, map[string]string{
		"ok.reqsh":   "get /get a==1\nexpect status 200\nexpect json args.a.0 1\n",
		"bad.reqsh":  "get /get a==1\nexpect status 200\n\nexpect json args.a.0 2 # wrong\nget /get\n",
		"down.reqsh": "get http://127.0.0.1:1/nothing\nexpect status 200\n",
	}, "ok.reqsh", "bad.reqsh", "down.reqsh")
	junit := filepath.Join(t.TempDir(), "junit.xml")
	tap := filepath.Join(t.TempDir(), "report.tap")
	stdout, stderr, code := runTestCmd(t, "--base", srv.URL, "--jobs", "2", "--report-junit", junit, "--report-tap", tap, files[0], files[1], files[2])
	if code != ExitFailure {
		t.Errorf("exit %d, want 1; stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("stdout: %q", stdout)
	}
	if !regexp.MustCompile(`^PASS .*ok\.reqsh \(2 checks, \d+\.\ds\)$`).MatchString(lines[0]) {
		t.Errorf("line 1: %q", lines[0])
	}
	if !strings.HasPrefix(lines[1], "FAIL "+files[1]+":4: expect json ") {
		t.Errorf("line 2: %q", lines[1])
	}
	if !strings.HasPrefix(lines[2], "FAIL "+files[2]+":1: ") || !strings.Contains(lines[2], "refused") {
		t.Errorf("line 3: %q", lines[2])
	}
	if lines[3] != "1 passed, 2 failed" {
		t.Errorf("summary: %q", lines[3])
	}

	// JUnit as CI systems read it.
	var doc struct {
		XMLName  xml.Name `xml:"testsuites"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Errors   int      `xml:"errors,attr"`
		Suites   []struct {
			Name     string `xml:"name,attr"`
			Tests    int    `xml:"tests,attr"`
			Failures int    `xml:"failures,attr"`
			Cases    []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
				Error *struct {
					Message string `xml:"message,attr"`
				} `xml:"error"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("junit: %v\n%s", err, data)
	}
	if len(doc.Suites) != 3 || doc.Tests != 5 || doc.Failures != 1 || doc.Errors != 1 {
		t.Fatalf("junit totals: %d suites, %d tests, %d failures, %d errors\n%s", len(doc.Suites), doc.Tests, doc.Failures, doc.Errors, data)
	}
	bad := doc.Suites[1]
	if bad.Name != files[1] || len(bad.Cases) != 2 || bad.Cases[1].Failure == nil ||
		bad.Cases[1].Name != "line 4: expect json args.a.0 2" || !strings.Contains(bad.Cases[1].Failure.Message, `"2"`) {
		t.Errorf("junit suite for bad.reqsh: %+v", bad)
	}
	if bad.Cases[0].Failure != nil || bad.Cases[0].Name != "line 2: expect status 200" {
		t.Errorf("junit: passing case %+v", bad.Cases[0])
	}
	if c := doc.Suites[2].Cases; len(c) != 1 || c[0].Error == nil || c[0].Name != "line 1" {
		t.Errorf("junit suite for down.reqsh: %+v", doc.Suites[2])
	}

	// TAP version 13.
	data, err = os.ReadFile(tap)
	if err != nil {
		t.Fatal(err)
	}
	tl := strings.Split(string(data), "\n")
	if tl[0] != "TAP version 13" || tl[1] != "1..5" {
		t.Fatalf("tap header: %q", data)
	}
	var oks, notOks int
	for _, l := range tl {
		switch {
		case strings.HasPrefix(l, "ok "):
			oks++
		case strings.HasPrefix(l, "not ok "):
			notOks++
		}
	}
	if oks != 3 || notOks != 2 || !strings.Contains(string(data), "not ok 4 - "+files[1]+": line 4: expect json args.a.0 2\n  ---\n  message: ") ||
		!strings.Contains(string(data), "  line: 4\n  ...\n") {
		t.Errorf("tap: %d ok, %d not ok\n%s", oks, notOks, data)
	}
}

func TestRunnerExitCodes(t *testing.T) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	files := writeTestFiles(t, map[string]string{"a.reqsh": "get /get\nexpect status 2xx\n"}, "a.reqsh")
	if out, _, code := runTestCmd(t, "--base", srv.URL, files[0]); code != ExitOK || !strings.HasSuffix(out, "1 passed, 0 failed\n") {
		t.Errorf("passing run: exit %d, %q", code, out)
	}
	for _, args := range [][]string{{"--jobs", "0", files[0]}, {"--nope", files[0]}, {}, {"--jobs"}} {
		if _, stderr, code := runTestCmd(t, args...); code != ExitUsage || !strings.HasPrefix(stderr, "reqsh test: ") {
			t.Errorf("%q: exit %d, stderr %q; want 2", args, code, stderr)
		}
	}
	missing := filepath.Join(t.TempDir(), "missing.reqsh")
	if stdout, _, code := runTestCmd(t, missing); code != ExitFailure || !strings.HasPrefix(stdout, "FAIL "+missing+": open ") {
		t.Errorf("missing file: exit %d, want 1; stdout %q", code, stdout)
	}
	// A report that cannot be written fails the run, saying which.
	bad := filepath.Join(t.TempDir(), "no-such-dir", "junit.xml")
	if _, stderr, code := runTestCmd(t, "--base", srv.URL, "--report-junit", bad, files[0]); code != ExitFailure || !strings.Contains(stderr, "junit.xml") {
		t.Errorf("unwritable report: exit %d, stderr %q; want 1 naming the file", code, stderr)
	}
}

// Each file runs in a session of its own: cookies, headers and
// variables set by one never reach another, run at once or not.
func TestRunnerSessionsIndependent(t *testing.T) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	scripts := map[string]string{}
	var names []string
	for i := range 20 {
		n := fmt.Sprintf("f%02d.reqsh", i)
		names = append(names, n)
		scripts[n] = fmt.Sprintf(`get /cookies
expect json cookies {}
let mine %d
get /cookies/set?c%d=%d
header set X-Mine %d
get /headers
expect json headers.X-Mine '["%d"]'
get /cookies
expect json cookies '{"c%d":"%d"}'
`, i, i, i, i, i, i, i)
	}
	files := writeTestFiles(t, scripts, names...)
	out, stderr, code := runTestCmd(t, append([]string{"--base", srv.URL, "--jobs", "8"}, files...)...)
	if code != ExitOK || !strings.HasSuffix(out, "20 passed, 0 failed\n") {
		t.Errorf("exit %d\n%s\n%s", code, out, stderr)
	}
}

// The figure of the issue, not a timing assertion: 40 files of 10
// requests against a server that takes 20 ms. Run it with
// REQSH_RUNNER_FIGURE=1 go test ./repl -run RunnerFigure -v.
func TestRunnerFigure(t *testing.T) {
	if os.Getenv("REQSH_RUNNER_FIGURE") == "" {
		t.Skip("set REQSH_RUNNER_FIGURE=1 to measure")
	}
	for _, delay := range []time.Duration{20 * time.Millisecond, 0} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(delay)
			w.Write([]byte(`{"ok":true}`))
		}))
		scripts := map[string]string{}
		var names []string
		for i := range 40 {
			n := fmt.Sprintf("f%02d.reqsh", i)
			names = append(names, n)
			scripts[n] = strings.Repeat("get /x\nexpect status 200\n", 10)
		}
		files := writeTestFiles(t, scripts, names...)
		for _, jobs := range []string{"1", "2", "8"} {
			start := time.Now()
			if _, stderr, code := runTestCmd(t, append([]string{"--base", srv.URL, "--jobs", jobs}, files...)...); code != 0 {
				t.Fatal(stderr)
			}
			t.Logf("server delay %v, --jobs %s: %v", delay, jobs, time.Since(start).Round(time.Millisecond))
		}
		srv.Close()
	}
}

// TestRunnerCaseTimes: a JUnit testcase's time is the time since the
// check before it, so it holds the requests the check is about, and the
// cases' times add up to no more than their file's.
func TestRunnerCaseTimes(t *testing.T) {
	const pause = 30 * time.Millisecond
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			time.Sleep(pause)
		}
	}))
	defer srv.Close()
	files := writeTestFiles(t, map[string]string{
		"slow.reqsh": "get /slow\nexpect status 200\nget /fast\nexpect status 200\n",
	}, "slow.reqsh")
	junit := filepath.Join(t.TempDir(), "junit.xml")
	if _, stderr, code := runTestCmd(t, "--base", srv.URL, "--report-junit", junit, files[0]); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Suites []struct {
			Time  float64 `xml:"time,attr"`
			Cases []struct {
				Time float64 `xml:"time,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(data, &doc); err != nil || len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 2 {
		t.Fatalf("junit: %v\n%s", err, data)
	}
	s := doc.Suites[0]
	if s.Cases[0].Time < pause.Seconds() {
		t.Errorf("the slow request's check took %.3fs, want at least %.3fs\n%s", s.Cases[0].Time, pause.Seconds(), data)
	}
	if sum := s.Cases[0].Time + s.Cases[1].Time; sum > s.Time+0.0015 { // each rounded to the millisecond
		t.Errorf("cases add up to %.3fs, more than the file's %.3fs\n%s", sum, s.Time, data)
	}
}
