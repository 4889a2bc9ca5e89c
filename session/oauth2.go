package session

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/reqsh/reqsh/session/sessionfile"
)

// OAuth2 is the scheme of OAuth2 client credentials (RFC 6749 4.4).
const OAuth2 Scheme = "oauth2"

// oauthEarly is how long before its expiry a token is replaced.
const oauthEarly = 10 * time.Second

// OAuth2Auth returns OAuth2 client credentials: the session fetches an
// access token from tokenURL (client authentication by Basic, or in the
// form when the server refuses Basic) and sends it as a Bearer token,
// fetching a new one before it expires and once after a 401. secret may
// be "" (a public client).
func OAuth2Auth(tokenURL, clientID, secret string, scopes ...string) *Auth {
	return &Auth{Scheme: OAuth2, TokenURL: tokenURL, User: clientID, Password: secret, Scope: strings.Join(scopes, " "), oauth: &oauthState{}}
}

// oauthState is the token an OAuth2 Auth holds, shared by its copies.
type oauthState struct {
	mu      sync.Mutex
	access  string
	refresh string
	expiry  time.Time // zero when the server gave no expires_in
}

// tokenResponse is a token endpoint's answer (RFC 6749 5.1, 5.2).
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	Error        string `json:"error"`
}

// oauthToken returns a's access token, fetching a new one when there
// is none, it expires within oauthEarly, or force is set (after a 401).
// A refresh token, when the server gave one, is tried first.
func (x *exchange) oauthToken(ctx context.Context, a *Auth, force bool) (string, error) {
	st := a.oauth
	if st == nil {
		st = &oauthState{}
		a.oauth = st
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if !force && st.access != "" && (st.expiry.IsZero() || time.Until(st.expiry) > oauthEarly) {
		return st.access, nil
	}
	var tr *tokenResponse
	var err error
	if st.refresh != "" {
		tr, err = x.fetchToken(ctx, a, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {st.refresh}}, false)
	}
	if st.refresh == "" || err != nil {
		form := url.Values{"grant_type": {"client_credentials"}}
		if a.Scope != "" {
			form.Set("scope", a.Scope)
		}
		tr, err = x.fetchToken(ctx, a, form, false)
	}
	if err != nil {
		return "", err
	}
	st.access, st.refresh, st.expiry = tr.AccessToken, tr.RefreshToken, time.Time{}
	if tr.ExpiresIn > 0 {
		st.expiry = time.Now().Add(time.Duration(tr.ExpiresIn) * time.Second)
	}
	return st.access, nil
}

// fetchToken posts form to a's token endpoint with the client's
// credentials: by Basic (RFC 6749 2.3.1), or in the form (inForm), which
// it falls back to when the server answers 401 or invalid_client.
func (x *exchange) fetchToken(ctx context.Context, a *Auth, form url.Values, inForm bool) (*tokenResponse, error) {
	u, err := x.s.ResolveURL(a.TokenURL)
	if err != nil {
		return nil, fmt.Errorf("oauth2 token URL: %w", err)
	}
	body := url.Values{}
	for k, v := range form {
		body[k] = v
	}
	if inForm {
		body.Set("client_id", a.User)
		if a.Password != "" {
			body.Set("client_secret", a.Password)
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(body.Encode()))
	if err != nil {
		return nil, fmt.Errorf("oauth2 token: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", x.s.userAgent)
	if !inForm {
		req.SetBasicAuth(url.QueryEscape(a.User), url.QueryEscape(a.Password))
	}
	if err := x.needCAs(req.URL); err != nil {
		return nil, fmt.Errorf("oauth2 token from %q: %w", u.Redacted(), err)
	}
	resp, err := x.transport.RoundTrip(req)
	if err != nil {
		return nil, fmt.Errorf("oauth2 token from %q: %w", u.Redacted(), err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("oauth2 token from %q: %w", u.Redacted(), err)
	}
	var tr tokenResponse
	jerr := json.Unmarshal(data, &tr)
	if !inForm && (resp.StatusCode == http.StatusUnauthorized || tr.Error == "invalid_client") {
		return x.fetchToken(ctx, a, form, true)
	}
	switch {
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("oauth2 token from %q: %s %q", u.Redacted(), resp.Status, tr.Error)
	case jerr != nil || tr.AccessToken == "":
		return nil, fmt.Errorf("oauth2 token from %q: no access_token in the answer", u.Redacted())
	case tr.TokenType != "" && !strings.EqualFold(tr.TokenType, "bearer"):
		return nil, fmt.Errorf("oauth2 token from %q: token type %q, want bearer", u.Redacted(), tr.TokenType)
	}
	return &tr, nil
}

// authorizeOAuth2 sets the current hop's Authorization from the OAuth2
// token, a new one when force is set.
func (x *exchange) authorizeOAuth2(ctx context.Context, force bool) error {
	if x.untraced != nil {
		ctx = x.untraced
	}
	tok, err := x.oauthToken(ctx, x.auth, force)
	if err != nil {
		return failure(KindOther, err)
	}
	x.editHeader().Set("Authorization", "Bearer "+tok)
	return nil
}

// oauthTokenOut is a's token as a session file keeps it: nil when a is
// no OAuth2 auth or has fetched none.
func oauthTokenOut(a *Auth) *sessionfile.OAuth2Token {
	if a == nil || a.Scheme != OAuth2 || a.oauth == nil {
		return nil
	}
	st := a.oauth
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.access == "" {
		return nil
	}
	return &sessionfile.OAuth2Token{TokenURL: a.TokenURL, ClientID: a.User, Access: st.access, Refresh: st.refresh, Expiry: st.expiry}
}

// oauthTokenIn gives a the token t of a session file, when t was
// fetched with a's token URL and client ID: it is sent while it is
// valid, and replaced as a token fetched now would be.
func oauthTokenIn(a *Auth, t *sessionfile.OAuth2Token) {
	if a == nil || a.Scheme != OAuth2 || t == nil || t.TokenURL != a.TokenURL || t.ClientID != a.User {
		return
	}
	a.oauth = &oauthState{access: t.Access, refresh: t.Refresh, expiry: t.Expiry}
}
