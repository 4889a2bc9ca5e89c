package session

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"net/http"
	"strings"
	"sync"
)

// challenge is a parsed "WWW-Authenticate: Digest ..." header.
type challenge struct {
	realm, nonce, opaque, algorithm string
	qop                             string // "auth" when offered, else ""
	userhash                        bool
}

// digestChallenge finds a Digest challenge among a 401's
// WWW-Authenticate headers that reqsh can answer (MD5 or SHA-256, with
// or without -sess, qop auth or none).
func digestChallenge(h http.Header) (*challenge, bool) {
	for _, v := range h.Values("Www-Authenticate") {
		scheme, rest, _ := strings.Cut(strings.TrimSpace(v), " ")
		if !strings.EqualFold(scheme, "Digest") {
			continue
		}
		p := parseAuthParams(rest)
		c := &challenge{
			realm: p["realm"], nonce: p["nonce"], opaque: p["opaque"],
			algorithm: strings.ToUpper(p["algorithm"]),
			userhash:  strings.EqualFold(p["userhash"], "true"),
		}
		if c.algorithm == "" {
			c.algorithm = "MD5"
		}
		if c.nonce == "" || c.hash() == nil {
			continue
		}
		if q, ok := p["qop"]; ok {
			offered := false
			for _, o := range strings.Split(q, ",") {
				if strings.EqualFold(strings.TrimSpace(o), "auth") {
					offered = true
				}
			}
			if !offered {
				continue // only auth-int is offered: the body would need hashing
			}
			c.qop = "auth"
		}
		return c, true
	}
	return nil, false
}

func (c *challenge) hash() func() hash.Hash {
	switch strings.TrimSuffix(c.algorithm, "-SESS") {
	case "MD5":
		return md5.New
	case "SHA-256":
		return sha256.New
	}
	return nil
}

// authorization answers the challenge for one request (RFC 7616).
func (c *challenge) authorization(a *Auth, method, uri string, nc int) string {
	newHash := c.hash()
	h := func(s string) string {
		x := newHash()
		x.Write([]byte(s))
		return hex.EncodeToString(x.Sum(nil))
	}
	cnonce := newCnonce()
	ha1 := h(a.User + ":" + c.realm + ":" + a.Password)
	if strings.HasSuffix(c.algorithm, "-SESS") {
		ha1 = h(ha1 + ":" + c.nonce + ":" + cnonce)
	}
	ha2 := h(method + ":" + uri)
	ncs := fmt.Sprintf("%08x", nc)
	var response string
	if c.qop == "auth" {
		response = h(strings.Join([]string{ha1, c.nonce, ncs, cnonce, c.qop, ha2}, ":"))
	} else {
		response = h(ha1 + ":" + c.nonce + ":" + ha2)
	}
	user := a.User
	if c.userhash {
		user = h(a.User + ":" + c.realm)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `Digest username=%s, realm=%s, nonce=%s, uri=%s, algorithm=%s, response="%s"`,
		quote(user), quote(c.realm), quote(c.nonce), quote(uri), c.algorithm, response)
	if c.opaque != "" {
		fmt.Fprintf(&b, `, opaque=%s`, quote(c.opaque))
	}
	if c.qop != "" {
		fmt.Fprintf(&b, `, qop=%s, nc=%s, cnonce="%s"`, c.qop, ncs, cnonce)
	}
	if c.userhash {
		b.WriteString(", userhash=true")
	}
	return b.String()
}

func newCnonce() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// quote makes an RFC 7230 quoted-string.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// parseAuthParams reads `a=b, c="d, e"` auth-params, names lowercased.
func parseAuthParams(s string) map[string]string {
	params := map[string]string{}
	for {
		s = strings.TrimLeft(s, " \t,")
		if s == "" {
			return params
		}
		eq := strings.IndexByte(s, '=')
		if eq < 0 {
			return params
		}
		name := strings.ToLower(strings.TrimSpace(s[:eq]))
		s = strings.TrimLeft(s[eq+1:], " \t")
		var value string
		if strings.HasPrefix(s, `"`) {
			var b strings.Builder
			i := 1
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				b.WriteByte(s[i])
			}
			value = b.String()
			if i < len(s) {
				i++
			}
			s = s[i:]
		} else {
			end := strings.IndexByte(s, ',')
			if end < 0 {
				end = len(s)
			}
			value = strings.TrimSpace(s[:end])
			s = s[end:]
		}
		params[name] = value
	}
}

// digestCache keeps the last digest challenge of each protection space
// (origin and realm) and its nonce count, so that later requests answer it
// at once, as requests' HTTPDigestAuth does, instead of being sent once
// without credentials and again with them. It is safe for concurrent use.
type digestCache struct {
	mu     sync.Mutex
	spaces map[digestSpace]*digestState
	latest map[string]string // origin -> realm of its latest challenge
}

type digestSpace struct{ origin, realm string }

type digestState struct {
	c  *challenge
	nc int // nonce count of the last answer to c's nonce
}

// store records a challenge from origin. A new nonce starts its count
// again; the same nonce challenged again keeps counting, as requests does.
func (d *digestCache) store(origin string, c *challenge) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.spaces == nil {
		d.spaces = map[digestSpace]*digestState{}
		d.latest = map[string]string{}
	}
	k := digestSpace{origin, c.realm}
	st := d.spaces[k]
	if st == nil || st.c.nonce != c.nonce {
		st = &digestState{}
		d.spaces[k] = st
	}
	st.c = c
	d.latest[origin] = c.realm
}

// next returns the latest challenge known for origin and the nonce count
// to answer it with (one more than the last), or false when there is none.
func (d *digestCache) next(origin string) (*challenge, int, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	realm, ok := d.latest[origin]
	if !ok {
		return nil, 0, false
	}
	st := d.spaces[digestSpace{origin, realm}]
	st.nc++
	return st.c, st.nc, true
}

// clear forgets every challenge.
func (d *digestCache) clear() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.spaces, d.latest = nil, nil
}
