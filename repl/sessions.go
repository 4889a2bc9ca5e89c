package repl

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/reqsh/reqsh/internal/format"
	"github.com/reqsh/reqsh/session"
)

// groupFiles is the help section of the session file commands.
const groupFiles = "Session files"

// sessionCommands are the commands that save, load and show the session.
func sessionCommands() []*command {
	return []*command{
		{
			path: []string{"session", "save"}, group: groupFiles, args: "[NAME|PATH]",
			summary: "save the session to a file (HTTPie's session format)",
			help: "  session save work        # ~/.config/reqsh/sessions/HOST_PORT/work.json\n" +
				"  session save ./s.json    # a PATH: anything with a / or ending in .json\n" +
				"  session save             # the --session file\n" +
				"  The file (mode 0600) holds headers, params, auth, cookies, the base URL\n" +
				"  and the options, secrets included; HTTPie reads it with --session=PATH.",
			max: 1, run: (*shell).sessionSave, complete: completeSessionFiles,
		},
		{
			path: []string{"session", "load"}, group: groupFiles, args: "NAME|PATH",
			summary: "replace the session with a saved one (reqsh's or HTTPie's)",
			help: "  session load work        # saved with session save work for this host\n" +
				"  session load ~/.config/httpie/sessions/127.0.0.1_8080/work.json",
			min: 1, max: 1, run: (*shell).sessionLoad, complete: completeSessionFiles,
		},
		{
			path: []string{"session", "show"}, aliases: [][]string{{"session"}, {"show"}}, group: groupFiles,
			summary: "show everything in the session, secrets masked",
			run:     (*shell).sessionShow,
		},
	}
}

// sessionNameRE is what a session NAME may hold (HTTPie's rule).
var sessionNameRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// isSessionPath reports whether arg names a file rather than a NAME in
// the config dir: it has a path separator or ends in ".json".
func isSessionPath(arg string) bool {
	return strings.ContainsRune(arg, '/') || strings.ContainsRune(arg, filepath.Separator) ||
		strings.HasSuffix(arg, ".json")
}

// sessionPath turns a NAME or PATH into a file path. A PATH is used as it
// is ("~/" meaning $HOME); a NAME is a file in the user's config dir, per
// host of the base URL, as HTTPie keeps them:
// $XDG_CONFIG_HOME/reqsh/sessions/HOST_PORT/NAME.json (else under
// ~/.config).
func (sh *shell) sessionPath(arg string) (string, error) {
	if isSessionPath(arg) {
		if rest, ok := strings.CutPrefix(arg, "~/"); ok {
			home, _ := lookupEnv(sh.env, "HOME")
			if home == "" {
				return "", errors.New("HOME is not set, so ~ means nothing")
			}
			return filepath.Join(home, rest), nil
		}
		return arg, nil
	}
	if !sessionNameRE.MatchString(arg) || arg == "." || arg == ".." {
		return "", errors.New("a session NAME has only letters, digits and _ . - (a PATH has a / or ends in .json)")
	}
	dir, err := sh.sessionDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, arg+".json"), nil
}

// sessionDir is the directory of the named sessions for the base URL's
// host.
func (sh *shell) sessionDir() (string, error) {
	if sh.sess.Base == nil {
		return "", errors.New("a session NAME is kept per host: set a base URL first, or give a PATH")
	}
	config, _ := lookupEnv(sh.env, "XDG_CONFIG_HOME")
	if !filepath.IsAbs(config) {
		home, _ := lookupEnv(sh.env, "HOME")
		if home == "" {
			return "", errors.New("no config dir: neither XDG_CONFIG_HOME nor HOME is set (give a PATH)")
		}
		config = filepath.Join(home, ".config")
	}
	host := strings.ReplaceAll(strings.ToLower(sh.sess.Base.Host), ":", "_")
	return filepath.Join(config, "reqsh", "sessions", host), nil
}

