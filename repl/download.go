package repl

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// download is a response body on its way to a file: written to a
// temporary file beside it and renamed into place only when the whole
// body arrived, so a failed request leaves no half file behind. The file
// gets the mode a plain create would give it: a new file follows the
// umask (0666 less the umask, as curl -o and shell redirection give),
// and a file that is replaced keeps its mode.
type download struct {
	path string
	tmp  *os.File
}

func newDownload(path string) (*download, error) {
	perm, keep := fs.FileMode(0o666), false
	if info, err := os.Stat(path); err == nil && info.Mode().IsRegular() {
		perm, keep = info.Mode().Perm(), true
	}
	tmp, err := createPart(path, perm)
	if err == nil && keep {
		// The umask applied at creation; the old file's mode is the one
		// to keep.
		if err = tmp.Chmod(perm); err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}
	if err != nil {
		// The error names the temporary file; the user named path.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("-o %s: %w", path, err)
	}
	return &download{path: path, tmp: tmp}, nil
}

// createPart creates a new hidden file beside path, ".NAME.part-RANDOM",
// with mode perm less the umask. os.CreateTemp cannot: it always
// creates 0600.
func createPart(path string, perm fs.FileMode) (*os.File, error) {
	dir, base := filepath.Split(path)
	for range 100 {
		name := filepath.Join(dir, "."+base+".part-"+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("no free temporary name beside %s", path)
}

// finish closes the file and moves it into place.
func (d *download) finish() error {
	if err := d.tmp.Close(); err != nil {
		os.Remove(d.tmp.Name())
		return fmt.Errorf("-o %s: %w", d.path, err)
	}
	if err := os.Rename(d.tmp.Name(), d.path); err != nil {
		os.Remove(d.tmp.Name())
		return fmt.Errorf("-o %s: %w", d.path, err)
	}
	return nil
}

// abort drops the partial file.
func (d *download) abort() {
	d.tmp.Close()
	os.Remove(d.tmp.Name())
}

// progressBar draws a download's progress on one terminal line of
// stderr, at most ten times a second.
type progressBar struct {
	w     io.Writer
	start time.Time
	last  time.Time
	done  int64
}

func newProgressBar(w io.Writer) *progressBar {
	return &progressBar{w: w, start: time.Now()}
}

// update is the session's progress callback.
func (p *progressBar) update(written, total int64) {
	p.done = written
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond && written != total {
		return
	}
	p.last = now
	rate := float64(written) / max(now.Sub(p.start).Seconds(), 1e-6)
	line := fmt.Sprintf("%s  %s/s", humanBytes(written), humanBytes(int64(rate)))
	if total > 0 {
		line = fmt.Sprintf("%s / %s  %3d%%  %s/s", humanBytes(written), humanBytes(total),
			written*100/total, humanBytes(int64(rate)))
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s", line)
}

// end replaces the bar with a summary line.
func (p *progressBar) end(path string) {
	d := time.Since(p.start)
	rate := float64(p.done) / max(d.Seconds(), 1e-6)
	fmt.Fprintf(p.w, "\r\x1b[Ksaved %s to %s in %s (%s/s)\n", humanBytes(p.done), path,
		d.Round(time.Millisecond), humanBytes(int64(rate)))
}

// clear erases the bar after a failure.
func (p *progressBar) clear() { fmt.Fprint(p.w, "\r\x1b[K") }

// humanBytes formats a byte count: 512 B, 1.5 KiB, 256.0 MiB.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
