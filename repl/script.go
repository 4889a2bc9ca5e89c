package repl

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/reqsh/reqsh/session"
)

// The script loop: the commands of a script (-f FILE, a pipe, a file at
// standard input) and of a file run by source, one after the other. A
// failed command stops the script unless -k was given; a file sourced at
// the prompt goes on, as the prompt does, and stops at Ctrl-C. A script
// handles SIGINT, SIGTERM and SIGHUP (signals.go) between two commands.

// scriptState is what scripts keep besides the session: the variables,
// the expectations counted for the summary, and the files being run.
type scriptState struct {
	vars map[string]string
	// source names the input in error lines: "" for standard input, else
	// the -f script's name.
	source string
	// signals ends a script cleanly on SIGINT, SIGTERM or SIGHUP; nil at
	// the prompt.
	signals *scriptSignals
	// expectPassed and expectFailed count the expect commands run, for
	// the "N passed, M failed" line at the end of a script.
	expectPassed, expectFailed int
	// onExpect, when set, is told of each expect run (reqsh test's
	// reports).
	onExpect func(args []string, err error)
	depth    int          // how many source commands are running
	sourcing []sourceFile // the script files running, outermost first
}

// maxSourceDepth bounds how deeply source may nest, so a file that
// sources itself stops with an error instead of running forever.
const maxSourceDepth = 16

// runScript runs every command r gives and reports whether any failed.
// It stops at the first failure unless -k was given or a person at the
// prompt sourced the file. Input it cannot read as commands (binary, a
// line too long, an open quote at the end) stops it as a failure. In a
// file sourced at the prompt it stops when Ctrl-C was pressed; sourceCmd
// says so.
func (sh *shell) runScript(r lineReader, source string) (failed bool) {
	lineNo := 0
	for !sh.quit {
		if sh.sourceInterrupted() {
			return true
		}
		line, first, err := sh.readCommand(r, &lineNo, nil)
		if errors.Is(err, io.EOF) && line == "" {
			return failed
		}
		if err != nil && !errors.Is(err, io.EOF) {
			sh.report(source, first, err)
			return true
		}
		if sh.depth == 0 {
			sh.beginCommand()
		}
		err = sh.runCommand(line)
		if sh.signaled() {
			// A signal canceled it: the handler ends the run.
			if sh.depth == 0 {
				sh.endCommand()
			}
			return true
		}
		if err != nil {
			if sh.sourceInterrupted() {
				// Ctrl-C stopped this line and so the whole file:
				// source reports it once.
				return true
			}
			sh.report(source, first, err)
			failed = true
		}
		// Each command's output is out before the next command runs, in
		// a pipe or a file too: a script killed later keeps it.
		sh.out.Flush()
		if sh.depth == 0 {
			sh.endCommand()
		}
		if err != nil && !sh.interactive && !sh.cfg.keepGoing {
			return true
		}
	}
	return failed
}

// summary prints "N passed, M failed" on stderr at the end of a script
// that ran expectations.
func (sh *shell) summary() {
	if sh.interactive || sh.expectPassed+sh.expectFailed == 0 {
		return
	}
	fmt.Fprintf(sh.errOut, "%d passed, %d failed\n", sh.expectPassed, sh.expectFailed)
}

// sourceCmd runs a script file's lines through the script loop, in this
// session.
// Its errors name the file and the line; any failure in it fails source.
// A file already being sourced (a cycle) is refused, and so is nesting
// deeper than maxSourceDepth. Ctrl-C at the prompt stops the file.
func (sh *shell) sourceCmd(args []string) error {
	name := args[0]
	if sh.depth >= maxSourceDepth {
		return fmt.Errorf("source %q: nested more than %d deep", name, maxSourceDepth)
	}
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	r := newPlainReader(f, f)
	defer r.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	if fi.IsDir() {
		return fmt.Errorf("source: %q is a directory", name)
	}
	if chain := sh.sourceCycle(fi); chain != nil {
		return fmt.Errorf("source %q: a cycle: %s", name, strings.Join(append(chain, name), " -> "))
	}
	sh.depth++
	sh.sourcing = append(sh.sourcing, sourceFile{name: name, info: fi})
	failed := sh.runScript(r, name)
	stopped := sh.sourceInterrupted()
	sh.sourcing = sh.sourcing[:len(sh.sourcing)-1]
	sh.depth--
	switch {
	case stopped:
		return errSourceStopped{}
	case failed:
		return errReported
	}
	return nil
}

// sourceFile is a script file being run: the -f script or a sourced file.
type sourceFile struct {
	name string // as the user gave it
	info os.FileInfo
}

// sourceCycle returns the names of the files from the one that fi is (by
// os.SameFile) to the innermost, when fi is being run already; else nil.
func (s *scriptState) sourceCycle(fi os.FileInfo) []string {
	for i, f := range s.sourcing {
		if os.SameFile(f.info, fi) {
			chain := make([]string, 0, len(s.sourcing)-i+1)
			for _, s := range s.sourcing[i:] {
				chain = append(chain, s.name)
			}
			return chain
		}
	}
	return nil
}

// sourceInterrupted reports whether Ctrl-C was pressed while a file is
// being sourced at the prompt: the rest of the file must not run.
func (sh *shell) sourceInterrupted() bool {
	return sh.depth > 0 && sh.intr != nil && sh.intr.interrupted()
}

// errSourceStopped is Ctrl-C while a file was being sourced at the
// prompt: what was running is canceled and the file's other lines do not
// run.
type errSourceStopped struct{}

func (errSourceStopped) Error() string { return "source stopped" }

// Is makes a stopped source a canceled command, as the request it
// stopped: the ^C the terminal echoed gets a line of its own.
func (errSourceStopped) Is(target error) bool { return target == session.ErrCanceled }

// errReported fails a command whose failure has been reported already, as
// source's when a line of its file failed: the line's error says it all.
var errReported = errors.New("failed (reported above)")
