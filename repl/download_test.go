package repl

import (
	"bytes"
	"strings"
	"testing"
)

func TestHumanBytes(t *testing.T) {
	cases := map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB", 256 << 20: "256.0 MiB", 3 << 30: "3.0 GiB"}
	for n, want := range cases {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestProgressBar(t *testing.T) {
	var w bytes.Buffer
	p := newProgressBar(&w)
	p.update(0, 4<<20)
	p.update(1<<20, 4<<20) // within 100ms of the last draw: skipped
	p.update(4<<20, 4<<20) // the end is always drawn
	p.end("out.bin")
	got := w.String()
	if strings.Count(got, "\r\x1b[K") != 3 {
		t.Errorf("want 3 redraws (start, end, summary), got %q", got)
	}
	if !strings.Contains(got, "4.0 MiB / 4.0 MiB  100%") || !strings.Contains(got, "saved 4.0 MiB to out.bin in ") {
		t.Errorf("progress output %q", got)
	}
	if strings.Contains(got, "1.0 MiB /") {
		t.Errorf("a redraw within 100ms was not skipped: %q", got)
	}
}
