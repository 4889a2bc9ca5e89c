package report_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"
)

// schema is the JUnit schema the reports are held to.
const schema = "../../testdata/report/junit.xsd"

// validateXSD checks a JUnit report against the schema with xmllint,
// skipping when it is not installed (checkJUnit still runs).
func validateXSD(t *testing.T, data []byte) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not installed (Debian: apt-get install libxml2-utils); the XSD check is skipped, the Go structural check still ran")
	}
	file := filepath.Join(t.TempDir(), "junit.xml")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", schema, file).CombinedOutput()
	if err != nil {
		t.Errorf("xmllint: %v\n%s\n%s", err, out, data)
	}
}

// jCase is a testcase as checkJUnit read it.
type jCase struct {
	Name, ClassName string
	Kind            string // "", "failure", "error" or "skipped"
	Message, Text   string
}

// jSuite is a testsuite as checkJUnit read it.
type jSuite struct {
	Name  string
	Cases []jCase
}

// node is an element of the document.
type node struct {
	name     string
	attrs    []xml.Attr
	children []*node
	text     string
}

func (n *node) attr(name string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

var (
	decimal  = regexp.MustCompile(`^(0|[1-9][0-9]*)\.[0-9]{3}$`)
	count    = regexp.MustCompile(`^(0|[1-9][0-9]*)$`)
	zoneless = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$`)
	charRef  = regexp.MustCompile(`&#(x[0-9a-fA-F]+|[0-9]+);`)
)

// xmlChar reports whether r is a Char of XML 1.0 that is not a C1
// control (allowed, but discouraged, and escaped by the sanitizer).
func xmlChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r >= 0x80 && r <= 0x9f:
		return false
	case r >= 0x20 && r <= 0xd7ff, r >= 0xe000 && r <= 0xfffd, r >= 0x10000 && r <= 0x10ffff:
		return true
	}
	return false
}

// checkJUnit checks a JUnit report by the rules of testdata/report/junit.xsd
// and those XML Schema 1.0 cannot state, and returns its suites.
func checkJUnit(data []byte) ([]jSuite, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("not UTF-8")
	}
	for i, r := range string(data) {
		if !xmlChar(r) {
			return nil, fmt.Errorf("offset %d: character %U not allowed", i, r)
		}
	}
	for _, m := range charRef.FindAllStringSubmatch(string(data), -1) {
		base, digits := 10, m[1]
		if digits[0] == 'x' {
			base, digits = 16, digits[1:]
		}
		n, err := strconv.ParseInt(digits, base, 32)
		if err != nil || !xmlChar(rune(n)) {
			return nil, fmt.Errorf("character reference %s not allowed", m[0])
		}
	}
	root, err := parseTree(data)
	if err != nil {
		return nil, err
	}
	return checkSuites(root)
}

