// Package cookiejar is the cookie jar of a reqsh session: an
// http.CookieJar after RFC 6265, as net/http/cookiejar is (domain rules
// with the public suffix list, host-only cookies, path scoping, expiry),
// that can also list, set, delete and save its cookies with all their
// attributes.
//
// Where it differs from net/http/cookiejar it does so on purpose:
//   - a loopback host (localhost, *.localhost, 127.0.0.0/8, ::1) counts
//     as a secure channel, as browsers treat it, so Secure cookies work
//     against a local server over plain http;
//   - a quoted value is kept with its quotes and sent back with them, as
//     Python's requests does;
//   - a cookie from plain http never replaces or deletes a Secure cookie
//     of the same name whose domain and path match (RFC 6265bis 5.7);
//   - cookies from servers are bounded in size, per domain and per jar,
//     as browsers bound them.
//
// It imports nothing of the session; the session and its file codec use
// it through its public API.
package cookiejar

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// Cookie is one stored cookie with all its attributes.
type Cookie struct {
	// Value is kept byte for byte as the server sent it, quotes included:
	// `q="abc"` is stored as `"abc"` and sent back as `q="abc"`, as
	// Python's cookiejar (and so requests and HTTPie) keeps it.
	Name, Value string
	// Domain is lowercase and has no leading dot; for a host-only cookie it
	// is the host that set it.
	Domain string
	Path   string
	// Expires is the zero time for a session cookie (no expiry).
	Expires  time.Time
	Secure   bool
	HttpOnly bool
	// HostOnly means no Domain attribute was given: the cookie is sent to
	// exactly Domain and not to its subdomains.
	HostOnly bool
	// SameSite is "", "lax", "strict" or "none".
	SameSite string
	// Created orders cookies with paths of equal length (RFC 6265 5.4).
	Created time.Time
}

// expired reports whether c has an expiry at or before now.
func (c *Cookie) expired(now time.Time) bool {
	return !c.Expires.IsZero() && !c.Expires.After(now)
}

// jarKey identifies a cookie inside one domain (RFC 6265 5.3 step 11:
// domain, path and name).
type jarKey struct {
	path, name string
}

// jarEntry is a stored cookie plus an insertion sequence number that breaks
// ties between cookies created at the same instant.
type jarEntry struct {
	Cookie
	seq  uint64
	used uint64 // when it was last stored, replaced or sent: for eviction
}

// Jar implements http.CookieJar after RFC 6265 (as net/http/cookiejar does,
// with the public suffix list) and can also list, set, delete and clear its
// cookies. It is safe for concurrent use.
type Jar struct {
	// now is the clock; tests replace it.
	now func() time.Time

	mu sync.Mutex
	// domains maps a cookie's Domain to its cookies.
	domains map[string]map[jarKey]*jarEntry
	seq     uint64
	uses    uint64 // the last use stamp given (see jarEntry.used)
	// count is the number of stored cookies (expired ones included until
	// purged); read without the lock for the empty-jar fast path.
	count atomic.Int64
}

// Option configures a Jar in New.
type Option func(*Jar)

// WithClock makes the jar read the time from now instead of time.Now:
// expiry, Max-Age and creation times follow it. Tests use it.
func WithClock(now func() time.Time) Option {
	return func(j *Jar) { j.now = now }
}

// New returns an empty jar. The zero Jar is an empty jar too.
func New(opts ...Option) *Jar {
	j := &Jar{now: time.Now, domains: make(map[string]map[jarKey]*jarEntry)}
	for _, o := range opts {
		o(j)
	}
	return j
}

// clock returns the current time from j.now (time.Now in a zero Jar).
func (j *Jar) clock() time.Time {
	if j.now == nil {
		return time.Now()
	}
	return j.now()
}

// maxCookieAge bounds Max-Age so that now+Max-Age cannot overflow.
const maxCookieAge = 100 * 365 * 24 * time.Hour

// The jar's bounds, as browsers keep them, so that no server can grow the
// session's memory and every request's Cookie header without end: a
// cookie from a response is at most maxCookieBytes (name and value), a
// domain holds at most maxDomainCookies and the jar maxCookies; past a
// bound, expired cookies and then the least recently used cookie of the
// domain, or of the jar, make room (RFC 6265 5.3). Cookies set by hand
// or loaded from a file are not counted against a server's bounds.
const (
	maxCookieBytes   = 4096
	maxDomainCookies = 180
	maxCookies       = 3000
)

