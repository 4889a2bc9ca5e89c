package session

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// Auth schemes a session or a request can use.
const (
	Basic  = "basic"
	Digest = "digest"
	Bearer = "bearer"
)

// Auth is a set of credentials: a user and password for basic or digest
// auth, or a token for bearer auth.
type Auth struct {
	Scheme   string // Basic, Digest or Bearer
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

// ParseScheme checks an auth scheme name typed by a user.
func ParseScheme(s string) (string, error) {
	switch strings.ToLower(s) {
	case Basic, Digest, Bearer:
		return strings.ToLower(s), nil
	}
	return "", fmt.Errorf("unknown auth scheme %q (want basic, digest or bearer)", s)
}
