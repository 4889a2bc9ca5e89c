package repl

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/reqsh/reqsh/internal/curl"
	"github.com/reqsh/reqsh/internal/demo"
)

// TestCurlRunsTheSameRequest sends requests with reqsh, runs the command
// line that curl prints for each, and checks that the httpbin echo curl
// gets is the echo reqsh got: same method, URL, headers and body.
func TestCurlRunsTheSameRequest(t *testing.T) {
	curlPath, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not installed")
	}
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	var out bytes.Buffer
	sh := scriptShell(t, srv.URL, &out)
	exec1 := func(line string) {
		t.Helper()
		out.Reset()
		if err := sh.execLine(line); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		sh.out.Flush()
	}
	for _, line := range []string{
		"get /cookies/set?theme=dark", // a cookie from the server
		"cookies set sid abc123",      // and one set by hand
		"auth user pass",
		"header set X-Trace on",
	} {
		exec1(line)
	}
	upload := filepath.Join(t.TempDir(), "note.txt")
	if err := os.WriteFile(upload, []byte("it's a note\nline two\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"get /anything a==1 'q==two words' X-Quote:\"it's\"",
		`post /anything/items name=reqsh n:=1 "note=it's \$HOME" 'tags:=["a","b"]'`,
		"put /anything --form a=1 'b=x y&z'",
		"patch /anything --multipart x=1 f@" + upload,
		"delete /anything User-Agent: Accept:",
		"post /anything --raw @not-a-file Content-Type:text/plain",
		"post /anything --raw 'no type' Content-Type:",
		"post /anything",
		"get /gzip",
		"get /deflate",
		"get /redirect-to?url=/anything/final",
	} {
		t.Run(line, func(t *testing.T) {
			exec1(line)
			want := sh.last.Body
			exec1("curl")
			command := out.String()
			if !strings.HasPrefix(command, "curl ") {
				t.Fatalf("curl printed %q", command)
			}
			sameEcho(t, "sh", curlPath, command, want)
		})
	}
}

// sameEcho runs command (a curl command line) with the shell named and
// checks that the echo server's answer to curl is want, reqsh's answer:
// the server saw the same request.
func sameEcho(t *testing.T, shell, curlPath, command string, want []byte) {
	t.Helper()
	cmd := exec.Command(shell, "-c", command)
	cmd.Env = []string{"PATH=" + filepath.Dir(curlPath), "HOME=" + t.TempDir()}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s\nfailed: %v\n%s", command, err, stderr.String())
	}
	var gotEcho, wantEcho map[string]any
	if err := json.Unmarshal(want, &wantEcho); err != nil {
		t.Fatalf("reqsh's response is not JSON: %v\n%s", err, want)
	}
	if err := json.Unmarshal(stdout.Bytes(), &gotEcho); err != nil {
		t.Fatalf("curl's response is not JSON: %v\n%s\ncommand:\n%s", err, stdout.String(), command)
	}
	if !reflect.DeepEqual(gotEcho, wantEcho) {
		t.Errorf("curl's request differs from reqsh's\ncommand:\n%s\ncurl got:\n%s\nreqsh got:\n%s", command, stdout.String(), want)
	}
}

// TestCurlAtTerminalIsVisible exports a request whose header and body
// hold a right-to-left override and a C1 control: at a terminal the
// command shows them as escapes in $'...' and bash runs it to the same
// request; in a pipe the command is the exact text, and sh runs it to
// the same request.
func TestCurlAtTerminalIsVisible(t *testing.T) {
	curlPath, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not installed")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	var out bytes.Buffer
	sh := scriptShell(t, srv.URL, &out)
	if err := sh.execLine("post /anything \"note=x\u202ey\" \"X-Note:a\u202eb\u009bc\""); err != nil {
		t.Fatal(err)
	}
	want := sh.last.Body
	if !bytes.Contains(want, []byte("a\u202eb\u009bc")) {
		t.Fatalf("the server did not get the header as typed (the test's premise):\n%s", want)
	}
	export := func(terminal bool) string {
		t.Helper()
		sh.out.Flush()
		out.Reset()
		sh.outTerminal = terminal
		if err := sh.execLine("curl"); err != nil {
			t.Fatal(err)
		}
		sh.out.Flush()
		return out.String()
	}

	shown := export(true)
	if strings.ContainsAny(shown, "\u202e\u009b") {
		t.Errorf("the command at a terminal holds a raw bidi or C1 control:\n%q", shown)
	}
	for _, part := range []string{`-H $'X-Note: a\xe2\x80\xaeb\xc2\x9bc'`, `--data-binary $'{"note":"x\xe2\x80\xaey"}'`, "-H 'Accept: application/json, */*'"} {
		if !strings.Contains(shown, part) {
			t.Errorf("the command at a terminal lacks %s:\n%s", part, shown)
		}
	}
	sameEcho(t, bash, curlPath, shown, want)

	piped := export(false)
	if !strings.Contains(piped, "-H 'X-Note: a\u202eb\u009bc'") {
		t.Errorf("the command in a pipe is not the exact text:\n%q", piped)
	}
	sameEcho(t, "sh", curlPath, piped, want)
}

// TestCurlHead checks that an exported HEAD request runs and gets the
// same status as reqsh.
func TestCurlHead(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	var out bytes.Buffer
	sh := scriptShell(t, srv.URL, &out)
	if err := sh.execLine("head /status/418"); err != nil {
		t.Fatal(err)
	}
	line, err := curl.Command(sh.last.Request, sh.sess.Options(), curl.Quote)
	if err != nil {
		t.Fatal(err)
	}
	got, err := exec.Command("sh", "-c", line+" -s -o /dev/null -w '%{http_code}'").Output()
	if err != nil || string(got) != "418" || sh.last.StatusCode != 418 {
		t.Errorf("curl: %q, %v; reqsh: %d; want 418 from both\n%s", got, err, sh.last.StatusCode, line)
	}
}

// TestCurlBinaryBody checks the error line for a request whose body
// cannot be written on a command line.
func TestCurlBinaryBody(t *testing.T) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "blob.bin")
	if err := os.WriteFile(file, []byte{0x89, 'P', 'N', 'G', 0, 1}, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := Main([]string{srv.URL}, strings.NewReader("post /anything @"+file+"\ncurl\n"), &stdout, &stderr, testEnv(t))
	want := "error: line 2: curl: the last request body is binary (6 bytes); not exported\n"
	if code != ExitFailure || stderr.String() != want {
		t.Errorf("exit %d, stderr %q; want 1, %q", code, stderr.String(), want)
	}
}
