package repl

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/reqsh/reqsh/internal/apispec"
	"github.com/reqsh/reqsh/internal/format"
	"github.com/reqsh/reqsh/session"
)

// groupAPI is the help section of the API description commands.
const groupAPI = "API description"

// apiState is what the shell knows of the API: the loaded description
// and how requests are checked against it.
type apiState struct {
	spec     *apispec.Spec // nil: none loaded
	checking string        // set check: warn, error or off; "" means warn
}

// Check modes of `set check`.
const (
	checkWarn  = "warn"
	checkError = "error"
	checkOff   = "off"
)

// discoveryPaths are tried under the base URL, in order, when the API
// names no description with a Link header.
var discoveryPaths = []string{"openapi.json", "openapi.yaml", "swagger.json", "v3/api-docs"}

// specCommands are the commands that load and use an API description.
func specCommands() []*command {
	return []*command{
		{
			path: []string{"spec", "load"}, group: groupAPI, args: "[FILE|URL]",
			summary: "load an OpenAPI description; with no argument, discover it from the base URL",
			help: `  spec load openapi.yaml           # JSON or YAML, OpenAPI 3.0/3.1 or Swagger 2.0
  spec load https://api.example.com/openapi.json
  spec load                        # Link: rel="service-desc" on the base URL, then
                                   # openapi.json, openapi.yaml, swagger.json, v3/api-docs`,
			max: 1, run: (*shell).specLoad, complete: completeFileArg,
		},
		{
			path: []string{"spec", "clear"}, group: groupAPI,
			summary: "forget the API description", run: (*shell).specClear,
		},
		{
			path: []string{"spec", "show"}, aliases: [][]string{{"spec"}}, group: groupAPI,
			summary: "the description's title, version, servers and number of operations",
			run:     (*shell).specShow,
		},
		{
			path: []string{"ls"}, group: groupAPI, args: "[PATH]",
			summary: "list the description's paths under the base path (or PATH), with their methods",
			help: `  ls                  # books/  [get post]
  ls books            # {isbn}/  [get put delete]
  cd books/978-0      # a value for {isbn}; ls shows what is under it`,
			max: 1, run: (*shell).ls, complete: completeSpecPath,
		},
	}
}

