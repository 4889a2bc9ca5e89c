package repl

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"unicode"

	"github.com/reqsh/reqsh/internal/items"
	"github.com/reqsh/reqsh/internal/words"
)

// scriptRecorder appends the commands that succeed to a script file, secrets
// replaced by {{env.NAME}}.
type scriptRecorder struct {
	f     *os.File
	name  string
	lines int               // commands recorded
	vars  map[string]string // env variable name -> the secret it stands for
	// pending are the comment lines naming the variables the line being
	// rewritten introduces.
	pending []string
}

// recordCmd starts recording to FILE, or stops with "record stop".
func (sh *shell) recordCmd(args []string) error {
	if args[0] == "stop" {
		if sh.rec == nil {
			return errors.New("record stop: not recording")
		}
		r := sh.rec
		sh.rec = nil
		if err := r.f.Close(); err != nil {
			return fmt.Errorf("record: close %q: %w", r.name, err)
		}
		sh.confirm(fmt.Sprintf("recorded %d commands to %s", r.lines, r.name))
		return nil
	}
	if sh.rec != nil {
		return fmt.Errorf("record: already recording to %q (record stop first)", sh.rec.name)
	}
	f, err := os.OpenFile(args[0], os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("record: %w", err)
	}
	r := &scriptRecorder{f: f, name: args[0], vars: map[string]string{}}
	if sh.sess.Base != nil {
		line := "base " + quoteWord(r.redactURL(sh.sess.Base.String(), true))
		if err := r.write(line); err != nil {
			f.Close()
			return err
		}
	}
	sh.rec = r
	sh.confirm(fmt.Sprintf("recording to %s (record stop ends it)", args[0]))
	return nil
}

// recordLine is called with every command line that succeeded; before is
// the number of exchanges logged before it ran. It appends the line, its
// secrets replaced, and after a request the status it got.
func (sh *shell) recordLine(line string, before int) {
	r := sh.rec
	if r == nil {
		return
	}
	ws, err := words.Split(line)
	if err != nil || len(ws) == 0 {
		return
	}
	cmd, _, lookErr := sh.cmds.lookup(ws)
	if lookErr == nil && (cmd.name() == "record" || cmd.name() == "source") {
		// A sourced file's commands are recorded one by one.
		return
	}
	name := ""
	if lookErr == nil {
		name = cmd.name()
	}
	out := r.rewrite(name, ws)
	if err := r.write(strings.Join(out, " ")); err != nil {
		sh.recordFailed(err)
		return
	}
	if sh.exchanges.count > before && slices.Contains(methods, name) {
		if e, err := sh.exchanges.get(0); err == nil {
			if err := r.write(fmt.Sprintf("expect status %d", e.resp.StatusCode)); err != nil {
				sh.recordFailed(err)
			}
		}
	}
	r.lines++
}

// recordFailed stops a recording that cannot be written, and says so.
func (sh *shell) recordFailed(err error) {
	sh.rec.f.Close()
	sh.rec = nil
	sh.confirm(fmt.Sprintf("record stopped: %v", err))
}

// write appends the pending comments and one line.
func (r *scriptRecorder) write(line string) error {
	var b strings.Builder
	for _, c := range r.pending {
		b.WriteString(c + "\n")
	}
	r.pending = nil
	b.WriteString(line + "\n")
	if _, err := r.f.WriteString(b.String()); err != nil {
		return fmt.Errorf("write %q: %w", r.name, err)
	}
	return nil
}

// rewrite returns the words of a command line, quoted again, with its
// secrets replaced by {{env.NAME}}: auth commands' arguments, values of
// secret-looking headers, params, fields, cookies and variables, and the
// user info and secret query values of URLs.
func (r *scriptRecorder) rewrite(cmd string, ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = quoteWord(w)
	}
	n := len(strings.Fields(cmd)) // the words naming the command
	args := ws[n:]
	set := func(i int, v string) { out[n+i] = v }
	switch {
	case cmd == "auth basic" || cmd == "auth digest" || cmd == "auth":
		if len(args) > 0 {
			set(0, r.env("AUTH_USER", args[0], "the user name of "+cmd))
		}
		if len(args) > 1 {
			set(1, r.env("AUTH_PASSWORD", args[1], "the password of "+cmd))
		}
	case cmd == "auth bearer":
		if len(args) > 0 {
			set(0, r.env("AUTH_TOKEN", args[0], "the token of auth bearer"))
		}
	case cmd == "header set" || cmd == "params set" || cmd == "params add" || cmd == "let":
		if len(args) > 1 && (isSecretName(args[0]) || slices.ContainsFunc(args[1:], isSecretName)) {
			set(1, r.env(args[0], strings.Join(args[1:], " "), "the value of "+cmd+" "+args[0]))
			out = out[:n+2]
		}
	case cmd == "cookies set":
		if len(args) > 1 {
			set(1, r.env("COOKIE_"+args[0], args[1], "the value of cookie "+args[0]))
		}
	case cmd == "base":
		if len(args) > 0 {
			set(0, quoteWord(r.redactURL(args[0], true)))
		}
	case slices.Contains(methods, cmd):
		r.rewriteRequest(args, set)
	default:
		for i, w := range args {
			if hasUserinfo(w, false) {
				set(i, quoteWord(r.redactURL(w, false)))
			}
		}
	}
	return out
}