// SetCookies implements http.CookieJar: it stores the cookies a response
// from u set, by the rules of RFC 6265. Cookies that break the rules (a
// Domain attribute that is a public suffix or does not match u's host, a
// Secure cookie from plain http to a host that is not loopback, an invalid
// name or value) are ignored; a cookie already expired deletes the stored
// cookie with the same domain, path and name. A cookie from plain http to
// a host that is not loopback never replaces or deletes a Secure cookie
// of the same name whose domain and path match (RFC 6265bis 5.7). A
// quoted value (http.Cookie.Quoted) is stored with its quotes. URLs with
// a scheme other than http and https are ignored.
func (j *Jar) SetCookies(u *url.URL, cookies []*http.Cookie) {
	if len(cookies) == 0 || u == nil {
		return
	}
	https, ok := jarScheme(u.Scheme)
	if !ok {
		return
	}
	host, ok := jarURLHost(u)
	if !ok {
		return
	}
	secureChannel := https || jarIsLoopback(host)
	defPath := jarDefaultPath(u.EscapedPath())

	j.mu.Lock()
	defer j.mu.Unlock()
	now := j.clock()
	for _, hc := range cookies {
		if hc == nil || len(hc.Name)+len(hc.Value) > maxCookieBytes || !jarValidNameValue(hc.Name, hc.Value) {
			continue
		}
		value := hc.Value
		if hc.Quoted {
			value = `"` + value + `"`
		}
		if hc.Secure && !secureChannel {
			// RFC 6265bis 5.7 step 8, as browsers and curl do.
			continue
		}
		domain, hostOnly, err := jarCookieDomain(host, hc.Domain)
		if err != nil {
			continue
		}
		c := Cookie{
			Name:     hc.Name,
			Value:    value,
			Domain:   domain,
			Path:     hc.Path,
			Secure:   hc.Secure,
			HttpOnly: hc.HttpOnly,
			HostOnly: hostOnly,
			SameSite: jarSameSite(hc.SameSite),
		}
		if c.Path == "" || c.Path[0] != '/' || !jarValidPath(c.Path) {
			c.Path = defPath
		}
		if !secureChannel && j.shadowsSecureLocked(c) {
			continue
		}
		// Max-Age has priority over Expires. http.Cookie.MaxAge < 0
		// means "Max-Age: 0" or negative; 0 means no Max-Age attribute.
		switch {
		case hc.MaxAge < 0:
			j.removeLocked(c.Domain, jarKey{c.Path, c.Name})
			continue
		case hc.MaxAge > 0:
			age := time.Duration(hc.MaxAge) * time.Second
			if int64(hc.MaxAge) > int64(maxCookieAge/time.Second) {
				age = maxCookieAge
			}
			c.Expires = now.Add(age)
		default:
			c.Expires = hc.Expires
		}
		if c.expired(now) {
			j.removeLocked(c.Domain, jarKey{c.Path, c.Name})
			continue
		}
		j.storeLocked(c, now, true)
	}
}

// Cookies implements http.CookieJar: the cookies to send to u, name and
// value only, longer paths first, then earlier created first (RFC 6265
// 5.4). Secure cookies go only over https or to a loopback host. A value
// stored with quotes comes without them and with Quoted set, as net/http
// parses it: write it back as Name="Value". It does not allocate when the
// jar is empty or holds nothing for u's host.
func (j *Jar) Cookies(u *url.URL) []*http.Cookie {
	if j.count.Load() == 0 || u == nil {
		return nil
	}
	https, ok := jarScheme(u.Scheme)
	if !ok {
		return nil
	}
	host, ok := jarURLHost(u)
	if !ok {
		return nil
	}
	secureChannel := https || jarIsLoopback(host)
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	isIP := jarIsIP(host)

	j.mu.Lock()
	defer j.mu.Unlock()
	now := j.clock()
	var buf [8]*jarEntry
	selected := buf[:0]
	d := host
	for {
		if m := j.domains[d]; m != nil {
			for k, e := range m {
				if e.expired(now) {
					j.deleteLocked(d, m, k)
					continue
				}
				if e.HostOnly && d != host {
					continue
				}
				if e.Secure && !secureChannel {
					continue
				}
				if !jarPathMatch(e.Path, path) {
					continue
				}
				e.used = j.use()
				selected = append(selected, e)
			}
		}
		if isIP {
			break
		}
		i := strings.IndexByte(d, '.')
		if i < 0 {
			break
		}
		d = d[i+1:]
	}
	if len(selected) == 0 {
		return nil
	}
	slices.SortFunc(selected, func(a, b *jarEntry) int {
		if r := cmp.Compare(len(b.Path), len(a.Path)); r != 0 {
			return r
		}
		if r := a.Created.Compare(b.Created); r != 0 {
			return r
		}
		return cmp.Compare(a.seq, b.seq)
	})
	backing := make([]http.Cookie, len(selected))
	out := make([]*http.Cookie, len(selected))
	for i, e := range selected {
		v, quoted := jarUnquote(e.Value)
		backing[i] = http.Cookie{Name: e.Name, Value: v, Quoted: quoted}
		out[i] = &backing[i]
	}
	return out
}

