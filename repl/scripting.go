package repl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/reqsh/reqsh/session"
)

// groupScripting is the help section of the scripting commands.
const groupScripting = "Scripting"

// scriptCommands are the commands that make a script an API test:
// variables, captures from the last response, expectations, and ways to
// look at or replay the last exchange.
func scriptCommands() []*command {
	return []*command{
		{
			path: []string{"let"}, group: groupScripting, args: "[NAME VALUE...]",
			summary: "set a variable, used as {{NAME}} in later lines; alone, list them",
			help: `  let user alice
  post /anything name={{user}}     # {{NAME}} works in any later line
  get /get home=={{env.HOME}}      # {{env.NAME}} reads the environment
  Variables are expanded in each word after the line is split, so a
  value with spaces or quotes stays one word; \{{ is a literal {{.`,
			max: -1, run: (*shell).let,
		},
		{
			path: []string{"capture"}, group: groupScripting,
			args:    "NAME json PATH|header HEADER|status",
			summary: "set a variable from the last response",
			help: `  capture id json items.0.id        # PATH in gjson syntax
  capture token header X-Auth-Token
  capture code status              # "200"
  A JSON string is stored as its text, other values as compact JSON.`,
			min: 2, max: 3, run: (*shell).capture,
		},
		{
			path: []string{"expect"}, group: groupScripting,
			args:    "status|header|json|body ...",
			summary: "check the last response; a failed check fails the command",
			help: `  expect status CODE              a code (200) or a class (2xx)
  expect header NAME [VALUE...]   present; with VALUE, equal to it
  expect json PATH VALUE...       the value at a gjson PATH: a JSON string
                                  matches by its text, others by their JSON
  expect body contains TEXT...
  expect schema                   the API description's schema for it
  Examples:
    expect status 2xx
    expect header Content-Type application/json; charset=utf-8
    expect json args.a.0 42
    expect json tags '["a","b"]'
  A script with expectations ends with "N passed, M failed" on stderr.`,
			min: 1, max: -1, run: (*shell).expect,
		},
		{
			path: []string{"json"}, group: groupScripting, args: "[PATH]",
			summary: "print the last response's JSON, or the value at a gjson PATH",
			max:     1, run: (*shell).json,
		},
		{
			path: []string{"last"}, group: groupScripting, args: "[N] [--print WHAT]",
			summary: "print exchange N of the log (default: the last) again",
			help: `  last              # the last response, as --print says
  last 3 -v         # exchange 3 of log, request and response
  json, capture and expect always look at the last response.`,
			max: -1, run: (*shell).lastCmd,
		},
		{
			path: []string{"curl"}, group: groupScripting, args: "[N]",
			summary: "print the last request (or exchange N) as a curl command line",
			help: `  Every header is exported as sent (cookies and auth included), the
  body with --data-binary, and --compressed when gzip or deflate was
  accepted. A binary body is not exported. Short for export curl.`,
			max: 1, run: (*shell).curlCmd,
		},
		{
			path: []string{"source"}, group: groupScripting, args: "FILE",
			summary: "run a script file in this session",
			help: `  source checks.reqsh      # FILE relative to the working directory
  Errors name the file and its line; a failure in FILE fails source.`,
			min: 1, max: 1, run: (*shell).sourceCmd, complete: completeFileArg,
		},
	}
}

// validVarName reports whether name is a variable's name: a letter or _,
// then letters, digits, _ . and - ([A-Za-z_][A-Za-z0-9_.-]*). It is
// checked for every {{NAME}} expanded, so it is a loop, not a regexp.
func validVarName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '.' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// envPrefix starts the names that read the environment: {{env.HOME}}.
const envPrefix = "env."

// checkVarName reports whether name can be set by let or capture.
func checkVarName(name string) error {
	if !validVarName(name) {
		return fmt.Errorf("invalid variable name %q: start with a letter or _, then letters, digits, _ . and -", name)
	}
	if strings.HasPrefix(name, envPrefix) {
		return fmt.Errorf("invalid variable name %q: env. names read the environment", name)
	}
	return nil
}

