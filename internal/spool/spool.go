// Package spool keeps a response body for the commands that read it
// after it was printed (last, json, capture, expect): in memory up to a
// threshold, beyond it in a private temporary file, up to a limit. What
// goes past the limit is counted, not kept, so printing a body of any
// size never costs more than the threshold in memory.
package spool

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// DefaultMemory is how much of a body a Spool keeps in memory before it
// moves to a temporary file.
const DefaultMemory = 4 << 20

// Spool is an io.Writer that keeps what is written to it. The zero value
// is not usable; create one with New, or Init one in place.
type Spool struct {
	dir    string
	memMax int64
	limit  int64

	mem  []byte
	file *os.File
	size int64 // bytes written in total
	kept int64 // bytes kept (in mem or file)
	err  error // why keeping stopped early, if it did

	src io.Reader // what Tee reads
}

// New returns a Spool that keeps up to memMax bytes in memory and up to
// limit bytes in all (0: no limit), in a temporary file in dir ("" for
// the system's) beyond memMax.
func New(dir string, memMax, limit int64) *Spool {
	s := new(Spool)
	s.Init(dir, memMax, limit)
	return s
}

// Init makes s, a Spool not in use (the zero value, or one closed), an
// empty Spool as New returns: it lets a Spool be a field of a struct
// allocated with it.
func (s *Spool) Init(dir string, memMax, limit int64) {
	*s = Spool{dir: dir, memMax: memMax, limit: limit}
}

// Write keeps p, or the part of it within the limit. It never fails:
// a body is printed whether or not it can be kept, so a failure to keep
// (no room for the temporary file) is recorded and reported by Bytes.
func (s *Spool) Write(p []byte) (int, error) {
	n := len(p)
	s.size += int64(n)
	if s.err != nil {
		return n, nil
	}
	if s.limit > 0 && s.kept+int64(len(p)) > s.limit {
		p = p[:max(s.limit-s.kept, 0)]
	}
	if len(p) == 0 {
		return n, nil
	}
	if s.file == nil && s.kept+int64(len(p)) <= s.memMax {
		s.mem = append(s.mem, p...)
		s.kept += int64(len(p))
		return n, nil
	}
	if s.file == nil {
		f, err := os.CreateTemp(s.dir, "reqsh-body-*")
		if err != nil {
			s.err = fmt.Errorf("keep body: %w", err)
			return n, nil
		}
		// Unlinked at once: the file goes away with the process, however
		// it ends, and no one else can open it.
		_ = os.Remove(f.Name())
		if _, err := f.Write(s.mem); err != nil {
			f.Close()
			s.err = fmt.Errorf("keep body: %w", err)
			return n, nil
		}
		s.file, s.mem = f, nil
	}
	if _, err := s.file.Write(p); err != nil {
		s.err = fmt.Errorf("keep body: %w", err)
		return n, nil
	}
	s.kept += int64(len(p))
	return n, nil
}

// Tee returns a reader that reads r and keeps in s what it reads, as
// io.TeeReader(r, s) but without an allocation: s is the reader. A Spool
// tees one reader at a time.
func (s *Spool) Tee(r io.Reader) io.Reader {
	s.src = r
	return (*teeReader)(s)
}

// teeReader is a Spool reading its source (see Tee).
type teeReader Spool

func (t *teeReader) Read(p []byte) (int, error) {
	s := (*Spool)(t)
	n, err := s.src.Read(p)
	if n > 0 {
		_, _ = s.Write(p[:n]) // never fails
	}
	return n, err
}

// Size returns how many bytes were written, kept or not.
func (s *Spool) Size() int64 { return s.size }

// Complete reports whether every byte written was kept.
func (s *Spool) Complete() bool { return s.err == nil && s.kept == s.size }

// InMemory reports whether what is kept is all in memory.
func (s *Spool) InMemory() bool { return s.file == nil }

// Bytes returns the kept body, read back from the file when it moved
// there. It fails when keeping failed.
func (s *Spool) Bytes() ([]byte, error) {
	if s.err != nil {
		return nil, s.err
	}
	if s.file == nil {
		return s.mem, nil
	}
	b := make([]byte, s.kept)
	if _, err := s.file.ReadAt(b, 0); err != nil && err != io.EOF {
		return nil, fmt.Errorf("read kept body: %w", err)
	}
	return b, nil
}

// Reader returns a reader of the kept body from its start.
func (s *Spool) Reader() (io.Reader, error) {
	if s.err != nil {
		return nil, s.err
	}
	if s.file == nil {
		return bytes.NewReader(s.mem), nil
	}
	return io.NewSectionReader(s.file, 0, s.kept), nil
}

// Close releases the kept body (the temporary file's space).
func (s *Spool) Close() error {
	s.mem, s.src = nil, nil
	if s.file == nil {
		return nil
	}
	err := s.file.Close()
	s.file = nil
	return err
}
