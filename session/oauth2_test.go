package session_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/reqsh/reqsh/session"
)

// tokenServer is an OAuth2 token endpoint and an API that takes only
// the last token it issued.
type tokenServer struct {
	mu        sync.Mutex
	expiresIn int
	formOnly  bool // refuse Basic client auth: credentials in the form
	refresh   bool // give refresh tokens
	reject    int  // API requests to answer 401 whatever the token
	issued    int  // tokens issued
	grants    []string
	apiAuth   []string
}

func (ts *tokenServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if r.URL.Path == "/token" {
		r.ParseForm()
		id, secret, basic := r.BasicAuth()
		if ts.formOnly && basic {
			w.WriteHeader(401)
			io.WriteString(w, `{"error":"invalid_client"}`)
			return
		}
		if !basic {
			id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		}
		if id != "app" || secret != "s3cret" {
			w.WriteHeader(401)
			io.WriteString(w, `{"error":"invalid_client"}`)
			return
		}
		ts.grants = append(ts.grants, r.PostForm.Get("grant_type")+" "+r.PostForm.Get("scope")+r.PostForm.Get("refresh_token"))
		ts.issued++
		resp := map[string]any{"access_token": fmt.Sprintf("tok%d", ts.issued), "token_type": "Bearer", "expires_in": ts.expiresIn}
		if ts.refresh {
			resp["refresh_token"] = fmt.Sprintf("ref%d", ts.issued)
		}
		json.NewEncoder(w).Encode(resp)
		return
	}
	got := r.Header.Get("Authorization")
	ts.apiAuth = append(ts.apiAuth, got)
	if ts.reject > 0 || got != fmt.Sprintf("Bearer tok%d", ts.issued) {
		ts.reject--
		w.WriteHeader(401)
		return
	}
	io.WriteString(w, "ok")
}

// TestOAuth2: client credentials by Basic (or in the form when the
// server refuses Basic), the token sent as Bearer, reused until it is
// about to expire, a new one fetched (with the refresh token when one
// was given) and the request sent once more after a 401.
func TestOAuth2(t *testing.T) {
	cases := []struct {
		name       string
		ts         *tokenServer
		n          int
		wantGrants []string
		wantAPI    []string
		wantStatus int
	}{
		{"long-lived token reused", &tokenServer{expiresIn: 3600}, 3,
			[]string{"client_credentials read write"},
			[]string{"Bearer tok1", "Bearer tok1", "Bearer tok1"}, 200},
		{"expiring token replaced", &tokenServer{expiresIn: 5}, 2,
			[]string{"client_credentials read write", "client_credentials read write"},
			[]string{"Bearer tok1", "Bearer tok2"}, 200},
		{"refresh token used", &tokenServer{expiresIn: 5, refresh: true}, 2,
			[]string{"client_credentials read write", "refresh_token ref1"},
			[]string{"Bearer tok1", "Bearer tok2"}, 200},
		{"credentials in the form", &tokenServer{expiresIn: 3600, formOnly: true}, 1,
			[]string{"client_credentials read write"},
			[]string{"Bearer tok1"}, 200},
		{"401 once", &tokenServer{expiresIn: 3600, reject: 1}, 1,
			[]string{"client_credentials read write", "client_credentials read write"},
			[]string{"Bearer tok1", "Bearer tok2"}, 200},
		{"401 twice is the answer", &tokenServer{expiresIn: 3600, reject: 2}, 1,
			[]string{"client_credentials read write", "client_credentials read write"},
			[]string{"Bearer tok1", "Bearer tok2"}, 401},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := tc.ts
			srv := httptest.NewServer(ts)
			defer srv.Close()
			s := newSession(t)
			s.Auth = session.OAuth2Auth(srv.URL+"/token", "app", "s3cret", "read", "write")
			if got := s.Auth.String(); strings.Contains(got, "s3cret") {
				t.Errorf("String() shows the secret: %q", got)
			}
			var status int
			for range tc.n {
				resp, err := s.Do(context.Background(), &session.Request{Method: "POST", URL: srv.URL + "/api", Body: []byte("x")})
				if err != nil {
					t.Fatal(err)
				}
				status = resp.StatusCode
			}
			if status != tc.wantStatus {
				t.Errorf("status %d, want %d", status, tc.wantStatus)
			}
			if fmt.Sprint(ts.grants) != fmt.Sprint(tc.wantGrants) {
				t.Errorf("token endpoint got %q, want %q", ts.grants, tc.wantGrants)
			}
			if fmt.Sprint(ts.apiAuth) != fmt.Sprint(tc.wantAPI) {
				t.Errorf("API got %q, want %q", ts.apiAuth, tc.wantAPI)
			}
		})
	}
}

