// Package apispec is what reqsh knows of the API in front of it: an
// OpenAPI description (3.0 or 3.1, JSON or YAML; Swagger 2.0 converted)
// loaded with github.com/getkin/kin-openapi, its paths indexed as a tree
// for ls, cd and completion, concrete paths matched to their templates,
// and requests and responses checked against their operations. Parsing,
// $ref resolution and schema validation are kin-openapi's; this package
// only indexes and words the results.
package apispec

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	yaml "go.yaml.in/yaml/v4"
)

// Fetcher reads a description (or a file it refers to) from an http or
// https URL.
type Fetcher func(ctx context.Context, url string) ([]byte, error)

// IsURL reports whether source names an http or https URL rather than a
// file.
func IsURL(source string) bool {
	return strings.HasPrefix(source, "http://") || strings.HasPrefix(source, "https://")
}

// Load reads the description at source (a file path or an http(s) URL
// read with fetch), resolves its $refs (local, to relative files or
// URLs) and indexes it. The error is one line naming source.
func Load(ctx context.Context, source string, fetch Fetcher) (*Spec, error) {
	loc, data, err := read(ctx, source, fetch)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	return parseSpec(ctx, source, data, loc, fetch)
}

// Parse reads a description from data, as if it were at source (for the
// relative $refs it has), and indexes it.
func Parse(ctx context.Context, source string, data []byte, fetch Fetcher) (*Spec, error) {
	loc, err := location(source)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	return parseSpec(ctx, source, data, loc, fetch)
}

// parseSpec parses data found at loc and indexes it; the error is one
// line naming source.
func parseSpec(ctx context.Context, source string, data []byte, loc *url.URL, fetch Fetcher) (*Spec, error) {
	doc, err := parse(ctx, data, loc, fetch)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", source, oneLine(err.Error()))
	}
	return newSpec(source, doc), nil
}

// location is source as the URL the loader resolves relative $refs
// against.
func location(source string) (*url.URL, error) {
	if IsURL(source) {
		return url.Parse(source)
	}
	abs, err := filepath.Abs(source)
	if err != nil {
		return nil, err
	}
	return &url.URL{Path: filepath.ToSlash(abs)}, nil
}

// read returns source's location and bytes.
func read(ctx context.Context, source string, fetch Fetcher) (*url.URL, []byte, error) {
	loc, err := location(source)
	if err != nil {
		return nil, nil, err
	}
	if IsURL(source) {
		if fetch == nil {
			return nil, nil, errors.New("cannot fetch URLs here")
		}
		data, err := fetch(ctx, source)
		return loc, data, err
	}
	data, err := os.ReadFile(source)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, nil, err
	}
	return loc, data, nil
}

// parse turns a description's bytes into a resolved OpenAPI 3 document;
// a Swagger 2.0 one is converted.
func parse(ctx context.Context, data []byte, loc *url.URL, fetch Fetcher) (*openapi3.T, error) {
	var probe struct {
		Swagger string `yaml:"swagger"`
		OpenAPI string `yaml:"openapi"`
	}
	if err := yaml.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("not JSON or YAML: %s", yamlReason(err))
	}
	switch {
	case strings.HasPrefix(probe.Swagger, "2."):
		return fromSwagger2(data)
	case probe.OpenAPI == "":
		return nil, errors.New(`not an OpenAPI description: no "openapi" or "swagger" version`)
	}
	loader := openapi3.NewLoader()
	loader.Context = ctx
	loader.IsExternalRefsAllowed = true
	loader.ReadFromURIFunc = func(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
		if u.Scheme == "http" || u.Scheme == "https" {
			if fetch == nil {
				return nil, fmt.Errorf("cannot fetch %q here", u.String())
			}
			return fetch(ctx, u.String())
		}
		return os.ReadFile(filepath.FromSlash(u.Path))
	}
	return loader.LoadFromDataWithPath(data, loc)
}

// fromSwagger2 converts a Swagger 2.0 description to OpenAPI 3.
func fromSwagger2(data []byte) (*openapi3.T, error) {
	var tree any
	if err := yaml.Unmarshal(data, &tree); err != nil {
		return nil, fmt.Errorf("not JSON or YAML: %s", yamlReason(err))
	}
	js, err := json.Marshal(tree)
	if err != nil {
		return nil, fmt.Errorf("swagger 2.0: %w", err)
	}
	var doc2 openapi2.T
	if err := json.Unmarshal(js, &doc2); err != nil {
		return nil, fmt.Errorf("swagger 2.0: %w", err)
	}
	doc, err := openapi2conv.ToV3(&doc2)
	if err != nil {
		return nil, fmt.Errorf("swagger 2.0: %w", err)
	}
	return doc, nil
}

// yamlReason is a YAML error's message, without the library's prefix.
func yamlReason(err error) string {
	return strings.TrimPrefix(oneLine(err.Error()), "yaml: ")
}

// oneLine joins a multi-line message into one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
