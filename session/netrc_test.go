package session_test

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reqsh/reqsh/session"
)

// authEcho answers with the Authorization header it received.
func authEcho(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.Header.Get("Authorization"))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func basic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// TestNetrc: a request with no auth of its own takes its host's login
// from $HOME/.netrc (or $NETRC, or the default entry); any other auth,
// an Authorization header, URL credentials or netrc off win over it.
func TestNetrc(t *testing.T) {
	srv := authEcho(t)
	home := t.TempDir()
	netrc := "# comment\nmachine example.org login other password x\n\nmacdef init\nmachine 127.0.0.1 login evil password evil\n\n" +
		"machine 127.0.0.1\n  login alice\n  password s3cret\n"
	if err := os.WriteFile(filepath.Join(home, ".netrc"), []byte(netrc), 0o600); err != nil {
		t.Fatal(err)
	}
	alt := writeFile(t, "alt-netrc", []byte("default login bob password pw\n"))
	off := session.DefaultOptions()
	off.Netrc = false
	cases := []struct {
		name string
		env  []string
		opts []session.Option
		req  session.Request
		want string
	}{
		{"home", []string{"HOME=" + home}, nil, session.Request{}, basic("alice", "s3cret")},
		{"NETRC default", []string{"HOME=" + home, "NETRC=" + alt}, nil, session.Request{}, basic("bob", "pw")},
		{"no file", []string{"HOME=" + t.TempDir()}, nil, session.Request{}, ""},
		{"off", []string{"HOME=" + home}, []session.Option{session.WithOptions(off)}, session.Request{}, ""},
		{"request auth", []string{"HOME=" + home}, nil, session.Request{Auth: session.BearerAuth("tok")}, "Bearer tok"},
		{"header", []string{"HOME=" + home}, nil, session.Request{Header: http.Header{"Authorization": {"X y"}}}, "X y"},
		{"omitted", []string{"HOME=" + home}, nil, session.Request{Omit: []string{"authorization"}}, ""},
		{"url", []string{"HOME=" + home}, nil, session.Request{URL: strings.Replace(srv.URL, "//", "//u:p@", 1)}, basic("u", "p")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := session.New(append([]session.Option{session.WithEnv(tc.env)}, tc.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			r := tc.req
			r.Method = "GET"
			if r.URL == "" {
				r.URL = srv.URL
			}
			resp, err := s.Do(context.Background(), &r)
			if err != nil {
				t.Fatal(err)
			}
			if got := string(resp.Body); got != tc.want {
				t.Errorf("server got Authorization %q, want %q", got, tc.want)
			}
		})
	}
}

// TestNetrcWorldReadable: a .netrc others can read is used, with one
// warning per session; a private one gives none.
func TestNetrcWorldReadable(t *testing.T) {
	srv := authEcho(t)
	for _, mode := range []os.FileMode{0o644, 0o600} {
		home := t.TempDir()
		path := filepath.Join(home, ".netrc")
		if err := os.WriteFile(path, []byte("machine 127.0.0.1 login a password b\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		os.Chmod(path, mode)
		var warnings []string
		s, err := session.New(session.WithEnv([]string{"HOME=" + home}), session.WithWarn(func(m string) { warnings = append(warnings, m) }))
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			resp, err := s.Get(context.Background(), srv.URL)
			if err != nil || string(resp.Body) != basic("a", "b") {
				t.Fatalf("mode %o: %v, %q", mode, err, resp.Body)
			}
		}
		want := 0
		if mode == 0o644 {
			want = 1
		}
		if len(warnings) != want || (want == 1 && !strings.Contains(warnings[0], path)) {
			t.Errorf("mode %o: warnings %q, want %d naming the file", mode, warnings, want)
		}
	}
}

// TestRetriesNetrcSaved: retries and netrc off survive a session file;
// a file of the defaults does not mention them.
func TestRetriesNetrcSaved(t *testing.T) {
	o := session.DefaultOptions()
	o.Retries, o.Netrc = 3, false
	s := newSession(t, session.WithOptions(o))
	b, err := s.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"retries": 3`) || !strings.Contains(string(b), `"netrc": false`) {
		t.Errorf("file lacks retries or netrc:\n%s", b)
	}
	t2 := newSession(t)
	if err := t2.UnmarshalJSON(b); err != nil {
		t.Fatal(err)
	}
	if got := t2.Options(); got.Retries != 3 || got.Netrc {
		t.Errorf("loaded retries %d, netrc %v; want 3, false", got.Retries, got.Netrc)
	}
	d, _ := newSession(t).MarshalJSON()
	if strings.Contains(string(d), "netrc") || strings.Contains(string(d), "retries") {
		t.Errorf("defaults written:\n%s", d)
	}
}
