# Set-up and everyday commands. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench
FUZZ_STAMP := $(VENV)/.installed-fuzz
FUZZ_SECONDS ?= 300

.PHONY: demo test fuzz install install-test install-redis install-chromium bench-quality clean bench-throughput bench-scale bench-analyst bench-summary bench-render

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# setuptools 77+ reads the SPDX license string (scrapyd-deploy builds eggs with the venv's
# setuptools); scrapyd 1.6 wants it below 81.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet 'setuptools>=77,<81'
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	touch $@

$(FUZZ_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[fuzz]'
	touch $@

install: $(STAMP)

install-test: $(TEST_STAMP)

demo: $(STAMP)  ## serve the bundled demo site on 127.0.0.1 and crawl it into data/news.db
	$(BIN)/python -m crawler.demo

install-redis:  ## the Redis scale-out tests start their own redis-server (Debian package)
	command -v redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq redis-server; }

install-chromium:  ## tests/browser and tests/render (crawl --render) drive Debian's chromium through Playwright (never a downloaded browser)
	test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: $(TEST_STAMP) install-redis install-chromium  ## run the whole test suite
	$(BIN)/python -m pytest -q

fuzz: $(FUZZ_STAMP)  ## coverage-guided fuzzing of parse_page for FUZZ_SECONDS; new inputs join tests/fuzz/corpus
	$(BIN)/python tests/fuzz/fuzz_parse.py tests/fuzz/corpus -max_total_time=$(FUZZ_SECONDS) -timeout=60 -rss_limit_mb=4096 -print_final_stats=1

bench-quality: $(BENCH_STAMP)  ## extraction quality and speed vs trafilatura, newspaper4k, readability -> docs/benchmarks.md
	$(BIN)/python -m bench.quality

bench-throughput: $(BENCH_STAMP)  ## crawl a 20,000-page local site three ways; writes docs/benchmarks.md
	command -v nginx >/dev/null && command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq nginx-light wrk; }
	$(BIN)/python -m bench.throughput

ANALYST_DATA ?= .newscrawl/bench
bench-analyst: $(TEST_STAMP)  ## search, stats, Datasette, insert rate on generated 20,000 / 200,000 / 1,000,000-article databases (kept in ANALYST_DATA) -> docs/benchmarks.md
	nice $(BIN)/python -m bench.analyst --data $(ANALYST_DATA)

bench-summary: $(STAMP)  ## summary quality (TextRank vs lead-3, ROUGE vs page descriptions) on ../shared wcxb-dev -> docs/benchmarks.md
	$(BIN)/python -m bench.summary --dataset ../shared/datasets/wcxb-dev

bench-scale: $(STAMP) install-redis  ## Redis workers: 1/2/4 on one slow site, politeness gaps, eight polite sites, seen-set memory; writes docs/scaling.md
	$(BIN)/python -m bench.scale

bench-render: $(TEST_STAMP) install-chromium  ## issue 17's rendering targets on local sites (script-built site, auto on the demo, renders/s, memory, browser SSRF) -> docs/benchmarks.md
	nice $(BIN)/python -m bench.render

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