// All returns every unexpired cookie, sorted by domain, path and name.
// Expired cookies are purged from the jar.
func (j *Jar) All() []Cookie {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.purgeLocked()
	out := make([]Cookie, 0, j.count.Load())
	for _, m := range j.domains {
		for _, e := range m {
			out = append(out, e.Cookie)
		}
	}
	slices.SortFunc(out, func(a, b Cookie) int {
		return cmp.Or(
			cmp.Compare(a.Domain, b.Domain),
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Name, b.Name),
		)
	})
	return out
}

// Set adds c to the jar, replacing the cookie with the same domain, path and
// name. Name and Domain must not be empty; Name and Value must be valid in a
// Cookie header. Domain is lowercased and loses a leading dot (and a port or
// IPv6 brackets); an empty Path means "/". A domain that is an IP address or
// a public suffix (such as "localhost" or "com") always gives a host-only
// cookie. SameSite must be "", "lax", "strict" or "none" (any case). A zero
// Created means now, or the replaced cookie's creation time. A cookie whose
// Expires has passed deletes the stored one and is not added.
func (j *Jar) Set(c Cookie) error {
	if c.Name == "" {
		return errors.New("cookie: empty name")
	}
	if !jarValidNameValue(c.Name, c.Value) {
		return fmt.Errorf("cookie %q: invalid name or value (no spaces, quotes, ';', ',' or control characters in the name; no ';', '\\' or control characters in the value, and quotes only around all of it)", c.Name)
	}
	domain, err := jarCanonicalDomain(c.Domain)
	if err != nil {
		return fmt.Errorf("cookie %q: %w", c.Name, err)
	}
	c.Domain = domain
	if jarIsIP(domain) || jarIsPublicSuffix(domain) {
		c.HostOnly = true
	}
	if c.Path == "" {
		c.Path = "/"
	}
	if c.Path[0] != '/' || !jarValidPath(c.Path) {
		return fmt.Errorf("cookie %q: invalid path %q: must start with / and hold no ';' or control characters", c.Name, c.Path)
	}
	switch s := strings.ToLower(c.SameSite); s {
	case "", "lax", "strict", "none":
		c.SameSite = s
	default:
		return fmt.Errorf("cookie %q: invalid SameSite %q: want lax, strict or none", c.Name, c.SameSite)
	}

	j.mu.Lock()
	defer j.mu.Unlock()
	now := j.clock()
	if c.expired(now) {
		j.removeLocked(c.Domain, jarKey{c.Path, c.Name})
		return nil
	}
	j.storeLocked(c, now, false)
	return nil
}

// Delete removes the cookies named name, only those of domain when domain is
// not empty (compared case-insensitively, a leading dot ignored), and
// returns how many it removed.
func (j *Jar) Delete(name, domain string) int {
	if domain != "" {
		d, err := jarCanonicalDomain(domain)
		if err != nil {
			return 0
		}
		domain = d
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	n := 0
	for d, m := range j.domains {
		if domain != "" && d != domain {
			continue
		}
		for k := range m {
			if k.name == name {
				j.deleteLocked(d, m, k)
				n++
			}
		}
	}
	return n
}

// Clear removes every cookie.
func (j *Jar) Clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	clear(j.domains)
	j.count.Store(0)
}

// Len returns the number of unexpired cookies; expired ones are purged.
func (j *Jar) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.purgeLocked()
	return int(j.count.Load())
}

