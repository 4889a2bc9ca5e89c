// Command reqsh-bench measures reqsh side by side with what it is
// compared to, in one run against one go-httpbin on loopback. Two
// workloads (10,000 × `get /get`, and mixed commands: cookies set by a
// redirect and sent back, JSON POSTs, gzip bodies, a custom header,
// varied paths and queries) each go through the reqsh binary fed a script
// on stdin and through the floor: a plain net/http loop sending the same
// requests and printing the same pretty-printed bodies, on every thread
// and on one (GOMAXPROCS=1). The runs alternate over several rounds and
// each contender's median round counts; times are given against the
// faster floor. Then, for the first workload, curl and HTTPie where
// installed, a long run for memory, a download, start-up time, large JSON
// bodies streamed, server-sent event latency and printing for a terminal.
// It prints Markdown tables. `make bench` runs it.
package main

import (
	"bufio"
	"cmp"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/tidwall/pretty"

	"github.com/reqsh/reqsh/internal/demo"
	"github.com/reqsh/reqsh/internal/format"
	"github.com/reqsh/reqsh/internal/sample"
	"github.com/reqsh/reqsh/internal/workload"
)

func main() {
	if len(os.Args) > 3 && os.Args[1] == "-spec-child" {
		os.Exit(specChildMain(os.Args[2], os.Args[3]))
	}
	n := flag.Int("n", 10000, "commands per scripted run")
	reqsh := flag.String("reqsh", "bin/reqsh", "the reqsh binary")
	floorBin := flag.String("floor-bin", "", "the reqsh-floor binary (default: reqsh-floor beside reqsh-bench)")
	sample := flag.Int("sample", 200, "requests sampled for one-process-per-request tools (scaled to -n)")
	startups := flag.Int("startups", 50, "runs for the start-up time")
	rounds := flag.Int("rounds", 7, "rounds of the scripted runs, alternating; each contender's median round counts")
	long := flag.Int("long", 100000, "requests in the long run that shows memory stays flat (0: skip)")
	bigMiB := flag.Int("bigjson", 1024, "MiB of JSON piped through reqsh for throughput and memory (0: skip)")
	tools := flag.Int("tools-mib", 32, "MiB of JSON through reqsh, jq and python3 -m json.tool side by side, where installed (0: skip)")
	events := flag.Int("events", 200, "server-sent events for the latency figure (0: skip)")
	scriptedOnly := flag.Bool("scripted-only", false, "only the scripted runs (reqsh against the floors), nothing else")
	specFile := flag.String("spec", "", "a large OpenAPI description to load each way, for the spec figures (none: skip)")
	specOnly := flag.Bool("spec-only", false, "with -spec: only the spec figures")
	runnerFiles := flag.Int("runner", 40, "files of 10 requests for reqsh test --jobs 1, 2 and 8 (0: skip)")
	var also alsoFlags
	flag.Var(&also, "also", "another reqsh build, `LABEL=BINARY`, run beside the others in the scripted runs (repeatable)")
	flag.Parse()
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "reqsh-bench: %v\n", err)
		os.Exit(1)
	}
	if *specFile != "" {
		if err := specBench(self, *reqsh, *specFile); err != nil {
			fmt.Fprintf(os.Stderr, "reqsh-bench: %v\n", err)
			os.Exit(1)
		}
		if *specOnly {
			return
		}
		fmt.Println()
	}
	streams := streamRuns{bigMiB: *bigMiB, tools: *tools, events: *events}
	if *scriptedOnly {
		*sample, *long, streams = 0, 0, streamRuns{}
	}
	if *floorBin == "" {
		*floorBin = filepath.Join(filepath.Dir(self), "reqsh-floor")
	}
	if err := run(*reqsh, *floorBin, *n, *sample, *startups, *long, max(*rounds, 1), streams, also, *scriptedOnly); err != nil {
		fmt.Fprintf(os.Stderr, "reqsh-bench: %v\n", err)
		os.Exit(1)
	}
	if *runnerFiles > 0 && !*scriptedOnly {
		fmt.Println()
		if err := runnerBench(*reqsh, *runnerFiles, 5); err != nil {
			fmt.Fprintf(os.Stderr, "reqsh-bench: %v\n", err)
			os.Exit(1)
		}
	}
}

// alsoFlags are the -also flags: other reqsh builds to run side by side.
type alsoFlags []contender

func (a *alsoFlags) String() string { return fmt.Sprint(len(*a)) }

func (a *alsoFlags) Set(v string) error {
	i := strings.LastIndex(v, "=")
	label, bin := v[:max(i, 0)], v[i+1:]
	if label == "" || bin == "" {
		return fmt.Errorf("want LABEL=BINARY, got %q", v)
	}
	if _, err := os.Stat(bin); err != nil {
		return err
	}
	*a = append(*a, contender{name: label, bin: bin, out: os.DevNull})
	return nil
}

