# reqsh: an interactive HTTP shell with one long-lived session.
# Every target installs what it needs itself (Go modules come from the
# module proxy on first use).

GO      ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X github.com/reqsh/reqsh/repl.Version=$(VERSION)
BIN     := bin
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
FUZZTIME ?= 10s
BENCH_N  ?= 10000
ARGS    ?=
ADDR    ?=
# GitHub's REST API description (13 MB), for the spec figures of make bench;
# fetched from npm into a git-ignored cache, never committed.
OCTOKIT_OPENAPI ?= @octokit/openapi@23.0.2
SPEC_CACHE      := .cache/spec-corpus
SPEC_CORPUS     := $(SPEC_CACHE)/package/generated/api.github.com.json

.PHONY: help build demo demo-bin serve test test-short lint fuzz bench bench-spec spec-corpus pgo clean

help: ## show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

build: ## build bin/reqsh and bin/reqsh-demo
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN)/reqsh ./cmd/reqsh
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN)/reqsh-demo ./cmd/reqsh-demo

demo: demo-bin ## run reqsh against an httpbin served from inside the process (no network needed)
	@REQSH_DEMO_ADDR=$(ADDR) exec $(BIN)/reqsh-demo $(ARGS)

serve: demo-bin ## serve the demo httpbin alone at ADDR (default 127.0.0.1:8080) for bin/reqsh
	@exec $(BIN)/reqsh-demo --serve $(or $(ADDR),127.0.0.1:8080)

# demo-bin builds bin/reqsh-demo, saying so when there is something to
# build (no binary yet, or sources newer than it): the first build
# downloads the modules and compiles for about a minute.
demo-bin:
	@if [ ! -x $(BIN)/reqsh-demo ] || [ -n "$$(find . \( -name '*.go' -o -name go.mod -o -name go.sum \) -newer $(BIN)/reqsh-demo | head -n 1)" ]; then \
		echo "building $(BIN)/reqsh-demo (the first build downloads modules, about a minute)..."; \
	fi
	@$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN)/reqsh-demo ./cmd/reqsh-demo && touch $(BIN)/reqsh-demo

# The tests build without the CPU profile reqsh is built with
# (cmd/reqsh/default.pgo): it changes what is inlined, not what the code
# does, and would compile every package a second time for one test.
test: ## go vet and every test with the race detector
	$(GO) vet ./...
	$(GO) test -race -count=1 -pgo=off ./...

test-short: ## the tests without the race detector
	$(GO) test -count=1 -pgo=off ./...

lint: ## gofmt, go vet and staticcheck
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

fuzz: ## run every fuzz target for FUZZTIME each (default 10s)
	@set -e; for pkg in $$($(GO) list ./...); do \
		for fz in $$($(GO) test -pgo=off -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "== $$pkg $$fz"; \
			$(GO) test -pgo=off -run '^$$' -fuzz "^$$fz$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 3s $$pkg; \
		done; \
	done

bench: build spec-corpus ## reqsh against a net/http loop, curl and HTTPie side by side, GitHub's API description loaded each way, then the Go benchmarks
	$(GO) build -trimpath -o $(BIN)/reqsh-bench ./cmd/reqsh-bench
	$(GO) build -trimpath -o $(BIN)/reqsh-floor ./cmd/reqsh-floor
	$(BIN)/reqsh-bench -reqsh $(BIN)/reqsh -n $(BENCH_N) -spec $(SPEC_CORPUS)
	$(GO) test -pgo=off -run '^$$' -bench . -benchmem ./...

# pgo profiles the two workloads of make bench in process (the whole shell
# against go-httpbin) and merges them into the profile go build uses for
# bin/reqsh (profile-guided optimization).
PGO_TMP := .cache/pgo
pgo: ## refresh cmd/reqsh/default.pgo, the CPU profile reqsh is built with
	@mkdir -p $(PGO_TMP)
	$(GO) test -pgo=off -run '^$$' -bench '^BenchmarkScriptGet$$' -benchtime 30000x -cpu 1 -cpuprofile $(PGO_TMP)/get.prof -o $(PGO_TMP)/repl.test ./repl
	$(GO) test -pgo=off -run '^$$' -bench '^BenchmarkScriptMixed$$' -benchtime 15000x -cpu 1 -cpuprofile $(PGO_TMP)/mixed.prof -o $(PGO_TMP)/repl.test ./repl
	$(GO) tool pprof -proto $(PGO_TMP)/get.prof $(PGO_TMP)/mixed.prof > cmd/reqsh/default.pgo

bench-spec: build spec-corpus ## only the spec figures: GitHub's API description loaded each way, ls and completion lookups
	$(GO) build -trimpath -o $(BIN)/reqsh-bench ./cmd/reqsh-bench
	$(BIN)/reqsh-bench -reqsh $(BIN)/reqsh -spec $(SPEC_CORPUS) -spec-only

spec-corpus: $(SPEC_CORPUS) ## fetch GitHub's REST API description with npm into .cache/ (for the bench only)

$(SPEC_CORPUS):
	@command -v npm >/dev/null || { echo "spec-corpus: npm is needed to fetch $(OCTOKIT_OPENAPI)"; exit 1; }
	mkdir -p $(SPEC_CACHE)
	cd $(SPEC_CACHE) && npm pack --silent $(OCTOKIT_OPENAPI) > pack.txt && tar xzf "$$(tail -n 1 pack.txt)" package/generated/api.github.com.json
	@touch $@

clean: ## remove built binaries (the .cache/ of fetched descriptions stays)
	rm -rf $(BIN)
