# Every target installs what it needs first; `make demo` and `make test` work on a fresh clone.
SHELL := /bin/bash
SOURCES := $(shell find src schema webview -type f) package.json scripts/build.mjs

.PHONY: demo test bench build install clean

install: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

dist/cli.js: node_modules/.package-lock.json $(SOURCES)
	node scripts/build.mjs

build: dist/cli.js

test: build
	bash scripts/ensure-deps.sh
	npx tsc --noEmit -p .
	node scripts/test.mjs

bench: build
	bash scripts/ensure-deps.sh
	bash bench/run-all.sh

demo: build
	bash scripts/demo.sh

clean:
	rm -rf dist .hone/demo test-output