// server is the go-httpbin under test, counting accepted connections and
// requests.
type server struct {
	url      string
	mu       sync.Mutex
	conns    int
	requests int
}

func (s *server) track(_ net.Conn, state http.ConnState) {
	if state == http.StateNew {
		s.mu.Lock()
		s.conns++
		s.mu.Unlock()
	}
}

// count counts the requests next serves.
func (s *server) count(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests++
		s.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// take returns the connections accepted and requests served since the
// last call.
func (s *server) take() (conns, requests int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	conns, requests = s.conns, s.requests
	s.conns, s.requests = 0, 0
	return conns, requests
}

// result is one contender's run.
type result struct {
	name     string
	requests int           // HTTP requests the server answered
	elapsed  time.Duration // wall time of those requests
	scale    float64       // multiply elapsed by this to compare with -n
	single   bool          // one large transfer: no rate or ratio to show
	conns    int
	rssKB    int64
	cpu      time.Duration // user and system CPU time of the process
	note     string
	floor    bool // one of the floors
	toFile   bool // its output went to a file, not /dev/null
	// paired is the median of the round-by-round ratios to the faster
	// floor (see pairedRatio); 0 for a run that is not in rounds.
	paired float64
}

// streamRuns says which stream figures to measure.
type streamRuns struct {
	bigMiB int // MiB of JSON piped through reqsh (0: none)
	tools  int // MiB of JSON through reqsh, jq and python3 (0: none)
	events int // server-sent events timed (0: none)
}

// table is one workload's scripted runs: each contender's median round.
type table struct {
	w       workload.Workload
	results []result
}

func run(reqsh, floorBin string, n, sample, startups, long, rounds int, streams streamRuns, also []contender, scriptedOnly bool) error {
	if _, err := os.Stat(reqsh); err != nil {
		return fmt.Errorf("reqsh binary: %w (run make build first)", err)
	}
	if _, err := os.Stat(floorBin); err != nil {
		return fmt.Errorf("floor binary: %w (go build -o %s ./cmd/reqsh-floor)", err, floorBin)
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
	hs := &http.Server{Handler: srv.count(mux), ConnState: srv.track}
	go hs.Serve(ln)
	defer hs.Close()

	tmp, err := os.MkdirTemp("", "reqsh-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	ua, err := userAgent(reqsh)
	if err != nil {
		return err
	}
	var runs []scriptedRun
	for _, w := range workload.All {
		script := filepath.Join(tmp, w.Name+".reqsh")
		if err := os.WriteFile(script, w.Script(n), 0o644); err != nil {
			return err
		}
		// The floors send what reqsh sends, so the server does the same
		// work and returns the same bodies for both.
		// Output to a file costs a write to the page cache per command,
		// for reqsh and for the floor alike: reqsh > file is compared
		// with the floors writing to a file, reqsh > /dev/null with the
		// floors writing to /dev/null.
		floorArgs := []string{w.Name, srv.url, ua}
		file := filepath.Join(tmp, "out.txt")
		one := []string{"GOMAXPROCS=1"}
		cs := []contender{
			{name: floorName, bin: floorBin, args: floorArgs, out: os.DevNull, floor: true},
			{name: floor1Name, bin: floorBin, args: floorArgs, out: os.DevNull, env: one, floor: true},
			{name: floorName + " > file", bin: floorBin, args: floorArgs, out: file, floor: true},
			{name: floor1Name + " > file", bin: floorBin, args: floorArgs, out: file, env: one, floor: true},
			{name: "reqsh > /dev/null", bin: reqsh, args: []string{srv.url}, out: os.DevNull},
			{name: "reqsh > file", bin: reqsh, args: []string{srv.url}, out: file},
		}
		for _, a := range also {
			a.args = []string{srv.url}
			cs = append(cs, a)
		}
		runs = append(runs, scriptedRun{w: w, script: script, contenders: cs})
	}
	tables, err := medianOf(runs, rounds, n, srv)
	if err != nil {
		return err
	}
	results := &tables[0].results
	add := func(r result, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", r.name, err)
		}
		r.conns, _ = srv.take()
		*results = append(*results, r)
		return nil
	}
	srv.take()
	if curl, err := exec.LookPath("curl"); err == nil && sample > 0 {
		if err := add(curlOneProcess(curl, n, srv.url, tmp)); err != nil {
			return err
		}
		if err := add(perRequest("curl, a process per request", min(sample, n), n, curl, "-s", srv.url+"/get")); err != nil {
			return err
		}
	}
	if httpie, err := exec.LookPath("http"); err == nil && sample > 0 {
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
	if !scriptedOnly {
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
	}
	for i, t := range tables {
		if i > 0 {
			fmt.Println()
		}
		printTable(t, n, rounds)
	}
	if scriptedOnly {
		return nil
	}
	start, err := startupTime(reqsh, startups)
	if err != nil {
		return err
	}
	fmt.Printf("\nreqsh start-up to exit on an empty script (median of %d runs): %s\n", startups, start.Round(100*time.Microsecond))
	var bigRuns []result
	if streams.bigMiB > 0 {
		if bigRuns, err = bigJSON(reqsh, srv.url, tmp, streams.bigMiB, streams.tools); err != nil {
			return err
		}
	}
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

// terminalPrinting compares colorizers: in this process, no network, a
// 10 MiB JSON document printed for a terminal by reqsh's printer (checked,
// pretty and colored in one pass, sanitized) and by tidwall/pretty's
// Pretty then Color, alternating, the median of rounds.
func terminalPrinting(rounds int) (string, error) {
	doc := sample.JSON(10 << 20)
	p := format.New(io.Discard, format.Options{Color: true, Terminal: true, Pretty: true})
	viaReqsh := func() error { return p.Body(doc, "application/json") }
	viaPretty := func() error {
		_, err := io.Discard.Write(pretty.Color(pretty.Pretty(doc), pretty.TerminalStyle))
		return err
	}
	var times [2][]result
	for round := range rounds {
		for k := range 2 {
			i := (k + round) % 2
			f := []func() error{viaReqsh, viaPretty}[i]
			runtime.GC() // no garbage left from the other contender
			start := time.Now()
			if err := f(); err != nil {
				return "", fmt.Errorf("print 10 MiB JSON: %w", err)
			}
			times[i] = append(times[i], result{elapsed: time.Since(start)})
		}
	}
	mbps := func(rs []result) float64 { return float64(len(doc)) / median(rs).elapsed.Seconds() / 1e6 }
	return fmt.Sprintf("Colorizers compared, in one process (no network): a 10 MiB JSON document printed for a terminal "+
		"by reqsh's printer (checked, pretty and colored in one pass, sanitized) %.1f MB/s, "+
		"by tidwall/pretty's Pretty then Color %.1f MB/s: %.2fx (median of %d alternating rounds)",
		mbps(times[0]), mbps(times[1]), mbps(times[0])/mbps(times[1]), rounds), nil
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

// The floors: a plain net/http loop doing a workload's requests, on as
// many threads as the machine has and on one. Every time is compared
// with the faster of the two.
const (
	floorName  = "net/http loop"
	floor1Name = "net/http loop, GOMAXPROCS=1"
)

// contender is one program fed the script, timed as one process.
type contender struct {
	name string
	bin  string
	args []string
	env  []string // added to this process's environment
	out  string   // where its standard output goes
	note string
	// floor marks the floors: the other contenders' times are compared
	// with the faster floor writing where they write.
	floor bool
}

// run runs the contender once with stdin from the script.
func (c contender) run(n int, script string) (result, error) {
	r := result{name: c.name, requests: n, scale: 1, note: c.note, floor: c.floor, toFile: c.out != os.DevNull}
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

// scriptedRun is one workload's script and the contenders fed it.
type scriptedRun struct {
	w          workload.Workload
	script     string
	contenders []contender
}

// medianOf runs every workload's contenders in rounds, alternating: each
// round goes through the workloads and their contenders in another order,
// so none always goes first or follows the same neighbour. Each
// contender's median round counts (a shared machine disturbs some rounds;
// the median is neither the luckiest nor the unluckiest), with its
// highest peak RSS and its most connections. Every contender must make
// as many requests as the first (the floor) did.
func medianOf(runs []scriptedRun, rounds, n int, srv *server) ([]table, error) {
	all := make([][][]result, len(runs)) // workload, contender, round
	for i, r := range runs {
		all[i] = make([][]result, len(r.contenders))
	}
	srv.take()
	for round := range rounds {
		for k := range runs {
			wi := (k + round) % len(runs)
			run := runs[wi]
			for k := range run.contenders {
				ci := (k + round) % len(run.contenders)
				if round%2 == 1 {
					ci = len(run.contenders) - 1 - ci
				}
				c := run.contenders[ci]
				r, err := c.run(n, run.script)
				if err != nil {
					return nil, fmt.Errorf("%s, %s: %w", run.w.Name, c.name, err)
				}
				r.conns, r.requests = srv.take()
				if r.conns != 1 {
					fmt.Fprintf(os.Stderr, "reqsh-bench: %s, %s, round %d: %d TCP connections\n",
						run.w.Name, c.name, round+1, r.conns)
				}
				all[wi][ci] = append(all[wi][ci], r)
			}
		}
	}
	tables := make([]table, len(runs))
	for wi, run := range runs {
		tables[wi].w = run.w
		want := all[wi][0][0].requests
		for ci, rs := range all[wi] {
			for _, r := range rs {
				if r.requests != want {
					return nil, fmt.Errorf("%s: %s made %d requests, %s %d", run.w.Name,
						run.contenders[ci].name, r.requests, run.contenders[0].name, want)
				}
			}
			m := median(rs)
			m.paired = pairedRatio(all[wi], run.contenders, ci)
			m.note = strings.TrimPrefix(m.note+fmt.Sprintf("; median of %d rounds", len(rs)), "; ")
			tables[wi].results = append(tables[wi].results, m)
		}
	}
	return tables, nil
}

// pairedRatio is contender ci's time against the faster floor writing
// where it writes, taken round by round (the runs of one round are
// minutes apart at most) and then the median of those ratios: drift of
// the machine's speed over the whole run moves it less than the ratio
// of the medians.
func pairedRatio(byContender [][]result, cs []contender, ci int) float64 {
	toFile := cs[ci].out != os.DevNull
	var ratios []float64
	for round, r := range byContender[ci] {
		var fast time.Duration
		for fi, c := range cs {
			if !c.floor || (c.out != os.DevNull) != toFile {
				continue
			}
			if e := byContender[fi][round].elapsed; fast == 0 || e < fast {
				fast = e
			}
		}
		if fast > 0 {
			ratios = append(ratios, float64(r.elapsed)/float64(fast))
		}
	}
	if len(ratios) == 0 {
		return 0
	}
	slices.Sort(ratios)
	if len(ratios)%2 == 0 {
		return (ratios[len(ratios)/2-1] + ratios[len(ratios)/2]) / 2
	}
	return ratios[len(ratios)/2]
}

// median returns the run of median wall time (the mean of the middle
// two for an even count) with the median CPU time, and the highest peak
// RSS and connection count of all.
func median(rs []result) result {
	sorted := slices.Clone(rs)
	slices.SortFunc(sorted, func(a, b result) int { return cmp.Compare(a.elapsed, b.elapsed) })
	m := sorted[len(sorted)/2]
	m.elapsed = middle(sorted, func(r result) time.Duration { return r.elapsed })
	slices.SortFunc(sorted, func(a, b result) int { return cmp.Compare(a.cpu, b.cpu) })
	m.cpu = middle(sorted, func(r result) time.Duration { return r.cpu })
	for _, r := range rs {
		m.rssKB, m.conns = max(m.rssKB, r.rssKB), max(m.conns, r.conns)
	}
	return m
}

// middle is the median of the sorted runs' durations: the middle one, or
// the mean of the middle two.
func middle(sorted []result, d func(result) time.Duration) time.Duration {
	m := d(sorted[len(sorted)/2])
	if len(sorted)%2 == 0 {
		m = (m + d(sorted[len(sorted)/2-1])) / 2
	}
	return m
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
	r.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
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
		r.cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
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

// printTable prints one workload's table: each contender's rate and its
// time against the faster floor writing where it writes (a file or
// /dev/null).
func printTable(t table, n, rounds int) {
	var fast [2]time.Duration // by toFile
	for _, r := range t.results {
		i := b2i(r.toFile)
		if r.floor && (fast[i] == 0 || r.elapsed < fast[i]) {
			fast[i] = r.elapsed
		}
	}
	fmt.Printf("%d%s against go-httpbin on loopback: %d HTTP requests a run, side by side, %d alternating rounds\n\n",
		n, t.w.Title, t.results[0].requests, rounds)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 1, ' ', 0)
	fmt.Fprintln(tw, "| contender\t| requests/s\t| time vs faster floor\t| round by round\t| CPU time\t| TCP connections\t| peak RSS\t| note\t|")
	fmt.Fprintln(tw, "|---\t|---\t|---\t|---\t|---\t|---\t|---\t|---\t|")
	for _, r := range t.results {
		scaled := time.Duration(float64(r.elapsed) * r.scale)
		rps := float64(r.requests) / r.elapsed.Seconds()
		against := fast[b2i(r.toFile)]
		if against == 0 {
			against = fast[0]
		}
		rate, ratio := fmt.Sprintf("%.0f", rps), fmt.Sprintf("%.2fx", float64(scaled)/float64(against))
		cpu := fmt.Sprintf("%.2f s", r.cpu.Seconds()*r.scale)
		if r.single {
			rate, ratio = "-", "-"
		}
		if r.cpu == 0 {
			cpu = "-"
		}
		paired := "-"
		if r.paired > 0 {
			paired = fmt.Sprintf("%.2fx", r.paired)
		}
		fmt.Fprintf(tw, "| %s\t| %s\t| %s\t| %s\t| %s\t| %d\t| %.1f MB\t| %s\t|\n",
			r.name, rate, ratio, paired, cpu, r.conns, float64(r.rssKB)/1024, r.note)
	}
	tw.Flush()
}

// b2i is 1 for true, 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
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