// rewriteRequest replaces the secrets of a request's words: its URL, -a,
// --raw and items.
func (r *scriptRecorder) rewriteRequest(args []string, set func(int, string)) {
	for i := 0; i < len(args); i++ {
		w := args[i]
		switch {
		case i == 0 && !strings.HasPrefix(w, "-"):
			set(i, quoteWord(r.redactURL(w, true)))
		case w == "-a" || w == "--auth":
			if i+1 < len(args) {
				i++
				set(i, r.authValue(args[i]))
			}
		case strings.HasPrefix(w, "--auth="):
			set(i, "--auth="+r.authValue(strings.TrimPrefix(w, "--auth=")))
		case strings.HasPrefix(w, "-a") && !strings.HasPrefix(w, "--"):
			set(i, "-a"+r.authValue(strings.TrimPrefix(strings.TrimPrefix(w, "-a"), "=")))
		case w == "--raw":
			if i+1 < len(args) {
				i++
				if isSecretName(args[i]) {
					set(i, r.env("RAW_BODY", args[i], "the --raw body"))
				}
			}
		case strings.HasPrefix(w, "--raw="):
			if v := strings.TrimPrefix(w, "--raw="); isSecretName(v) {
				set(i, "--raw="+r.env("RAW_BODY", v, "the --raw body"))
			}
		case strings.HasPrefix(w, "-"):
		default:
			if it, err := items.Parse(w); err == nil && isSecretItem(w) {
				set(i, r.redactItem(it))
			} else if hasUserinfo(w, false) {
				set(i, quoteWord(r.redactURL(w, false)))
			}
		}
	}
}

// authValue replaces a request's -a USER[:PASS].
func (r *scriptRecorder) authValue(v string) string {
	user, pass, ok := strings.Cut(v, ":")
	s := r.env("AUTH_USER", user, "the user name of -a")
	if ok {
		s += ":" + r.env("AUTH_PASSWORD", pass, "the password of -a")
	}
	return s
}

// redactItem writes a secret item again with its value from the
// environment; items that name a file keep their path.
func (r *scriptRecorder) redactItem(it items.Item) string {
	sep := map[items.Kind]string{items.Header: ":", items.Query: "==", items.Field: "=", items.RawJSON: ":="}[it.Kind]
	if sep == "" {
		return quoteWord(it.Raw)
	}
	name := escapeItemName(it.Name)
	return quoteWord(name+sep) + r.env(it.Name, it.Value, "the "+it.Kind.String()+" "+it.Name)
}

// escapeItemName escapes the characters of an item's name that would be
// read as its separator.
func escapeItemName(name string) string {
	var b strings.Builder
	for _, c := range name {
		if strings.ContainsRune(`:=@;\`, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// redactURL replaces a URL's user info and the values of its
// secret-looking query params. With bare, the URL may have no scheme.
func (r *scriptRecorder) redactURL(raw string, bare bool) string {
	if !strings.Contains(raw, "://") && !strings.HasPrefix(raw, "//") && bare && hasUserinfo(raw, true) {
		// "u:p@host/x": parse it as //u:p@host/x.
		return strings.TrimPrefix(r.redactURL("//"+raw, false), "//")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	prefix := raw
	if hasUserinfo(raw, false) && u.User != nil {
		userinfo := r.env("URL_USER", u.User.Username(), "the user name in "+u.Host)
		if p, ok := u.User.Password(); ok {
			userinfo += ":" + r.env("URL_PASSWORD", p, "the password in "+u.Host)
		}
		at := strings.Index(raw, "@")
		start := strings.Index(raw, "//") + 2
		prefix = raw[:start] + userinfo + raw[at:]
	}
	q, rest, ok := strings.Cut(prefix, "?")
	if !ok {
		return prefix
	}
	query, frag, hasFrag := strings.Cut(rest, "#")
	pairs := strings.Split(query, "&")
	for i, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if ok && isSecretName(name) {
			if uv, err := url.QueryUnescape(v); err == nil {
				v = uv
			}
			pairs[i] = k + "=" + r.env(name, v, "the query param "+name)
		}
	}
	s := q + "?" + strings.Join(pairs, "&")
	if hasFrag {
		s += "#" + frag
	}
	return s
}

// env returns {{env.NAME}} for a secret: NAME from hint, upper case, made
// unique when another secret already has it. A new name gets a comment
// line naming it, written before the line that uses it.
func (r *scriptRecorder) env(hint, secret, what string) string {
	base := envName(hint)
	name := base
	for i := 2; ; i++ {
		v, ok := r.vars[name]
		if !ok {
			r.vars[name] = secret
			r.pending = append(r.pending, fmt.Sprintf("# set %s: %s", name, oneLine(what)))
			break
		}
		if v == secret {
			break
		}
		name = fmt.Sprintf("%s_%d", base, i)
	}
	return "{{env." + name + "}}"
}

// envName makes an environment variable name of a header, param or field
// name: "X-Api-Key" gives X_API_KEY.
func envName(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c < unicode.MaxASCII && (unicode.IsLetter(c) || unicode.IsDigit(c)):
			b.WriteRune(unicode.ToUpper(c))
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	name := strings.TrimSuffix(b.String(), "_")
	if name == "" || unicode.IsDigit(rune(name[0])) {
		name = "SECRET_" + name
	}
	return strings.TrimSuffix(name, "_")
}

// oneLine keeps a comment on one line.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// quoteWord writes a word so that the line splitter reads it back as it
// is: bare when it can be, else in single quotes, or in double quotes
// when it holds a single quote.
func quoteWord(w string) string {
	if w != "" && !strings.ContainsAny(w, " \t\n\r'\"\\") && w[0] != '#' {
		return w
	}
	if !strings.Contains(w, "'") {
		return "'" + w + "'"
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(w) + `"`
}
