package session

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// Scheme is an HTTP authentication scheme a session can answer with.
type Scheme string

// Auth schemes a session or a request can use.
const (
	Basic  Scheme = "basic"
	Digest Scheme = "digest"
	Bearer Scheme = "bearer"
)

// Auth is a set of credentials: a user and password for basic or digest
// auth, or a token for bearer auth.
type Auth struct {
	Scheme   Scheme // Basic, Digest or Bearer
	User     string
	Password string
	Token    string
}

// BasicAuth returns credentials for HTTP basic auth.
func BasicAuth(user, password string) *Auth {
	return &Auth{Scheme: Basic, User: user, Password: password}
}

// DigestAuth returns credentials for HTTP digest auth (RFC 7616).
func DigestAuth(user, password string) *Auth {
	return &Auth{Scheme: Digest, User: user, Password: password}
}

// BearerAuth returns a bearer token (RFC 6750).
func BearerAuth(token string) *Auth {
	return &Auth{Scheme: Bearer, Token: token}
}

// String describes the credentials with the secret masked, for display:
// "basic user:****", "bearer ****".
func (a *Auth) String() string {
	if a == nil {
		return "none"
	}
	switch a.Scheme {
	case Bearer:
		return "bearer " + Mask(a.Token)
	default:
		return fmt.Sprintf("%s %s:%s", a.Scheme, a.User, Mask(a.Password))
	}
}

// header returns the Authorization value sent up front, or "" for schemes
// that wait for a challenge (digest).
func (a *Auth) header() string {
	switch a.Scheme {
	case Basic:
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(a.User+":"+a.Password))
	case Bearer:
		return "Bearer " + a.Token
	}
	return ""
}

// Mask hides a secret for display: "" stays "", anything else becomes
// "****".
func Mask(secret string) string {
	if secret == "" {
		return ""
	}
	return "****"
}

// ParseScheme reads an auth scheme name typed by a user, in any case.
func ParseScheme(s string) (Scheme, error) {
	if sc := Scheme(strings.ToLower(s)); sc.valid() {
		return sc, nil
	}
	return "", fmt.Errorf("unknown auth scheme %q (want basic, digest or bearer)", s)
}

// valid reports whether the session knows the scheme.
func (sc Scheme) valid() bool {
	switch sc {
	case Basic, Digest, Bearer:
		return true
	}
	return false
}