// sessionSave writes the session to NAME or PATH, or to the --session
// file.
func (sh *shell) sessionSave(args []string) error {
	if len(args) == 0 {
		switch {
		case sh.cfg.session == "":
			return &usageError{Usage: "session save NAME|PATH", Msg: "session save: no NAME or PATH given and no --session file"}
		case sh.cfg.readOnly:
			return fmt.Errorf("session save: %q is read-only (--read-only): give a NAME or PATH", sh.cfg.session)
		}
		args = []string{sh.cfg.session}
	}
	path, err := sh.sessionPath(args[0])
	if err == nil {
		err = sh.sess.Save(path)
	}
	if err != nil {
		return fmt.Errorf("session save %q: %w", args[0], err)
	}
	sh.confirm("session saved to " + path)
	return nil
}

// sessionLoad replaces the session with the file NAME or PATH names.
func (sh *shell) sessionLoad(args []string) error {
	before := sh.trustState()
	path, err := sh.sessionPath(args[0])
	if err == nil {
		err = sh.sess.Load(path)
	}
	if err == nil {
		sh.confirmLoaded(path, before)
		sh.restoreSpec(path, false)
	}
	if errors.Is(err, fs.ErrNotExist) && !isSessionPath(args[0]) {
		err = fmt.Errorf("no session %q saved for %s", args[0], sh.sess.Base.Host)
	}
	if err != nil {
		return fmt.Errorf("session load %q: %w", args[0], err)
	}
	return nil
}

// openSession loads the --session file at start. A file that does not
// exist yet is no error: the session starts empty and the file is written
// at exit. -H headers and a BASE_URL given on the command line win over
// the file's. The NAME is resolved to its path here, once, so a later
// change of base URL does not move the file.
func (sh *shell) openSession() error {
	if sh.cfg.session == "" {
		return nil
	}
	path, err := sh.sessionPath(sh.cfg.session)
	if err != nil {
		return fmt.Errorf("--session %q: %w", sh.cfg.session, err)
	}
	sh.cfg.session = path
	base, headers := sh.sess.Base, sh.sess.Headers.Clone()
	before := sh.trustState()
	if err := sh.sess.Load(path); errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("--session: %w (the file is left as it is)", err)
	}
	if sh.cfg.baseURL != "" {
		sh.sess.Base = base
	}
	for name, values := range headers {
		sh.sess.Headers[name] = values
	}
	sh.warnLoaded(path, before)
	sh.restoreSpec(path, sh.cfg.spec != "")
	return nil
}

// trust is what decides where requests and credentials go and whether
// their peer is checked: the TLS verification, the proxy, the base URL,
// the client certificate presented, and an OAuth2 token URL on another
// host than the base URL's.
type trust struct {
	verify, proxy, base string
	cert                string
	tokenURL            string
}

// trustState returns the session's trust now.
func (sh *shell) trustState() trust {
	o := sh.sess.Options()
	t := trust{verify: o.Verify.String(), proxy: o.Proxy, cert: o.Cert.File}
	if sh.sess.Base != nil {
		t.base = sh.sess.Base.String()
	}
	t.tokenURL = foreignTokenURL(sh.sess)
	return t
}

// foreignTokenURL returns the session's OAuth2 token URL when it is on
// another host than the base URL (or there is no base URL), "" otherwise:
// where the client's credentials go.
func foreignTokenURL(s *session.Session) string {
	a := s.Auth
	if a == nil || a.Scheme != session.OAuth2 {
		return ""
	}
	u, err := s.ResolveURL(a.TokenURL)
	if err != nil {
		return a.TokenURL
	}
	if s.Base != nil && strings.EqualFold(u.Host, s.Base.Host) {
		return ""
	}
	return u.String()
}

// warnLoaded prints one warning line on stderr when the session file
// just loaded from path changed the trust (see trustChanges).
func (sh *shell) warnLoaded(path string, before trust) {
	if changes := trustChanges(before, sh.trustState()); len(changes) > 0 {
		sh.warnTrust(path, changes, "")
	}
}

// confirmLoaded confirms `session load` in one line: the file, and the
// base URL when the file changed it. When the file changed the trust the
// line is the warning warnLoaded prints, with the base URL.
func (sh *shell) confirmLoaded(path string, before trust) {
	now := sh.trustState()
	base := ""
	if now.base != before.base && now.base != "" {
		base = ", base URL now " + maskURL(now.base)
	}
	changes := trustChanges(before, now)
	if len(changes) == 0 {
		sh.confirm("session loaded from " + path + base)
		return
	}
	if before.base != "" {
		base = "" // the warning says the base URL changed, and to what
	}
	sh.warnTrust(path, changes, base)
}

