package repl

import (
	"bytes"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// encryptedKeyServer starts an HTTPS server that requires a client
// certificate from a CA made here and answers "hello NAME". It returns
// the server and the files: the CA, alice's certificate and her key
// encrypted with pass (OpenSSL's legacy PEM form; package session's
// tests cover the PKCS #8 forms).
func encryptedKeyServer(t *testing.T, pass string) (srv *httptest.Server, caFile, certFile, keyFile string) {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ca, caKey, caPEM, _ := issueCert(t, "test CA", nil, nil, false)
	_, _, srvCert, srvKey := issueCert(t, "server", ca, caKey, true)
	_, _, aliceCert, aliceKey := issueCert(t, "alice", ca, caKey, false)
	b, _ := pem.Decode(aliceKey)
	//lint:ignore SA1019 the legacy form is one of those tested
	enc, err := x509.EncryptPEMBlock(rand.Reader, b.Type, b.Bytes, []byte(pass), x509.PEMCipherAES256)
	if err != nil {
		t.Fatal(err)
	}
	pair, err := tls.X509KeyPair(srvCert, srvKey)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello "+r.TLS.PeerCertificates[0].Subject.CommonName+"\n")
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{pair}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, write("ca.pem", caPEM), write("alice.crt", aliceCert), write("alice.key", pem.EncodeToMemory(enc))
}

// TestEncryptedKeyInScript: in a script an encrypted client key is one
// error line (set cert and --cert-key alike) that says what to do, and
// the session keeps no certificate; REQSH_CERT_PASSPHRASE gives the
// passphrase (a wrong one is one error line); the session file keeps the
// paths, never the passphrase.
func TestEncryptedKeyInScript(t *testing.T) {
	const pass = "open-sesame-42"
	srv, caFile, certFile, keyFile := encryptedKeyServer(t, pass)
	saved := filepath.Join(t.TempDir(), "s.json")
	cases := []struct {
		name, passVar     string
		script            string
		wantOut, wantErr  string
		wantCode          int
		checkSavedSession bool
	}{
		{"no passphrase", "",
			"set verify " + caFile + "\nset cert " + certFile + " " + keyFile + "\nget / --cert " + certFile + " --cert-key " + keyFile + "\nset cert\n",
			"none\n",
			"error: line 2: set cert: client key \"" + keyFile + "\" is encrypted: a passphrase cannot be asked in a script: decrypt the key (openssl pkey -in KEY -out PLAIN.pem) or set REQSH_CERT_PASSPHRASE\n" +
				"error: line 3: client key \"" + keyFile + "\" is encrypted: a passphrase cannot be asked in a script: decrypt the key (openssl pkey -in KEY -out PLAIN.pem) or set REQSH_CERT_PASSPHRASE\n",
			ExitFailure, false},
		{"wrong passphrase", "nope",
			"set verify " + caFile + "\nset cert " + certFile + " " + keyFile + "\nset cert\n",
			"none\n",
			"error: line 2: set cert: client key \"" + keyFile + "\": wrong passphrase\n",
			ExitFailure, false},
		{"REQSH_CERT_PASSPHRASE", pass,
			"set verify " + caFile + "\nset cert " + certFile + " " + keyFile + "\nget /\nsession save " + saved + "\n",
			"hello alice\n", "session saved to " + saved + "\n", ExitOK, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := testEnv(t)
			if c.passVar != "" {
				env = append(env, "REQSH_CERT_PASSPHRASE="+c.passVar)
			}
			var out, errOut bytes.Buffer
			code := Main([]string{"-k", srv.URL}, strings.NewReader(c.script), &out, &errOut, env)
			if code != c.wantCode || out.String() != c.wantOut || errOut.String() != c.wantErr {
				t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s\nwant exit %d, stdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String(), c.wantCode, c.wantOut, c.wantErr)
			}
			if !c.checkSavedSession {
				return
			}
			data, err := os.ReadFile(saved)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(data, []byte(pass)) || !bytes.Contains(data, []byte(`"cert_key": "`+keyFile+`"`)) {
				t.Errorf("session file:\n%s", data)
			}
		})
	}
}

// TestTerminalCertPassphrase: at a terminal `set cert` asks for the
// encrypted key's passphrase without echo, once; a wrong one is one
// error line and nothing changes; the right one gets the certificate to
// the server; the passphrase never reaches the history file.
func TestTerminalCertPassphrase(t *testing.T) {
	t.Parallel()
	const pass = "pty-sesame-42"
	srv, caFile, certFile, keyFile := encryptedKeyServer(t, pass)
	term := startTerminal(t, srv.URL)
	term.waitFor(0, "> ", 5*time.Second)
	term.typeText("set verify " + caFile + "\r")
	m := term.mark()
	term.typeText("set cert " + certFile + " " + keyFile + "\r")
	term.waitFor(m, "passphrase for "+keyFile+": ", 5*time.Second)
	term.typeText("wrong-one\r")
	term.waitFor(m, "error: set cert: client key \""+keyFile+"\": wrong passphrase", 5*time.Second)
	term.typeText("set cert\r")
	term.waitFor(m, "none", 5*time.Second)

	m = term.mark()
	term.typeText("set cert " + certFile + " " + keyFile + "\r")
	term.waitFor(m, "passphrase for "+keyFile+": ", 5*time.Second)
	term.typeText(pass + "\r")
	term.typeText("get /\r")
	term.waitFor(m, "hello alice", 5*time.Second)
	m = term.mark()
	term.typeText("set verify off\r") // a new transport: the key is not asked for again
	term.typeText("get /\r")
	if again := term.waitFor(m, "hello alice", 5*time.Second); strings.Contains(again, "passphrase for") {
		t.Errorf("asked again:\n%q", again)
	}
	if all := term.since(0); strings.Contains(all, pass) || strings.Contains(all, "wrong-one") {
		t.Errorf("the passphrase was echoed:\n%q", all)
	}
	term.typeText("\x04")
	if code := term.exit(5 * time.Second); code != 0 {
		t.Errorf("exit %d", code)
	}
	data, _ := os.ReadFile(filepath.Join(term.home, ".local", "share", "reqsh", "history"))
	if bytes.Contains(data, []byte(pass)) || bytes.Contains(data, []byte("wrong-one")) || !bytes.Contains(data, []byte("get /")) {
		t.Errorf("history:\n%s", data)
	}
}

// TestTerminalCertPassphraseAtStart: a --session file whose client key
// is encrypted, loaded at start at a terminal, asks for the passphrase
// before the first prompt; the certificate then reaches the server.
func TestTerminalCertPassphraseAtStart(t *testing.T) {
	t.Parallel()
	const pass = "start-sesame"
	srv, caFile, certFile, keyFile := encryptedKeyServer(t, pass)
	path := filepath.Join(t.TempDir(), "s.json")
	file := `{"reqsh": {"options": {"verify": "` + caFile + `", "cert": "` + certFile + `", "cert_key": "` + keyFile + `"}}}`
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	term := startTerminal(t, "--session", path, srv.URL)
	term.waitFor(0, "passphrase for "+keyFile+": ", 5*time.Second)
	term.typeText(pass + "\r")
	m := term.mark()
	term.waitFor(m, "> ", 5*time.Second)
	term.typeText("get /\r")
	term.waitFor(m, "hello alice", 5*time.Second)
	if all := term.since(0); strings.Contains(all, pass) {
		t.Errorf("the passphrase was echoed:\n%q", all)
	}
	term.typeText("\x04")
	if code := term.exit(5 * time.Second); code != 0 {
		t.Errorf("exit %d", code)
	}
}
