package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/reqsh/reqsh/internal/apispec"
)

// The spec figures: a large OpenAPI description (GitHub's REST API)
// loaded by each way of loading it, each in a process of its own that
// reports its own peak RSS, then ls and completion lookups on it.

// specLoader is one way of loading a description.
type specLoader struct {
	name, label string
	load        func(file string) (*apispec.Spec, error)
}

// specLoaders are the ways of loading a description compared.
var specLoaders = []specLoader{
	{"kin-file", "kin-openapi LoadFromFile", func(file string) (*apispec.Spec, error) {
		loader := openapi3.NewLoader()
		loader.IsExternalRefsAllowed = true
		doc, err := loader.LoadFromFile(file)
		if err != nil {
			return nil, err
		}
		return apispec.New(file, doc), nil
	}},
	{"kin-resolve", "kin-openapi unmarshal, then resolve", func(file string) (*apispec.Spec, error) {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		doc := &openapi3.T{}
		if err := json.Unmarshal(data, doc); err != nil {
			return nil, err
		}
		if err := openapi3.NewLoader().ResolveRefsIn(doc, nil); err != nil {
			return nil, err
		}
		return apispec.New(file, doc), nil
	}},
	{"lazy", "reqsh: index, resolve an operation when first used", func(file string) (*apispec.Spec, error) {
		return apispec.Load(context.Background(), file, nil)
	}},
}

// specProbes are the lookups the figures time: a concrete path for ls,
// a method and path for completion and for resolving the operation;
// among them GET /repos/{owner}/{repo} and the operations with the
// biggest request bodies (PATCH /repos/{owner}/{repo}, PATCH /orgs/{org}).
var specProbes = []struct{ method, path string }{
	{"get", "/repos/octocat/hello-world"},
	{"patch", "/repos/octocat/hello-world"},
	{"patch", "/orgs/github"},
	{"put", "/repos/octocat/hello-world/branches/main/protection"},
	{"post", "/repos/octocat/hello-world/check-runs"},
	{"post", "/orgs/github/code-security/configurations"},
	{"post", "/repos/octocat/hello-world/issues"},
	{"get", "/orgs/github/members"},
	{"patch", "/repos/octocat/hello-world/pulls/1"},
	{"get", "/search/code"},
}

// specFigures is what a child process reports of one loader.
type specFigures struct {
	Load      time.Duration
	LoadCPU   time.Duration // user and system CPU time of the load
	RSSKB     int64
	Ops       int
	LS        time.Duration // one ls (Children), the mean of many
	FirstComp time.Duration // the slowest first completion lookup of an operation (its candidates)
	FirstOp   time.Duration // the slowest first lookup of an operation resolved (help, checks)
	FirstCPU  time.Duration // its CPU time
	Comp      time.Duration // a completion lookup again, the mean of many
	Err       string
}

// specChildMain loads file with the named loader and writes its figures
// as JSON on stdout.
func specChildMain(name, file string) int {
	var f specFigures
	err := measureSpec(name, file, &f)
	if err != nil {
		f.Err = err.Error()
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		f.RSSKB = ru.Maxrss
	}
	json.NewEncoder(os.Stdout).Encode(f)
	return 0
}

