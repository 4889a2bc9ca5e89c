package session

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/reqsh/reqsh/internal/atomicfile"
	"github.com/reqsh/reqsh/session/sessionfile"
)

// Session files are HTTPie's session JSON plus reqsh's own state under
// "reqsh"; package sessionfile reads and writes them. This file turns a
// session into a sessionfile.State and back, and saves and loads files.

// MarshalJSON encodes the session as a session file: its headers, cookies
// (unexpired ones only) and auth in HTTPie's layout, and its params, base
// URL and options under "reqsh". Secrets are written as they are.
func (s *Session) MarshalJSON() ([]byte, error) {
	opts := fileOptions(s.opts)
	st := &sessionfile.State{
		Headers: s.Headers,
		Base:    s.Base,
		Options: &opts,
		Jar:     s.Jar,
		Spec:    s.Spec,
	}
	if s.Auth != nil {
		st.Auth = &sessionfile.Auth{Type: string(s.Auth.Scheme), User: s.Auth.User, Password: s.Auth.Password, Token: s.Auth.Token,
			TokenURL: s.Auth.TokenURL, Scope: s.Auth.Scope}
	}
	st.OAuth2Token = oauthTokenOut(s.Auth)
	for _, p := range s.Params.All() {
		st.Params = append(st.Params, sessionfile.Param(p))
	}
	return sessionfile.Encode(st)
}

// UnmarshalJSON replaces the session's headers, params, auth and cookies
// with those of a session file, and its base URL and options with the
// file's when the file has them (a file from HTTPie has neither: they stay
// as they are, and the params are emptied). Spec becomes the file's ("" when
// it names no API description). HTTPie 2's layout (headers and
// cookies as objects, auth with username and password) loads too. Expired
// cookies are dropped. A cookie with no domain (HTTPie 2 wrote none) is
// bound to the host of the base URL. On any error the session is left as
// it was.
func (s *Session) UnmarshalJSON(data []byte) error { return s.load(data, "") }

// load is UnmarshalJSON for a file in the directory dir ("" for none):
// relative certificate and CA file paths in it are taken from there.
func (s *Session) load(data []byte, dir string) error {
	st, err := sessionfile.Decode(data, sessionfile.Defaults{Base: s.Base, Options: fileOptions(s.opts), ParseURL: parseURL})
	if err != nil {
		return err
	}
	auth, err := authIn(st.Auth)
	if err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	oauthTokenIn(auth, st.OAuth2Token)
	if st.Options != nil {
		if err := s.SetOptions(optionsIn(*st.Options, dir)); err != nil {
			return fmt.Errorf("options: %w", err)
		}
	}
	s.Headers = st.Headers
	s.Params.Clear()
	for _, p := range st.Params {
		s.Params.Add(p.Name, p.Value)
	}
	s.Auth = auth
	s.Base = st.Base
	s.Spec = st.Spec
	s.Jar.Replace(st.Jar)
	return nil
}

// fileOptions are o as a session file holds them.
func fileOptions(o Options) sessionfile.Options {
	return sessionfile.Options{
		Timeout: o.Timeout, MaxTime: o.MaxTime,
		Follow: o.Follow, MaxRedirects: o.MaxRedirects,
		Verify: o.Verify.String(), Proxy: o.Proxy,
		Retries: o.Retries, NoNetrc: !o.Netrc,
		Cert: o.Cert.File, CertKey: o.Cert.KeyFile,
	}
}

// optionsIn are the options a session file in the directory dir holds:
// a relative certificate or CA file path is taken from dir (when not "").
func optionsIn(o sessionfile.Options, dir string) Options {
	in := func(p string) string {
		if p == "" || dir == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	verify := ParseVerify(o.Verify)
	if ca := verify.CAFile(); ca != "" {
		verify = VerifyCA(in(ca))
	}
	return Options{
		Timeout: o.Timeout, MaxTime: o.MaxTime,
		Follow: o.Follow, MaxRedirects: o.MaxRedirects,
		Verify: verify, Proxy: o.Proxy,
		Retries: o.Retries, Netrc: !o.NoNetrc,
		Cert: ClientCert{File: in(o.Cert), KeyFile: in(o.CertKey)},
	}
}

// authIn checks the credentials of a file.
func authIn(a *sessionfile.Auth) (*Auth, error) {
	if a == nil {
		return nil, nil
	}
	scheme, err := ParseScheme(a.Type)
	if err != nil {
		return nil, err
	}
	switch scheme {
	case Bearer:
		return BearerAuth(a.Token), nil
	case Digest:
		return DigestAuth(a.User, a.Password), nil
	case OAuth2:
		if a.TokenURL == "" {
			return nil, fmt.Errorf("oauth2 auth with no token_url")
		}
		return OAuth2Auth(a.TokenURL, a.User, a.Password, strings.Fields(a.Scope)...), nil
	}
	return BasicAuth(a.User, a.Password), nil
}

// Save writes the session to the file at path, atomically: to a temporary
// file in the same directory, synced, then renamed over path, so a failed
// write leaves the old file as it was. The file gets mode 0600; missing
// directories are made with mode 0700. An existing file that is not a
// session file (or not a regular file) is not overwritten; an empty one
// is.
func (s *Session) Save(path string) error {
	if strings.HasSuffix(path, "/") || strings.HasSuffix(path, string(filepath.Separator)) {
		return fmt.Errorf("%s: want a file name, not a directory", path)
	}
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file (not overwritten)", path)
	}
	data, err := s.MarshalJSON()
	if err != nil {
		return err
	}
	if old, err := os.ReadFile(path); err == nil && len(bytes.TrimSpace(old)) > 0 {
		if err := sessionfile.Check(old); err != nil {
			return fmt.Errorf("%s: not overwritten: %w", path, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, data, atomicfile.Exact(0o600))
}

// Load replaces the session's state with the session file at path (see
// UnmarshalJSON). A file that cannot be read, is larger than
// sessionfile.MaxSize or is not a valid session file is an error naming
// the file, and the session is left as it was.
func (s *Session) Load(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	// One byte more than a file may have, so that the decoder sees a
	// file too large as such without it all being read.
	data, err := io.ReadAll(io.LimitReader(f, sessionfile.MaxSize+1))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := s.load(data, dir); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
