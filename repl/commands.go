package repl

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/reqsh/reqsh/internal/format"
	"github.com/reqsh/reqsh/session"
)

// Help sections, in the order help lists them.
const (
	groupRequests = "Requests"
	groupSession  = "Session state"
	groupShell    = "Shell"
)

// methods are the request commands, one per HTTP method.
var methods = []string{"get", "post", "put", "patch", "delete", "head", "options"}

// commands builds the command table. It is a function, not a package
// variable, because help reads the table.
func commands() []*command {
	var cmds []*command
	for _, m := range methods {
		method := strings.ToUpper(m) // once, not on every request
		cmds = append(cmds, &command{
			path: []string{m}, group: groupRequests,
			args:    "[URL] [ITEM...] [OPTION...]",
			summary: "send " + article(m) + " " + method + " request",
			help:    requestHelp,
			min:     0, max: -1, complete: completeRequestAs(m),
			run: func(sh *shell, args []string) error { return sh.request(method, args) },
		})
	}
	cmds = append(cmds,
		&command{
			path: []string{"header", "set"}, group: groupSession, args: "NAME VALUE...",
			summary: "set a session header (VALUE is the rest of the line)",
			help:    "  header set User-Agent my-program\n  header set Accept application/json",
			min:     2, max: -1, run: (*shell).headerSet, complete: completeHeaderSet,
		},
		&command{
			path: []string{"header", "unset"}, group: groupSession, args: "NAME",
			summary: "remove a session header", min: 1, max: 1, run: (*shell).headerUnset,
			complete: completeSessionHeaders,
		},
		&command{
			path: []string{"header", "clear"}, group: groupSession,
			summary: "remove every session header", run: (*shell).headerClear,
		},
		&command{
			path: []string{"header", "list"}, aliases: [][]string{{"header"}, {"headers"}}, group: groupSession,
			summary: "show the session headers", run: (*shell).headerList,
		},
		&command{
			path: []string{"params", "set"}, group: groupSession, args: "NAME VALUE",
			summary: "set a session query parameter (replaces every value of NAME)",
			help:    "  params set from perfcode.com\n  get /get            # sends /get?from=perfcode.com",
			min:     2, max: 2, run: (*shell).paramsSet, complete: completeParams,
		},
		&command{
			path: []string{"params", "add"}, group: groupSession, args: "NAME VALUE",
			summary: "add one more value for a session query parameter",
			min:     2, max: 2, run: (*shell).paramsAdd, complete: completeParams,
		},
		&command{
			path: []string{"params", "unset"}, group: groupSession, args: "NAME",
			summary: "remove a session query parameter", min: 1, max: 1, run: (*shell).paramsUnset,
			complete: completeParams,
		},
		&command{
			path: []string{"params", "clear"}, group: groupSession,
			summary: "remove every session query parameter", run: (*shell).paramsClear,
		},
		&command{
			path: []string{"params", "list"}, aliases: [][]string{{"params"}}, group: groupSession,
			summary: "show the session query parameters", run: (*shell).paramsList,
		},
		&command{
			path: []string{"auth", "basic"}, group: groupSession, args: "USER [PASS]", secret: true,
			summary: "use HTTP basic auth for every request", min: 1, max: 2,
			run: func(sh *shell, a []string) error { return sh.authSet(session.Basic, a) },
		},
		&command{
			path: []string{"auth", "digest"}, group: groupSession, args: "USER [PASS]", secret: true,
			summary: "use HTTP digest auth for every request", min: 1, max: 2,
			run: func(sh *shell, a []string) error { return sh.authSet(session.Digest, a) },
		},
		&command{
			path: []string{"auth", "bearer"}, group: groupSession, args: "TOKEN", secret: true,
			summary: "send Authorization: Bearer TOKEN with every request", min: 1, max: 1,
			run: func(sh *shell, a []string) error { return sh.authSet(session.Bearer, a) },
		},
		&command{
			path: []string{"auth", "oauth2"}, group: groupSession, args: "TOKEN_URL CLIENT_ID [SECRET] [scope=S...]", secret: true,
			summary: "OAuth2 client credentials: fetch a token, send it as Bearer, renew it",
			help:    "  auth oauth2 https://auth.example/token my-app s3cret scope=read scope=write",
			min:     2, max: -1, run: (*shell).authOAuth2,
		},
		&command{
			path: []string{"auth", "clear"}, group: groupSession,
			summary: "stop sending auth", run: (*shell).authClear,
		},
		&command{
			path: []string{"auth"}, group: groupSession, args: "[USER [PASS]]", secret: true,
			summary: "show the auth (masked), or set basic auth",
			help:    "  auth user pass      # basic auth, like requests' session.auth = ('user', 'pass')\n  auth                # shows: basic user:****",
			min:     0, max: 2, run: (*shell).auth,
		},
		&command{
			path: []string{"cookies", "set"}, group: groupSession, args: "NAME VALUE [DOMAIN [PATH]]",
			summary: "add a host-only cookie (DOMAIN defaults to the base URL's host)",
			help:    "  cookies set token 123456\n  cookies set lang en api.example.com /v1",
			min:     2, max: 4, run: (*shell).cookiesSet,
		},
		&command{
			path: []string{"cookies", "delete"}, group: groupSession, args: "NAME [DOMAIN]",
			summary: "remove a cookie", min: 1, max: 2, run: (*shell).cookiesDelete,
			complete: completeCookies,
		},
		&command{
			path: []string{"cookies", "show"}, group: groupSession, args: "NAME [DOMAIN]",
			summary: "show a cookie with its value (cookies masks the values)",
			help:    "  cookies show sessionid\n  cookies show lang api.example.com",
			min:     1, max: 2, run: (*shell).cookiesShow, complete: completeCookies,
		},
		&command{
			path: []string{"cookies", "clear"}, group: groupSession,
			summary: "empty the cookie jar", run: (*shell).cookiesClear,
		},
		&command{
			path: []string{"cookies", "list"}, aliases: [][]string{{"cookies"}}, group: groupSession,
			summary: "show the cookie jar, values masked", run: (*shell).cookiesList,
		},
		&command{
			path: []string{"base"}, aliases: [][]string{{"cd"}}, group: groupSession, args: "[URL]",
			summary: "show or set the base URL for relative paths",
			help:    "  base http://127.0.0.1:8080\n  cd api              # now http://127.0.0.1:8080/api\n  cd ..               # up one path segment",
			max:     1, run: (*shell).base, complete: completeBase,
		},
		&command{
			path: []string{"set"}, group: groupSession, args: "[OPTION [VALUE]]",
			summary: "show or set an option (" + strings.Join(optionNames(), ", ") + ")",
			help: "  set                 # every option and its value\n" +
				"  set timeout 5s      # each wait: connect, response headers, a gap in the body\n" +
				"  set max-time 1m     # the whole exchange, redirects and body included\n" +
				"  set follow off\n  set print hb\n" +
				"  set cert client.pem client.key   # a client certificate for TLS",
			max: 3, run: (*shell).set,
			complete: func(sh *shell, args []string, _ string) []string {
				switch len(args) {
				case 0:
					return optionNames()
				case 1:
					return optionValues(args[0])
				}
				return nil
			},
		},
		&command{
			path: []string{"close"}, group: groupSession,
			summary: "close the pooled connections (the session stays usable)", run: (*shell).close,
			help: "  Like requests' session.close(): idle keep-alive connections are closed; headers,\n" +
				"  params, auth and cookies stay, and the next request opens a new connection.\n" +
				"  get /get --print m  # shows connection: new or reused",
		},
		&command{
			path: []string{"reset"}, group: groupSession,
			summary: "start a brand new session: no cookies, headers, params or auth", run: (*shell).reset,
			help: "  The base URL and options stay; the connection pool starts afresh.",
		},
		&command{
			path: []string{"help"}, group: groupShell, args: "[COMMAND]",
			summary: "list the commands, or show one command's usage",
			help:    "  help METHOD PATH    an operation of the API description: help get /books/978-0",
			max:     2, run: (*shell).helpCmd,
			complete: completeCommands,
		},
		&command{
			path: []string{"exit"}, aliases: [][]string{{"quit"}}, group: groupShell,
			summary: "leave reqsh (Ctrl-D too)", run: func(sh *shell, _ []string) error { sh.quit = true; return nil },
		},
	)
	cmds = insertScripting(cmds)
	cmds = append(cmds, specCommands()...)
	cmds = append(cmds, sessionCommands()...)
	return cmds
}