// expandWords replaces {{NAME}} and {{env.NAME}} in every word of a line
// that has been split into words. Expanding after splitting keeps a value
// with spaces or quotes in one word, inside quotes or not; a value is
// never expanded again. \{{ stands for a literal {{.
func (sh *shell) expandWords(words []string) ([]string, error) {
	for i, w := range words {
		if !strings.Contains(w, "{{") {
			continue
		}
		s, err := sh.expand(w)
		if err != nil {
			return nil, err
		}
		words[i] = s
	}
	return words, nil
}

// expand replaces the variables in one word.
func (sh *shell) expand(word string) (string, error) {
	var b strings.Builder
	rest := word
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			b.WriteString(rest)
			return b.String(), nil
		}
		if i > 0 && rest[i-1] == '\\' {
			b.WriteString(rest[:i-1])
			b.WriteString("{{")
			rest = rest[i+2:]
			continue
		}
		end := strings.Index(rest[i+2:], "}}")
		if end < 0 {
			return "", fmt.Errorf(`unclosed {{ in %q (write \{{ for a literal {{)`, word)
		}
		v, err := sh.lookupVar(strings.TrimSpace(rest[i+2 : i+2+end]))
		if err != nil {
			return "", err
		}
		b.WriteString(rest[:i])
		b.WriteString(v)
		rest = rest[i+2+end+2:]
	}
}

// lookupVar returns a variable's value, or the environment's for
// env.NAME.
func (sh *shell) lookupVar(name string) (string, error) {
	if !validVarName(name) || name == envPrefix {
		return "", fmt.Errorf(`invalid variable name %q (write \{{ for a literal {{)`, name)
	}
	if env, ok := strings.CutPrefix(name, envPrefix); ok {
		if v, ok := lookupEnv(sh.env, env); ok {
			return v, nil
		}
		return "", fmt.Errorf("undefined variable %q: not set in the environment", name)
	}
	if v, ok := sh.vars[name]; ok {
		return v, nil
	}
	return "", fmt.Errorf("undefined variable %q", name)
}

// let sets a variable to the rest of the line, or lists the variables.
func (sh *shell) let(args []string) error {
	switch len(args) {
	case 0:
		names := make([]string, 0, len(sh.vars))
		for name := range sh.vars {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			sh.println(sh.clean(name + "=" + sh.vars[name]))
		}
		return nil
	case 1:
		return &usageError{Usage: "let NAME VALUE...", Msg: "let: missing VALUE"}
	}
	if err := checkVarName(args[0]); err != nil {
		return err
	}
	// Copies: a word is a part of a block of script lines read at once
	// (plainReader), which a variable kept for the whole run would keep
	// alive with it.
	sh.vars[strings.Clone(args[0])] = strings.Clone(strings.Join(args[1:], " "))
	return nil
}

// capture sets a variable from the last response: a JSON value, a
// header or the status code.
func (sh *shell) capture(args []string) error {
	name, from := args[0], strings.ToLower(args[1])
	if err := checkVarName(name); err != nil {
		return err
	}
	operand := map[string]string{"json": "PATH", "header": "HEADER", "status": ""}
	op, ok := operand[from]
	switch {
	case !ok:
		return fmt.Errorf("capture: unknown source %q (want json, header or status)", args[1])
	case op != "" && len(args) == 2:
		return &usageError{Usage: "capture NAME " + from + " " + op, Msg: "capture " + from + ": missing " + op}
	case op == "" && len(args) == 3:
		return &usageError{Usage: "capture NAME " + from, Msg: "capture " + from + ": too many arguments"}
	}
	resp, err := sh.lastResponse()
	if err != nil {
		return err
	}
	var value string
	switch from {
	case "json":
		res, err := sh.jsonAt(args[2])
		if err != nil {
			return err
		}
		value = jsonText(res)
	case "header":
		vals := resp.Header.Values(args[2])
		if len(vals) == 0 {
			return fmt.Errorf("header %q not in the last response", args[2])
		}
		value = strings.Join(vals, ", ")
	case "status":
		value = strconv.Itoa(resp.StatusCode)
	}
	sh.vars[name] = value
	return nil
}

