// Command reqsh-bench measures a run of many requests, side by side in one
// run against one go-httpbin on loopback: the reqsh binary fed a script on
// stdin, a plain net/http loop printing the same pretty-printed bodies (the
// floor), and, where they are installed, curl and HTTPie. It prints a
// Markdown table: requests per second, time relative to the net/http loop,
// TCP connections the server accepted, and peak RSS; then how fast a large
// JSON body prints for a terminal. `make bench` runs it.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/tidwall/pretty"

	"github.com/reqsh/reqsh/internal/demo"
	"github.com/reqsh/reqsh/internal/format"
	"github.com/reqsh/reqsh/internal/sample"
)

func main() {
	if len(os.Args) > 3 && os.Args[1] == "-loop" {
		os.Exit(netHTTPLoop(os.Args[2], os.Args[3]))
	}
	n := flag.Int("n", 10000, "requests per run")
	reqsh := flag.String("reqsh", "bin/reqsh", "the reqsh binary")
	sample := flag.Int("sample", 200, "requests sampled for one-process-per-request tools (scaled to -n)")
	startups := flag.Int("startups", 50, "runs for the start-up time")
	rounds := flag.Int("rounds", 3, "rounds of the scripted runs; each contender's best round counts")
	long := flag.Int("long", 100000, "requests in the long run that shows memory stays flat (0: skip)")
	bigMiB := flag.Int("bigjson", 1024, "MiB of JSON piped through reqsh for throughput and memory (0: skip)")
	tools := flag.Int("tools-mib", 32, "MiB of JSON through reqsh, jq and python3 -m json.tool side by side, where installed (0: skip)")
	events := flag.Int("events", 200, "server-sent events for the latency figure (0: skip)")
	flag.Parse()
	streams := streamRuns{bigMiB: *bigMiB, tools: *tools, events: *events}
	if err := run(*reqsh, *n, *sample, *startups, *long, max(*rounds, 1), streams); err != nil {
		fmt.Fprintf(os.Stderr, "reqsh-bench: %v\n", err)
		os.Exit(1)
	}
}

// server is the go-httpbin under test, counting accepted connections.
type server struct {
	url   string
	mu    sync.Mutex
	conns int
}

func (s *server) track(_ net.Conn, state http.ConnState) {
	if state == http.StateNew {
		s.mu.Lock()
		s.conns++
		s.mu.Unlock()
	}
}

func (s *server) takeConns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.conns
	s.conns = 0
	return n
}

// result is one contender's run.
type result struct {
	name     string
	requests int           // requests actually made
	elapsed  time.Duration // wall time of those requests
	scale    float64       // multiply elapsed by this to compare with -n
	single   bool          // one large transfer: no rate or ratio to show
	conns    int
	rssKB    int64
	note     string
}

// streamRuns says which stream figures to measure.
type streamRuns struct {
	bigMiB int // MiB of JSON piped through reqsh (0: none)
	tools  int // MiB of JSON through reqsh, jq and python3 (0: none)
	events int // server-sent events timed (0: none)
}

