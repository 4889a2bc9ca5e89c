package repl

import (
	"bytes"
	"crypto/sha256"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reqsh/reqsh/internal/demo"
)

// pattern is the byte stream the download server sends: a repeating,
// position-dependent pattern, so a lost or repeated chunk is noticed.
func pattern(size int64, w io.Writer) (int64, [32]byte) {
	h := sha256.New()
	chunk := make([]byte, 64<<10)
	var sent int64
	for i := int64(0); sent < size; i++ {
		for j := range chunk {
			chunk[j] = byte(i + int64(j)*7)
		}
		n := min(int64(len(chunk)), size-sent)
		h.Write(chunk[:n])
		if _, err := w.Write(chunk[:n]); err != nil {
			break
		}
		sent += n
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sent, sum
}

// TestDownloadStreamsToFile downloads 256 MiB with -o and checks the file
// byte for byte, and that memory did not grow with the body.
func TestDownloadStreamsToFile(t *testing.T) {
	const size = 256 << 20
	_, want := pattern(size, io.Discard)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.Itoa(size))
		pattern(size, w)
	}))
	defer srv.Close()
	out := filepath.Join(t.TempDir(), "big.bin")

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var stdout, stderr bytes.Buffer
	code := Main([]string{srv.URL, "--print", "h"}, strings.NewReader("get /big -o "+out+"\n"), &stdout, &stderr, testEnv(t))
	runtime.ReadMemStats(&after)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	n, _ := io.Copy(h, f)
	var got [32]byte
	copy(got[:], h.Sum(nil))
	if n != size || got != want {
		t.Errorf("file has %d bytes (want %d), content matches: %v", n, size, got == want)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > size/4 {
		t.Errorf("allocated %d MiB for a %d MiB download: the body was buffered", grew>>20, size>>20)
	}
	if !strings.Contains(stdout.String(), "HTTP/1.1 200 OK") || strings.Contains(stdout.String(), "\x00") {
		t.Errorf("stdout should have the status and no body bytes: %.200q", stdout.String())
	}
	if stderr.Len() != 0 {
		t.Errorf("a script's stderr got a progress bar or note: %q", stderr.String())
	}
	t.Logf("256 MiB download: %d MiB allocated in all, heap in use after %d MiB",
		(after.TotalAlloc-before.TotalAlloc)>>20, after.HeapInuse>>20)
}

// TestDownloadFailureLeavesNoFile checks that a failed download leaves
// neither the file nor a partial one.
func TestDownloadFailureLeavesNoFile(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000000")
		w.Write(make([]byte, 1000))
		// Hang up before the promised length.
		panic(http.ErrAbortHandler)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	defer srv.Close()
	dir := t.TempDir()
	var out syncBuffer
	code := Main([]string{srv.URL}, strings.NewReader("get /x -o "+filepath.Join(dir, "x.bin")+"\n"), &out, &out, testEnv(t))
	if code != 1 || !strings.Contains(out.String(), "error: line 1: get \""+srv.URL+"/x\"") {
		t.Errorf("exit %d, output %q; want one error line", code, out.String())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left behind: %v", entries)
	}
}

// TestTimeoutInScript: a 1s timeout against /delay/5 fails about then
// with one error line, and the next command runs.
func TestTimeoutInScript(t *testing.T) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	var out syncBuffer
	start := time.Now()
	code := Main([]string{"-k", srv.URL}, strings.NewReader("get /delay/5 --timeout 1s\nset timeout 1s\nget /delay/5\nget /get a==after\n"), &out, &out, testEnv(t))
	elapsed := time.Since(start)
	got := out.String()
	for _, want := range []string{
		`error: line 1: get "` + srv.URL + `/delay/5": read timed out after 1s`,
		`error: line 3: get "` + srv.URL + `/delay/5": read timed out after 1s`,
		`"a": ["after"]`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if elapsed > 8*time.Second {
		t.Errorf("two 1s timeouts took %s", elapsed)
	}
}

// TestVerifyInShell: TLS verification on by default, `set verify off`
// and a CA bundle, through the shell.
func TestVerifyInShell(t *testing.T) {
	srv := httptest.NewUnstartedServer(demo.Handler())
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	var out syncBuffer
	script := "get /get --print h\nset verify off\nset verify\nget /get --print h\nset verify /no/such/ca.pem\nset verify\n"
	code := Main([]string{"-k", srv.URL}, strings.NewReader(script), &out, &out, testEnv(t))
	got := out.String()
	if code != 1 || !strings.Contains(got, "error: line 1: get \""+srv.URL+"/get\"") || !strings.Contains(got, "certificate") {
		t.Errorf("verify on against a self-signed server should fail with a certificate error:\n%s", got)
	}
	if !strings.Contains(got, "off\nHTTP/1.1 200 OK") {
		t.Errorf("verify off should succeed:\n%s", got)
	}
	if !strings.Contains(got, "error: line 5: set verify: read CA bundle") || !strings.HasSuffix(got, "off\n") {
		t.Errorf("a bad CA path should fail and leave verify off:\n%s", got)
	}
}

// TestOptionEqualsValue: --name=value works as --name value, and an
// unknown option's error never repeats what follows '=' (a secret).
func TestOptionEqualsValue(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	var out, errOut syncBuffer
	script := "get /basic-auth/u/p --auth=u:p --print=h\nget /get -a=u:s3cret\nget /get --follow=yes\n"
	code := Main([]string{"-k", srv.URL}, strings.NewReader(script), &out, &errOut, testEnv(t))
	if code != 1 || !strings.HasPrefix(out.String(), "HTTP/1.1 200 OK\n") {
		t.Fatalf("exit %d, stdout %q", code, out.String())
	}
	want := "error: line 2: unknown option \"-a\" (type help get for the options)\n" +
		"error: line 3: option --follow takes no value\n"
	if errOut.String() != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", errOut.String(), want)
	}
}
