package session

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
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

// netrcRecheck is how long a look at the .netrc file is trusted before
// the file is looked at again: a run of requests costs one stat a second
// instead of one a request, and an edit to the file still shows within a
// second, as a user at the prompt expects.
const netrcRecheck = time.Second

// netrcCache is the .netrc file last read: its path, when it was last
// looked at, what it looked like then and its entries. The zero value
// has read nothing.
type netrcCache struct {
	mu      sync.Mutex
	path    string
	checked time.Time // monotonic; zero: never
	found   bool      // a regular file was at path
	modTime time.Time
	size    int64
	perm    os.FileMode
	entries []netrcEntry
}

// load returns the entries of the .netrc file, its path and permissions,
// found false when there is no regular file there. Within netrcRecheck
// of the last look it returns what that look saw; then it asks pathOf
// for the path and stats the file, and reads it again only when its
// path, size or modification time changed.
func (c *netrcCache) load(pathOf func() string, now time.Time) (entries []netrcEntry, path string, perm os.FileMode, found bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.checked.IsZero() && now.Sub(c.checked) < netrcRecheck {
		return c.entries, c.path, c.perm, c.found
	}
	path, c.checked = pathOf(), now
	if path == "" {
		c.path, c.found, c.entries = "", false, nil
		return nil, "", 0, false
	}
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		c.path, c.found, c.entries = path, false, nil
		return nil, path, 0, false
	}
	if c.found && path == c.path && fi.ModTime().Equal(c.modTime) && fi.Size() == c.size {
		c.perm = fi.Mode().Perm()
		return c.entries, path, c.perm, true
	}
	data, err := os.ReadFile(path)
	if err != nil {
		c.path, c.found, c.entries = path, false, nil
		return nil, path, 0, false
	}
	c.path, c.found, c.modTime, c.size, c.perm = path, true, fi.ModTime(), fi.Size(), fi.Mode().Perm()
	c.entries = parseNetrc(string(data))
	return c.entries, path, c.perm, true
}

// netrcAuth returns Basic auth for u's host from the session's .netrc,
// nil when there is none or it has no entry with a login for the host.
// A file others may read is used but warned about, once per path, as
// curl does. The host is taken out of u only when there is a file.
func (s *Session) netrcAuth(u *url.URL) *Auth {
	entries, path, perm, found := s.netrc.load(s.netrcPath, time.Now())
	if !found {
		return nil
	}
	e, ok := lookupNetrc(entries, u.Hostname())
	if !ok || e.login == "" {
		return nil
	}
	if perm&0o004 != 0 && s.warn != nil && !s.warned[path] {
		if s.warned == nil {
			s.warned = map[string]bool{}
		}
		s.warned[path] = true
		s.warn(fmt.Sprintf("%s is readable by other users: its passwords are not private (chmod 600 %s)", path, path))
	}
	return BasicAuth(e.login, e.password)
}
