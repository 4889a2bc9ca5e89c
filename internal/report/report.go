// Package report writes the results of reqsh test as JUnit XML and as
// TAP version 13. It knows nothing of the shell: a File is plain data.
//
// The JUnit document is the shape every common reader accepts: the
// schema Jenkins' xUnit plugin validates against (junit-10.xsd), the one
// JUnit 5 checks its own reports with (jenkins-junit.xsd), Jenkins' JUnit
// plugin and GitLab's JUnit parser. testdata/report/junit.xsd states it;
// the tests hold every report to it.
package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/reqsh/reqsh/internal/format"
)

// Case is one check of a script: an expect, or the command that stopped
// the script.
type Case struct {
	// Name is what was checked ("expect status 200"); empty for a
	// command that stopped the script, which its line names.
	Name    string
	Line    int    // its line in the file; 0 when there is none
	Failure string // why it failed; "" when it passed
	// Error says the case is a command that failed (not an expect).
	Error bool
	// Elapsed is the time from the case before it (or the file's
	// start) to this one: the requests it checks.
	Elapsed time.Duration
}

// File is one script's run.
type File struct {
	Name string
	// Start is when the script began; the zero time leaves the JUnit
	// timestamp out.
	Start   time.Time
	Cases   []Case
	Elapsed time.Duration
	// Failed says the script failed, by an expect or another command.
	Failed bool
}

// Failures counts the cases that failed, and errors those of them that
// are not expects.
func (f *File) Failures() (failures, errors int) {
	for _, c := range f.reported() {
		switch {
		case c.Failure == "":
		case c.Error:
			errors++
		default:
			failures++
		}
	}
	return failures, errors
}

// reported is the cases a report shows: f's own, and for a file that
// failed with no failing case an error of its own, so that a report
// never shows a failed file as passing.
func (f *File) reported() []Case {
	if !f.Failed {
		return f.Cases
	}
	for _, c := range f.Cases {
		if c.Failure != "" {
			return f.Cases
		}
	}
	return append(f.Cases[:len(f.Cases):len(f.Cases)], Case{Name: "run", Failure: "the script failed", Error: true})
}

// noExpect says why a file with no case is reported as skipped: it ran,
// but checked nothing.
const noExpect = "no expect in this file"

// caseName names a case for a reader of the report: its line, then what
// it checked ("line 4: expect status 200"), so that two alike expects of
// one file stay apart and each is found in the file.
func caseName(c Case) string {
	switch {
	case c.Line > 0 && c.Name != "":
		return fmt.Sprintf("line %d: %s", c.Line, c.Name)
	case c.Line > 0:
		return fmt.Sprintf("line %d", c.Line)
	case c.Name != "":
		return c.Name
	}
	return "run"
}

// text makes s safe for a report: what the sanitizer escapes for a
// terminal (controls, invalid UTF-8, bidi controls) shown escaped, and
// the two noncharacters XML 1.0 and YAML forbid too.
func text(s string) string {
	s = format.Sanitize(s)
	return strings.NewReplacer("\ufffe", `\ufffe`, "\uffff", `\uffff`).Replace(s)
}

// seconds is a duration as JUnit's time: decimal seconds.
func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// timestamp is the ISO 8601 form Ant wrote and Jenkins reads: no zone,
// which Jenkins takes as UTC.
const timestamp = "2006-01-02T15:04:05"

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr,omitempty"`
	Cases     []junitCase `xml:"testcase"`
}

// junitCase is a testcase; its children come in the order jenkins-junit.xsd
// requires: skipped, error, failure.
type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Skipped   *string       `xml:"skipped,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Failure   *junitProblem `xml:"failure,omitempty"`
}

// junitProblem is a failure or an error. GitLab shows only its text and
// Jenkins its message above its text, so the text says it all:
// "FILE:LINE: message".
type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// junitFile is one file's testsuite: one testcase a case, classname the
// file's path. A file with no case is one skipped testcase, since Jenkins
// drops a testsuite that has none.
func junitFile(f *File) junitSuite {
	name := text(f.Name)
	failures, errors := f.Failures()
	s := junitSuite{Name: name, Failures: failures, Errors: errors, Time: seconds(f.Elapsed)}
	if !f.Start.IsZero() {
		s.Timestamp = f.Start.UTC().Format(timestamp)
	}
	cases := f.reported()
	if len(cases) == 0 {
		why := noExpect
		s.Cases = []junitCase{{Name: "no expect", ClassName: name, Time: seconds(0), Skipped: &why}}
		s.Tests, s.Skipped = 1, 1
		return s
	}
	for _, c := range cases {
		jc := junitCase{Name: text(caseName(c)), ClassName: name, Time: seconds(c.Elapsed)}
		if c.Failure != "" {
			msg := text(c.Failure)
			p := &junitProblem{Message: msg, Type: "expect", Text: fmt.Sprintf("%s:%d: %s", name, c.Line, msg)}
			if c.Error {
				p.Type = "error"
				jc.Error = p
			} else {
				jc.Failure = p
			}
		}
		s.Cases = append(s.Cases, jc)
	}
	s.Tests = len(cases)
	return s
}

// JUnit writes files as one JUnit XML document: a testsuite a file, a
// testcase an expect (named by its line and command, classname the
// file), a failure or error with the message and the line.
func JUnit(w io.Writer, files []File) error {
	doc := junitSuites{Name: "reqsh test"}
	var total time.Duration
	for i := range files {
		s := junitFile(&files[i])
		doc.Suites = append(doc.Suites, s)
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		total += files[i].Elapsed
	}
	doc.Time = seconds(total)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// TAP writes files as TAP version 13: one test point a case, described
// by its file, line and command, a failure with a YAML block (message,
// file, line). A file with no case is one skipped test point.
func TAP(w io.Writer, files []File) error {
	type point struct {
		ok   bool
		rest string // " - description", any directive, the YAML block
	}
	var points []point
	for i := range files {
		f := &files[i]
		cases := f.reported()
		if len(cases) == 0 {
			points = append(points, point{true, " - " + tapText(f.Name) + " # SKIP " + noExpect + "\n"})
			continue
		}
		for _, c := range cases {
			desc := " - " + tapText(f.Name+": "+caseName(c)) + "\n"
			if c.Failure == "" {
				points = append(points, point{true, desc})
				continue
			}
			points = append(points, point{false, desc +
				"  ---\n" +
				"  message: " + yamlString(c.Failure) + "\n" +
				"  file: " + yamlString(f.Name) + "\n" +
				fmt.Sprintf("  line: %d\n", c.Line) +
				"  ...\n"})
		}
	}
	var b strings.Builder
	b.WriteString("TAP version 13\n")
	fmt.Fprintf(&b, "1..%d\n", len(points))
	for i, p := range points {
		if !p.ok {
			b.WriteString("not ")
		}
		fmt.Fprintf(&b, "ok %d%s", i+1, p.rest)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// tapText keeps a test point's description on one line, and a # in it
// from starting a directive.
func tapText(s string) string {
	return strings.NewReplacer("\n", " ", "\t", " ", "#", `\#`).Replace(text(s))
}

// yamlString quotes s, made safe by text, as a YAML double-quoted string.
func yamlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range text(s) {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