func run(reqsh string, n, sample, startups, long, rounds int, streams streamRuns) error {
	if _, err := os.Stat(reqsh); err != nil {
		return fmt.Errorf("reqsh binary: %w (run make build first)", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &server{url: "http://" + ln.Addr().String()}
	mux := http.NewServeMux()
	mux.Handle("/", demo.Handler())
	mux.HandleFunc("/big", serveBig)
	mux.HandleFunc("/big.json", serveJSON)
	mux.HandleFunc("/sse-bench", serveEvents)
	hs := &http.Server{Handler: mux, ConnState: srv.track}
	go hs.Serve(ln)
	defer hs.Close()

	tmp, err := os.MkdirTemp("", "reqsh-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	script := filepath.Join(tmp, "script.reqsh")
	if err := os.WriteFile(script, []byte(strings.Repeat("get /get\n", n)), 0o644); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	outFile := filepath.Join(tmp, "out.txt")

	var results []result
	add := func(r result, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", r.name, err)
		}
		r.conns = srv.takeConns()
		results = append(results, r)
		return nil
	}
	srv.takeConns()
	ua, err := userAgent(reqsh)
	if err != nil {
		return err
	}
	// The floor sends what reqsh sends, so the server does the same work
	// and returns the same bodies for both.
	loop := []string{"-loop", srv.url + "/get", ua}
	scripted := []contender{
		{name: floorName, bin: self, args: loop, out: os.DevNull},
		{name: "net/http loop, GOMAXPROCS=1", bin: self, args: loop, out: os.DevNull,
			env: []string{"GOMAXPROCS=1"}, note: "the floor on one thread, as reqsh runs"},
		{name: "reqsh > /dev/null", bin: reqsh, args: []string{srv.url}, out: os.DevNull},
		{name: "reqsh > file", bin: reqsh, args: []string{srv.url}, out: outFile},
	}
	best, err := bestOf(scripted, rounds, n, script, srv)
	if err != nil {
		return err
	}
	results = append(results, best...)
	if curl, err := exec.LookPath("curl"); err == nil {
		if err := add(curlOneProcess(curl, n, srv.url, tmp)); err != nil {
			return err
		}
		if err := add(perRequest("curl, a process per request", min(sample, n), n, curl, "-s", srv.url+"/get")); err != nil {
			return err
		}
	}
	if httpie, err := exec.LookPath("http"); err == nil {
		if err := add(perRequest("HTTPie, a process per request", min(sample/4+1, n), n, httpie, "--ignore-stdin", "-b", srv.url+"/get")); err != nil {
			return err
		}
	}
	if long > 0 {
		script := filepath.Join(tmp, "long.reqsh")
		if err := os.WriteFile(script, []byte(strings.Repeat("get /get\n", long)), 0o644); err != nil {
			return err
		}
		r, err := timeProcess(fmt.Sprintf("reqsh > /dev/null, %d requests", long), long, script, os.DevNull, reqsh, srv.url)
		r.scale = float64(n) / float64(long)
		r.note = "memory over a long run"
		if err := add(r, err); err != nil {
			return err
		}
	}
	dl := filepath.Join(tmp, "download.reqsh")
	if err := os.WriteFile(dl, []byte("get /big -o "+filepath.Join(tmp, "big.bin")+"\n"), 0o644); err != nil {
		return err
	}
	big, err := timeProcess("reqsh -o FILE, 256 MiB body", 1, dl, os.DevNull, reqsh, srv.url)
	big.note = fmt.Sprintf("%.0f MiB/s", float64(bigSize>>20)/big.elapsed.Seconds())
	big.single = true
	if err := add(big, err); err != nil {
		return err
	}
	start, err := startupTime(reqsh, startups)
	if err != nil {
		return err
	}
	var bigRuns []result
	if streams.bigMiB > 0 {
		if bigRuns, err = bigJSON(reqsh, srv.url, tmp, streams.bigMiB, streams.tools); err != nil {
			return err
		}
	}
	printTable(results, n, start)
	if len(bigRuns) > 0 {
		fmt.Printf("\nLarge JSON bodies, streamed\n\n")
		printStreamTable(bigRuns)
		fmt.Printf("\n%s", streamPrinting(min(streams.bigMiB, 256)))
	}
	if streams.events > 0 {
		latency, err := sseLatency(reqsh, srv.url, streams.events)
		if err != nil {
			return err
		}
		fmt.Printf("\n%s\n", latency)
	}
	printing, err := terminalPrinting(rounds)
	if err != nil {
		return err
	}
	fmt.Printf("\n%s\n", printing)
	return nil
}

// terminalPrinting measures how fast reqsh prints a 10 MiB JSON body to a
// terminal (checked, pretty, colored, sanitized) against tidwall/pretty's
// own Pretty and Color on the same document, alternating, best of rounds.
func terminalPrinting(rounds int) (string, error) {
	doc := sample.JSON(10 << 20)
	p := format.New(io.Discard, format.Options{Color: true, Terminal: true, Pretty: true})
	var reqshBest, prettyBest time.Duration
	timed := func(best *time.Duration, round int, f func() error) error {
		runtime.GC() // no garbage left from the other contender
		start := time.Now()
		if err := f(); err != nil {
			return err
		}
		if d := time.Since(start); round == 0 || d < *best {
			*best = d
		}
		return nil
	}
	viaReqsh := func() error { return p.Body(doc, "application/json") }
	viaPretty := func() error {
		_, err := io.Discard.Write(pretty.Color(pretty.Pretty(doc), pretty.TerminalStyle))
		return err
	}
	for round := range rounds {
		first, second := viaReqsh, viaPretty
		firstBest, secondBest := &reqshBest, &prettyBest
		if round%2 == 1 {
			first, second, firstBest, secondBest = second, first, secondBest, firstBest
		}
		if err := timed(firstBest, round, first); err != nil {
			return "", fmt.Errorf("print 10 MiB JSON: %w", err)
		}
		if err := timed(secondBest, round, second); err != nil {
			return "", fmt.Errorf("print 10 MiB JSON: %w", err)
		}
	}
	mbps := func(d time.Duration) float64 { return float64(len(doc)) / d.Seconds() / 1e6 }
	return fmt.Sprintf("10 MiB JSON printed for a terminal (pretty, colored, sanitized): reqsh %.1f MB/s, "+
		"tidwall/pretty Pretty+Color alone %.1f MB/s: %.2fx (best of %d rounds)",
		mbps(reqshBest), mbps(prettyBest), float64(prettyBest)/float64(reqshBest), rounds), nil
}

// bigSize is the body /big serves, for the download run.
const bigSize = 256 << 20

// serveBig streams bigSize bytes of zeros.
func serveBig(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", fmt.Sprint(bigSize))
	chunk := make([]byte, 256<<10)
	for sent := 0; sent < bigSize; sent += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// timeProcess runs bin with args, stdin from the script and stdout to
// out, and measures its wall time and peak RSS.
func timeProcess(name string, n int, script, out, bin string, args ...string) (result, error) {
	return contender{name: name, bin: bin, args: args, out: out}.run(n, script)
}

// floorName is the contender every time is compared with.
const floorName = "net/http loop"

// contender is one program fed the script, timed as one process.
type contender struct {
	name string
	bin  string
	args []string
	env  []string // added to this process's environment
	out  string   // where its standard output goes
	note string
}

// run runs the contender once with stdin from the script.
func (c contender) run(n int, script string) (result, error) {
	r := result{name: c.name, requests: n, scale: 1, note: c.note}
	in, err := os.Open(script)
	if err != nil {
		return r, err
	}
	defer in.Close()
	o, err := os.Create(c.out)
	if err != nil {
		return r, err
	}
	defer o.Close()
	cmd := exec.Command(c.bin, c.args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = in, o, os.Stderr
	if c.env != nil {
		cmd.Env = append(os.Environ(), c.env...)
	}
	err = r.time(cmd)
	return r, err
}

// bestOf runs the contenders in rounds, each round in another order so
// none always goes first, and keeps each one's fastest round (the least
// disturbed by the rest of a shared machine), its highest peak RSS and
// its most connections.
func bestOf(cs []contender, rounds, n int, script string, srv *server) ([]result, error) {
	best := make([]result, len(cs))
	for round := range rounds {
		for k := range cs {
			i := (k + round) % len(cs)
			r, err := cs[i].run(n, script)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", cs[i].name, err)
			}
			r.conns = srv.takeConns()
			b := &best[i]
			if round == 0 || r.elapsed < b.elapsed {
				r.rssKB, r.conns = max(r.rssKB, b.rssKB), max(r.conns, b.conns)
				*b = r
			} else {
				b.rssKB, b.conns = max(r.rssKB, b.rssKB), max(r.conns, b.conns)
			}
		}
	}
	if rounds > 1 {
		for i := range best {
			best[i].note = strings.TrimPrefix(best[i].note+"; best of "+fmt.Sprint(rounds)+" rounds", "; ")
		}
	}
	return best, nil
}

// userAgent is the User-Agent the reqsh binary sends: "reqsh/VERSION".
func userAgent(reqsh string) (string, error) {
	out, err := exec.Command(reqsh, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("%s --version: %w", reqsh, err)
	}
	version, ok := strings.CutPrefix(strings.TrimSpace(string(out)), "reqsh ")
	if !ok {
		return "", fmt.Errorf("%s --version: unexpected output %q", reqsh, out)
	}
	return "reqsh/" + version, nil
}

// time runs cmd and records its wall time and peak RSS in r.
func (r *result) time(cmd *exec.Cmd) error {
	start := time.Now()
	rss, err := runWatched(cmd)
	if err != nil {
		return err
	}
	r.elapsed = time.Since(start)
	r.rssKB = rss
	return nil
}

// curlOneProcess fetches n URLs with one curl process (it reuses its
// connection across URLs on the command line, read from a config file).
func curlOneProcess(curl string, n int, base, tmp string) (result, error) {
	r := result{name: "curl, one process, many URLs", requests: n, scale: 1, note: "raw bodies, not pretty-printed"}
	cfg := filepath.Join(tmp, "curl.cfg")
	f, err := os.Create(cfg)
	if err != nil {
		return r, err
	}
	w := bufio.NewWriter(f)
	for range n {
		fmt.Fprintf(w, "url = %q\n", base+"/get")
	}
	if err := w.Flush(); err != nil {
		return r, err
	}
	f.Close()
	cmd := exec.Command(curl, "-s", "-K", cfg)
	cmd.Stdout = io.Discard
	err = r.time(cmd)
	return r, err
}

// perRequest starts one process per request for k requests and scales the
// time to n.
func perRequest(name string, k, n int, bin string, args ...string) (result, error) {
	r := result{name: name, requests: k, scale: float64(n) / float64(k), note: fmt.Sprintf("%d sampled, scaled to %d", k, n)}
	start := time.Now()
	for range k {
		cmd := exec.Command(bin, args...)
		cmd.Stdout = io.Discard
		rss, err := runWatched(cmd)
		if err != nil {
			return r, err
		}
		r.rssKB = max(r.rssKB, rss)
	}
	r.elapsed = time.Since(start)
	return r, nil
}

// startupTime is the median wall time of reqsh reading an empty script.
func startupTime(reqsh string, runs int) (time.Duration, error) {
	times := make([]time.Duration, 0, runs)
	for range runs {
		cmd := exec.Command(reqsh, "http://127.0.0.1:1")
		cmd.Stdin = strings.NewReader("")
		start := time.Now()
		if err := cmd.Run(); err != nil {
			return 0, fmt.Errorf("start-up run: %w", err)
		}
		times = append(times, time.Since(start))
	}
	for i := range times {
		for j := i + 1; j < len(times); j++ {
			if times[j] < times[i] {
				times[i], times[j] = times[j], times[i]
			}
		}
	}
	return times[len(times)/2], nil
}

// runWatched runs cmd and returns its peak resident set size in KiB, read
// from /proc/PID/status (VmHWM) while it runs. (wait4's ru_maxrss is no
// good here: with vfork it includes this process's own size at exec.) A
// process that lives only a few milliseconds may end before a reading.
func runWatched(cmd *exec.Cmd) (int64, error) {
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
	var peak int64
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for {
		if kb := readHWM(status); kb > peak {
			peak = kb
		}
		select {
		case err := <-done:
			return peak, err
		case <-tick.C:
		}
	}
}

// readHWM reads VmHWM (peak RSS, KiB) from a /proc status file.
func readHWM(path string) int64 {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(v), " kB"), &kb)
			return kb
		}
	}
	return 0
}