// fetchSpec reads a description over HTTP with the session (its headers,
// auth, TLS settings); a status other than 2xx is an error.
func (sh *shell) fetchSpec(ctx context.Context, raw string) ([]byte, error) {
	resp, err := sh.sess.Do(ctx, &session.Request{Method: http.MethodGet, URL: raw})
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("get %q: %d %s", raw, resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	return resp.Body, nil
}

// specLoad loads a description from a file or URL, or discovers it.
func (sh *shell) specLoad(args []string) error {
	ctx, cancel := sh.requestContext()
	defer cancel()
	var spec *apispec.Spec
	var err error
	if len(args) == 0 {
		spec, err = sh.discoverSpec(ctx)
	} else {
		spec, err = sh.loadSpecFrom(ctx, args[0])
	}
	if err != nil {
		return err
	}
	sh.useSpec(spec)
	title, version := spec.Title()
	sh.confirm(fmt.Sprintf("loaded %s %s: %d operations", title, version, spec.Operations()))
	return nil
}

// loadSpecFrom loads a description from a file or a URL (resolved
// against the base URL when it is a relative one that is not a file).
func (sh *shell) loadSpecFrom(ctx context.Context, source string) (*apispec.Spec, error) {
	spec, err := apispec.Load(ctx, source, sh.fetchSpec)
	if err != nil {
		return nil, fmt.Errorf("spec load: %w", err)
	}
	return spec, nil
}

// useSpec makes spec the shell's description, remembered in session
// files; with no base URL yet, its first server becomes the base.
func (sh *shell) useSpec(spec *apispec.Spec) {
	sh.spec = spec
	sh.sess.Spec = specSource(spec.Source)
	if sh.sess.Base != nil {
		return
	}
	for _, raw := range spec.Servers() {
		if u, err := sh.sess.ResolveURL(raw); err == nil {
			u.Path = strings.TrimSuffix(u.Path, "/")
			sh.sess.Base = u
			return
		}
	}
}

// discoverSpec finds the description of the API at the base URL: the
// target of a Link header with rel="service-desc" on it, else the first
// of the usual places under it that holds one. When none does but one
// of them answered with something that is not a valid description, the
// error is that one's.
func (sh *shell) discoverSpec(ctx context.Context) (*apispec.Spec, error) {
	if sh.sess.Base == nil {
		return nil, errors.New("spec load: no base URL to discover a description from (give a FILE or URL)")
	}
	base := sh.sess.Base
	if resp, err := sh.sess.Do(ctx, &session.Request{Method: http.MethodGet, URL: base.String()}); err == nil {
		if target := serviceDesc(resp.Header.Values("Link")); target != "" {
			if ref, err := url.Parse(target); err == nil {
				return sh.loadSpecFrom(ctx, resp.URL.ResolveReference(ref).String())
			}
		}
	}
	dir := *base
	if !strings.HasSuffix(dir.Path, "/") {
		dir.Path += "/"
		dir.RawPath = ""
	}
	var broken error
	for _, p := range discoveryPaths {
		u := dir.ResolveReference(&url.URL{Path: p}).String()
		data, err := sh.fetchSpec(ctx, u)
		if err != nil {
			continue
		}
		spec, err := apispec.Parse(ctx, u, data, sh.fetchSpec)
		if err == nil {
			return spec, nil
		}
		if broken == nil {
			broken = fmt.Errorf("spec load: %w", err)
		}
	}
	if broken != nil {
		return nil, broken
	}
	return nil, fmt.Errorf("spec load: no description found at %s (no Link rel=\"service-desc\"; tried %s)",
		maskURL(base.String()), strings.Join(discoveryPaths, ", "))
}

// serviceDesc returns the target of the first Link with
// rel="service-desc" (RFC 8631), or "".
func serviceDesc(links []string) string {
	for _, line := range links {
		for _, link := range strings.Split(line, ",") {
			target, params, ok := strings.Cut(strings.TrimSpace(link), ";")
			if !ok || !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				continue
			}
			for _, p := range strings.Split(params, ";") {
				name, value, _ := strings.Cut(strings.TrimSpace(p), "=")
				if strings.EqualFold(name, "rel") && hasWord(strings.Trim(value, `"`), "service-desc") {
					return target[1 : len(target)-1]
				}
			}
		}
	}
	return ""
}

// hasWord reports whether a space-separated list holds word (any case).
func hasWord(list, word string) bool {
	for _, w := range strings.Fields(list) {
		if strings.EqualFold(w, word) {
			return true
		}
	}
	return false
}

func (sh *shell) specClear([]string) error {
	sh.spec = nil
	sh.sess.Spec = ""
	return nil
}

// specSource is a description's source as a session file keeps it: a
// URL as it is, a file by its absolute path, so that the session file
// finds it from any directory.
func specSource(source string) string {
	if apispec.IsURL(source) {
		return source
	}
	if abs, err := filepath.Abs(source); err == nil {
		return abs
	}
	return source
}

// restoreSpec follows the session file at path just loaded: the
// description it names is loaded, unless it is the one in use or keep
// is set (--spec given at start wins, as BASE_URL does). A relative file
// path (written by hand) is taken from the session file's directory. A
// file that names none keeps the description in use. A description that
// fails to load is one warning line; the session stays loaded, and its
// file keeps naming the description when it is saved again.
func (sh *shell) restoreSpec(path string, keep bool) {
	want := sh.sess.Spec
	if want == "" || keep {
		sh.sess.Spec = ""
		if sh.spec != nil {
			sh.sess.Spec = specSource(sh.spec.Source)
		}
		return
	}
	if !apispec.IsURL(want) && !filepath.IsAbs(want) {
		want = filepath.Join(filepath.Dir(path), want)
	}
	if sh.spec != nil && specSource(sh.spec.Source) == want {
		return
	}
	ctx, cancel := sh.requestContext()
	defer cancel()
	spec, err := apispec.Load(ctx, want, sh.fetchSpec)
	if err != nil {
		sh.out.Flush()
		sh.warn(maskURLsIn(fmt.Sprintf("session file %s: API description not loaded: %v", path, err)))
		return
	}
	sh.useSpec(spec)
}

