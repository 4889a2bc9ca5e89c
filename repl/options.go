package repl

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/reqsh/reqsh/internal/format"
	"github.com/reqsh/reqsh/session"
)

// option is one setting of the `set` command.
type option struct {
	name   string
	values []string // completion candidates for the value
	get    func(sh *shell) string
	set    func(sh *shell, v string) error
	// setArgs, when not nil, sets an option that takes more than one
	// value (set cert FILE KEYFILE); set is then unused.
	setArgs func(sh *shell, v []string) error
}

// durationOption is a session option that is a duration, "none" when 0;
// field points into the session's Options.
func durationOption(name string, values []string, field func(*session.Options) *time.Duration) option {
	return option{
		name: name, values: values,
		get: func(sh *shell) string {
			o := sh.sess.Options()
			if t := *field(&o); t > 0 {
				return t.String()
			}
			return "none"
		},
		set: func(sh *shell, v string) error {
			d, err := parseTimeout(v)
			if err != nil {
				return err
			}
			o := sh.sess.Options()
			*field(&o) = d
			return sh.sess.SetOptions(o)
		},
	}
}

// options is the `set` command's table, in the order `set` lists them.
func options() []option {
	return []option{
		durationOption("timeout", []string{"none", "5s", "30s"}, func(o *session.Options) *time.Duration { return &o.Timeout }),
		durationOption("max-time", []string{"none", "30s", "5m"}, func(o *session.Options) *time.Duration { return &o.MaxTime }),
		{
			name: "follow", values: []string{"on", "off"},
			get: func(sh *shell) string { return onOff(sh.sess.Options().Follow) },
			set: func(sh *shell, v string) error {
				b, err := parseOnOff("follow", v)
				if err != nil {
					return err
				}
				o := sh.sess.Options()
				o.Follow = b
				return sh.sess.SetOptions(o)
			},
		},
		{
			name: "max-redirects", values: []string{"30"},
			get: func(sh *shell) string { return strconv.Itoa(sh.sess.Options().MaxRedirects) },
			set: func(sh *shell, v string) error {
				n, err := strconv.Atoi(v)
				if err != nil || n < 0 {
					return fmt.Errorf("invalid max-redirects %q: use a whole number, 0 or more", v)
				}
				o := sh.sess.Options()
				o.MaxRedirects = n
				return sh.sess.SetOptions(o)
			},
		},
		{
			name: "verify", values: []string{"on", "off"},
			get: func(sh *shell) string { return sh.sess.Options().Verify.String() },
			set: func(sh *shell, v string) error {
				o := sh.sess.Options()
				o.Verify = session.ParseVerify(v)
				return sh.sess.SetOptions(o)
			},
		},
		{
			name: "proxy", values: []string{"none"},
			get: func(sh *shell) string {
				if p := sh.sess.Options().Proxy; p != "" {
					return maskURL(p)
				}
				return "none (environment)"
			},
			set: func(sh *shell, v string) error {
				o := sh.sess.Options()
				o.Proxy = v
				if strings.EqualFold(v, "none") || strings.EqualFold(v, "off") {
					o.Proxy = ""
				}
				return sh.sess.SetOptions(o)
			},
		},
		{
			name: "retries", values: []string{"0", "3"},
			get: func(sh *shell) string { return strconv.Itoa(sh.sess.Options().Retries) },
			set: func(sh *shell, v string) error {
				n, err := strconv.Atoi(v)
				if err != nil || n < 0 {
					return fmt.Errorf("invalid retries %q: use a whole number, 0 or more", v)
				}
				o := sh.sess.Options()
				o.Retries = n
				return sh.sess.SetOptions(o)
			},
		},
		{
			name: "netrc", values: []string{"on", "off"},
			get: func(sh *shell) string { return onOff(sh.sess.Options().Netrc) },
			set: func(sh *shell, v string) error {
				b, err := parseOnOff("netrc", v)
				if err != nil {
					return err
				}
				o := sh.sess.Options()
				o.Netrc = b
				return sh.sess.SetOptions(o)
			},
		},
		{
			name: "cert", values: []string{"none"},
			get: func(sh *shell) string {
				if c := sh.sess.Options().Cert; !c.IsZero() {
					return c.String()
				}
				return "none"
			},
			setArgs: func(sh *shell, v []string) error {
				o := sh.sess.Options()
				o.Cert = session.ClientCert{File: v[0]}
				switch {
				case len(v) > 2:
					return fmt.Errorf("too many values: want FILE [KEYFILE] or none")
				case len(v) == 2:
					o.Cert.KeyFile = v[1]
				case strings.EqualFold(v[0], "none"), strings.EqualFold(v[0], "off"):
					o.Cert = session.ClientCert{}
				}
				return sh.sess.SetOptions(o)
			},
		},
		{
			name: "max-body", values: []string{"16MiB", "64MiB", "none"},
			get: func(sh *shell) string {
				if sh.maxBody == 0 {
					return "none"
				}
				return humanBytes(sh.maxBody)
			},
			set: func(sh *shell, v string) error {
				n, err := parseSize(v)
				if err != nil {
					return err
				}
				sh.maxBody = n
				return nil
			},
		},
		{
			name: "print", values: []string{"b", "hb", "Hhb", "HBhbm"},
			get: func(sh *shell) string { return sh.parts.String() },
			set: func(sh *shell, v string) error {
				p, err := format.ParseParts(v)
				if err != nil {
					return err
				}
				sh.parts = p
				return nil
			},
		},
		{
			name: "color", values: []string{"auto", "always", "never"},
			get: func(sh *shell) string { return sh.colorMode },
			set: func(sh *shell, v string) error {
				switch v {
				case "auto", "always", "never":
				default:
					return fmt.Errorf("invalid color %q: use auto, always or never", v)
				}
				sh.colorMode = v
				sh.newPrinter()
				return nil
			},
		},
		{
			name: "pretty", values: []string{"on", "off"},
			get: func(sh *shell) string { return onOff(sh.pretty) },
			set: func(sh *shell, v string) error {
				b, err := parseOnOff("pretty", v)
				if err != nil {
					return err
				}
				sh.pretty = b
				sh.newPrinter()
				return nil
			},
		},
		{
			name: "check", values: []string{checkWarn, checkError, checkOff},
			get: (*shell).checkMode,
			set: func(sh *shell, v string) error { // spec.go
				switch v = strings.ToLower(v); v {
				case checkWarn, checkError, checkOff:
					sh.checking = v
					return nil
				}
				return fmt.Errorf("invalid check %q: use warn, error or off", v)
			},
		},
	}
}