func printTable(results []result, n int, startup time.Duration) {
	var floor time.Duration
	for _, r := range results {
		if r.name == floorName {
			floor = r.elapsed
		}
	}
	fmt.Printf("%d × `get /get` against go-httpbin on loopback, side by side in one run\n\n", n)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 1, ' ', 0)
	fmt.Fprintln(tw, "| contender\t| requests/s\t| time vs net/http loop\t| TCP connections\t| peak RSS\t| note\t|")
	fmt.Fprintln(tw, "|---\t|---\t|---\t|---\t|---\t|---\t|")
	for _, r := range results {
		scaled := time.Duration(float64(r.elapsed) * r.scale)
		rps := float64(r.requests) / r.elapsed.Seconds()
		rate, ratio := fmt.Sprintf("%.0f", rps), fmt.Sprintf("%.2fx", float64(scaled)/float64(floor))
		if r.single {
			rate, ratio = "-", "-"
		}
		fmt.Fprintf(tw, "| %s\t| %s\t| %s\t| %d\t| %.1f MB\t| %s\t|\n",
			r.name, rate, ratio, r.conns, float64(r.rssKB)/1024, r.note)
	}
	tw.Flush()
	fmt.Printf("\nreqsh start-up to exit on an empty script (median of runs): %s\n", startup.Round(100*time.Microsecond))
}

