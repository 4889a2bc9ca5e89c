package session_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/reqsh/reqsh/session"
)

// TestIdempotentSentAgain: GET, PUT and DELETE that meet a pooled
// connection the server has closed are sent again on another and all
// succeed; the server answered each exactly once, in order. (They are
// written without looking at the connection first: see
// countedConn.resendable.)
func TestIdempotentSentAgain(t *testing.T) {
	cases := []struct {
		name string
		mode closeMode
		n    int
	}{
		// Closed right after each response: whether the next request
		// finds the socket dead depends on timing.
		{"close after response", closeAfterResponse, 2000},
		// Closed when the next request arrives: every reuse dies.
		{"close on next request", closeOnNextRequest, 200},
	}
	for _, tc := range cases {
		for _, method := range []string{"GET", "PUT", "DELETE"} {
			t.Run(tc.name+"/"+method, func(t *testing.T) {
				srv := newClosingServer(t, tc.mode, 0)
				s := newSession(t)
				var want []string
				resent := 0
				for i := range tc.n {
					body := fmt.Sprint(i)
					resp, err := s.Do(context.Background(), &session.Request{Method: method, URL: srv.URL() + "/x", Body: []byte(body)})
					if err != nil {
						t.Fatalf("request %d: %v", i, err)
					}
					if string(resp.Body) != "ok" {
						t.Fatalf("request %d: body %q", i, resp.Body)
					}
					if tc.mode == closeOnNextRequest && i > 0 && resp.Resent != 1 {
						t.Fatalf("request %d: Resent = %d, want 1", i, resp.Resent)
					}
					resent += resp.Resent
					want = append(want, method+" "+body)
				}
				answered, _ := srv.requests()
				if !slices.Equal(answered, want) {
					t.Errorf("server answered %d requests, want each of %d once in order", len(answered), len(want))
				}
				t.Logf("%d of %d sent again", resent, tc.n)
			})
		}
	}
}

// TestPostNotRepeated: a POST whose pooled connection the server closed
// before answering fails with a KindConnClosed error saying so, is not sent
// twice, and the session goes on.
func TestPostNotRepeated(t *testing.T) {
	srv := newClosingServer(t, closeOnNextRequest, 0)
	s := newSession(t)
	ctx := context.Background()
	post := func(body string) (*session.Response, error) {
		return s.Do(ctx, &session.Request{Method: "POST", URL: srv.URL() + "/x", Body: []byte(body)})
	}
	if _, err := post("1"); err != nil {
		t.Fatal(err)
	}
	_, err := post("2")
	var ce *session.Error
	if !errors.As(err, &ce) || ce.Kind != session.KindConnClosed || ce.Method != "POST" {
		t.Fatalf("err = %v, want a connection-closed error for the POST", err)
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") || !strings.Contains(msg, "server closed the connection") || !strings.Contains(msg, "POST was not sent again") {
		t.Errorf("error %q: want one line saying the server closed the connection and the POST was not sent again", msg)
	}
	resp, err := post("3")
	if err != nil {
		t.Fatalf("the next POST: %v", err)
	}
	if resp.Resent != 0 {
		t.Errorf("Resent = %d for a POST, want 0", resp.Resent)
	}
	answered, dropped := srv.requests()
	if want := []string{"POST 1", "POST 3"}; !slices.Equal(answered, want) {
		t.Errorf("server answered %q, want %q", answered, want)
	}
	if want := []string{"POST 2"}; !slices.Equal(dropped, want) {
		t.Errorf("server read and dropped %q, want %q (once)", dropped, want)
	}
}
