// Package atomicfile writes a file so that whoever reads its path sees
// the old content or the new, never a part: the data goes to a temporary
// file beside the target (same directory, so the same file system),
// which is synced and then renamed over the target. A write that fails
// removes the temporary file and leaves the target as it was.
//
// Each temporary file has a name of its own (".NAME.tmp-RANDOM", created
// exclusively), so two processes writing the same target at once do not
// write into each other's file: the last rename wins, whole.
package atomicfile

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// Perm says which mode the file gets.
type Perm struct {
	perm fs.FileMode
	// exact: perm itself, the umask not applied, an existing file's
	// mode not kept.
	exact bool
}

// Exact gives the file exactly perm, whatever the umask and whatever
// mode a file it replaces had: Exact(0o600) for a private file.
func Exact(perm fs.FileMode) Perm { return Perm{perm: perm.Perm(), exact: true} }

// AsCreate gives the file the mode that opening it for writing with
// O_CREATE and perm would (shell redirection, curl -o): a new file gets
// perm less the umask; a regular file that is replaced keeps its mode.
func AsCreate(perm fs.FileMode) Perm { return Perm{perm: perm.Perm()} }

// syncFile flushes f to disk; tests replace it to make a write fail.
var syncFile = (*os.File).Sync

// File is a file being written: Write to it, then Commit to put it in
// place, or Abort to drop it. Errors name the target, not the temporary
// file.
type File struct {
	path string
	f    *os.File
	done bool
}

// Create starts writing the file at path: it creates the temporary file
// beside path with the mode p gives. The directory must exist.
func Create(path string, p Perm) (*File, error) {
	mode, keep := p.perm, false
	if !p.exact {
		if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
			mode, keep = fi.Mode().Perm(), true
		}
	}
	f, err := createTemp(path, mode)
	if err != nil {
		return nil, pathError("create", path, err)
	}
	if p.exact || keep {
		// The umask applied at creation; this mode is the one to have.
		if err := f.Chmod(mode); err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, pathError("chmod", path, err)
		}
	}
	return &File{path: path, f: f}, nil
}

// createTemp creates a new file beside path, ".NAME.tmp-RANDOM", with
// mode perm less the umask. os.CreateTemp cannot: it always creates
// 0600.
func createTemp(path string, perm fs.FileMode) (*os.File, error) {
	dir, base := filepath.Split(path)
	for range 100 {
		name := filepath.Join(dir, "."+base+".tmp-"+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, errors.New("no free temporary name")
}

// Write writes b to the temporary file.
func (f *File) Write(b []byte) (int, error) {
	n, err := f.f.Write(b)
	if err != nil {
		err = pathError("write", f.path, err)
	}
	return n, err
}

// Commit syncs the temporary file, closes it and renames it over the
// target. On failure the temporary file is removed and the target left
// as it was.
func (f *File) Commit() error {
	if f.done {
		return pathError("commit", f.path, fs.ErrClosed)
	}
	f.done = true
	if err := syncFile(f.f); err != nil {
		f.remove()
		return pathError("sync", f.path, err)
	}
	if err := f.f.Close(); err != nil {
		os.Remove(f.f.Name())
		return pathError("close", f.path, err)
	}
	if err := os.Rename(f.f.Name(), f.path); err != nil {
		os.Remove(f.f.Name())
		return pathError("rename", f.path, err)
	}
	// Make the rename itself durable; not every system can sync a
	// directory, so a failure here is not the write's.
	if d, err := os.Open(filepath.Dir(f.path)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// Abort drops the temporary file; the target stays as it was. After
// Commit it does nothing.
func (f *File) Abort() {
	if !f.done {
		f.done = true
		f.remove()
	}
}

// remove closes and removes the temporary file.
func (f *File) remove() {
	f.f.Close()
	os.Remove(f.f.Name())
}

// WriteFile writes data to the file at path atomically, with the mode p
// gives. The directory must exist.
func WriteFile(path string, data []byte, p Perm) error {
	f, err := Create(path, p)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
}

// pathError is err about the target path, without the temporary file's
// name that the os package put in it.
func pathError(op, path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	return &fs.PathError{Op: op, Path: path, Err: err}
}