// specShow prints the description's title, version, source, servers and
// number of operations.
func (sh *shell) specShow([]string) error {
	spec := sh.spec
	if spec == nil {
		sh.println("no API description (load one with: spec load FILE|URL)")
		return nil
	}
	title, version := spec.Title()
	sh.println(sh.clean(fmt.Sprintf("%s %s", title, version)))
	sh.println(sh.clean("source: " + spec.Source))
	for _, s := range spec.Servers() {
		sh.println(sh.clean("server: " + s))
	}
	sh.println(fmt.Sprintf("operations: %d", spec.Operations()))
	return nil
}

// needSpec returns the loaded description, or the error that says none is.
func (sh *shell) needSpec(cmd string) (*apispec.Spec, error) {
	if sh.spec == nil {
		return nil, fmt.Errorf("%s: no API description loaded (spec load FILE|URL)", cmd)
	}
	return sh.spec, nil
}

// specPath is the URL path a command's PATH argument names: the base
// path, or PATH resolved against the base URL.
func (sh *shell) specPath(arg string) (string, error) {
	if arg == "" {
		if sh.sess.Base == nil {
			return "/", nil
		}
		return sh.sess.Base.Path, nil
	}
	if sh.sess.Base == nil && strings.HasPrefix(arg, "/") {
		return arg, nil
	}
	u, err := sh.sess.ResolveURL(arg)
	if err != nil {
		return "", err
	}
	return u.Path, nil
}

// ls lists the description's children of the base path or PATH.
func (sh *shell) ls(args []string) error {
	spec, err := sh.needSpec("ls")
	if err != nil {
		return err
	}
	arg := ""
	if len(args) > 0 {
		arg = args[0]
	}
	p, err := sh.specPath(arg)
	if err != nil {
		return err
	}
	entries, ok := spec.Children(p)
	if !ok {
		return fmt.Errorf("ls: %q is not a path of the API description", p)
	}
	tw := tabwriter.NewWriter(sh.out, 0, 0, 2, ' ', 0)
	for _, e := range entries {
		name := e.Name + "/"
		if len(e.Methods) > 0 {
			fmt.Fprintf(tw, "%s\t[%s]\n", sh.clean(name), strings.Join(e.Methods, " "))
		} else {
			fmt.Fprintf(tw, "%s\n", sh.clean(name))
		}
	}
	return tw.Flush()
}

// helpOperation is `help METHOD PATH`: the operation as the description
// has it.
func (sh *shell) helpOperation(method, arg string) error {
	spec, err := sh.needSpec("help")
	if err != nil {
		return err
	}
	p, err := sh.specPath(arg)
	if err != nil {
		return err
	}
	op, err := spec.Lookup(method, p)
	if errors.Is(err, apispec.ErrNoOperation) {
		return fmt.Errorf("help: no operation %s %s in the API description", strings.ToUpper(method), p)
	}
	if err != nil {
		return fmt.Errorf("help %s %s: %s", strings.ToUpper(method), p, strings.Join(strings.Fields(err.Error()), " "))
	}
	var b strings.Builder
	op.Describe(&b)
	fmt.Fprint(sh.out, sh.clean(b.String()))
	return nil
}

// isMethod reports whether word names a request command.
func isMethod(word string) bool {
	for _, m := range methods {
		if strings.EqualFold(m, word) {
			return true
		}
	}
	return false
}

