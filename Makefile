# Timebar for TMetric: build, run and test. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := all
GO ?= go
# Fuzz budgets are counts of inputs, not durations: a duration races Go's
# fuzz coordinator and fails with "context deadline exceeded" and no crasher
# (go.dev/issue/75804, fixed in Go 1.27).
FUZZTIME ?= 1000000x
FUZZ_SMOKE ?= 10000x
BENCHCOUNT ?= 6
BENCHRUNS ?= 25
FUZZ_PKGS := ./core
EXT := build/extension
VERSION := $(shell sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' manifest.json)
WASM_FLAGS := -trimpath -ldflags='-s -w'
# wasm-opt shrinks the module ~5% (Debian's binaryen; `make deps` installs it).
WASM_OPT := wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int

.PHONY: help deps all build extension extension-locked demo worker worker-locked worker-dev worker-deps dist icons today test check unit fuzz-smoke fuzz bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

deps: ## install missing Debian packages the build and tests need (chromium, binaryen, nodejs)
	@bash tests/deps.sh

all: deps build extension ## build everything: Go packages and the unpacked extension

build: ## compile every Go package
	$(GO) build ./...

extension: ## build the unpacked extension into build/extension (load it with "Load unpacked")
	@mkdir -p build
	@flock build/.extension.lock $(MAKE) --no-print-directory extension-locked

# Tests build the extension too, possibly at the same time: one at a time,
# and wasm-opt runs only when the Go module really changed.
extension-locked:
	@command -v wasm-opt >/dev/null || { echo "wasm-opt is missing: run make deps"; exit 1; }
	rm -rf $(EXT).tmp && mkdir -p $(EXT).tmp
	cp manifest.json $(EXT).tmp/
	cp -r extension/. $(EXT).tmp/
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" $(EXT).tmp/
	GOOS=js GOARCH=wasm $(GO) build $(WASM_FLAGS) -o build/core.raw.new.wasm ./wasm/extension
	@if cmp -s build/core.raw.new.wasm build/core.raw.wasm && [ -f build/core.opt.wasm ]; then \
	  rm build/core.raw.new.wasm; echo "core.wasm unchanged"; \
	else \
	  mv build/core.raw.new.wasm build/core.raw.wasm && echo "$(WASM_OPT) build/core.raw.wasm" && \
	  $(WASM_OPT) build/core.raw.wasm -o build/core.opt.wasm; \
	fi
	cp build/core.opt.wasm $(EXT).tmp/core.wasm
	rm -rf $(EXT) && mv $(EXT).tmp $(EXT)

dist: extension ## zip the extension for the stores: dist/timebar-VERSION.zip
	$(GO) run ./tests/tools/pack $(EXT) dist/timebar-$(VERSION).zip
	@echo "dist/timebar-$(VERSION).zip"

WORKER := build/worker
WRANGLER := tests/worker/node_modules/.bin/wrangler
WRANGLER_ENV := WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false XDG_CONFIG_HOME=$(CURDIR)/build/wrangler-home

worker: ## build the relay Worker (Go on Cloudflare Workers) into build/worker
	@mkdir -p build
	@flock build/.worker.lock $(MAKE) --no-print-directory worker-locked

worker-locked:
	rm -rf $(WORKER).tmp && mkdir -p $(WORKER).tmp
	GOOS=js GOARCH=wasm $(GO) build $(WASM_FLAGS) -o $(WORKER).tmp/app.wasm ./wasm/worker
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" wasm/worker/worker.mjs $(WORKER).tmp/
	rm -rf $(WORKER) && mv $(WORKER).tmp $(WORKER)

worker-deps: ## install Cloudflare's local runtime (wrangler 4.86.0, pinned) for the relay
	@if [ ! -x $(WRANGLER) ] || [ tests/worker/package-lock.json -nt tests/worker/node_modules/.package-lock.json ]; then \
	  cd tests/worker && npm ci --no-audit --no-fund; \
	fi

worker-dev: worker worker-deps ## run the relay locally on http://127.0.0.1:8787 (TMETRIC_BASE_URL to point it elsewhere)
	$(WRANGLER_ENV) $(WRANGLER) dev --config wrangler.toml --ip 127.0.0.1 --port 8787 --persist-to build/wrangler-state \
	  $(if $(TMETRIC_BASE_URL),--var TMETRIC_BASE_URL:$(TMETRIC_BASE_URL))

icons: ## redraw the toolbar icons in extension/icons
	$(GO) run ./tests/tools/icons extension/icons

demo: deps extension ## run it: the extension in Chromium against the sandbox (or TMETRIC_TOKEN), screenshots in build/demo
	$(GO) run ./tests/demo

today: ## print today's entries (TMETRIC_TOKEN=...; without it, the built-in sandbox)
	$(GO) run ./core/cmd/today

test: deps worker-deps check unit fuzz-smoke ## run every test: formatting, vet, unit, contract, WebAssembly and browser tests, each fuzz target briefly

check: ## gofmt and go vet
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

unit: ## go test ./... (unit, fake-server, contract, WebAssembly and end-to-end browser tests)
	$(GO) test -count=1 ./...

fuzz-smoke: ## run each fuzz target for FUZZ_SMOKE inputs (default 10000x)
	@mkdir -p build
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZ_SMOKE)

fuzz: ## run each fuzz target for FUZZTIME inputs (default 1000000x)
	@set -e; for pkg in $(FUZZ_PKGS); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
	    if ! $(GO) test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) $$pkg > build/fuzz.log 2>&1; then \
	      cat build/fuzz.log; exit 1; \
	    fi; \
	    tail -1 build/fuzz.log; \
	  done; done

bench: deps extension worker-deps ## measure: Go decode/build benchmarks, module size, popup speed in Chromium; writes docs/BENCHMARKS.md
	$(GO) run ./tests/bench -count $(BENCHCOUNT) -runs $(BENCHRUNS)

clean: ## remove build outputs
	rm -rf build dist
