package curl

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/reqsh/reqsh/session"
)

// TestCommandClientCert: over https the request's client certificate is
// --cert (a colon and a backslash escaped, as curl reads FILE:PASSWORD)
// and --key, each quoted for the shell; over http there is none.
func TestCommandClientCert(t *testing.T) {
	req := func(rawURL string, c session.ClientCert) *session.SentRequest {
		u, err := url.Parse(rawURL)
		if err != nil {
			t.Fatal(err)
		}
		return &session.SentRequest{Method: "GET", URL: u, Header: http.Header{"Host": {u.Host}}, Cert: c}
	}
	for name, tc := range map[string]struct {
		req  *session.SentRequest
		want []string // lines the command has
		not  string   // text it must not have
	}{
		"two files": {
			req:  req("https://h/", session.ClientCert{File: `/d/it's a: dir\x/c.pem`, KeyFile: `/d/it's a: dir/k.pem`}),
			want: []string{`--cert '/d/it'\''s a\: dir\\x/c.pem'`, `--key '/d/it'\''s a: dir/k.pem'`},
		},
		"one file":  {req: req("https://h/", session.ClientCert{File: "/d/both.pem"}), want: []string{"--cert '/d/both.pem'"}, not: "--key"},
		"over http": {req: req("http://h/", session.ClientCert{File: "/d/both.pem"}), not: "--cert"},
		"none":      {req: req("https://h/", session.ClientCert{}), not: "--cert"},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := Command(tc.req, session.Options{}, Quote)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(got, " \\\n  ")
			for _, w := range tc.want {
				if !contains(lines, w) {
					t.Errorf("command lacks the line %s:\n%s", w, got)
				}
			}
			if tc.not != "" && strings.Contains(got, tc.not) {
				t.Errorf("command has %s:\n%s", tc.not, got)
			}
		})
	}
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}
