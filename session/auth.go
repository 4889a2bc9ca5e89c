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
	Scheme   Scheme // Basic, Digest, Bearer or OAuth2
	User     string // the client ID for OAuth2
	Password string // the client secret for OAuth2
	Token    string
	// TokenURL and Scope are OAuth2's token endpoint and the scopes
	// asked for, separated by spaces, as OAuth2's scope parameter.
	TokenURL string
	Scope    string

	// oauth is the OAuth2 token fetched; see OAuth2Auth.
	oauth *oauthState
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
	case OAuth2:
		return fmt.Sprintf("oauth2 %s:%s %s", a.User, Mask(a.Password), a.TokenURL)
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
	return "", fmt.Errorf("unknown auth scheme %q (want basic, digest, bearer or oauth2)", s)
}

// valid reports whether the session knows the scheme.
func (sc Scheme) valid() bool {
	switch sc {
	case Basic, Digest, Bearer, OAuth2:
		return true
	}
	return false
}
