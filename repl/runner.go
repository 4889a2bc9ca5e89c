package repl

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/reqsh/reqsh/internal/atomicfile"
	"github.com/reqsh/reqsh/internal/format"
	"github.com/reqsh/reqsh/internal/report"
)

const testUsage = `usage: reqsh test [--base URL] [--jobs N] [--report-junit FILE] [--report-tap FILE] FILE...

Runs each script in its own new session, --jobs at once (default: the
number of CPUs), one line a file, then "N passed, M failed" (files).
Exit 1 when any failed, 2 on bad flags.
`

// testConfig is what reqsh test's command line asks for.
type testConfig struct {
	base  string
	jobs  int
	junit string
	tap   string
	files []string
}

func parseTestFlags(args []string) (*testConfig, error) {
	c := &testConfig{}
	fs := flag.NewFlagSet("reqsh test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.base, "base", "", "")
	fs.IntVar(&c.jobs, "jobs", runtime.NumCPU(), "")
	fs.IntVar(&c.jobs, "j", runtime.NumCPU(), "")
	fs.StringVar(&c.junit, "report-junit", "", "")
	fs.StringVar(&c.tap, "report-tap", "", "")
	// Flags may come before or after the files.
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		c.files = append(c.files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if c.jobs < 1 {
		return nil, fmt.Errorf("invalid --jobs value %d: want 1 or more", c.jobs)
	}
	if len(c.files) == 0 {
		return nil, errors.New("no script files given")
	}
	return c, nil
}

// runTests is `reqsh test`: it runs the scripts, prints one line a file
// and the summary, writes the reports, and returns the exit status.
func runTests(args []string, stdout, stderr io.Writer, env []string) int {
	c, err := parseTestFlags(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, testUsage)
		return ExitOK
	case err != nil:
		fmt.Fprintf(stderr, "reqsh test: %v\n", err)
		fmt.Fprintln(stderr, "Run 'reqsh test --help' for usage.")
		return ExitUsage
	}
	// The shell runs on one thread; scripts run side by side here.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(runtime.NumCPU()))
	results := make([]report.File, len(c.files))
	done := make([]chan struct{}, len(c.files))
	sem := make(chan struct{}, c.jobs)
	for i := range c.files {
		done[i] = make(chan struct{})
	}
	go func() {
		var wg sync.WaitGroup
		for i, name := range c.files {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = runTestFile(name, c.base, env)
				<-sem
				close(done[i])
			}()
		}
		wg.Wait()
	}()
	passed, failed := 0, 0
	for i := range c.files {
		<-done[i] // in the order given, each as soon as it is known
		f := &results[i]
		if f.Failed {
			failed++
			fmt.Fprintln(stdout, format.Sanitize(failLine(f)))
			continue
		}
		passed++
		checks := len(f.Cases)
		fmt.Fprintf(stdout, "PASS %s (%d %s, %.1fs)\n", format.Sanitize(f.Name), checks, plural(checks, "check", "checks"), f.Elapsed.Seconds())
	}
	fmt.Fprintf(stdout, "%d passed, %d failed\n", passed, failed)
	status := ExitOK
	if failed > 0 {
		status = ExitFailure
	}
	for _, r := range []struct {
		file  string
		write func(io.Writer, []report.File) error
	}{{c.junit, report.JUnit}, {c.tap, report.TAP}} {
		if r.file == "" {
			continue
		}
		var buf bytes.Buffer
		err := r.write(&buf, results)
		if err == nil {
			err = atomicfile.WriteFile(r.file, buf.Bytes(), atomicfile.AsCreate(0o644))
		}
		if err != nil {
			fmt.Fprintf(stderr, "reqsh test: report %q: %v\n", r.file, err)
			status = ExitFailure
		}
	}
	return status
}

// failLine is a failed file's line: the first failure with its line.
func failLine(f *report.File) string {
	for _, c := range f.Cases {
		switch {
		case c.Failure == "":
		case c.Line == 0: // the file could not be run at all
			return fmt.Sprintf("FAIL %s: %s", f.Name, c.Failure)
		default:
			return fmt.Sprintf("FAIL %s:%d: %s", f.Name, c.Line, c.Failure)
		}
	}
	return fmt.Sprintf("FAIL %s", f.Name)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// errorLine is a script's error line: "error: FILE:LINE: message".
var errorLine = regexp.MustCompile(`^error: (?:.*?):(\d+): (.*)$`)

// runTestFile runs one script in a new shell of its own: its own
// session, cookies, headers and variables. Its output is not shown; its
// expects and the command that stopped it are the cases.
func runTestFile(name, base string, env []string) report.File {
	start := time.Now()
	res := report.File{Name: name, Start: start}
	var errOut bytes.Buffer
	fail := func(line int, msg string) report.File {
		res.Failed = true
		res.Cases = append(res.Cases, report.Case{Name: "run", Line: line, Failure: msg, Error: true})
		res.Elapsed = time.Since(start)
		return res
	}
	f, err := os.Open(name)
	if err != nil {
		return fail(0, err.Error())
	}
	sh, err := newShell(&config{file: name, color: "never", print: "b", baseURL: base}, f, io.Discard, &errOut, env)
	if err != nil {
		f.Close()
		return fail(0, err.Error())
	}
	r := &countingReader{lineReader: newPlainReader(f, f)}
	last := start
	sh.onExpect = func(args []string, err error) {
		now := time.Now()
		c := report.Case{Name: "expect " + strings.Join(args, " "), Line: r.line, Elapsed: now.Sub(last)}
		last = now
		if err != nil {
			c.Failure = format.Sanitize(maskURLsIn(err.Error()))
		}
		res.Cases = append(res.Cases, c)
	}
	failed := sh.runScript(r, name)
	sh.finish(r, failed)
	res.Elapsed = time.Since(start)
	if !failed {
		return res
	}
	res.Failed = true
	// The error line names the line exactly (a command over several
	// lines too); an expect's failure is already a case.
	for _, l := range strings.Split(errOut.String(), "\n") {
		m := errorLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		line, _ := strconv.Atoi(m[1])
		for i := range res.Cases {
			if res.Cases[i].Failure == m[2] {
				res.Cases[i].Line = line
				return res
			}
		}
		res.Cases = append(res.Cases, report.Case{Line: line, Failure: m[2], Error: true})
		return res
	}
	return res
}

// countingReader counts the lines read, for the line of an expect.
type countingReader struct {
	lineReader
	line int
}

func (c *countingReader) ReadLine() (string, error) {
	s, err := c.lineReader.ReadLine()
	if err == nil || s != "" {
		c.line++
	}
	return s, err
}
