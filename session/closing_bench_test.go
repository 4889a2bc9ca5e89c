package session_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/reqsh/reqsh/session"
)

// BenchmarkClosingServer sends b.N sequential requests to a server (in a
// process of its own) that closes every connection right after its
// response, or 1ms after, and reports how many failed and how many were
// sent again. Run it with -benchtime 2000x -cpu 1,2 to see the client on
// one thread and on two.
func BenchmarkClosingServer(b *testing.B) {
	for _, delay := range []time.Duration{0, time.Millisecond} {
		for _, method := range []string{"POST", "PUT", "DELETE"} {
			b.Run(fmt.Sprintf("%s/close-after-%s", method, delay), func(b *testing.B) {
				url := startClosingProcess(b, delay) + "/x"
				s := newSession(b)
				ctx := context.Background()
				failed, resent := 0, 0
				for i := 0; b.Loop(); i++ {
					resp, err := s.Do(ctx, &session.Request{Method: method, URL: url, Body: []byte(fmt.Sprint(i))})
					if err != nil {
						failed++
						continue
					}
					resent += resp.Resent
				}
				b.ReportMetric(float64(failed), "failed")
				b.ReportMetric(float64(resent), "resent")
			})
		}
	}
}
