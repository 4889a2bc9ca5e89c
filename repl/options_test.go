package repl

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseSize(t *testing.T) {
	good := map[string]int64{
		"none": 0, "off": 0, "0": 0, "1": 1, "512b": 512, "1k": 1024, "1.5KiB": 1536,
		"16MiB": 16 << 20, "10MB": 10_000_000, "2g": 2 << 30, " 3 m ": 3 << 20,
	}
	for in, want := range good {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "lots", "nan", "NaNk", "inf", "-1", "0.5", "0.0001b", "1e30g", "k", "1kk"} {
		if got, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", bad, got)
		}
	}
}

func TestParseTimeout(t *testing.T) {
	good := map[string]time.Duration{
		"none": 0, "off": 0, "0": 0, "30s": 30 * time.Second, "500ms": 500 * time.Millisecond,
		"1.5": 1500 * time.Millisecond, "5": 5 * time.Second, "2m": 2 * time.Minute, "0.001": time.Millisecond,
	}
	for in, want := range good {
		if got, err := parseTimeout(in); err != nil || got != want {
			t.Errorf("parseTimeout(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "forever", "nan", "NaN", "inf", "-1", "-5s", "0s", "0.0", "1ns", "0.0000000001", "1e300", "9999999h", "+0", "-0", "00", "-0s"} {
		if got, err := parseTimeout(bad); err == nil {
			t.Errorf("parseTimeout(%q) = %v, want an error", bad, got)
		}
	}
}

// failingWriter is an output that cannot be written, as a full disk.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestLostOutputFails checks that output that could not be written, even
// at the last flush, makes the run fail with one line saying so.
func TestLostOutputFails(t *testing.T) {
	srv, _ := countingServer(t)
	var stderr strings.Builder
	code := Main([]string{srv.URL}, strings.NewReader("get /get\n"), failingWriter{}, &stderr, testEnv(t))
	if code != ExitFailure || stderr.String() != "error: line 1: write output: no space left on device\n" {
		t.Errorf("exit %d, stderr %q; want %d and the write error", code, stderr.String(), ExitFailure)
	}
}