// expect checks the last response and counts the outcome for the
// summary. A check that does not hold is an error saying what was
// expected and what came.
func (sh *shell) expect(args []string) error {
	check, err := parseExpect(args)
	if err != nil {
		return err
	}
	err = sh.runCheck(check)
	if sh.onExpect != nil {
		sh.onExpect(args, err)
	}
	if err != nil {
		sh.expectFailed++
		return err
	}
	sh.expectPassed++
	return nil
}

// check is one parsed expectation: it returns nil when resp meets it.
type check func(sh *shell, resp *session.Response) error

// parseExpect reads an expectation's arguments.
func parseExpect(args []string) (check, error) {
	kind := strings.ToLower(args[0])
	rest := args[1:]
	switch {
	case kind == "status" && len(rest) == 1:
		return expectStatus(rest[0])
	case kind == "header" && len(rest) >= 1:
		return expectHeader(rest[0], rest[1:]), nil
	case kind == "json" && len(rest) >= 2:
		return expectJSON(rest[0], strings.Join(rest[1:], " ")), nil
	case kind == "body" && len(rest) >= 2 && strings.EqualFold(rest[0], "contains"):
		return expectBody(strings.Join(rest[1:], " ")), nil
	case kind == "schema" && len(rest) == 0:
		return expectSchema, nil // spec.go
	}
	if usage, ok := expectUsage[kind]; ok {
		return nil, &usageError{Usage: usage, Msg: "expect " + kind + ": wrong arguments"}
	}
	return nil, fmt.Errorf("expect: unknown check %q (want status, header, json, body contains or schema)", args[0])
}

// expectUsage is the usage of each kind of expectation.
var expectUsage = map[string]string{
	"status": "expect status CODE",
	"header": "expect header NAME [VALUE...]",
	"json":   "expect json PATH VALUE...",
	"body":   "expect body contains TEXT...",
	"schema": "expect schema",
}

// statusPattern is a status code (200) or a class (2xx).
var statusPattern = regexp.MustCompile(`^[1-5][0-9xX]{2}$`)

// expectStatus checks the status code against a code or a class.
func expectStatus(want string) (check, error) {
	if !statusPattern.MatchString(want) {
		return nil, fmt.Errorf("expect status: invalid code %q: want a code like 200 or a class like 2xx", want)
	}
	want = strings.ToLower(want)
	return func(_ *shell, resp *session.Response) error {
		got := strconv.Itoa(resp.StatusCode)
		for i := range len(want) {
			if want[i] != 'x' && (i >= len(got) || want[i] != got[i]) {
				return fmt.Errorf("expect status %s: got %s", want, got)
			}
		}
		return nil
	}, nil
}

// expectHeader checks that a header is present and, with a value, that
// one of its values (or all of them joined with ", ") is that value.
func expectHeader(name string, value []string) check {
	return func(_ *shell, resp *session.Response) error {
		vals := resp.Header.Values(name)
		if len(vals) == 0 {
			return fmt.Errorf("expect header %q: not in the response", name)
		}
		if len(value) == 0 {
			return nil
		}
		want := strings.Join(value, " ")
		joined := strings.Join(vals, ", ")
		for _, v := range vals {
			if v == want {
				return nil
			}
		}
		if joined == want {
			return nil
		}
		return fmt.Errorf("expect header %q %q: got %q", name, want, joined)
	}
}

// expectJSON checks the value at a gjson path: a JSON string by its
// text, any other value by its compact JSON form.
func expectJSON(path, want string) check {
	return func(sh *shell, _ *session.Response) error {
		res, err := sh.jsonAt(path)
		if err != nil {
			return err
		}
		if res.Type == gjson.String {
			if res.Str == want {
				return nil
			}
		} else if compactJSON(res.Raw) == compactJSON(want) {
			return nil
		}
		return fmt.Errorf("expect json %q %q: got %s", path, want, compactJSON(res.Raw))
	}
}

// bodyExcerpt is how many bytes of the body a failed "expect body
// contains" shows.
const bodyExcerpt = 60

