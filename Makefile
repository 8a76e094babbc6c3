# MotCua Desk: `make run` starts the app on demo data, `make test` runs every test. Both install what is
# missing first (scripts/install-deps.sh). See README.md.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
CARGO ?= cargo

.PHONY: run test deps ui-deps build lint test-rust test-ui e2e bench fuzz soak clean-demo

run: deps ui-deps
	bash scripts/run-app.sh

test: deps ui-deps lint test-rust test-ui e2e
	@echo "make test: all suites passed"

deps:
	bash scripts/install-deps.sh

ui-deps: deps
	@if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then \
		cd ui && npm ci --no-audit --no-fund; fi

build: deps ui-deps
	cd ui && npm run build
	$(CARGO) build --workspace --bins

lint: deps ui-deps
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	cd ui && npm run check

test-rust: deps
	$(CARGO) test --workspace

test-ui: ui-deps
	cd ui && npm test

e2e: deps ui-deps
	bash scripts/e2e.sh

# Benchmarks, fuzzing and soak runs are long: they have their own targets (results in BENCHMARKS.md).
bench: deps
	$(CARGO) build -p motcua-portal --bin motcua-portal
	$(CARGO) run -p motcua --example bench_sync

fuzz:
	@echo "fuzz: no fuzz targets yet (added with the verifier)"

soak: deps
	$(CARGO) build -p motcua-portal --bin motcua-portal
	SOAK_DOSSIERS=$${SOAK_DOSSIERS:-300} $(CARGO) test -p motcua --test sync_flaky -- --ignored --nocapture

clean-demo:
	rm -rf .demo-data