// Replace makes j hold copies of the cookies of from, in from's order
// (cookies created at the same instant are sent in the order they were
// stored), and nothing else. Cookies expired by j's clock are left out.
// from is not changed. The session loads a file this way: decoded and
// checked into a jar of its own first, so a bad file leaves j as it was.
func (j *Jar) Replace(from *Jar) {
	if from == j {
		return
	}
	from.mu.Lock()
	entries := make([]jarEntry, 0, from.count.Load())
	for _, m := range from.domains {
		for _, e := range m {
			entries = append(entries, *e)
		}
	}
	from.mu.Unlock()
	slices.SortFunc(entries, func(a, b jarEntry) int { return cmp.Compare(a.seq, b.seq) })

	j.mu.Lock()
	defer j.mu.Unlock()
	now := j.clock()
	j.domains = make(map[string]map[jarKey]*jarEntry)
	j.count.Store(0)
	for _, e := range entries {
		if e.expired(now) {
			continue
		}
		m := j.domains[e.Domain]
		if m == nil {
			m = make(map[jarKey]*jarEntry)
			j.domains[e.Domain] = m
		}
		j.seq++
		m[jarKey{e.Path, e.Name}] = &jarEntry{Cookie: e.Cookie, seq: j.seq, used: j.use()}
		j.count.Add(1)
	}
}

// storeLocked adds or replaces c (already validated and canonical). A
// replacement keeps the old creation time unless c brings its own. With
// bounded (cookies from a server), a new cookie past the jar's bounds
// makes room: expired cookies go first, then the least recently used.
func (j *Jar) storeLocked(c Cookie, now time.Time, bounded bool) {
	if j.domains == nil {
		j.domains = make(map[string]map[jarKey]*jarEntry)
	}
	k := jarKey{c.Path, c.Name}
	if old, ok := j.domains[c.Domain][k]; ok {
		if c.Created.IsZero() {
			c.Created = old.Created
		}
		old.Cookie = c
		old.used = j.use()
		return
	}
	if c.Created.IsZero() {
		c.Created = now
	}
	if bounded && len(j.domains[c.Domain]) >= maxDomainCookies {
		j.purgeDomainLocked(c.Domain, now)
		if len(j.domains[c.Domain]) >= maxDomainCookies {
			j.evictLocked(c.Domain)
		}
	}
	if bounded && j.count.Load() >= maxCookies {
		j.purgeLocked()
		if j.count.Load() >= maxCookies {
			j.evictLocked("")
		}
	}
	m := j.domains[c.Domain]
	if m == nil {
		m = make(map[jarKey]*jarEntry)
		j.domains[c.Domain] = m
	}
	j.seq++
	m[k] = &jarEntry{Cookie: c, seq: j.seq, used: j.use()}
	j.count.Add(1)
}

// use returns the next use stamp.
func (j *Jar) use() uint64 {
	j.uses++
	return j.uses
}

// purgeDomainLocked deletes the expired cookies of one domain.
func (j *Jar) purgeDomainLocked(domain string, now time.Time) {
	m := j.domains[domain]
	for k, e := range m {
		if e.expired(now) {
			j.deleteLocked(domain, m, k)
		}
	}
}

// evictLocked deletes the least recently used cookie (stored, replaced or
// sent longest ago) of domain, or of the whole jar when domain is "".
func (j *Jar) evictLocked(domain string) {
	var (
		lru     *jarEntry
		lruFrom string
		lruKey  jarKey
	)
	for d, m := range j.domains {
		if domain != "" && d != domain {
			continue
		}
		for k, e := range m {
			if lru == nil || e.used < lru.used {
				lru, lruFrom, lruKey = e, d, k
			}
		}
	}
	if lru != nil {
		j.deleteLocked(lruFrom, j.domains[lruFrom], lruKey)
	}
}

// removeLocked deletes the cookie with key k in domain, if any.
func (j *Jar) removeLocked(domain string, k jarKey) {
	if m := j.domains[domain]; m != nil {
		if _, ok := m[k]; ok {
			j.deleteLocked(domain, m, k)
		}
	}
}

// deleteLocked deletes the existing cookie k from m, the map of domain.
func (j *Jar) deleteLocked(domain string, m map[jarKey]*jarEntry, k jarKey) {
	delete(m, k)
	j.count.Add(-1)
	if len(m) == 0 {
		delete(j.domains, domain)
	}
}

