package spool

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"
)

func TestSpoolKeepsInMemoryThenInAFile(t *testing.T) {
	dir := t.TempDir()
	s := New(dir, 10, 0)
	defer s.Close()
	want := bytes.Repeat([]byte("0123456789"), 100)
	for i := 0; i < len(want); i += 7 {
		if _, err := s.Write(want[i:min(i+7, len(want))]); err != nil {
			t.Fatal(err)
		}
	}
	if s.InMemory() {
		t.Fatal("1000 bytes over a 10-byte threshold stayed in memory")
	}
	got, err := s.Bytes()
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("Bytes() = %q, %v", got, err)
	}
	r, _ := s.Reader()
	again, _ := io.ReadAll(r)
	if !bytes.Equal(again, want) {
		t.Fatal("Reader gives other bytes")
	}
	if !s.Complete() || s.Size() != 1000 {
		t.Fatalf("Complete=%v Size=%d", s.Complete(), s.Size())
	}
	// The temporary file is not left in dir for anyone to open.
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("files left in the temp dir: %v", entries)
	}
}

func TestSpoolLimit(t *testing.T) {
	s := New(t.TempDir(), 4, 8)
	defer s.Close()
	s.Write([]byte("abcdef"))
	s.Write([]byte("ghijkl"))
	if s.Complete() || s.Size() != 12 {
		t.Fatalf("Complete=%v Size=%d, want an incomplete 12", s.Complete(), s.Size())
	}
	got, _ := s.Bytes()
	if string(got) != "abcdefgh" {
		t.Fatalf("kept %q, want the first 8 bytes", got)
	}
}

func TestSpoolSmallStaysInMemory(t *testing.T) {
	s := New("/nonexistent-dir", DefaultMemory, 0)
	s.Write([]byte(`{"a":1}`))
	got, err := s.Bytes()
	if err != nil || string(got) != `{"a":1}` || !s.InMemory() {
		t.Fatalf("got %q %v", got, err)
	}
}

func TestSpoolNoRoomIsReportedNotFatal(t *testing.T) {
	s := New("/nonexistent-dir", 2, 0)
	if n, err := s.Write([]byte("abcdef")); n != 6 || err != nil {
		t.Fatalf("Write = %d, %v; keeping must never fail the print", n, err)
	}
	if s.Complete() {
		t.Fatal("a body that could not be kept says complete")
	}
	if _, err := s.Bytes(); err == nil {
		t.Fatal("Bytes must say the body was not kept")
	}
}

// errAfter is a reader that gives its bytes, then an error.
type errAfter struct {
	b   []byte
	err error
}

func (r *errAfter) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, r.err
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

func TestTeeKeepsWhatIsRead(t *testing.T) {
	s := New("", 4, 0)
	defer s.Close()
	boom := errors.New("boom")
	var got []byte
	buf := make([]byte, 3)
	r := s.Tee(&errAfter{b: []byte("abcdefgh"), err: boom})
	for {
		n, err := r.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			if err != boom {
				t.Fatalf("error %v, want the source's", err)
			}
			break
		}
	}
	if string(got) != "abcdefgh" {
		t.Fatalf("read %q through the tee", got)
	}
	kept, err := s.Bytes()
	if err != nil || string(kept) != "abcdefgh" || !s.Complete() || s.InMemory() {
		t.Fatalf("kept %q, %v (complete %v, in memory %v); want it all, moved to a file past 4 bytes", kept, err, s.Complete(), s.InMemory())
	}
}