const requestHelp = `  URL: http://host/path, https://..., :PORT/path (localhost), or a path
  (/get, get, ?a=1) resolved against the base URL.
  Items:   Name:Value   header           Name:        do not send header
           name==value  query param      field=value  JSON string field
           field:=json  raw JSON value   field@path   file upload (multipart)
           field=@path  field from file  @path        whole body from a file
  Options: --form, -f   urlencoded form  --multipart  multipart form
           --raw TEXT   body as is       --print WHAT parts (H B h b m)
           -v           same as --print HBhbm
           -h, -b       same as --print h, --print b
           --offline    print the request, send nothing
           --check-status   a 3xx, 4xx or 5xx fails the command
           --all        print every exchange of a redirect chain
           -o FILE      save the body to FILE (streamed)
           -a USER:PASS auth for this request; -A basic|digest|bearer
           --timeout D  each wait (connect, headers, between reads)
           --max-time D the whole exchange, body included
           --follow  --no-follow
  Output:  > FILE       what prints goes to FILE (no colors); >> FILE appends
           | COMMAND    piped to sh -c COMMAND; its output shows
  Examples:
    get /get a==1 X-Trace:on
    get /json | jq .slideshow.title
    post /post name=reqsh tags:='["a","b"]'
    get /headers User-Agent:`