// purgeLocked deletes every expired cookie.
func (j *Jar) purgeLocked() {
	now := j.clock()
	for d, m := range j.domains {
		for k, e := range m {
			if e.expired(now) {
				j.deleteLocked(d, m, k)
			}
		}
	}
}

// jarScheme reports whether scheme is https, and whether it is http or
// https at all.
func jarScheme(scheme string) (https, ok bool) {
	switch {
	case strings.EqualFold(scheme, "https"):
		return true, true
	case strings.EqualFold(scheme, "http"):
		return false, true
	}
	return false, false
}

// jarURLHost returns u's host in canonical form: no port or brackets, no
// trailing dot, lowercase, and a name with non-ASCII letters in its
// punycode form ("www.bücher.test" is "www.xn--bcher-kva.test"), the
// name net/http sends in the Host header, so a server's cookies reach
// the host whichever way the URL spells it. It allocates only for hosts
// with upper case or non-ASCII letters.
func jarURLHost(u *url.URL) (string, bool) {
	host := u.Hostname()
	host = strings.TrimSuffix(host, ".")
	if host == "" {
		return "", false
	}
	for i := 0; i < len(host); i++ {
		if host[i] >= 0x80 {
			a, err := idna.Lookup.ToASCII(host)
			if err != nil || a == "" {
				return "", false
			}
			return strings.ToLower(a), true
		}
	}
	return strings.ToLower(host), true
}

// jarCanonicalDomain canonicalizes a domain given to Set or Delete: lowercase,
// leading dot, trailing dot, port and IPv6 brackets removed, and checks it.
func jarCanonicalDomain(domain string) (string, error) {
	d := strings.ToLower(strings.TrimSpace(domain))
	d = strings.TrimPrefix(d, ".")
	if strings.HasPrefix(d, "[") {
		if h, _, err := net.SplitHostPort(d); err == nil {
			d = h
		} else {
			d = strings.TrimSuffix(strings.TrimPrefix(d, "["), "]")
		}
	} else if strings.Count(d, ":") == 1 {
		if h, _, err := net.SplitHostPort(d); err == nil {
			d = h
		}
	}
	d = strings.TrimSuffix(d, ".")
	if d == "" {
		return "", errors.New("empty domain")
	}
	if jarIsIP(d) {
		if _, err := netip.ParseAddr(d); err != nil {
			return "", fmt.Errorf("invalid domain %q", domain)
		}
		return d, nil
	}
	if !jarValidDomainName(d) {
		return "", fmt.Errorf("invalid domain %q: want a host name such as example.com (punycode for non-ASCII)", domain)
	}
	return d, nil
}

// jarValidDomainName reports whether d (lowercase) is made of non-empty
// labels of letters, digits, '-' and '_'.
func jarValidDomainName(d string) bool {
	if d == "" || len(d) > 255 {
		return false
	}
	prev := byte('.')
	for i := 0; i < len(d); i++ {
		b := d[i]
		switch {
		case 'a' <= b && b <= 'z', '0' <= b && b <= '9', b == '-', b == '_':
		case b == '.':
			if prev == '.' {
				return false
			}
		default:
			return false
		}
		prev = b
	}
	return prev != '.'
}

// errJarDomain is returned for a Domain attribute the request host may not
// set.
var errJarDomain = errors.New("illegal cookie domain attribute")

// jarCookieDomain returns the domain a cookie with Domain attribute attr,
// set by host, is stored under, and whether it is host-only (RFC 6265 5.3
// steps 4 to 6).
func jarCookieDomain(host, attr string) (string, bool, error) {
	if attr == "" {
		return host, true, nil
	}
	if jarIsIP(host) {
		// An IP host may name only itself, which gives a host-only
		// cookie (there are no subdomains); browsers reject ".1.2.3.4".
		if strings.EqualFold(attr, host) {
			return host, true, nil
		}
		return "", false, errJarDomain
	}
	d := strings.TrimPrefix(attr, ".")
	if d == "" || d[0] == '.' || d[len(d)-1] == '.' {
		return "", false, errJarDomain
	}
	for i := 0; i < len(d); i++ {
		if d[i] >= 0x80 {
			// Non-ASCII: the public suffix list needs punycode.
			return "", false, errJarDomain
		}
	}
	d = strings.ToLower(d)
	if jarIsPublicSuffix(d) {
		if d == host {
			return host, true, nil
		}
		return "", false, errJarDomain
	}
	if d != host && !jarHasDotSuffix(host, d) {
		return "", false, errJarDomain
	}
	return d, false, nil
}

