package repl

import (
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/reqsh/reqsh/internal/format"
	"github.com/reqsh/reqsh/internal/spool"
	"github.com/reqsh/reqsh/session"
)

// maxLogged is how many exchanges the log keeps: the oldest is dropped,
// with its kept body, when one more arrives.
const maxLogged = 100

// exchange is one request and its response as the log keeps them.
type exchange struct {
	n       int // its number in the session, from 1
	resp    *session.Response
	body    *spool.Spool // the body as kept; nil when it went to a file
	maxBody int64        // the max-body it was kept under
	// kept is where body points when it was kept: the Spool is allocated
	// with the exchange, one allocation a request instead of two.
	kept spool.Spool
}

// newExchange returns an exchange, not yet logged, whose body is to be
// kept under maxBody: the one the log dropped last, when there is one.
func (l *exchangeLog) newExchange(maxBody int64) *exchange {
	e := l.spare
	if e == nil {
		e = new(exchange)
	}
	l.spare = nil
	*e = exchange{maxBody: maxBody}
	e.kept.Init("", spool.DefaultMemory, maxBody)
	e.body = &e.kept
	return e
}

// exchangeLog is the session's exchanges, the last maxLogged of them,
// numbered in the order they were sent.
type exchangeLog struct {
	// entries holds exchange n at index (n-1) % maxLogged: once full it
	// is a ring, so logging one more replaces the oldest in place instead
	// of moving the other 99 down on every request.
	entries []*exchange
	count   int // exchanges numbered so far
	// spare is the exchange the log dropped last, its body released:
	// nothing else holds an exchange once the log drops it (commands
	// look exchanges up as they run), so the next request's exchange is
	// this one, not one more allocation.
	spare *exchange
}

// add numbers and logs an exchange, dropping (and releasing the body of)
// the oldest when the log is full.
func (l *exchangeLog) add(e *exchange) {
	l.count++
	e.n = l.count
	if len(l.entries) < maxLogged {
		l.entries = append(l.entries, e)
		return
	}
	i := (e.n - 1) % maxLogged
	old := l.entries[i]
	if old.body != nil {
		old.body.Close()
	}
	*old = exchange{} // its response and body go now, not at its reuse
	l.entries[i] = e
	l.spare = old
}

// len returns how many exchanges the log holds.
func (l *exchangeLog) len() int { return len(l.entries) }

// first returns the number of the oldest exchange kept (1 when empty).
func (l *exchangeLog) first() int { return l.count - len(l.entries) + 1 }

// all yields the exchanges kept, oldest first.
func (l *exchangeLog) all() iter.Seq[*exchange] {
	return func(yield func(*exchange) bool) {
		for n := l.first(); n <= l.count; n++ {
			if !yield(l.entries[(n-1)%maxLogged]) {
				return
			}
		}
	}
}

// errNoExchanges is the error of the commands that need an exchange
// before any request was sent.
var errNoExchanges = errNoResponse

// get returns exchange n, or the last one for n 0.
func (l *exchangeLog) get(n int) (*exchange, error) {
	if len(l.entries) == 0 {
		return nil, errNoExchanges
	}
	if n == 0 {
		n = l.count
	}
	switch {
	case n > l.count || n < 1:
		return nil, fmt.Errorf("no exchange %d (the log has 1 to %d)", n, l.count)
	case n < l.first():
		return nil, fmt.Errorf("exchange %d is no longer kept (the log keeps the last %d)", n, maxLogged)
	}
	return l.entries[(n-1)%maxLogged], nil
}

// parseExchangeNumber reads N of `last N`, `export ... N`, `diff N M`.
func parseExchangeNumber(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimPrefix(s, "#"))
	if err != nil || n < 1 {
		return 0, fmt.Errorf("invalid exchange number %q: want a number from the log (1, 2, ...)", s)
	}
	return n, nil
}

// bodyBytes returns the body the exchange kept, or says why there is
// none.
func (e *exchange) bodyBytes() ([]byte, error) {
	switch {
	case e.resp.Truncated:
		return nil, fmt.Errorf("exchange %d: body not kept: over max-body (%s)", e.n, humanBytes(e.maxBody))
	case e.resp.Body != nil:
		return e.resp.Body, nil
	case e.body != nil:
		return e.body.Bytes()
	case e.resp.BodySize > 0:
		return nil, fmt.Errorf("exchange %d: the body was saved to a file, not kept", e.n)
	}
	return nil, nil
}

// logCmd lists the logged exchanges, one a line: number, method, URL,
// status, body size and time.
func (sh *shell) logCmd([]string) error {
	if sh.exchanges.len() == 0 {
		return errNoExchanges
	}
	for e := range sh.exchanges.all() {
		sh.println(logLine(e))
	}
	return nil
}