// TestOAuth2BadClient: a token endpoint that refuses the client makes the
// request fail with one error naming the endpoint; the API gets nothing.
func TestOAuth2BadClient(t *testing.T) {
	ts := &tokenServer{expiresIn: 3600}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	s := newSession(t)
	s.Auth = session.OAuth2Auth(srv.URL+"/token", "app", "wrong")
	_, err := s.Do(context.Background(), &session.Request{Method: "GET", URL: srv.URL + "/api"})
	if err == nil || !strings.Contains(err.Error(), "oauth2 token from") || !strings.Contains(err.Error(), "invalid_client") || strings.Contains(err.Error(), "wrong") {
		t.Errorf("err %v", err)
	}
	if len(ts.apiAuth) != 0 {
		t.Errorf("API got %q", ts.apiAuth)
	}
}

// TestOAuth2Saved: OAuth2 credentials survive a session file, token URL
// and scopes included; a new token is fetched after loading.
func TestOAuth2Saved(t *testing.T) {
	ts := &tokenServer{expiresIn: 3600}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	s := newSession(t)
	s.Auth = session.OAuth2Auth(srv.URL+"/token", "app", "s3cret", "read")
	b, err := s.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	l := newSession(t)
	if err := l.UnmarshalJSON(b); err != nil {
		t.Fatal(err)
	}
	if l.Auth == nil || l.Auth.Scheme != session.OAuth2 || l.Auth.TokenURL != srv.URL+"/token" || l.Auth.Scope != "read" || l.Auth.Password != "s3cret" {
		t.Fatalf("loaded auth %+v from:\n%s", l.Auth, b)
	}
	resp, err := l.Do(context.Background(), &session.Request{Method: "GET", URL: srv.URL + "/api"})
	if err != nil || resp.StatusCode != 200 || fmt.Sprint(ts.grants) != "[client_credentials read]" {
		t.Errorf("after loading: %v, grants %q", err, ts.grants)
	}
}

// TestOAuth2TokenSaved: the token fetched is saved in the session file
// (under "reqsh", with its expiry and refresh token); a session loaded
// while it is valid sends it and the token endpoint gets no request; an
// expired one is replaced (by its refresh token); a token saved for
// another client is not used.
func TestOAuth2TokenSaved(t *testing.T) {
	cases := []struct {
		name       string
		expiresIn  int
		edit       func(string) string
		wantGrants []string // after loading
		wantAPI    string
	}{
		{"valid", 3600, nil, nil, "Bearer tok1"},
		{"expired", 5, nil, []string{"refresh_token ref1"}, "Bearer tok2"},
		{"another client", 3600, func(f string) string {
			return strings.Replace(f, `"client_id": "app"`, `"client_id": "other"`, 1)
		}, []string{"client_credentials read"}, "Bearer tok2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := &tokenServer{expiresIn: tc.expiresIn, refresh: true}
			srv := httptest.NewServer(ts)
			defer srv.Close()
			s := newSession(t)
			s.Auth = session.OAuth2Auth(srv.URL+"/token", "app", "s3cret", "read")
			if _, err := s.Do(context.Background(), &session.Request{Method: "GET", URL: srv.URL + "/api"}); err != nil {
				t.Fatal(err)
			}
			b, err := s.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			var file struct {
				Reqsh struct {
					OAuth2 map[string]string `json:"oauth2"`
				} `json:"reqsh"`
			}
			if err := json.Unmarshal(b, &file); err != nil {
				t.Fatal(err)
			}
			if o := file.Reqsh.OAuth2; o["access_token"] != "tok1" || o["refresh_token"] != "ref1" || o["expiry"] == "" || o["client_id"] != "app" {
				t.Fatalf("reqsh.oauth2 = %v in:\n%s", o, b)
			}
			if tc.edit != nil {
				b = []byte(tc.edit(string(b)))
			}
			ts.mu.Lock()
			ts.grants, ts.apiAuth = nil, nil
			ts.mu.Unlock()
			l := newSession(t)
			if err := l.UnmarshalJSON(b); err != nil {
				t.Fatal(err)
			}
			if got := l.Auth.String(); strings.Contains(got, "tok1") || strings.Contains(got, "s3cret") {
				t.Errorf("String() shows a secret: %q", got)
			}
			resp, err := l.Do(context.Background(), &session.Request{Method: "GET", URL: srv.URL + "/api"})
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("after loading: %v", err)
			}
			if fmt.Sprint(ts.grants) != fmt.Sprint(tc.wantGrants) || fmt.Sprint(ts.apiAuth) != fmt.Sprint([]string{tc.wantAPI}) {
				t.Errorf("token endpoint got %q (want %q), API got %q (want %q)", ts.grants, tc.wantGrants, ts.apiAuth, tc.wantAPI)
			}
		})
	}
}
