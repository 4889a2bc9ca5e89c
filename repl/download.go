package repl

import (
	"errors"
	"fmt"
	"github.com/reqsh/reqsh/internal/ansi"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/reqsh/reqsh/internal/atomicfile"
	"github.com/reqsh/reqsh/internal/format"
	"github.com/reqsh/reqsh/session"
)

// download runs a request whose body goes to a file (-o). The target is
// checked before anything is sent; the head (the status line and
// headers at a terminal, as --print h shows them) prints as soon as it
// arrives, then the body streams to the file with a progress bar on
// stderr when that is a terminal, and a summary line ends it.
func (sh *shell) download(ra *requestArgs) error {
	dl, err := newDownload(ra.output)
	if err != nil {
		return err
	}
	ctx, cancel := sh.requestContext()
	defer cancel()
	resp, err := sh.sess.Send(ctx, &ra.req)
	if err != nil {
		dl.abort()
		return err
	}
	defer resp.Stream.Close()
	if err := sh.printer.Head(resp, ra.parts); err != nil {
		dl.abort()
		sh.outputLost = true
		return fmt.Errorf("write output: %w", err)
	}
	var bar *progressBar
	if f, ok := sh.errOut.(*os.File); ok && isTerminal(f) {
		bar = newProgressBar(f, time.Now, func() int { return terminalColumns(f) })
	}
	_, err = copyBody(dl.file, resp.Stream, bodyLength(resp), bar)
	resp.Stream.Close() // the elapsed time and size cover the whole body
	if err == nil {
		err = dl.finish()
	} else {
		dl.abort()
	}
	if bar != nil {
		if err != nil {
			bar.clear()
		} else {
			bar.end(ra.output)
		}
	}
	if err != nil {
		return err
	}
	sh.noteResponse(resp)
	sh.setLast(resp, &exchange{maxBody: sh.maxBody}) // the body went to a file
	if ra.parts.Meta {
		return sh.printer.Meta(resp)
	}
	return nil
}

// bodyLength is the length of a response's body as it will be read: its
// Content-Length, unless the body is encoded (gzip), -1 when unknown.
func bodyLength(resp *session.Response) int64 {
	if resp.Header.Get("Content-Encoding") != "" {
		return -1
	}
	n, err := strconv.ParseInt(resp.Header.Get("Content-Length"), 10, 64)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// copyBody copies a body to w, showing its progress on bar (nil: none).
// A failed read is returned as it is (a timeout, a canceled request); a
// failed write names the file.
func copyBody(w io.Writer, r io.Reader, total int64, bar *progressBar) (int64, error) {
	buf := make([]byte, 256<<10)
	var written int64
	if bar != nil {
		bar.update(0, total)
	}
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return written, fmt.Errorf("-o: %w", werr)
			}
			written += int64(n)
			if bar != nil {
				bar.update(written, total)
			}
		}
		if err == io.EOF {
			return written, nil
		}
		if err != nil {
			return written, err
		}
	}
}

// terminalColumns is the width of the terminal f, 80 when it reports none.
func terminalColumns(f *os.File) int {
	if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
		return w
	}
	return defaultColumns
}

// download is a response body on its way to a file: written to a
// temporary file beside it and renamed into place only when the whole
// body arrived, so a failed request leaves no half file behind. The file
// gets the mode a plain create would give it: a new file follows the
// umask (0666 less the umask, as curl -o and shell redirection give),
// and a file that is replaced keeps its mode.
type download struct {
	path string
	file *atomicfile.File
}

func newDownload(path string) (*download, error) {
	if info, err := os.Stat(path); (err == nil && info.IsDir()) || strings.HasSuffix(path, "/") {
		return nil, fmt.Errorf("-o %s: is a directory (give a file name)", path)
	}
	f, err := atomicfile.Create(path, atomicfile.AsCreate(0o666))
	if err != nil {
		return nil, fmt.Errorf("-o %s: %w", path, causeOf(err))
	}
	return &download{path: path, file: f}, nil
}

// finish moves the file into place.
func (d *download) finish() error {
	if err := d.file.Commit(); err != nil {
		return fmt.Errorf("-o %s: %w", d.path, causeOf(err))
	}
	return nil
}

// abort drops the partial file.
func (d *download) abort() { d.file.Abort() }

// causeOf is err without the operation and path a *fs.PathError adds:
// the messages name the path the user gave, once.
func causeOf(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// progressBar draws a download's progress on one terminal line, cut to
// the terminal's width and redrawn in place at most ten times a second:
// a bar, the percentage, the bytes, the rate and the time left; with no
// known size the bytes and the rate. Its clock and width are given, so
// tests need no sleeps.
type progressBar struct {
	w     io.Writer
	now   func() time.Time
	width func() int
	start time.Time
	last  time.Time // the last redraw; zero before the first
	done  int64
}

func newProgressBar(w io.Writer, now func() time.Time, width func() int) *progressBar {
	return &progressBar{w: w, now: now, width: width, start: now()}
}

// redrawEvery is the shortest time between two redraws.
const redrawEvery = 100 * time.Millisecond

// update shows written bytes of total (-1: unknown). The first and the
// last (written == total) are always drawn.
func (p *progressBar) update(written, total int64) {
	p.done = written
	now := p.now()
	if !p.last.IsZero() && now.Sub(p.last) < redrawEvery && written != total {
		return
	}
	p.last = now
	fmt.Fprintf(p.w, ansi.ClearLine+"%s", p.line(written, total, now.Sub(p.start), p.width()-1))
}

// line is the progress line for written bytes of total after elapsed,
// at most cols columns.
func (p *progressBar) line(written, total int64, elapsed time.Duration, cols int) string {
	rate := float64(written) / max(elapsed.Seconds(), 1e-3)
	speed := humanBytes(int64(rate)) + "/s"
	if total <= 0 {
		return cut(humanBytes(written)+"  "+speed, cols)
	}
	written = min(written, total)
	eta := "--:--"
	if rate > 0 {
		eta = clock(time.Duration(float64(total-written) / rate * float64(time.Second)))
	}
	text := fmt.Sprintf("%3d%%  %s / %s  %s  ETA %s", written*100/total,
		humanBytes(written), humanBytes(total), speed, eta)
	if room := cols - len(text) - 3; room >= 10 {
		fill := int(int64(room) * written / total)
		return "[" + strings.Repeat("=", fill) + strings.Repeat(" ", room-fill) + "] " + text
	}
	return cut(strings.TrimLeft(text, " "), cols)
}

// cut shortens an ASCII line to cols columns.
func cut(s string, cols int) string {
	if cols < 0 {
		cols = 0
	}
	if len(s) > cols {
		return s[:cols]
	}
	return s
}

// clock formats a time left as m:ss, or h:mm:ss from an hour.
func clock(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// end replaces the bar with the summary line.
func (p *progressBar) end(path string) {
	d := p.now().Sub(p.start)
	rate := float64(p.done) / max(d.Seconds(), 1e-3)
	fmt.Fprintf(p.w, ansi.ClearLine+"%s\n", format.Sanitize(fmt.Sprintf("saved %s to %s in %s (%s/s)",
		humanBytes(p.done), path, d.Round(time.Millisecond), humanBytes(int64(rate)))))
}

// clear erases the bar after a failure.
func (p *progressBar) clear() { fmt.Fprint(p.w, ansi.ClearLine) }

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
