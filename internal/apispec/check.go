package apispec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// CheckRequest checks a request about to be sent against its operation:
// unknown or missing required parameters, a missing required body field,
// a value of the wrong type. It returns one message per problem (none
// when all is well); a request the description has no operation for is
// one message.
func (s *Spec) CheckRequest(ctx context.Context, req *http.Request, body []byte) []string {
	op, ok := s.Operation(req.Method, req.URL.Path)
	if !ok {
		return []string{fmt.Sprintf("%s %s: no such operation in the API description", req.Method, req.URL.Path)}
	}
	var msgs []string
	known := map[string]bool{}
	for _, p := range op.Parameters() {
		if p.In == openapi3.ParameterInQuery {
			known[p.Name] = true
		}
	}
	var unknown []string
	for name := range req.URL.Query() {
		if !known[name] {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	for _, name := range unknown {
		msgs = append(msgs, fmt.Sprintf("query parameter %q: not a parameter of %s %s", name, op.Method, op.Template))
	}
	r := req.Clone(ctx)
	r.Body = io.NopCloser(bytes.NewReader(body))
	input := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: op.PathParams,
		Route:      s.route(op),
		Options: &openapi3filter.Options{
			MultiError:          true,
			AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc,
			SkipSettingDefaults: true,
		},
	}
	if err := openapi3filter.ValidateRequest(ctx, input); err != nil {
		msgs = append(msgs, Violations(err)...)
	}
	return msgs
}

// route is an operation as kin-openapi's validators take it.
func (s *Spec) route(op *Op) *routers.Route {
	return &routers.Route{Spec: op.doc, Path: op.Template, PathItem: op.Item, Method: op.Method, Operation: op.Op}
}

// CheckResponse validates a response (status, Content-Type, body)
// against the operation of the request it answers. It returns one
// message per violation, each led by the JSON pointer of the value at
// fault ("/items/3/price: ..."); none when the response conforms.
func (s *Spec) CheckResponse(ctx context.Context, method, path string, status int, header http.Header, body []byte) ([]string, error) {
	op, ok := s.Operation(method, path)
	if !ok {
		return nil, fmt.Errorf("%s %s: no such operation in the API description", method, path)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://localhost"+path, nil)
	if err != nil {
		return nil, err
	}
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: op.PathParams, Route: s.route(op),
		},
		Status:  status,
		Header:  header,
		Options: &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true},
	}
	input.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(ctx, input); err != nil {
		return Violations(err), nil
	}
	return nil, nil
}

// english words JSON Schema 2020-12 errors.
var english = message.NewPrinter(language.English)

// schemaReason is what is wrong with a value: the schema error's reason,
// or for OpenAPI 3.1 (validated as JSON Schema 2020-12) the failing
// keyword's message alone, without the locations it repeats ("value
// must be 'task'", "got number, want null or string").
func schemaReason(se *openapi3.SchemaError) string {
	var ve *jsonschema.ValidationError
	if !errors.As(se, &ve) {
		return oneLine(se.Reason)
	}
	for len(ve.Causes) == 1 {
		ve = ve.Causes[0]
	}
	if len(ve.Causes) > 0 {
		return oneLine(se.Reason)
	}
	return oneLine(ve.ErrorKind.LocalizedString(english))
}

// schemaPointer is the JSON pointer of the value at fault: for a
// missing required property (OpenAPI 3.1), the property's, as OpenAPI
// 3.0's validator gives it.
func schemaPointer(se *openapi3.SchemaError) string {
	ptr := "/" + strings.Join(se.JSONPointer(), "/")
	var ve *jsonschema.ValidationError
	if !errors.As(se, &ve) {
		return ptr
	}
	for len(ve.Causes) == 1 {
		ve = ve.Causes[0]
	}
	if req, ok := ve.ErrorKind.(*kind.Required); ok && len(req.Missing) == 1 {
		return strings.TrimSuffix(ptr, "/") + "/" + req.Missing[0]
	}
	return ptr
}

// Violations flattens a validation error of kin-openapi into one line a
// problem, sorted: a schema error as "JSON-POINTER: reason", a
// parameter's as "query parameter "sort": reason".
func Violations(err error) []string {
	var out []string
	var walk func(err error, prefix string)
	walk = func(err error, prefix string) {
		var multi openapi3.MultiError
		if errors.As(err, &multi) {
			for _, e := range multi {
				walk(e, prefix)
			}
			return
		}
		var re *openapi3filter.RequestError
		if errors.As(err, &re) {
			if re.Parameter != nil {
				prefix = fmt.Sprintf("%s parameter %q: ", re.Parameter.In, re.Parameter.Name)
			} else if re.RequestBody != nil {
				prefix = "body "
			}
			if re.Err != nil {
				walk(re.Err, prefix)
				return
			}
			out = append(out, prefix+oneLine(re.Reason))
			return
		}
		var rse *openapi3filter.ResponseError
		if errors.As(err, &rse) {
			if rse.Err != nil {
				walk(rse.Err, prefix)
				return
			}
			out = append(out, prefix+oneLine(rse.Reason))
			return
		}
		var se *openapi3.SchemaError
		if errors.As(err, &se) {
			ptr := schemaPointer(se)
			reason := schemaReason(se)
			if strings.HasSuffix(prefix, "parameter ") || strings.Contains(prefix, "parameter \"") {
				out = append(out, prefix+reason)
				return
			}
			out = append(out, strings.TrimSpace(prefix)+ptr+": "+reason)
			return
		}
		out = append(out, prefix+oneLine(err.Error()))
	}
	walk(err, "")
	sort.Strings(out) // JSON Schema 2020-12 errors come in no fixed order
	return out
}
