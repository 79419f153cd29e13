# herald_crawler: `make crawl` crawls the real site, `make test` runs every test,
# `make demo` crawls the bundled mirror on 127.0.0.1. Each creates .venv from the locks when needed.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: crawl test demo venv clean lock bench-quality bench-robustness bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements/runtime.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/runtime.lock
	touch $@

$(VENV)/.dev: requirements/dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/dev.lock
	touch $(VENV)/.runtime $@

venv: $(VENV)/.runtime

crawl: $(VENV)/.runtime
	$(BIN)/scrapy crawl herald $(ARGS)

demo: $(VENV)/.runtime
	$(BIN)/python -m tests.mirror demo $(ARGS)

test: $(VENV)/.dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

.venv-bench/.installed: requirements/bench.lock
	$(PYTHON) -m venv .venv-bench
	.venv-bench/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements/bench.lock
	touch $@

bench-quality: $(VENV)/.dev .venv-bench/.installed
	$(BIN)/python -m benchmarks.quality

# The markup-variation suite (tests/variations): herald_crawler and trafilatura per variation family.
bench-robustness: $(VENV)/.dev .venv-bench/.installed
	$(BIN)/python -m benchmarks.robustness

# Speed and memory at scale (about an hour): needs nginx (Debian's nginx-light, installed here if missing).
bench: $(VENV)/.dev .venv-bench/.installed
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light)
	$(BIN)/python -m benchmarks.speed $(ARGS)

lock:  # needs pip-tools (pip install pip-tools==7.6.2)
	pip-compile --quiet --generate-hashes --strip-extras -o requirements/runtime.lock pyproject.toml
	pip-compile --quiet --generate-hashes --strip-extras --extra test -o requirements/dev.lock pyproject.toml
	pip-compile --quiet --generate-hashes --strip-extras -o requirements/bench.lock requirements/bench.in

clean:
	rm -rf $(VENV) .venv-bench .pytest_cache