// article is "an" before a vowel, else "a".
func article(word string) string {
	if strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

func (sh *shell) println(a ...any) { fmt.Fprintln(sh.out, a...) }

func (sh *shell) headerSet(args []string) error {
	name := args[0]
	if _, _, ok := parseHeaderLine(name + ":"); !ok {
		return fmt.Errorf("invalid header name %q", name)
	}
	sh.sess.Headers.Set(name, strings.Join(args[1:], " "))
	return nil
}

func (sh *shell) headerUnset(args []string) error {
	if sh.sess.Headers.Get(args[0]) == "" && len(sh.sess.Headers.Values(args[0])) == 0 {
		return fmt.Errorf("no session header %q", args[0])
	}
	sh.sess.Headers.Del(args[0])
	return nil
}

func (sh *shell) headerClear([]string) error {
	sh.sess.Headers = http.Header{}
	return nil
}

func (sh *shell) headerList([]string) error {
	if len(sh.sess.Headers) == 0 {
		sh.println("no session headers")
		return nil
	}
	for _, name := range sortedKeys(sh.sess.Headers) {
		for _, v := range sh.sess.Headers[name] {
			sh.println(sh.clean(name + ": " + v))
		}
	}
	return nil
}

func (sh *shell) paramsSet(args []string) error {
	sh.sess.Params.Set(args[0], args[1])
	return nil
}

func (sh *shell) paramsAdd(args []string) error {
	sh.sess.Params.Add(args[0], args[1])
	return nil
}

func (sh *shell) paramsUnset(args []string) error {
	if !sh.sess.Params.Del(args[0]) {
		return fmt.Errorf("no session param %q", args[0])
	}
	return nil
}

func (sh *shell) paramsClear([]string) error {
	sh.sess.Params.Clear()
	return nil
}

func (sh *shell) paramsList([]string) error {
	if sh.sess.Params.Len() == 0 {
		sh.println("no session params")
		return nil
	}
	for _, p := range sh.sess.Params.All() {
		sh.println(sh.clean(p.Name + "=" + p.Value))
	}
	return nil
}

// auth shows the auth with no arguments and sets basic auth with USER
// [PASS].
func (sh *shell) auth(args []string) error {
	if len(args) == 0 {
		sh.println(sh.clean(sh.sess.Auth.String()))
		return nil
	}
	return sh.authSet(session.Basic, args)
}

func (sh *shell) authSet(scheme session.Scheme, args []string) error {
	switch scheme {
	case session.Bearer:
		sh.sess.Auth = session.BearerAuth(args[0])
		return nil
	}
	user := args[0]
	var pass string
	if len(args) > 1 {
		pass = args[1]
	} else if p, ok, err := sh.askPassword(fmt.Sprintf("password for %s: ", user)); errors.Is(err, errNoTerminal) {
		return fmt.Errorf("%w: write USER PASS (USER '' for an empty password)", err)
	} else if err != nil {
		return err
	} else if ok {
		pass = p
	}
	if scheme == session.Digest {
		sh.sess.Auth = session.DigestAuth(user, pass)
	} else {
		sh.sess.Auth = session.BasicAuth(user, pass)
	}
	return nil
}

// authOAuth2 sets OAuth2 client credentials: TOKEN_URL CLIENT_ID, then
// the secret and scope=S words in any order. The token URL may be
// relative to the base URL; it is resolved when a token is fetched.
func (sh *shell) authOAuth2(args []string) error {
	var secret string
	var scopes []string
	for _, a := range args[2:] {
		if v, ok := strings.CutPrefix(a, "scope="); ok {
			scopes = append(scopes, strings.Fields(v)...)
			continue
		}
		if secret != "" {
			return fmt.Errorf("auth oauth2: more than one secret given")
		}
		secret = a
	}
	sh.sess.Auth = session.OAuth2Auth(args[0], args[1], secret, scopes...)
	return nil
}

// errNoTerminal is asking for a password in a script.
var errNoTerminal = errors.New("no password given and no terminal to ask for one")

// askPassword reads a password without echo when a person is at the
// terminal. A script has no one to ask: errNoTerminal.
func (sh *shell) askPassword(prompt string) (string, bool, error) {
	if sh.reader == nil {
		return "", false, errNoTerminal
	}
	p, err := sh.reader.readPassword(prompt)
	return p, err == nil, err
}

func (sh *shell) authClear([]string) error {
	sh.sess.Auth = nil
	return nil
}

// cookiesList prints the jar, values masked as `show` masks them, and
// says how to see one.
func (sh *shell) cookiesList([]string) error {
	all := sh.sess.Jar.All()
	if len(all) == 0 {
		sh.println("no cookies")
		return nil
	}
	if err := sh.cookieTable(all, session.Mask); err != nil {
		return err
	}
	sh.println("(values masked: cookies show NAME reveals one)")
	return nil
}

// cookiesShow prints the cookies named NAME (for DOMAIN, if given) with
// their values.
func (sh *shell) cookiesShow(args []string) error {
	var found []session.Cookie
	for _, c := range sh.sess.Jar.All() {
		if c.Name == args[0] && (len(args) < 2 || strings.EqualFold(c.Domain, args[1])) {
			found = append(found, c)
		}
	}
	if len(found) == 0 {
		return fmt.Errorf("no cookie %q", args[0])
	}
	return sh.cookieTable(found, func(v string) string { return v })
}

// cookieTable prints cookies as a table, each value through value.
func (sh *shell) cookieTable(cookies []session.Cookie, value func(string) string) error {
	tw := tabwriter.NewWriter(sh.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tVALUE\tDOMAIN\tPATH\tEXPIRES\tFLAGS")
	for _, c := range cookies {
		expires := "session"
		if !c.Expires.IsZero() {
			expires = c.Expires.UTC().Format(time.RFC3339)
		}
		flags := cookieFlags(c)
		fmt.Fprintln(tw, sh.clean(strings.Join([]string{c.Name, value(c.Value), c.Domain, c.Path, expires, strings.Join(flags, ",")}, "\t")))
	}
	return tw.Flush()
}

func (sh *shell) cookiesSet(args []string) error {
	c := session.Cookie{Name: args[0], Value: args[1], Path: "/", HostOnly: true}
	switch {
	case len(args) > 2:
		c.Domain = args[2]
	case sh.sess.Base != nil:
		c.Domain = sh.sess.Base.Hostname()
	default:
		return fmt.Errorf("cookies set: no DOMAIN given and no base URL set")
	}
	if len(args) > 3 {
		c.Path = args[3]
	}
	return sh.sess.Jar.Set(c)
}

func (sh *shell) cookiesDelete(args []string) error {
	domain := ""
	if len(args) > 1 {
		domain = args[1]
	}
	if sh.sess.Jar.Delete(args[0], domain) == 0 {
		return fmt.Errorf("no cookie %q", args[0])
	}
	return nil
}

func (sh *shell) cookiesClear([]string) error {
	sh.sess.Jar.Clear()
	return nil
}

// base shows the base URL, or sets it: an absolute URL, or a path
// relative to the current base ("api", "..", "/").
func (sh *shell) base(args []string) error {
	if len(args) == 0 {
		if sh.sess.Base == nil {
			sh.println("no base URL")
		} else {
			sh.println(sh.clean(maskURL(sh.sess.Base.String())))
		}
		return nil
	}
	raw, err := sh.fillPathParams(args[0]) // cd books/{isbn} (spec.go)
	if err != nil {
		return err
	}
	if raw == ".." {
		// The base path counts as a directory: up one segment.
		raw = "../"
	}
	u, err := sh.sess.ResolveURL(raw)
	if err != nil {
		return err
	}
	u.RawQuery, u.Fragment = "", ""
	if len(u.Path) > 1 {
		u.Path = strings.TrimSuffix(u.Path, "/")
		u.RawPath = ""
	}
	sh.sess.Base = u
	return nil
}

// close closes the pooled connections and says how many.
func (sh *shell) close([]string) error {
	before := sh.sess.OpenConns()
	sh.sess.Close()
	switch n := before - sh.sess.OpenConns(); n {
	case 0:
		sh.confirm("no open connections to close")
	case 1:
		sh.confirm("closed 1 connection")
	default:
		sh.confirm(fmt.Sprintf("closed %d connections", n))
	}
	return nil
}

// confirm prints the one line that confirms a state change, on stderr
// (stdout stays the responses' alone), after the output so far.
func (sh *shell) confirm(msg string) {
	sh.out.Flush()
	fmt.Fprintln(sh.errOut, format.Sanitize(msg))
}

func (sh *shell) reset([]string) error {
	sh.sess.Reset()
	sh.last = nil
	return nil
}

// helpCmd lists the commands by group, or shows one command, or every
// command under a first word ("help header": header set, unset, ...).
func (sh *shell) helpCmd(args []string) error {
	if len(args) == 2 && isMethod(args[0]) {
		return sh.helpOperation(args[0], args[1]) // help METHOD PATH (spec.go)
	}
	if len(args) > 0 {
		name := strings.Join(args, " ")
		if family := sh.family(args); len(family) > 1 {
			sh.helpFamily(name, family)
			return nil
		}
		c := sh.cmds.find(name)
		if c == nil {
			return fmt.Errorf("help: unknown command %q", name)
		}
		fmt.Fprintf(sh.out, "usage: %s\n  %s\n", c.usage(), c.summary)
		if c.path[0] == "set" && len(c.path) == 1 {
			sh.helpOptions()
		}
		if c.help != "" {
			sh.println(c.help)
		}
		return nil
	}
	names, by := sh.cmds.groups()
	for i, g := range names {
		if i > 0 {
			sh.println()
		}
		sh.println(g + ":")
		tw := tabwriter.NewWriter(sh.out, 0, 0, 2, ' ', 0)
		for _, c := range by[g] {
			summary := c.summary
			for _, a := range c.aliases {
				if len(a) == 1 && a[0] != c.path[0] {
					summary += " (also: " + a[0] + ")"
				}
			}
			fmt.Fprintf(tw, "  %s\t%s\n", c.usage(), summary)
		}
		tw.Flush()
	}
	sh.println("\nType help COMMAND for details. Lines starting with # are comments.")
	return nil
}

// family returns the commands whose path starts with head and has more
// words ("header" -> header set, header unset, ...), with the command
// named head itself first when there is one ("auth"); nil when head
// names no such family.
func (sh *shell) family(head []string) []*command {
	var self, subs []*command
	for _, c := range sh.cmds.cmds {
		switch {
		case len(c.path) > len(head) && hasPrefixFold(c.path, head):
			subs = append(subs, c)
		case len(c.path) == len(head) && hasPrefixFold(c.path, head):
			self = append(self, c)
		}
	}
	if len(subs) == 0 {
		return nil
	}
	return append(self, subs...)
}

// helpFamily lists a family of commands, each with its usage and summary.
func (sh *shell) helpFamily(name string, family []*command) {
	tw := tabwriter.NewWriter(sh.out, 0, 0, 2, ' ', 0)
	for _, c := range family {
		summary := c.summary
		var also []string
		for _, a := range c.aliases {
			also = append(also, strings.Join(a, " "))
		}
		if len(also) > 0 {
			summary += " (also: " + strings.Join(also, ", ") + ")"
		}
		fmt.Fprintf(tw, "  %s\t%s\n", c.usage(), summary)
	}
	tw.Flush()
	fmt.Fprintf(sh.out, "Type help %s SUBCOMMAND for examples.\n", name)
}

// helpOptions lists the options of set, each with example values and its
// value now.
func (sh *shell) helpOptions() {
	tw := tabwriter.NewWriter(sh.out, 0, 0, 2, ' ', 0)
	for _, o := range options() {
		fmt.Fprintf(tw, "  set %s VALUE\te.g. %s\t(now %s)\n", o.name, strings.Join(o.values, ", "), sh.clean(o.get(sh)))
	}
	tw.Flush()
}

// clean makes a string from the network or the user safe for a terminal.
func (sh *shell) clean(s string) string {
	if sh.outTerminal {
		return format.Sanitize(s)
	}
	return s
}

func sortedKeys(h http.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// parseOnOff reads a boolean option value.
func parseOnOff(name, v string) (bool, error) {
	switch strings.ToLower(v) {
	case "on", "true", "yes", "1":
		return true, nil
	case "off", "false", "no", "0":
		return false, nil
	}
	return false, fmt.Errorf("invalid value %q for %s: use on or off", v, name)
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// maxTimeout is the longest timeout accepted: a year.
const maxTimeout = 365 * 24 * time.Hour

// parseTimeout reads a duration: "30s", "1.5s", "500ms", a number of
// seconds ("5"), or "none"/"off"/"0" for no limit.
func parseTimeout(v string) (time.Duration, error) {
	switch strings.ToLower(v) {
	case "none", "off", "0":
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		// No string is both a duration and a number but ±0, which
		// fails either way: the number is tried only when needed.
		if secs, ferr := strconv.ParseFloat(v, 64); ferr == nil {
			// A plain number is seconds; NaN fails the comparison below.
			d, err = 0, nil
			if secs >= 0.001 && secs <= maxTimeout.Seconds() {
				d = time.Duration(secs * float64(time.Second))
			}
		}
	}
	if err != nil || d < time.Millisecond || d > maxTimeout {
		return 0, fmt.Errorf("invalid timeout %q: use a duration like 30s, 500ms or none", v)
	}
	return d, nil
}