// printStreamTable prints the large-JSON runs: time, throughput, peak RSS.
func printStreamTable(results []result) {
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 1, ' ', 0)
	fmt.Fprintln(tw, "| run\t| time\t| peak RSS\t| note\t|")
	fmt.Fprintln(tw, "|---\t|---\t|---\t|---\t|")
	for _, r := range results {
		fmt.Fprintf(tw, "| %s\t| %s\t| %.1f MB\t| %s\t|\n", r.name, r.elapsed.Round(10*time.Millisecond), float64(r.rssKB)/1024, r.note)
	}
	tw.Flush()
}

// netHTTPLoop is the floor: one http.Client sending, for each line of
// stdin, the request reqsh sends for `get /get` (the same headers), each
// body pretty-printed to buffered stdout, as reqsh does.
func netHTTPLoop(url, userAgent string) int {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriterSize(os.Stdout, 64<<10)
	defer out.Flush()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	for {
		line, err := in.ReadString('\n')
		if strings.TrimSpace(line) == "" {
			if err != nil {
				return 0
			}
			continue
		}
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		req.Header["User-Agent"] = []string{userAgent}
		req.Header["Accept"] = []string{"*/*"}
		req.Header["Accept-Encoding"] = []string{"gzip, deflate"}
		resp, err := client.Do(req)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		out.Write(pretty.Pretty(body))
	}
}