// jarIsPublicSuffix reports whether d is a public suffix ("com", "co.uk",
// and also any single label such as "localhost").
func jarIsPublicSuffix(d string) bool {
	ps := publicsuffix.List.PublicSuffix(d)
	return ps != "" && !jarHasDotSuffix(d, ps)
}

// jarHasDotSuffix reports whether s ends in "."+suffix.
func jarHasDotSuffix(s, suffix string) bool {
	return len(s) > len(suffix) && s[len(s)-len(suffix)-1] == '.' && s[len(s)-len(suffix):] == suffix
}

// jarIsIP reports whether host is an IP address. Anything with ':' or '%'
// (IPv6, zones) counts as one: host names cannot hold them, and treating
// them as IPs allows no domain cookies.
func jarIsIP(host string) bool {
	if strings.ContainsAny(host, ":%") {
		return true
	}
	return jarIsIPv4(host)
}

// jarIsIPv4 reports whether host is an IPv4 address, without allocating
// for host names.
func jarIsIPv4(host string) bool {
	for i := 0; i < len(host); i++ {
		if b := host[i]; b != '.' && (b < '0' || b > '9') {
			return false
		}
	}
	_, err := netip.ParseAddr(host)
	return err == nil
}

// jarIsLoopback reports whether host (canonical) is localhost, a subdomain
// of localhost, or a loopback address (127.0.0.0/8, ::1).
func jarIsLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	if !jarIsIP(host) {
		return false
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// jarDefaultPath is the default-path of a request path (RFC 6265 5.1.4).
func jarDefaultPath(p string) string {
	if p == "" || p[0] != '/' {
		return "/"
	}
	i := strings.LastIndexByte(p, '/')
	if i == 0 {
		return "/"
	}
	return p[:i]
}

// jarPathMatch reports whether request path p path-matches cookie path cp
// (RFC 6265 5.1.4).
func jarPathMatch(cp, p string) bool {
	if cp == p {
		return true
	}
	if !strings.HasPrefix(p, cp) {
		return false
	}
	return cp[len(cp)-1] == '/' || p[len(cp)] == '/'
}

// jarValidPath reports whether p can be a cookie path: no ';' or control
// characters.
func jarValidPath(p string) bool {
	for i := 0; i < len(p); i++ {
		if b := p[i]; b < 0x20 || b == 0x7f || b == ';' {
			return false
		}
	}
	return true
}

// jarValidNameValue reports whether name and value can be sent in a Cookie
// header unchanged (net/http would otherwise drop bytes and log); value
// may be quoted as a whole.
func jarValidNameValue(name, value string) bool {
	v, _ := jarUnquote(value)
	return (&http.Cookie{Name: name, Value: v}).Valid() == nil
}

// jarUnquote returns a stored value without the double quotes around it,
// and whether it had them (net/http's Value and Quoted).
func jarUnquote(v string) (string, bool) {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		return v[1 : len(v)-1], true
	}
	return v, false
}

// shadowsSecureLocked reports whether the jar holds a Secure cookie that
// c, arriving over a channel that is not secure, may neither replace nor
// delete (RFC 6265bis 5.7 step 16): same name, domains that domain-match
// one way or the other, and c's path path-matching the stored one's.
func (j *Jar) shadowsSecureLocked(c Cookie) bool {
	for d, m := range j.domains {
		if !jarDomainMatch(d, c.Domain) && !jarDomainMatch(c.Domain, d) {
			continue
		}
		for k, e := range m {
			if k.name == c.Name && e.Secure && jarPathMatch(e.Path, c.Path) {
				return true
			}
		}
	}
	return false
}

// jarDomainMatch reports whether host domain-matches domain (RFC 6265
// 5.1.3): the same, or a name ending in "." plus domain.
func jarDomainMatch(host, domain string) bool {
	return host == domain || (!jarIsIP(host) && jarHasDotSuffix(host, domain))
}

// jarSameSite maps net/http's SameSite to "", "lax", "strict" or "none".
func jarSameSite(s http.SameSite) string {
	switch s {
	case http.SameSiteLaxMode:
		return "lax"
	case http.SameSiteStrictMode:
		return "strict"
	case http.SameSiteNoneMode:
		return "none"
	}
	return ""
}
