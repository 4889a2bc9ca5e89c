package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// runnerJobs are the --jobs values timed by runnerBench.
var runnerJobs = []string{"1", "2", "8"}

// runnerBench times `reqsh test` over files scripts of 10 requests and
// 10 checks each, against a local server (in this process, so apart
// from reqsh's) that answers after 20 ms and then at once, with each of
// runnerJobs: rounds runs each, alternating, the median counting.
func runnerBench(reqsh string, files, rounds int) error {
	tmp, err := os.MkdirTemp("", "reqsh-bench-runner-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	args := []string{"test", "--base", "", "--jobs", ""}
	script := []byte(strings.Repeat("get /x\nexpect status 200\n", 10))
	for i := range files {
		name := filepath.Join(tmp, fmt.Sprintf("f%02d.reqsh", i))
		if err := os.WriteFile(name, script, 0o644); err != nil {
			return err
		}
		args = append(args, name)
	}
	for _, delay := range []time.Duration{20 * time.Millisecond, 0} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(delay)
			w.Write([]byte(`{"ok":true}`))
		}))
		args[2] = srv.URL
		times := map[string][]result{}
		for r := range rounds {
			order := slices.Clone(runnerJobs)
			if r%2 == 1 {
				slices.Reverse(order)
			}
			for _, jobs := range order {
				args[4] = jobs
				cmd := exec.Command(reqsh, args...)
				start := time.Now()
				out, err := cmd.CombinedOutput()
				if err != nil {
					srv.Close()
					return fmt.Errorf("reqsh test --jobs %s: %v\n%s", jobs, err, out)
				}
				times[jobs] = append(times[jobs], result{elapsed: time.Since(start)})
			}
		}
		srv.Close()
		what := fmt.Sprintf("a server answering after %v", delay)
		if delay == 0 {
			what = "a server answering at once"
		}
		fmt.Printf("reqsh test, %d files of 10 requests, %s (median of %d alternating rounds):", files, what, rounds)
		one := median(times["1"]).elapsed
		for _, jobs := range runnerJobs {
			m := median(times[jobs]).elapsed
			fmt.Printf(" --jobs %s %v (%.1fx);", jobs, m.Round(time.Millisecond), one.Seconds()/m.Seconds())
		}
		fmt.Println()
	}
	return nil
}