// logLine is one exchange as log lists it.
func logLine(e *exchange) string {
	r := e.resp
	method, target := "?", r.URL.String()
	if r.Request != nil {
		method = r.Request.Method
	}
	size := "-"
	if r.BodySize >= 0 {
		size = humanBytes(r.BodySize)
	}
	return format.Sanitize(fmt.Sprintf("%4d  %s %s  %d  %s  %s",
		e.n, method, maskURLsIn(target), r.StatusCode, size, roundDuration(r.Elapsed)))
}

// roundDuration shows a duration to a readable precision.
func roundDuration(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}

// lastCmd prints exchange N (default: the last) again, with the default
// --print parts or those given (--print WHAT, -v, -h, -b).
func (sh *shell) lastCmd(args []string) error {
	parts, rest, err := sh.printOptions(args)
	if err != nil {
		return err
	}
	n := 0
	if len(rest) > 1 {
		return &usageError{Usage: "last [N] [--print WHAT]", Msg: "last: too many arguments"}
	}
	if len(rest) == 1 {
		if n, err = parseExchangeNumber(rest[0]); err != nil {
			return err
		}
	}
	e, err := sh.exchanges.get(n)
	if err != nil {
		return err
	}
	return sh.printLogged(e, parts)
}

// printOptions takes --print WHAT, -v, -h and -b out of args.
func (sh *shell) printOptions(args []string) (format.Parts, []string, error) {
	parts := sh.parts
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		var err error
		switch {
		case a == "--print" || a == "-p":
			if i+1 >= len(args) {
				return parts, nil, fmt.Errorf("option %s needs a value", a)
			}
			i++
			parts, err = format.ParseParts(args[i])
		case strings.HasPrefix(a, "--print="):
			parts, err = format.ParseParts(strings.TrimPrefix(a, "--print="))
		case a == "-v" || a == "--verbose":
			parts, _ = format.ParseParts("HBhbm")
		case a == "-h" || a == "--headers":
			parts, _ = format.ParseParts("h")
		case a == "-b" || a == "--body":
			parts, _ = format.ParseParts("b")
		case strings.HasPrefix(a, "-") && len(a) > 1:
			return parts, nil, fmt.Errorf("unknown option %q (want --print WHAT, -v, -h or -b)", a)
		default:
			rest = append(rest, a)
		}
		if err != nil {
			return parts, nil, err
		}
	}
	return parts, rest, nil
}

// printLogged prints a logged exchange with the given parts; a body kept
// in a temporary file prints from there.
func (sh *shell) printLogged(e *exchange, parts format.Parts) error {
	resp := e.resp
	if resp.Body != nil || e.body == nil || resp.Truncated {
		return sh.printer.Exchange(resp, parts)
	}
	body, err := e.body.Reader()
	if err != nil {
		return err
	}
	if err := sh.printer.Head(resp, parts); err != nil {
		return err
	}
	if parts.RespBody {
		if err := sh.printer.StreamBody(body, resp.Header.Get("Content-Type"), false); err != nil {
			return err
		}
	}
	if parts.Meta {
		return sh.printer.Meta(resp)
	}
	return nil
}

// exploreCommands are the commands that turn what was explored into
// tests, reports and programs: log, diff, export, record.
func exploreCommands() []*command {
	return []*command{
		{
			path: []string{"log"}, group: groupScripting,
			summary: "list this session's exchanges: number, method, URL, status, size, time",
			help: `  The log keeps the last 100 exchanges, each body up to max-body.
  last N, diff N M and export ... N take the numbers it shows.`,
			run: (*shell).logCmd,
		},
		{
			path: []string{"diff"}, group: groupScripting, args: "N M",
			summary: "the differences between exchanges N and M: status, headers, bodies",
			help: `  status: 200 -> 404
  header Content-Length: "310" -> "322"
  items.3.price: 10 -> 12     # JSON bodies value by value, gjson paths
  a.b: added "x"
  c: removed
  Text bodies are shown as a unified diff.`,
			min: 2, max: 2, run: (*shell).diffCmd,
		},
		{
			path: []string{"record"}, group: groupScripting, args: "FILE|stop",
			summary: "append every command that succeeds to FILE as a script, until record stop",
			help: `  record session.reqsh    # base URL first; each request gets an expect status
  record stop
  Secrets (auth, secret-looking headers, params, fields, URL user info)
  are written as {{env.NAME}}, with a comment naming each variable:
  set them and run the file (reqsh -f FILE, reqsh test FILE).`,
			min: 1, max: 1, run: (*shell).recordCmd,
		},
		{
			path: []string{"export"}, group: groupScripting, args: "curl|httpie|python [N] [--session]",
			summary: "exchange N (default: the last) as a curl or HTTPie command line, or a Python requests program",
			help: `  export curl 2           # curl is also the short form: curl [N]
  export httpie
  export python > req.py  # a runnable program using requests
  export python --session # every logged request, on one requests.Session
  Headers are exported as sent (cookies and auth included): an export
  is meant to run, so it holds the session's secrets.`,
			min: 1, max: 3, run: (*shell).exportCmd,
			complete: func(_ *shell, args []string, _ string) []string {
				if len(args) == 0 {
					return exportTargets
				}
				return nil
			},
		},
	}
}
