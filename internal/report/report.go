// Package report writes the results of reqsh test as JUnit XML (the
// schema GitLab and Jenkins read: one testsuite a script file, one
// testcase an expect, a failure with its message and line) and as TAP
// version 13. It knows nothing of the shell: a File is plain data.
package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// Case is one check of a script: an expect, or the command that stopped
// the script.
type Case struct {
	Name    string // the command: "expect status 200"
	Line    int    // its line in the file
	Failure string // why it failed; "" when it passed
	// Error says the case is a command that failed (not an expect).
	Error bool
}

// File is one script's run.
type File struct {
	Name    string
	Cases   []Case
	Elapsed time.Duration
	// Failed says the script failed, by an expect or another command.
	Failed bool
}

// Failures counts the cases that failed, and errors those of them that
// are not expects.
func (f *File) Failures() (failures, errors int) {
	for _, c := range f.Cases {
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
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	File     string      `xml:"file,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	File      string        `xml:"file,attr"`
	Line      int           `xml:"line,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// JUnit writes files as one JUnit XML document.
func JUnit(w io.Writer, files []File) error {
	doc := junitSuites{Name: "reqsh test"}
	var total time.Duration
	for _, f := range files {
		failures, errors := f.Failures()
		s := junitSuite{Name: f.Name, File: f.Name, Tests: len(f.Cases), Failures: failures,
			Errors: errors, Time: seconds(f.Elapsed)}
		for _, c := range f.Cases {
			jc := junitCase{Name: c.Name, ClassName: f.Name, File: f.Name, Line: c.Line, Time: "0.000"}
			if c.Failure != "" {
				p := &junitProblem{Message: c.Failure, Type: "expect",
					Text: fmt.Sprintf("%s:%d: %s", f.Name, c.Line, c.Failure)}
				if c.Error {
					p.Type = "error"
					jc.Error = p
				} else {
					jc.Failure = p
				}
			}
			s.Cases = append(s.Cases, jc)
		}
		doc.Suites = append(doc.Suites, s)
		doc.Tests += s.Tests
		doc.Failures += failures
		doc.Errors += errors
		total += f.Elapsed
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

// TAP writes files as TAP version 13: one test point a case, named by
// its file and command, a failure with a YAML block (message, file,
// line). A file with no case is one test point of its own.
func TAP(w io.Writer, files []File) error {
	var b strings.Builder
	type point struct {
		ok   bool
		rest string // " - name" and the YAML block
	}
	var points []point
	for _, f := range files {
		if len(f.Cases) == 0 {
			points = append(points, point{true, " - " + tapText(f.Name) + "\n"})
			continue
		}
		for _, c := range f.Cases {
			name := tapText(f.Name + ": " + c.Name)
			if c.Failure == "" {
				points = append(points, point{true, " - " + name + "\n"})
				continue
			}
			points = append(points, point{false, " - " + name + "\n" +
				"  ---\n" +
				"  message: " + yamlString(c.Failure) + "\n" +
				"  file: " + yamlString(f.Name) + "\n" +
				fmt.Sprintf("  line: %d\n", c.Line) +
				"  ...\n"})
		}
	}
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
	s = strings.NewReplacer("\n", " ", "\r", " ", "#", `\#`).Replace(s)
	return s
}

// yamlString quotes s as a YAML double-quoted string.
func yamlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
