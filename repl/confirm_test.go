package repl

import (
	"bytes"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reqsh/reqsh/internal/demo"
)

// TestConfirmations checks the one line each state change prints on
// stderr, and that stdout keeps only the responses.
func TestConfirmations(t *testing.T) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	other := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	file := filepath.Join(t.TempDir(), "s.json")
	cases := []struct {
		name, script string
		args         []string
		want         string
	}{
		{"close two", "get /get\nget " + other + "/get\nclose\n", []string{srv.URL}, "closed 2 connections\n"},
		{"close none", "close\n", []string{srv.URL}, "no open connections to close\n"},
		{"save", "session save " + file + "\n", []string{srv.URL}, "session saved to " + file + "\n"},
		{"load sets the base", "session load " + file + "\n", nil, "session loaded from " + file + ", base URL now " + srv.URL + "\n"},
		{"load, same base", "session load " + file + "\n", []string{srv.URL}, "session loaded from " + file + "\n"},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		code := Main(c.args, strings.NewReader(c.script), &stdout, &stderr, testEnv(t))
		if code != ExitOK || stderr.String() != c.want {
			t.Errorf("%s: exit %d, stderr %q, want %q", c.name, code, stderr.String(), c.want)
		}
		if strings.Contains(stdout.String(), c.want) {
			t.Errorf("%s: the confirmation went to stdout: %q", c.name, stdout.String())
		}
	}
}
