package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/reqsh/reqsh/internal/format"
)

// jsonDoc writes a JSON document of about size bytes to w: an object
// with an array of small records, the shape of a large API listing.
func jsonDoc(w io.Writer, size int64) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	bw.WriteString(`{"items":[`)
	var b []byte
	written := int64(10)
	for i := int64(0); written < size; i++ {
		b = b[:0]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = strconv.AppendInt(b, i, 10)
		b = append(b, `,"name":"item `...)
		b = strconv.AppendInt(b, i, 10)
		b = append(b, `","tags":["new","sale"],"price":`...)
		b = strconv.AppendInt(b, i%1000, 10)
		b = append(b, `.5,"ok":true,"note":null}`...)
		if _, err := bw.Write(b); err != nil {
			return err
		}
		written += int64(len(b))
	}
	bw.WriteString(`],"total":true}`)
	return bw.Flush()
}

// serveJSON serves a generated JSON document of the size its query asks
// for (?mib=N), made as it is sent.
func serveJSON(w http.ResponseWriter, r *http.Request) {
	mib, _ := strconv.ParseInt(r.URL.Query().Get("mib"), 10, 64)
	w.Header().Set("Content-Type", "application/json")
	jsonDoc(w, mib<<20)
}

// pipeJSON pipes a generated JSON body of mib MiB through reqsh to
// /dev/null: its time, throughput and peak memory.
func pipeJSON(reqsh, base, tmp string, mib int) (result, error) {
	script := filepath.Join(tmp, "bigjson.reqsh")
	if err := os.WriteFile(script, []byte(fmt.Sprintf("get /big.json?mib=%d\n", mib)), 0o644); err != nil {
		return result{}, err
	}
	r, err := timeProcess(fmt.Sprintf("reqsh, %d MiB JSON from the server > /dev/null", mib), 1, script, os.DevNull, reqsh, base)
	if err != nil {
		return result{}, err
	}
	r.single = true
	r.note = fmt.Sprintf("%.0f MB/s, pretty (a pipe: no colors)", float64(int64(mib)<<20)/r.elapsed.Seconds()/1e6)
	return r, nil
}

// bigJSON pipes a large JSON body (bigMiB) through reqsh for its memory
// and throughput, then a smaller one (toolsMiB, 0 for none) side by side
// with jq and python3's json.tool on the same document where installed
// (they hold the whole document in memory, and take minutes on a large
// one).
func bigJSON(reqsh, base, tmp string, bigMiB, toolsMiB int) ([]result, error) {
	r, err := pipeJSON(reqsh, base, tmp, bigMiB)
	if err != nil {
		return nil, err
	}
	results := []result{r}
	if toolsMiB <= 0 {
		return results, nil
	}
	mib := toolsMiB
	size := float64(int64(mib) << 20)
	if r, err = pipeJSON(reqsh, base, tmp, mib); err != nil {
		return nil, err
	}
	results = append(results, r)
	file := filepath.Join(tmp, "big.json")
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	err = jsonDoc(f, int64(mib)<<20)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	defer os.Remove(file)
	for _, tool := range []struct {
		name string
		bin  string
		args []string
	}{
		{fmt.Sprintf("jq . FILE > /dev/null, the same %d MiB", mib), "jq", []string{".", file}},
		{fmt.Sprintf("python3 -m json.tool FILE > /dev/null, the same %d MiB", mib), "python3", []string{"-m", "json.tool", file}},
	} {
		bin, err := exec.LookPath(tool.bin)
		if err != nil {
			continue
		}
		cmd := exec.Command(bin, tool.args...)
		cmd.Stdout = io.Discard
		start := time.Now()
		rss, err := runWatched(cmd)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", tool.name, err)
		}
		elapsed := time.Since(start)
		results = append(results, result{name: tool.name, requests: 1, elapsed: elapsed, scale: 1, single: true, rssKB: rss,
			note: fmt.Sprintf("%.0f MB/s", size/elapsed.Seconds()/1e6)})
	}
	return results, nil
}

// streamPrinting measures the streaming formatter in-process on a large
// generated document: colored and sanitized for a terminal, and plain
// for a pipe.
func streamPrinting(mib int) string {
	var line string
	for _, opts := range []struct {
		name string
		o    format.Options
	}{
		{"for a terminal (pretty, colored, sanitized)", format.Options{Color: true, Terminal: true, Pretty: true}},
		{"for a pipe (pretty)", format.Options{Pretty: true}},
	} {
		pr, pw := io.Pipe()
		go func() { pw.CloseWithError(jsonDoc(pw, int64(mib)<<20)) }()
		start := time.Now()
		err := format.New(io.Discard, opts.o).StreamBody(pr, "application/json", false)
		d := time.Since(start)
		if err != nil {
			return fmt.Sprintf("streaming formatter: %v", err)
		}
		line += fmt.Sprintf("%d MiB JSON through the streaming formatter %s: %.1f MB/s\n",
			mib, opts.name, float64(int64(mib)<<20)/d.Seconds()/1e6)
	}
	return line
}

// sseLatency runs reqsh on an event stream and measures, for each event,
// the time from the server's write to the line arriving on reqsh's
// stdout (a pipe): median and 90th percentile.
func sseLatency(reqsh, base string, events int) (string, error) {
	cmd := exec.Command(reqsh, base)
	cmd.Stdin = strings.NewReader(fmt.Sprintf("get /sse-bench?n=%d\n", events))
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	sent := regexp.MustCompile(`"t": (\d+)`)
	var lat []time.Duration
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		now := time.Now().UnixNano()
		if m := sent.FindSubmatch(sc.Bytes()); m != nil {
			t, _ := strconv.ParseInt(string(m[1]), 10, 64)
			lat = append(lat, time.Duration(now-t))
		}
	}
	if err := cmd.Wait(); err != nil {
		return "", fmt.Errorf("reqsh on an event stream: %w", err)
	}
	if len(lat) == 0 {
		return "", fmt.Errorf("reqsh printed no event")
	}
	slices.Sort(lat)
	return fmt.Sprintf("Server-sent events, %d events 5 ms apart, from the server's write to the line on reqsh's stdout (a pipe): median %s, 90th percentile %s",
		len(lat), lat[len(lat)/2].Round(time.Microsecond), lat[len(lat)*9/10].Round(time.Microsecond)), nil
}

// serveEvents sends ?n= server-sent events 5 ms apart, each carrying the
// time it was written (Unix nanoseconds).
func serveEvents(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.URL.Query().Get("n"))
	w.Header().Set("Content-Type", "text/event-stream")
	flusher := w.(http.Flusher)
	for i := range n {
		if i > 0 {
			time.Sleep(5 * time.Millisecond)
		}
		fmt.Fprintf(w, "id: %d\ndata: {\"t\":%d}\n\n", i, time.Now().UnixNano())
		flusher.Flush()
	}
}