// expectBody checks that the body contains a text.
func expectBody(text string) check {
	return func(sh *shell, resp *session.Response) error {
		body, err := sh.keptBody(resp)
		if err != nil {
			return fmt.Errorf("expect body contains %q: %w", text, err)
		}
		if bytes.Contains(body, []byte(text)) {
			return nil
		}
		excerpt := fmt.Sprintf("%q", body)
		if len(body) > bodyExcerpt {
			excerpt = fmt.Sprintf("%q...", body[:bodyExcerpt])
		}
		return fmt.Errorf("expect body contains %q: got %d bytes: %s", text, len(body), excerpt)
	}
}

// runCheck runs a check on the last response.
func (sh *shell) runCheck(c check) error {
	resp, err := sh.lastResponse()
	if err != nil {
		return err
	}
	return c(sh, resp)
}

// errNoResponse is returned by the commands that need a response before
// any request has been sent.
var errNoResponse = errors.New("no response yet: send a request first")

// lastResponse returns the last response.
func (x *lastExchange) lastResponse() (*session.Response, error) {
	if x.last == nil {
		return nil, errNoResponse
	}
	return x.last, nil
}

// keptBody returns the body kept of the last response resp, or says why
// there is none: it went to a file, or it was longer than max-body. A body
// kept in a temporary file is read back.
func (x *lastExchange) keptBody(resp *session.Response) ([]byte, error) {
	switch {
	case resp.Truncated:
		return nil, x.errTruncated()
	case resp.Body != nil:
		return resp.Body, nil
	case resp == x.last && x.lastBody != nil:
		return x.lastBody.Bytes()
	case resp.BodySize > 0:
		return nil, errors.New("the body was saved to a file, not kept")
	}
	return nil, nil
}

// lastJSON returns the last response's body when it is JSON.
func (sh *shell) lastJSON() ([]byte, error) {
	resp, err := sh.lastResponse()
	if err != nil {
		return nil, err
	}
	body, err := sh.keptBody(resp)
	if err != nil {
		return nil, fmt.Errorf("last response: %w", err)
	}
	// encoding/json's check, not gjson's: it is iterative and refuses
	// nesting deeper than 10,000 levels, where gjson's recursion would
	// overflow the stack.
	if !json.Valid(body) {
		return nil, errors.New("last response is not JSON")
	}
	return body, nil
}

// jsonAt returns the value at a gjson path in the last response. A path
// that matches nothing is an error.
func (sh *shell) jsonAt(path string) (gjson.Result, error) {
	body, err := sh.lastJSON()
	if err != nil {
		return gjson.Result{}, err
	}
	res := gjson.GetBytes(body, path)
	if !res.Exists() {
		return gjson.Result{}, fmt.Errorf("json path %q not found in the last response", path)
	}
	return res, nil
}

// jsonText is a JSON value as a variable holds it: a string's text, or
// another value's compact JSON.
func jsonText(res gjson.Result) string {
	if res.Type == gjson.String {
		return res.Str
	}
	return compactJSON(res.Raw)
}

// compactJSON returns s without insignificant spaces when it is JSON,
// else s trimmed.
func compactJSON(s string) string {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		return strings.TrimSpace(s)
	}
	return b.String()
}

// json prints the last response's JSON, or the value at a path: a string
// as its text, other values as JSON.
func (sh *shell) json(args []string) error {
	if len(args) == 0 {
		body, err := sh.lastJSON()
		if err != nil {
			return err
		}
		return sh.printer.Body(body, "application/json")
	}
	res, err := sh.jsonAt(args[0])
	if err != nil {
		return err
	}
	if res.Type == gjson.String {
		sh.println(sh.clean(res.Str))
		return nil
	}
	return sh.printer.Body([]byte(res.Raw), "application/json")
}

// insertScripting puts the scripting commands into the table before the
// Shell group (help, exit), so help lists them in that order.
func insertScripting(cmds []*command) []*command {
	i := len(cmds)
	for j, c := range cmds {
		if c.group == groupShell {
			i = j
			break
		}
	}
	out := make([]*command, 0, len(cmds)+8)
	out = append(out, cmds[:i]...)
	out = append(out, scriptCommands()...)
	out = append(out, exploreCommands()...)
	return append(out, cmds[i:]...)
}
