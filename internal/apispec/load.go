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
	s, err := parse(ctx, source, data, loc, fetch)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", source, oneLine(err.Error()))
	}
	return s, nil
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

// parse turns a description's bytes into an indexed Spec. An OpenAPI 3
// description whose $refs all point into its own components is indexed
// from its JSON text and resolved one path item at a time, when first
// used (see rawDoc); a Swagger 2.0 one is converted, and one with $refs
// to other files or URLs is resolved whole, at once.
func parse(ctx context.Context, source string, data []byte, loc *url.URL, fetch Fetcher) (*Spec, error) {
	js, isJSON, err := asJSON(data)
	if err != nil {
		return nil, err
	}
	raw, err := newRawDoc(js)
	if err != nil {
		if !isJSON {
			return nil, errors.New("not an OpenAPI description: not a mapping")
		}
		return nil, err
	}
	switch {
	case strings.HasPrefix(raw.version("swagger"), "2."):
		doc, err := fromSwagger2(js)
		if err != nil {
			return nil, err
		}
		return fullSpec(source, doc), nil
	case raw.version("openapi") == "":
		return nil, errors.New(`not an OpenAPI description: no "openapi" or "swagger" version`)
	}
	err = raw.checkRefs(data, isJSON)
	if errors.Is(err, errNeedsFullLoad) {
		doc, err := loadData(ctx, data, loc, fetch, true)
		if err != nil {
			return nil, err
		}
		return fullSpec(source, doc), nil
	}
	if err != nil {
		return nil, err
	}
	return lazySpec(ctx, source, raw, loc)
}

// asJSON is a description as JSON text: as it is when it is JSON (an
// object), else converted from YAML. isJSON says which it was.
func asJSON(data []byte) (js []byte, isJSON bool, err error) {
	if i := skipSpace(data, 0); i < len(data) && data[i] == '{' {
		return data, true, nil
	}
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return nil, false, fmt.Errorf("not JSON or YAML: %s", yamlReason(err))
	}
	v, err := plainYAML(&n, 0)
	if err != nil {
		return nil, false, err
	}
	js, err = json.Marshal(v)
	if err != nil {
		return nil, false, fmt.Errorf("YAML: %w", err)
	}
	return js, false, nil
}

// plainYAML is a YAML node as the plain value encoding/json writes: maps
// with string keys, slices, strings, numbers, booleans and nulls. Scalars
// other than those (timestamps, binary) stay text, as in JSON.
func plainYAML(n *yaml.Node, depth int) (any, error) {
	if depth > 1000 {
		return nil, fmt.Errorf("line %d: YAML nested too deep (or a cycle of aliases)", n.Line)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return plainYAML(n.Content[0], depth+1)
	case yaml.AliasNode:
		return plainYAML(n.Alias, depth+1)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || k.Value == "<<" {
				return nil, fmt.Errorf("line %d: YAML key not supported in a description", k.Line)
			}
			v, err := plainYAML(n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			m[k.Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := plainYAML(c, depth+1)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	}
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool", "!!int", "!!float":
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, fmt.Errorf("line %d: %s", n.Line, yamlReason(err))
		}
		return v, nil
	}
	return n.Value, nil
}

// readURI reads a file a $ref names: from disk, or over http(s) with
// fetch.
func readURI(ctx context.Context, fetch Fetcher) openapi3.ReadFromURIFunc {
	return func(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
		if u.Scheme == "http" || u.Scheme == "https" {
			if fetch == nil {
				return nil, fmt.Errorf("cannot fetch %q here", u.String())
			}
			return fetch(ctx, u.String())
		}
		return os.ReadFile(filepath.FromSlash(u.Path))
	}
}

// fromSwagger2 converts a Swagger 2.0 description to OpenAPI 3.
func fromSwagger2(js []byte) (*openapi3.T, error) {
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