// checkMode is `set check`'s value: warn by default.
func (sh *shell) checkMode() string {
	if sh.checking == "" {
		return checkWarn
	}
	return sh.checking
}

// checkRequest checks a request against its operation before it is sent
// (set check): warn prints each problem as a warning line on stderr and
// lets it go; error refuses to send it; off, or no description, skips.
func (sh *shell) checkRequest(ra *requestArgs) error {
	spec := sh.spec
	mode := sh.checkMode()
	if spec == nil || mode == checkOff {
		return nil
	}
	sent, err := sh.sess.Prepare(&ra.req)
	if err != nil {
		return err // the send would fail the same way
	}
	req := &http.Request{Method: sent.Method, URL: sent.URL, Header: sent.Header, Host: sent.URL.Host}
	msgs := spec.CheckRequest(context.Background(), req, sent.Body)
	if len(msgs) == 0 {
		return nil
	}
	if mode == checkError {
		return fmt.Errorf("request does not match the API description: %s (set check warn sends it anyway)", strings.Join(msgs, "; "))
	}
	for _, m := range msgs {
		sh.confirm("warning: " + m)
	}
	return nil
}

// expectSchema checks the last response against its operation's response
// for its status and content type.
func expectSchema(sh *shell, resp *session.Response) error {
	spec, err := sh.needSpec("expect schema")
	if err != nil {
		return err
	}
	if resp.Truncated {
		return sh.errTruncated()
	}
	violations, err := spec.CheckResponse(context.Background(), resp.Request.Method, resp.URL.Path,
		resp.StatusCode, resp.Header, resp.Body)
	if err != nil {
		return fmt.Errorf("expect schema: %w", err)
	}
	if len(violations) == 0 {
		return nil
	}
	return fmt.Errorf("expect schema: %d violations: %s", len(violations), strings.Join(violations, "; "))
}

// fillPathParams gives each path parameter segment of a cd target
// ("books/{isbn}", as ls shows and Tab completes it) a value: at the
// terminal it asks for one ("isbn: "), and Ctrl-C or an empty answer
// cancels the cd; a script has no one to ask, so it is an error that
// says to give the value. A target with no such segment is returned as
// it is.
func (sh *shell) fillPathParams(target string) (string, error) {
	cut := strings.IndexAny(target, "?#")
	if cut < 0 {
		cut = len(target)
	}
	segs := strings.Split(target[:cut], "/")
	for i, seg := range segs {
		name, ok := pathParam(seg)
		if !ok {
			continue
		}
		if sh.reader == nil {
			segs[i] = "VALUE"
			return "", fmt.Errorf("cd: %q has the path parameter %s: give its value (cd %s)", target, seg, strings.Join(segs, "/"))
		}
		value, err := sh.askValue(name)
		if err != nil {
			return "", fmt.Errorf("cd: no value given for %s: base URL unchanged", seg)
		}
		segs[i] = url.PathEscape(value)
	}
	return strings.Join(segs, "/") + target[cut:], nil
}

// pathParam reports whether seg is a path parameter as a template
// writes it, "{isbn}", and returns its name.
func pathParam(seg string) (string, bool) {
	name, open := strings.CutPrefix(seg, "{")
	name, closed := strings.CutSuffix(name, "}")
	if !open || !closed || name == "" || strings.ContainsAny(name, "{}") {
		return "", false
	}
	return name, true
}

// errNoValue is a value asked for and not given: Ctrl-C, Ctrl-D or an
// empty line.
var errNoValue = errors.New("no value given")

// askValue asks the person at the terminal for the value of name, on a
// line of its own ("isbn: "), through the line reader. The answer is
// not kept in the history.
func (sh *shell) askValue(name string) (string, error) {
	sh.out.Flush()
	sh.reader.SetPrompt(format.Sanitize(name) + ": ")
	line, err := sh.reader.ReadLine()
	if line = strings.TrimSpace(line); err != nil || line == "" {
		return "", errNoValue
	}
	return line, nil
}