// warnTrust prints the warning line for the trust changes of a session
// file, then more.
func (sh *shell) warnTrust(path string, changes []string, more string) {
	sh.out.Flush()
	fmt.Fprintln(sh.errOut, format.Sanitize("warning: session file "+path+" "+strings.Join(changes, ", ")+more))
}

// trustChanges names the changes of trust from before to now that a
// session file should not make silently: TLS verification turned off or
// to another CA bundle, another proxy, a base URL that was set replaced
// (a file that gives the base URL when there was none is what a session
// file is for), a client certificate turned on or changed, or OAuth2
// client credentials sent to a token URL on another host than the base
// URL's.
func trustChanges(before, now trust) []string {
	var changes []string
	switch {
	case now.verify == before.verify:
	case now.verify == "off":
		changes = append(changes, "turns TLS verification off")
	case now.verify != "on" && now.verify != "":
		changes = append(changes, "makes TLS trust the CA bundle "+now.verify)
	}
	if now.proxy != "" && now.proxy != before.proxy {
		changes = append(changes, "sets the proxy to "+maskURL(now.proxy))
	}
	if before.base != "" && now.base != "" && now.base != before.base {
		changes = append(changes, "changes the base URL to "+maskURL(now.base))
	}
	if now.cert != "" && now.cert != before.cert {
		changes = append(changes, "presents the client certificate "+now.cert)
	}
	if now.tokenURL != "" && now.tokenURL != before.tokenURL {
		changes = append(changes, "sends OAuth2 client credentials to "+maskURL(now.tokenURL))
	}
	return changes
}

// closeSession writes the session back to the --session file at exit,
// unless --read-only.
func (sh *shell) closeSession() error {
	if sh.cfg.session == "" || sh.cfg.readOnly {
		return nil
	}
	if err := sh.sess.Save(sh.cfg.session); err != nil {
		return fmt.Errorf("--session: not saved: %w", err)
	}
	return nil
}

// completeSessionFiles offers the saved session NAMEs for the base URL's
// host, and files once the word looks like a PATH.
func completeSessionFiles(sh *shell, args []string, word string) []string {
	if len(args) > 0 {
		return nil
	}
	if isSessionPath(word) {
		return completeFiles(word)
	}
	dir, err := sh.sessionDir()
	if err != nil {
		return nil
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".json"); ok && !e.IsDir() && !strings.HasPrefix(name, ".") {
			names = append(names, name)
		}
	}
	return names
}

// sessionShow prints everything in the session, one field a line (more
// lines for lists), with secrets masked: passwords, tokens, cookie values,
// and the values of headers and params whose names look secret.
func (sh *shell) sessionShow([]string) error {
	s := sh.sess
	field := func(label string, lines ...string) {
		if len(lines) == 0 {
			lines = []string{"none"}
		}
		for i, l := range lines {
			if i > 0 {
				label = ""
			}
			fmt.Fprintf(sh.out, "%-13s%s\n", label, sh.clean(l))
		}
	}
	if sh.cfg.session != "" {
		file := sh.cfg.session
		if sh.cfg.readOnly {
			file += " (read-only)"
		}
		field("file:", file)
	}
	base := "none"
	if s.Base != nil {
		base = maskURL(s.Base.String())
	}
	field("base:", base)

	var headers []string
	for _, name := range sortedKeys(s.Headers) {
		for _, v := range s.Headers[name] {
			headers = append(headers, name+": "+maskIfSecret(name, v))
		}
	}
	field("headers:", headers...)

	var params []string
	for _, p := range s.Params.All() {
		params = append(params, p.Name+"="+maskIfSecret(p.Name, p.Value))
	}
	field("params:", params...)
	field("auth:", s.Auth.String())

	var cookies []string
	for _, c := range s.Jar.All() {
		cookies = append(cookies, describeCookie(c))
	}
	field("cookies:", cookies...)

	var opts []string
	for _, o := range options() {
		opts = append(opts, o.name+" "+o.get(sh))
	}
	field("options:", strings.Join(opts, ", "))
	field("connections:", fmt.Sprintf("%d open", s.OpenConns()))
	return nil
}

