package session

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// netrcEntry is one machine (or the default) of a .netrc file.
type netrcEntry struct {
	machine  string // "" for the default entry
	login    string
	password string
}

// parseNetrc reads the entries of a .netrc file as curl and Python's
// netrc module do: whitespace-separated tokens, "machine NAME",
// "default", "login", "password", "account", and "macdef NAME" whose
// body runs to the next empty line. Anything else is skipped.
func parseNetrc(data string) []netrcEntry {
	var (
		entries []netrcEntry
		cur     *netrcEntry
	)
	lines := strings.Split(data, "\n")
	for i := 0; i < len(lines); i++ {
		fields := strings.Fields(lines[i])
		for j := 0; j < len(fields); j++ {
			next := func() string {
				if j+1 < len(fields) {
					j++
					return fields[j]
				}
				return ""
			}
			switch tok := fields[j]; tok {
			case "machine":
				entries = append(entries, netrcEntry{machine: next()})
				cur = &entries[len(entries)-1]
			case "default":
				entries = append(entries, netrcEntry{})
				cur = &entries[len(entries)-1]
			case "login":
				if v := next(); cur != nil {
					cur.login = v
				}
			case "password":
				if v := next(); cur != nil {
					cur.password = v
				}
			case "account":
				next()
			case "macdef":
				// The macro's body: the following lines up to an empty one.
				for i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" {
					i++
				}
				j = len(fields)
			}
		}
	}
	return entries
}

// lookupNetrc returns the entry for host: its machine entry, else the
// default entry, if any.
func lookupNetrc(entries []netrcEntry, host string) (netrcEntry, bool) {
	def, hasDef := netrcEntry{}, false
	for _, e := range entries {
		if e.machine == "" {
			if !hasDef {
				def, hasDef = e, true
			}
			continue
		}
		if strings.EqualFold(e.machine, host) {
			return e, true
		}
	}
	return def, hasDef
}

// netrcPath returns the .netrc file to read: $NETRC, else ~/.netrc;
// "" when there is no home.
func (s *Session) netrcPath() string {
	if p := s.getenv("NETRC"); p != "" {
		return p
	}
	if home := s.getenv("HOME"); home != "" {
		return filepath.Join(home, ".netrc")
	}
	return ""
}

// netrcAuth returns Basic auth for host from the session's .netrc, nil
// when there is none or it has no entry with a login for host. A file
// others may read is used but warned about, once per path, as curl does.
func (s *Session) netrcAuth(host string) *Auth {
	path := s.netrcPath()
	if path == "" {
		return nil
	}
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	e, ok := lookupNetrc(parseNetrc(string(data)), host)
	if !ok || e.login == "" {
		return nil
	}
	if fi.Mode().Perm()&0o004 != 0 && s.warn != nil && !s.warned[path] {
		if s.warned == nil {
			s.warned = map[string]bool{}
		}
		s.warned[path] = true
		s.warn(fmt.Sprintf("%s is readable by other users: its passwords are not private (chmod 600 %s)", path, path))
	}
	return BasicAuth(e.login, e.password)
}
