package repl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/reqsh/reqsh/internal/format"
	"github.com/reqsh/reqsh/internal/items"
	"github.com/reqsh/reqsh/session"
)

// bodyMode says how body fields are encoded.
type bodyMode int

const (
	bodyJSON bodyMode = iota
	bodyForm
	bodyMultipart
)

// requestArgs is a request command's line, parsed.
type requestArgs struct {
	req     session.Request
	parts   format.Parts
	mode    bodyMode
	raw     *string
	fields  []items.Item // Field, RawJSON and Upload (counted in uploads), in order
	uploads int
	bodyOf  string // @path
	output  string // -o FILE
	auth    string // -a USER[:PASS] or TOKEN
	authTyp string // --auth-type
	stream  bool   // --stream: print JSON bodies as they arrive
	// partsGiven says the request chose what to print (--print, -v, -h,
	// -b): --offline and output redirection keep the choice.
	partsGiven  bool
	offline     bool // --offline: print the request, send nothing
	checkStatus bool // --check-status: a 3xx, 4xx or 5xx fails the command
	all         bool // --all: print every exchange of the redirect chain
}

// request runs a request command: METHOD [URL] [ITEM...] [OPTION...].
func (sh *shell) request(method string, args []string) error {
	ra, err := sh.parseRequest(method, args)
	if err != nil {
		return err
	}
	if err := ra.buildBody(); err != nil {
		return err
	}
	if err := ra.buildAuth(sh); err != nil {
		return err
	}
	// The API description's check (set check; spec.go).
	if err := sh.checkRequest(ra); err != nil {
		return err
	}
	if ra.offline {
		return sh.offline(ra)
	}
	if ra.output != "" {
		if err := sh.download(ra); err != nil {
			return err
		}
		return ra.statusCheck(sh.last)
	}
	return sh.send(ra)
}

// send sends the request ra describes and prints the response as it
// arrives, keeping its body for later commands. It is apart from request
// so that its two defers, with its few returns, are open-coded by the
// compiler instead of being recorded at run time on every request (Go
// does that for a function whose returns times defers exceed 15).
func (sh *shell) send(ra *requestArgs) error {
	ctx, cancel := sh.requestContext()
	defer cancel()
	resp, err := sh.sess.Send(ctx, &ra.req)
	if err != nil {
		return err
	}
	defer resp.Stream.Close()
	sh.noteResponse(resp)
	// The body flows to the screen as it arrives; what later commands
	// need of it (last, json, capture, expect) is kept on the way.
	e := sh.exchanges.newExchange(sh.maxBody)
	if err := sh.printResponse(resp, ra, e.body.Tee(resp.Stream)); err != nil {
		e.body.Close()
		return sh.printError(err)
	}
	sh.setLast(resp, e)
	return ra.statusCheck(resp)
}

// printResponse prints what ra asks for of resp, its body read from body.
func (sh *shell) printResponse(resp *session.Response, ra *requestArgs, body io.Reader) error {
	err := sh.printHops(resp, ra)
	if err == nil {
		err = sh.printer.Head(resp, ra.parts)
	}
	if err == nil {
		if ra.parts.RespBody {
			err = sh.printer.StreamBody(body, resp.Header.Get("Content-Type"), ra.stream)
		} else if _, rerr := io.Copy(io.Discard, body); rerr != nil {
			err = &format.ReadError{Err: rerr}
		}
	}
	if err == nil && ra.parts.Meta {
		resp.Stream.Close() // the elapsed time covers the whole body
		err = sh.printer.Meta(resp)
	}
	return err
}

// printError is the command's error when printing a response failed.
func (sh *shell) printError(err error) error {
	var re *format.ReadError
	var oe *outputError
	switch {
	case errors.As(err, &oe):
		// A redirection's file failed, not the shell's output.
	case errors.As(err, &re):
		err = re.Err
		if errors.Is(err, session.ErrCanceled) && sh.guard != nil {
			// Ctrl-C in the middle of a body: what was printed
			// stays; the connection is dropped.
			return errOutputStopped
		}
	case !errors.Is(err, errOutputStopped):
		sh.outputLost = true
		err = fmt.Errorf("write output: %w", err)
	}
	return err
}

// noteResponse remembers the paths of a response and its redirects for
// completion at the prompt.
func (sh *shell) noteResponse(resp *session.Response) {
	if !sh.interactive {
		return
	}
	sh.notePaths(resp.URL.Path)
	for _, h := range resp.History {
		sh.notePaths(h.URL.Path)
	}
}