// Default body limits: what is kept in memory for printing, at a terminal
// and in a script (where it guards against huge or compressed-bomb bodies;
// -o streams any size).
const (
	defaultMaxBodyTerminal = 16 << 20
	defaultMaxBodyScript   = 64 << 20
)

// parseSize reads a byte count: "16MiB", "10MB", "512k", "1g", "2048", or
// "none"/"off"/"0" for no limit.
func parseSize(v string) (int64, error) {
	s := strings.ToLower(strings.TrimSpace(v))
	switch s {
	case "none", "off", "0":
		return 0, nil
	}
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"kb", 1000}, {"mb", 1000 * 1000}, {"gb", 1000 * 1000 * 1000},
		{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"b", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	n := f * float64(mult)
	// At least one byte (NaN fails the comparison too), at most 4 EiB.
	if err != nil || !(n >= 1 && n <= 1<<62) {
		return 0, fmt.Errorf("invalid size %q: use a size like 16MiB, 500k or none", v)
	}
	return int64(n), nil
}

// optionNames lists the option names, for help and completion.
func optionNames() []string {
	var names []string
	for _, o := range options() {
		names = append(names, o.name)
	}
	return names
}

// optionValues lists completion candidates for an option's value.
func optionValues(name string) []string {
	for _, o := range options() {
		if strings.EqualFold(o.name, name) {
			return o.values
		}
	}
	return nil
}

// set lists every option, shows one, or sets one.
func (sh *shell) set(args []string) error {
	opts := options()
	if len(args) == 0 {
		for _, o := range opts {
			fmt.Fprintf(sh.out, "%-14s %s\n", o.name, sh.clean(o.get(sh)))
		}
		return nil
	}
	for _, o := range opts {
		if !strings.EqualFold(o.name, args[0]) {
			continue
		}
		if len(args) == 1 {
			sh.println(sh.clean(o.get(sh)))
			return nil
		}
		var err error
		switch {
		case o.setArgs != nil:
			err = o.setArgs(sh, args[1:])
		case len(args) > 2:
			err = fmt.Errorf("takes one value")
		default:
			err = o.set(sh, args[1])
		}
		if err != nil {
			return fmt.Errorf("set %s: %w", o.name, err)
		}
		return nil
	}
	return fmt.Errorf("unknown option %q (want %s)", args[0], strings.Join(optionNames(), ", "))
}