// parseTree reads the document into nodes: one root element, no DOCTYPE,
// no processing instruction but the XML declaration.
func parseTree(data []byte) (*node, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name.Space != "" {
				return nil, fmt.Errorf("element %s in a namespace", tok.Name.Local)
			}
			n := &node{name: tok.Name.Local, attrs: tok.Attr}
			if len(stack) == 0 {
				if root != nil {
					return nil, errors.New("two root elements")
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			} else if strings.TrimSpace(string(tok)) != "" {
				return nil, errors.New("text outside the root")
			}
		case xml.ProcInst:
			if tok.Target != "xml" || !strings.Contains(string(tok.Inst), `encoding="UTF-8"`) {
				return nil, fmt.Errorf("processing instruction %q", tok.Target)
			}
		case xml.Directive:
			return nil, errors.New("directive in the report")
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
}

// checkAttrs checks that n has exactly the required attributes and at
// most the optional ones.
func checkAttrs(n *node, required, optional []string) error {
	allowed := map[string]bool{}
	for _, a := range append(append([]string{}, required...), optional...) {
		allowed[a] = true
	}
	for _, a := range n.attrs {
		if a.Name.Space != "" || !allowed[a.Name.Local] {
			return fmt.Errorf("%s: attribute %q not allowed", n.name, a.Name.Local)
		}
	}
	for _, a := range required {
		if _, ok := n.attr(a); !ok {
			return fmt.Errorf("%s: attribute %q missing", n.name, a)
		}
	}
	return nil
}

// counts reads n's count attributes, each a non-negative integer.
func counts(n *node, names ...string) (map[string]int, error) {
	m := map[string]int{}
	for _, a := range names {
		v, _ := n.attr(a)
		if !count.MatchString(v) {
			return nil, fmt.Errorf("%s: %s=%q is not a count", n.name, a, v)
		}
		m[a], _ = strconv.Atoi(v)
	}
	return m, nil
}

func checkTime(n *node) error {
	if v, _ := n.attr("time"); !decimal.MatchString(v) {
		return fmt.Errorf("%s: time=%q is not decimal seconds", n.name, v)
	}
	return nil
}

func nonEmpty(n *node, attrs ...string) error {
	for _, a := range attrs {
		if v, _ := n.attr(a); v == "" {
			return fmt.Errorf("%s: %s is empty", n.name, a)
		}
	}
	return nil
}

func checkSuites(root *node) ([]jSuite, error) {
	if root.name != "testsuites" {
		return nil, fmt.Errorf("root is %q, want testsuites", root.name)
	}
	if err := checkAttrs(root, []string{"name", "tests", "failures", "errors", "time"}, nil); err != nil {
		return nil, err
	}
	total, err := counts(root, "tests", "failures", "errors")
	if err != nil {
		return nil, err
	}
	if err := errors.Join(checkTime(root), nonEmpty(root, "name")); err != nil {
		return nil, err
	}
	if strings.TrimSpace(root.text) != "" {
		return nil, errors.New("testsuites: text")
	}
	sum := map[string]int{}
	var suites []jSuite
	for _, s := range root.children {
		if s.name != "testsuite" {
			return nil, fmt.Errorf("testsuites: child %q", s.name)
		}
		js, c, err := checkSuite(s)
		if err != nil {
			return nil, err
		}
		for k, v := range c {
			sum[k] += v
		}
		suites = append(suites, js)
	}
	for _, k := range []string{"tests", "failures", "errors"} {
		if sum[k] != total[k] {
			return nil, fmt.Errorf("testsuites: %s=%d, its testsuites have %d", k, total[k], sum[k])
		}
	}
	return suites, nil
}

func checkSuite(s *node) (jSuite, map[string]int, error) {
	js := jSuite{}
	if err := checkAttrs(s, []string{"name", "tests", "failures", "errors", "skipped", "time"}, []string{"timestamp"}); err != nil {
		return js, nil, err
	}
	c, err := counts(s, "tests", "failures", "errors", "skipped")
	if err != nil {
		return js, nil, err
	}
	if err := errors.Join(checkTime(s), nonEmpty(s, "name")); err != nil {
		return js, nil, err
	}
	if ts, ok := s.attr("timestamp"); ok {
		if _, err := time.Parse("2006-01-02T15:04:05", ts); err != nil || !zoneless.MatchString(ts) {
			return js, nil, fmt.Errorf("testsuite: timestamp=%q is not ISO 8601 without a zone", ts)
		}
	}
	if strings.TrimSpace(s.text) != "" {
		return js, nil, errors.New("testsuite: text")
	}
	js.Name, _ = s.attr("name")
	seen := map[string]int{}
	order := []string{"testcase", "system-out", "system-err"}
	last := 0
	for _, tc := range s.children {
		i := indexOf(order, tc.name)
		if i < last || (i > 0 && seen[tc.name] > 0) {
			return js, nil, fmt.Errorf("testsuite %q: child %q out of place", js.Name, tc.name)
		}
		last = i
		seen[tc.name]++
		if tc.name != "testcase" {
			continue
		}
		jc, err := checkCase(tc)
		if err != nil {
			return js, nil, fmt.Errorf("testsuite %q: %w", js.Name, err)
		}
		seen[jc.Kind]++
		js.Cases = append(js.Cases, jc)
	}
	if len(js.Cases) == 0 {
		return js, nil, fmt.Errorf("testsuite %q: no testcase (Jenkins would drop it)", js.Name)
	}
	for attr, kind := range map[string]string{"tests": "testcase", "failures": "failure", "errors": "error", "skipped": "skipped"} {
		if c[attr] != seen[kind] {
			return js, nil, fmt.Errorf("testsuite %q: %s=%d, but %d %s", js.Name, attr, c[attr], seen[kind], kind)
		}
	}
	return js, c, nil
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

func checkCase(tc *node) (jCase, error) {
	var jc jCase
	if err := checkAttrs(tc, []string{"name", "classname", "time"}, nil); err != nil {
		return jc, err
	}
	if err := errors.Join(checkTime(tc), nonEmpty(tc, "name", "classname")); err != nil {
		return jc, err
	}
	if strings.TrimSpace(tc.text) != "" {
		return jc, errors.New("testcase: text")
	}
	jc.Name, _ = tc.attr("name")
	jc.ClassName, _ = tc.attr("classname")
	order := []string{"skipped", "error", "failure", "system-out", "system-err"}
	last := -1
	for _, ch := range tc.children {
		i := indexOf(order, ch.name)
		if i < 0 || i <= last {
			return jc, fmt.Errorf("testcase %q: child %q out of place", jc.Name, ch.name)
		}
		last = i
		if len(ch.children) > 0 {
			return jc, fmt.Errorf("testcase %q: %s has elements", jc.Name, ch.name)
		}
		if i > 2 {
			continue
		}
		if jc.Kind != "" {
			return jc, fmt.Errorf("testcase %q: both %s and %s", jc.Name, jc.Kind, ch.name)
		}
		jc.Kind, jc.Text = ch.name, ch.text
		if ch.text == "" {
			return jc, fmt.Errorf("testcase %q: %s without text (GitLab shows only the text)", jc.Name, ch.name)
		}
		if ch.name == "skipped" {
			if len(ch.attrs) > 0 {
				return jc, fmt.Errorf("testcase %q: skipped with attributes (jenkins-junit.xsd allows none)", jc.Name)
			}
			continue
		}
		if err := checkProblem(ch, jc.ClassName); err != nil {
			return jc, fmt.Errorf("testcase %q: %w", jc.Name, err)
		}
		jc.Message, _ = ch.attr("message")
	}
	return jc, nil
}

// checkProblem checks a failure or an error: message and type, and a
// text "CLASSNAME:LINE: MESSAGE" that locates it.
func checkProblem(p *node, classname string) error {
	if err := checkAttrs(p, []string{"message", "type"}, nil); err != nil {
		return err
	}
	if err := nonEmpty(p, "message"); err != nil {
		return err
	}
	typ, _ := p.attr("type")
	if want := map[string]string{"failure": "expect", "error": "error"}[p.name]; typ != want {
		return fmt.Errorf("%s: type=%q, want %q", p.name, typ, want)
	}
	msg, _ := p.attr("message")
	line, ok := strings.CutPrefix(p.text, classname+":")
	if ok {
		line, ok = strings.CutSuffix(line, ": "+msg)
	}
	if !ok || !count.MatchString(line) || line == "0" && classname == "" {
		return fmt.Errorf("%s: text %q is not %q:LINE: and the message %q", p.name, p.text, classname, msg)
	}
	return nil
}

// tapPoint is a TAP test point.
type tapPoint struct {
	OK        bool
	Num       int
	Desc      string
	Directive string // "SKIP" or "TODO"
	Reason    string
	YAML      map[string]any
}

var (
	tapPlan = regexp.MustCompile(`^1\.\.([0-9]+)$`)
	tapTest = regexp.MustCompile(`^(ok|not ok) ([0-9]+) - (.*)$`)
	tapDir  = regexp.MustCompile(`(?i)^ ?(skip|todo)\S*(?:\s+(.*))?$`)
)

// parseTAP reads TAP version 13 by its rules: the version line, the plan
// (here before the points), points numbered from 1 in order, a
// description up to the first # not escaped, a directive after it, a
// YAML block indented under its point between --- and ..., comments.
// Anything else is an error: a reader would take it as garbage.
func parseTAP(s string) ([]tapPoint, error) {
	if !strings.HasSuffix(s, "\n") {
		return nil, errors.New("no final newline")
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	if len(lines) < 2 || lines[0] != "TAP version 13" {
		return nil, fmt.Errorf("first line %q", lines[0])
	}
	m := tapPlan.FindStringSubmatch(lines[1])
	if m == nil {
		return nil, fmt.Errorf("plan %q", lines[1])
	}
	planned, _ := strconv.Atoi(m[1])
	var points []tapPoint
	for i := 2; i < len(lines); i++ {
		l := lines[i]
		if strings.HasPrefix(l, "#") {
			continue
		}
		if strings.HasPrefix(l, " ") && strings.TrimLeft(l, " ") == "---" && len(points) > 0 {
			indent := l[:len(l)-3]
			var block []string
			for i++; i < len(lines) && lines[i] != indent+"..."; i++ {
				if !strings.HasPrefix(lines[i], indent) && lines[i] != "" {
					return nil, fmt.Errorf("line %d: %q not indented as its YAML block", i+1, lines[i])
				}
				block = append(block, strings.TrimPrefix(lines[i], indent))
			}
			if i == len(lines) {
				return nil, errors.New("YAML block not ended by ...")
			}
			p := &points[len(points)-1]
			if p.YAML != nil {
				return nil, fmt.Errorf("line %d: second YAML block", i+1)
			}
			if err := yaml.Unmarshal([]byte(strings.Join(block, "\n")), &p.YAML); err != nil {
				return nil, fmt.Errorf("YAML block of point %d: %v", p.Num, err)
			}
			continue
		}
		t := tapTest.FindStringSubmatch(l)
		if t == nil {
			return nil, fmt.Errorf("line %d: %q is not a test point", i+1, l)
		}
		p := tapPoint{OK: t[1] == "ok"}
		p.Num, _ = strconv.Atoi(t[2])
		if p.Num != len(points)+1 {
			return nil, fmt.Errorf("line %d: point %d, want %d", i+1, p.Num, len(points)+1)
		}
		desc, dir := splitDirective(t[3])
		p.Desc = unescapeTAP(strings.TrimSpace(desc))
		if dir != "" {
			d := tapDir.FindStringSubmatch(dir)
			if d == nil {
				return nil, fmt.Errorf("line %d: %q is not a directive", i+1, dir)
			}
			p.Directive, p.Reason = strings.ToUpper(d[1]), d[2]
		}
		points = append(points, p)
	}
	if len(points) != planned {
		return nil, fmt.Errorf("plan 1..%d, %d points", planned, len(points))
	}
	return points, nil
}

// splitDirective splits a point's text at its first # not escaped.
func splitDirective(s string) (desc, directive string) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '#':
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

func unescapeTAP(s string) string { return strings.ReplaceAll(s, `\#`, "#") }