// setLast makes resp the last response, logged as e, with its body as e
// kept it (e.body nil: the body went to a file).
func (sh *shell) setLast(resp *session.Response, e *exchange) {
	e.resp = resp
	// The log owns the kept bodies: it releases one when it drops it.
	defer sh.exchanges.add(e)
	kept := e.body
	sh.last, sh.lastBody, sh.lastMaxBody = resp, kept, e.maxBody
	if kept == nil {
		return
	}
	if kept.InMemory() && kept.Complete() {
		// The usual case: a body of a few MiB at most, held as bytes.
		resp.Body, _ = kept.Bytes()
		if resp.Body == nil {
			resp.Body = []byte{}
		}
	}
	resp.Truncated = !kept.Complete()
}

// errTruncated is the error for the last body, not kept whole.
func (x *lastExchange) errTruncated() error {
	return fmt.Errorf("body not kept: over max-body (%s); use -o FILE, or set max-body", humanBytes(x.lastMaxBody))
}

// buildAuth turns -a and --auth-type into the request's auth.
func (ra *requestArgs) buildAuth(sh *shell) error {
	if ra.auth == "" {
		if ra.authTyp != "" {
			return fmt.Errorf("--auth-type needs -a")
		}
		return nil
	}
	scheme := session.Basic
	if ra.authTyp != "" {
		var err error
		if scheme, err = session.ParseScheme(ra.authTyp); err != nil {
			return err
		}
	}
	if scheme == session.Bearer {
		ra.req.Auth = session.BearerAuth(ra.auth)
		return nil
	}
	user, pass, ok := strings.Cut(ra.auth, ":")
	if !ok {
		p, _, err := sh.askPassword(fmt.Sprintf("password for %s: ", user))
		if errors.Is(err, errNoTerminal) {
			return fmt.Errorf("-a %s: %w: write -a USER:PASS (USER: for an empty password)", user, err)
		}
		if err != nil {
			return err
		}
		pass = p
	}
	ra.req.Auth = &session.Auth{Scheme: scheme, User: user, Password: pass}
	return nil
}

// parseRequest reads the URL, the items and the options. The result is
// the shell's one requestArgs, filled afresh: it lives until the request
// command ends (what the session keeps of it, it copies or shares
// without changing), so it need not be allocated for every request.
// Its body fields' array is used again too: only buildBody reads them,
// and the body it makes is a copy.
func (sh *shell) parseRequest(method string, args []string) (*requestArgs, error) {
	ra := &sh.reqArgs
	fields := ra.fields
	clear(fields) // no strings of the last line kept alive
	*ra = requestArgs{parts: sh.parts, fields: fields[:0]}
	ra.req.Method = method
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		ra.req.URL = args[0]
		args = args[1:]
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		value := func() (string, error) {
			if i+1 >= len(args) {
				return "", fmt.Errorf("option %s needs a value", a)
			}
			i++
			return args[i], nil
		}
		if name, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix(a, "--") {
			// --name=value, as HTTPie and curl take it.
			used := false
			if err := ra.option(name, func() (string, error) { used = true; return v, nil }); err != nil {
				return nil, err
			}
			if !used {
				return nil, fmt.Errorf("option %s takes no value", name)
			}
			continue
		}
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			if err := ra.option(a, value); err != nil {
				return nil, err
			}
			continue
		}
		it, err := items.Parse(a)
		if err != nil {
			return nil, err
		}
		if err := ra.addItem(it); err != nil {
			return nil, err
		}
	}
	return ra, nil
}

// option applies one request option (see requestOptionTable); value
// takes the option's argument.
func (ra *requestArgs) option(name string, value func() (string, error)) error {
	o := findRequestOption(name)
	if o == nil {
		return ra.unknownOption(name)
	}
	v := ""
	if o.arg != "" {
		var err error
		if v, err = value(); err != nil {
			return err
		}
	}
	return o.apply(ra, name, v)
}

