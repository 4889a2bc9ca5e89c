package repl

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// mtlsRecorder is an HTTPS server that requires a client certificate
// from its CA and records, for each request, its method, target and
// the certificate's subject.
type mtlsRecorder struct {
	mu    sync.Mutex
	seen  []string
	greet bool // answer "hello NAME"; else an empty body
}

func (m *mtlsRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := r.TLS.PeerCertificates[0].Subject.CommonName
	m.mu.Lock()
	m.seen = append(m.seen, r.Method+" "+r.RequestURI+" "+name)
	m.mu.Unlock()
	if m.greet {
		io.WriteString(w, "hello "+name+"\n")
	}
}

func (m *mtlsRecorder) take() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	got := m.seen
	m.seen = nil
	return got
}

// mtlsFixture is the server and the files of a client certificate test,
// in a directory of the name given: alice's certificate and key in two
// files, bob's in one, the CA's.
type mtlsFixture struct {
	srv                     *httptest.Server
	rec                     *mtlsRecorder
	dir, ca                 string
	alice, aliceKey, bobPEM string
}

// oddDir is a directory name with a space, a quote and a colon, for the
// exports' quoting.
const oddDir = `it's: a dir`

func newMTLSFixture(t *testing.T, dirName string, greet bool) *mtlsFixture {
	t.Helper()
	f := &mtlsFixture{rec: &mtlsRecorder{greet: greet}, dir: filepath.Join(t.TempDir(), dirName)}
	if err := os.Mkdir(f.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	write := func(name string, b ...[]byte) string {
		p := filepath.Join(f.dir, name)
		if err := os.WriteFile(p, bytes.Join(b, nil), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ca, caKey, caPEM, _ := issueCert(t, "test CA", nil, nil, false)
	_, _, srvCert, srvKey := issueCert(t, "server", ca, caKey, true)
	_, _, aliceCert, aliceKey := issueCert(t, "alice", ca, caKey, false)
	_, _, bobCert, bobKey := issueCert(t, "bob", ca, caKey, false)
	pair, err := tls.X509KeyPair(srvCert, srvKey)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	f.srv = httptest.NewUnstartedServer(f.rec)
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	f.srv.TLS = &tls.Config{Certificates: []tls.Certificate{pair}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
	f.srv.StartTLS()
	t.Cleanup(f.srv.Close)
	f.ca = write("ca.pem", caPEM)
	f.alice, f.aliceKey = write("alice.crt", aliceCert), write("alice.key", aliceKey)
	f.bobPEM = write("bob.pem", bobCert, bobKey)
	return f
}

// runToolElsewhere runs an export with its tool from another directory
// than reqsh's, so that a relative path in it would not be found.
func runToolElsewhere(t *testing.T, target, text string) {
	t.Helper()
	elsewhere := t.TempDir()
	var cmd *exec.Cmd
	if target == "python" {
		file := filepath.Join(elsewhere, "export.py")
		if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd = exec.Command("python3", file)
	} else {
		cmd = exec.Command("sh", "-c", text)
	}
	cmd.Dir = elsewhere
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s export failed: %v\n%s\n--- export:\n%s", target, err, out, text)
	}
}

// Each export of a request sent to a server that requires a client
// certificate presents the certificate the request was sent with: the
// session's (given by relative paths, in a directory named with a
// space, a quote and a colon), a request's own --cert (which wins),
// and, for an earlier exchange, the one it had then.
func TestExportsCarryTheClientCert(t *testing.T) {
	f := newMTLSFixture(t, oddDir, false)
	t.Chdir(f.dir)
	script := fmt.Sprintf("set verify %s\nset cert alice.crt alice.key\nget /a\nget /b --cert %s\nset cert none\n",
		quoteWord(f.ca), quoteWord(f.bobPEM))
	for _, target := range exportTargets {
		t.Run(target, func(t *testing.T) {
			needTool(t, target)
			stdout, stderr, code := runScript(t, strings.NewReader(script+"export "+target+" 1\n"), f.srv.URL)
			if code != 0 {
				t.Fatalf("reqsh: exit %d: %s", code, stderr)
			}
			if got := f.rec.take(); strings.Join(got, "\n") != "GET /a alice\nGET /b bob" {
				t.Fatalf("reqsh sent %q", got)
			}
			runToolElsewhere(t, target, stdout)
			if got := f.rec.take(); len(got) != 1 || got[0] != "GET /a alice" {
				t.Errorf("the export of exchange 1 sent %q, want [GET /a alice]\n--- export:\n%s", got, stdout)
			}

			stdout, stderr, code = runScript(t, strings.NewReader(script+"export "+target+" 2\n"), f.srv.URL)
			if code != 0 {
				t.Fatalf("reqsh: exit %d: %s", code, stderr)
			}
			f.rec.take()
			runToolElsewhere(t, target, stdout)
			if got := f.rec.take(); len(got) != 1 || got[0] != "GET /b bob" {
				t.Errorf("the export of exchange 2 sent %q, want [GET /b bob]\n--- export:\n%s", got, stdout)
			}
		})
	}
}

// export python --session sets the session's client certificate on the
// requests.Session (s.cert) and gives a request with its own its cert=.
func TestExportPythonSessionCarriesTheClientCert(t *testing.T) {
	needTool(t, "python")
	f := newMTLSFixture(t, oddDir, false)
	t.Chdir(f.dir)
	script := fmt.Sprintf("set verify %s\nset cert alice.crt alice.key\nget /a\nget /b --cert %s\nget /c\nexport python --session\n",
		quoteWord(f.ca), quoteWord(f.bobPEM))
	stdout, stderr, code := runScript(t, strings.NewReader(script), f.srv.URL)
	if code != 0 {
		t.Fatalf("reqsh: exit %d: %s", code, stderr)
	}
	sent := f.rec.take()
	if strings.Join(sent, "\n") != "GET /a alice\nGET /b bob\nGET /c alice" {
		t.Fatalf("reqsh sent %q", sent)
	}
	runToolElsewhere(t, "python", stdout)
	if got := f.rec.take(); strings.Join(got, "\n") != strings.Join(sent, "\n") {
		t.Errorf("the program sent %q, reqsh %q\n--- export:\n%s", got, sent, stdout)
	}
	if want := "s.cert = (" + pyQuoted(filepath.Join(f.dir, "alice.crt")); !strings.Contains(stdout, want) {
		t.Errorf("program lacks %q:\n%s", want, stdout)
	}
}

// pyQuoted is s as a Python literal in single quotes (ASCII s).
func pyQuoted(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

// TestExportCAFileAbsolute: `set verify FILE` with a relative path is
// written absolute in every export and in the session file, so both
// work from any directory.
func TestExportCAFileAbsolute(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok\n")
	}))
	defer srv.Close()
	dir := t.TempDir()
	pemData := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(filepath.Join(dir, "ca.pem"), pemData, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	abs := filepath.Join(dir, "ca.pem")
	var out, errOut bytes.Buffer
	script := "set verify ca.pem\nget /\nexport curl\nexport httpie\nexport python\nexport python --session\nsession save " + filepath.Join(dir, "s.json") + "\n"
	if code := Main([]string{srv.URL}, strings.NewReader(script), &out, &errOut, nil); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{"--cacert '" + abs + "'", "--verify='" + abs + "'", "verify='" + abs + "'", "s.verify = '" + abs + "'"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %s:\n%s", want, out.String())
		}
	}
	saved, err := os.ReadFile(filepath.Join(dir, "s.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(saved), `"verify": "`+abs+`"`) {
		t.Errorf("the session file keeps the CA file by a relative path:\n%s", saved)
	}
}
