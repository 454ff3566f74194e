# sysgrok — front end over CMake/Ninja. `make demo` and `make test` do all set-up.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
FUZZ_SECONDS ?= 15
# ccache: paths relative to the checkout so that a fresh clone elsewhere hits the cache.
export CCACHE_BASEDIR := $(CURDIR)
LAUNCHER   := $(shell command -v ccache >/dev/null 2>&1 && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)

.PHONY: all setup build test unit lint asan demo bench clean help

all: build

help:
	@echo "make demo   set up, build and analyze the bundled sample logs"
	@echo "make test   set up, build, lint, run all tests (+ ASan/UBSan build and fuzzers)"
	@echo "make bench  run the benchmarks and rewrite docs/BENCHMARKS.md"

setup:
	@scripts/setup

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(LAUNCHER)

build: setup $(BUILD)/build.ninja
	@ninja -C $(BUILD) -j$(JOBS)

lint: build
	@scripts/check-format
	@scripts/run-tidy $(BUILD)

unit: build
	@ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

$(ASAN_BUILD)/build.ninja:
	CC=clang-16 CXX=clang++-16 cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DSYSGROK_SANITIZE=ON -DSYSGROK_FUZZ=ON -DSYSGROK_FUZZ_SECONDS=$(FUZZ_SECONDS) $(LAUNCHER)

# Sanitizer build: unit, golden and data tests under ASan+UBSan, then each fuzzer briefly.
asan: setup $(ASAN_BUILD)/build.ninja
	@ninja -C $(ASAN_BUILD) -j$(JOBS)
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j$(JOBS) -E '^data\.'

test: lint unit asan
	@echo "make test: all checks passed"

demo: build
	@$(BUILD)/sysgrok analyze samples/ ; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 3 ]

bench: build
	@scripts/bench

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)

# A local OpenSearch 2.19 node (in-process harness, tools/opensearch) for demos:
# `make opensearch` prints its URL; data stays in $(OPENSEARCH_HOME) until you delete it.
OPENSEARCH_HOME ?= /tmp/sysgrok-opensearch
.PHONY: opensearch opensearch-stop test-slow
opensearch:
	@tools/opensearch/opensearch.sh start $(OPENSEARCH_HOME)

opensearch-stop:
	@tools/opensearch/opensearch.sh stop $(OPENSEARCH_HOME)

# Slow checks kept out of `make test`: the cluster outage test (>= 1 M events).
test-slow: build
	@python3 tests/integration/es_fault_test.py --sysgrok $(BUILD)/sysgrok