// addItem records one request item. Headers are HTTPie's: a repeated
// name sends each value, Name: drops the values so far (and the session's
// and default header), a later Name:v or Name; brings the name back.
func (ra *requestArgs) addItem(it items.Item) error {
	switch it.Kind {
	case items.Header, items.HeaderEmpty:
		if ra.req.Header == nil {
			ra.req.Header = http.Header{}
		}
		ra.req.Header.Add(it.Name, it.Value)
		ra.req.Omit = slices.DeleteFunc(ra.req.Omit, func(name string) bool { return strings.EqualFold(name, it.Name) })
	case items.HeaderRemove:
		ra.req.Header.Del(it.Name)
		ra.req.Omit = append(ra.req.Omit, it.Name)
	case items.Query:
		ra.req.Query = append(ra.req.Query, session.Param{Name: it.Name, Value: it.Value})
	case items.Field, items.RawJSON:
		ra.fields = append(ra.fields, it)
	case items.FieldFile, items.RawJSONFile:
		data, err := os.ReadFile(it.Value)
		if err != nil {
			return fmt.Errorf("field %q: %w", it.Name, err)
		}
		kind := items.Field
		if it.Kind == items.RawJSONFile {
			if !json.Valid(data) {
				return fmt.Errorf("field %q: file %q is not valid JSON", it.Name, it.Value)
			}
			kind = items.RawJSON
		}
		ra.fields = append(ra.fields, items.Item{Kind: kind, Name: it.Name, Value: string(data), Raw: it.Raw})
	case items.Upload:
		ra.fields = append(ra.fields, it)
		ra.uploads++
	case items.BodyFile:
		ra.bodyOf = it.Value
	}
	return nil
}

// buildBody encodes the fields, uploads, raw text or file into the body.
func (ra *requestArgs) buildBody() error {
	sources := 0
	for _, has := range []bool{ra.raw != nil, ra.bodyOf != "", len(ra.fields) > 0} {
		if has {
			sources++
		}
	}
	if sources > 1 {
		return fmt.Errorf("give the body one way: fields, --raw or @file")
	}
	r := &ra.req
	switch {
	case ra.raw != nil:
		r.Body = []byte(*ra.raw)
		r.ContentType = "text/plain; charset=utf-8"
		if json.Valid(r.Body) {
			r.ContentType = "application/json"
		}
	case ra.bodyOf != "":
		data, err := os.ReadFile(ra.bodyOf)
		if err != nil {
			return fmt.Errorf("body: %w", err)
		}
		r.Body = data
		r.ContentType = contentTypeOf(ra.bodyOf, data)
	case ra.uploads > 0 || ra.mode == bodyMultipart:
		return ra.multipartBody()
	case len(ra.fields) == 0:
	case ra.mode == bodyForm:
		var b strings.Builder
		for _, f := range formOrder(ra.fields) {
			v, err := items.FormValue(f)
			if err != nil {
				return err
			}
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(f.Name) + "=" + url.QueryEscape(v))
		}
		r.Body = []byte(b.String())
		r.ContentType = "application/x-www-form-urlencoded; charset=utf-8"
	default:
		body, err := items.JSONBody(ra.fields)
		if err != nil {
			return err
		}
		r.Body = body
		r.ContentType = "application/json"
	}
	return nil
}

// formOrder orders form fields as HTTPie sends them: every name where it
// first appears, with all its values (fields and files alike) in the
// order given, so a=1 b=2 a=3 sends a=1&a=3&b=2.
func formOrder(fields []items.Item) []items.Item {
	first := map[string]int{}
	var groups [][]items.Item
	for _, f := range fields {
		i, ok := first[f.Name]
		if !ok {
			i = len(groups)
			first[f.Name] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], f)
	}
	return slices.Concat(groups...)
}

// multipartBody encodes fields and file uploads as multipart/form-data,
// in formOrder.
func (ra *requestArgs) multipartBody() error {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, f := range formOrder(ra.fields) {
		if f.Kind != items.Upload {
			v, err := items.FormValue(f)
			if err != nil {
				return err
			}
			if err := w.WriteField(f.Name, v); err != nil {
				return err
			}
			continue
		}
		data, err := os.ReadFile(f.Value)
		if err != nil {
			return fmt.Errorf("upload %q: %w", f.Name, err)
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`,
			escapeQuotes(f.Name), escapeQuotes(filepath.Base(f.Value))))
		ct := f.Type
		if ct == "" {
			ct = contentTypeOf(f.Value, data)
		}
		h.Set("Content-Type", ct)
		part, err := w.CreatePart(h)
		if err != nil {
			return err
		}
		if _, err := part.Write(data); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	ra.req.Body = buf.Bytes()
	ra.req.ContentType = w.FormDataContentType()
	return nil
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"")

func escapeQuotes(s string) string { return quoteEscaper.Replace(s) }

// contentTypeOf guesses a file's type from its name, then its bytes.
func contentTypeOf(name string, data []byte) string {
	if ct := mime.TypeByExtension(filepath.Ext(name)); ct != "" {
		return ct
	}
	return http.DetectContentType(data)
}