// maskIfSecret masks value when name looks like it holds a secret
// (Authorization, Cookie, X-Api-Key, token, password...).
func maskIfSecret(name, value string) string {
	if isSecretName(name) {
		return session.Mask(value)
	}
	return value
}

// maskURL hides the secrets of a URL for display, as `show` does: the
// password of its user info ("user:****") and the values of its
// secret-looking query params ("token=****"), in the fragment too. It works on the text, so a
// URL too broken to parse is masked too, and the rest is kept as written;
// a URL with no scheme ("u:p@host/x", "//u:p@host/x") is masked as well.
func maskURL(s string) string {
	rest, frag := s, ""
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest, frag = rest[:i], rest[i:]
	}
	rest, query, hasQuery := strings.Cut(rest, "?")
	start := 0 // where the authority starts
	if i := strings.Index(rest, "//"); i >= 0 {
		start = i + 2
	}
	end := len(rest)
	if i := strings.IndexByte(rest[start:], '/'); i >= 0 {
		end = start + i
	}
	if at := strings.LastIndexByte(rest[start:end], '@'); at >= 0 {
		userinfo := rest[start : start+at]
		if user, pass, ok := strings.Cut(userinfo, ":"); ok && pass != "" {
			rest = rest[:start] + user + ":" + session.Mask(pass) + rest[start+at:]
		}
	}
	if hasQuery {
		rest += "?" + maskQuery(query)
	}
	if frag != "" {
		// A fragment written as a query ("#access_token=..." in an OAuth
		// redirect, "#/route?token=...") is masked as one.
		head, q, ok := strings.Cut(frag[1:], "?")
		frag = "#" + maskQuery(head)
		if ok {
			frag += "?" + maskQuery(q)
		}
	}
	return rest + frag
}

// maskQuery masks the values of a raw query's secret-looking params,
// keeping everything else as written.
func maskQuery(raw string) string {
	if raw == "" {
		return raw
	}
	pairs := strings.Split(raw, "&")
	for i, pair := range pairs {
		name, value, ok := strings.Cut(pair, "=")
		if !ok || value == "" {
			continue
		}
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if isSecretName(name) {
			pairs[i] = pair[:len(pair)-len(value)] + session.Mask(value)
		}
	}
	return strings.Join(pairs, "&")
}

// urlInText finds URLs in a message: "scheme://..." or "//...", up to a
// blank or a quote.
var urlInText = regexp.MustCompile(`(?:[A-Za-z][A-Za-z0-9+.-]*:)?//[^\s"'<>]+`)

// maskURLsIn masks every URL in a message with maskURL.
func maskURLsIn(msg string) string {
	if !strings.Contains(msg, "//") {
		return msg
	}
	return urlInText.ReplaceAllStringFunc(msg, maskURL)
}

// describeCookie is one cookie for `session`, its value masked:
// "token=**** (127.0.0.1 /, session, host-only)".
func describeCookie(c session.Cookie) string {
	expires := "session"
	if !c.Expires.IsZero() {
		expires = "expires " + c.Expires.UTC().Format(time.RFC3339)
	}
	attrs := append([]string{c.Domain + " " + c.Path, expires}, cookieFlags(c)...)
	return c.Name + "=" + session.Mask(c.Value) + " (" + strings.Join(attrs, ", ") + ")"
}

// cookieFlags names a cookie's flags: host-only, secure, httponly,
// samesite=MODE.
func cookieFlags(c session.Cookie) []string {
	var flags []string
	for _, f := range []struct {
		on   bool
		name string
	}{
		{c.HostOnly, "host-only"},
		{c.Secure, "secure"},
		{c.HttpOnly, "httponly"},
		{c.SameSite != "", "samesite=" + c.SameSite},
	} {
		if f.on {
			flags = append(flags, f.name)
		}
	}
	return flags
}