func measureSpec(name, file string, f *specFigures) error {
	i := slices.IndexFunc(specLoaders, func(l specLoader) bool { return l.name == name })
	if i < 0 {
		return fmt.Errorf("no loader %q", name)
	}
	start, cpu := time.Now(), cpuTime()
	spec, err := specLoaders[i].load(file)
	if err != nil {
		return err
	}
	f.Load, f.LoadCPU, f.Ops = time.Since(start), cpuTime()-cpu, spec.Operations()
	// Completion first: an operation's candidates before anything has
	// resolved it.
	for _, p := range specProbes {
		start := time.Now()
		c, err := spec.Completion(p.method, p.path)
		if err != nil {
			return fmt.Errorf("completion %s %s: %w", p.method, p.path, err)
		}
		if d := time.Since(start); d > f.FirstComp {
			f.FirstComp = d
		}
		runtime.KeepAlive(c)
	}
	for _, p := range specProbes {
		start, cpu := time.Now(), cpuTime()
		if _, err := spec.Lookup(p.method, p.path); err != nil {
			return fmt.Errorf("%s %s: %w", p.method, p.path, err)
		}
		if d := time.Since(start); d > f.FirstOp {
			f.FirstOp, f.FirstCPU = d, cpuTime()-cpu
		}
	}
	const n = 1000
	start = time.Now()
	for k := range n {
		p := specProbes[k%len(specProbes)]
		if _, ok := spec.Children(p.path); !ok {
			return fmt.Errorf("ls %s: not a path", p.path)
		}
	}
	f.LS = time.Since(start) / n
	start = time.Now()
	for k := range n {
		p := specProbes[k%len(specProbes)]
		if _, err := spec.Completion(p.method, p.path); err != nil {
			return err
		}
	}
	f.Comp = time.Since(start) / n
	runtime.KeepAlive(spec)
	return nil
}

// cpuTime is the user and system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// specBench prints the spec figures of file: each loader in a child
// process, then reqsh itself loading it and listing a path.
func specBench(self, reqsh, file string) error {
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("spec figures: %w (make spec-corpus fetches it)", err)
	}
	fmt.Printf("OpenAPI description %s (%.1f MB), each loader in its own process\n\n", filepath.Base(file), fileMB(file))
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 1, ' ', tabwriter.Debug)
	fmt.Fprintf(tw, "| loader\t load (CPU)\t peak RSS\t operations\t ls\t first completion lookup, slowest of %d\t first lookup of an operation resolved, slowest of %[1]d (CPU)\t completion lookup again\t\n", len(specProbes))
	fmt.Fprintln(tw, "|---\t---\t---\t---\t---\t---\t---\t---\t")
	for _, l := range specLoaders {
		var out bytes.Buffer
		cmd := exec.Command(self, "-spec-child", l.name, file)
		cmd.Stdout, cmd.Stderr = &out, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("spec figures, %s: %w", l.name, err)
		}
		var f specFigures
		if err := json.Unmarshal(out.Bytes(), &f); err != nil {
			return fmt.Errorf("spec figures, %s: %w", l.name, err)
		}
		if f.Err != "" {
			return fmt.Errorf("spec figures, %s: %s", l.name, f.Err)
		}
		fmt.Fprintf(tw, "| %s\t %s (%s)\t %.0f MB\t %d\t %s\t %s\t %s (%s)\t %s\t\n", l.label, f.Load.Round(time.Millisecond),
			f.LoadCPU.Round(time.Millisecond), float64(f.RSSKB)/1024, f.Ops, round(f.LS), round(f.FirstComp), round(f.FirstOp), round(f.FirstCPU), round(f.Comp))
	}
	tw.Flush()
	wall, rss, err := reqshSpecLoad(reqsh, file)
	if err != nil {
		return err
	}
	fmt.Printf("\nreqsh, start to exit: `spec load` of it, then `ls repos/octocat/hello-world`: %s, peak RSS %.0f MB\n",
		wall.Round(time.Millisecond), float64(rss)/1024)
	return nil
}

// reqshSpecLoad times the reqsh binary loading file and listing one path,
// start to exit, with its peak RSS in KiB.
func reqshSpecLoad(reqsh, file string) (time.Duration, int64, error) {
	cmd := exec.Command(reqsh)
	cmd.Stdin = strings.NewReader("spec load " + file + "\nls repos/octocat/hello-world\n")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, 0, fmt.Errorf("reqsh spec load: %w: %s", err, stderr.Bytes())
	}
	wall := time.Since(start)
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss
	}
	return wall, rss, nil
}

// round shows a short duration to a useful precision.
func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond)
	case d >= time.Microsecond:
		return d.Round(100 * time.Nanosecond)
	}
	return d
}

func fileMB(file string) float64 {
	st, err := os.Stat(file)
	if err != nil {
		return 0
	}
	return float64(st.Size()) / 1e6
}
