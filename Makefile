# MotCua Desk: `make run` starts the app on demo data, `make test` runs every test. Both install what is
# missing first (scripts/install-deps.sh). See README.md.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
CARGO ?= cargo
# Every cargo step of `make test` builds the shell with the bundled UI, so Tauri is compiled once for all of
# them (a different feature set would compile it again). The bundled UI must exist first: see ui-build.
FEATURES := --features motcua-desk/custom-protocol

.PHONY: run test deps ui-deps ui-build build lint test-rust test-ui e2e bench bench-report fuzz soak clean-demo

run: deps ui-deps
	bash scripts/run-app.sh

test: deps ui-deps lint test-rust test-ui e2e
	@echo "make test: all suites passed"

deps:
	bash scripts/install-deps.sh

ui-deps: deps
	@if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then \
		cd ui && npm ci --no-audit --no-fund; fi

ui-build: ui-deps
	cd ui && npm run build

build: ui-build
	$(CARGO) build --workspace --bins $(FEATURES)

lint: ui-build
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets $(FEATURES) -- -D warnings
	cd ui && npm run check

test-rust: ui-build
	$(CARGO) test --workspace --no-fail-fast $(FEATURES)

test-ui: ui-deps
	cd ui && npm test

e2e: deps ui-deps
	bash scripts/e2e.sh

# Benchmarks, fuzzing and soak runs are long: they have their own targets (results in BENCHMARKS.md).
bench: deps
	$(CARGO) bench -p motcua --bench motcua_bench
	$(CARGO) bench -p motcua --bench verify_bench
	$(CARGO) build --release -p motcua-portal --bin motcua-portal
	$(CARGO) build --release -p motcua --bin motcua
	$(CARGO) run --release -p motcua --example bench_sync
	bash scripts/bench-app.sh
	$(CARGO) bench -p motcua --bench report_bench

# The period report over 1,000,000 generated dossiers (generated once into target/bench-report/).
bench-report:
	$(CARGO) bench -p motcua --bench report_bench

# Fuzzing the verifier (fuzz/, its own workspace): needs nightly and cargo-fuzz (installed if missing).
# FUZZ_SECONDS per target; crashes land in fuzz/artifacts/.
FUZZ_SECONDS ?= 600
fuzz:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz
	bash fuzz/seed.sh
	cd fuzz && $(CARGO) +nightly fuzz run verify_pdf corpus/verify_pdf -- -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048
	cd fuzz && $(CARGO) +nightly fuzz run verify_cms corpus/verify_cms -- -max_total_time=$(FUZZ_SECONDS)

soak: deps
	$(CARGO) build -p motcua-portal --bin motcua-portal
	SOAK_DOSSIERS=$${SOAK_DOSSIERS:-300} $(CARGO) test -p motcua --test sync_flaky -- --ignored --nocapture

clean-demo:
	rm -rf .demo-data
