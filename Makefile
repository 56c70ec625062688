# One command sets up and writes the sample review's reports; one runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PARAMS ?= params/review-2023.yaml
# Every package pinned with its hashes (all extras: test, dask, dev), for any OS and Python >= 3.11
# (a universal resolution by uv); `make lock` refreshes it, `make lock UPGRADE=1` also upgrades every pin.
LOCK := requirements-lock.txt
FORMATS ?=# e.g. make reports FORMATS=html,pdf,docx,pptx (default: the params file's formats)

DASHBOARD_HOST ?= localhost
DASHBOARD_PORT ?= 8866

.PHONY: reports test bench lab hooks env lock clean dashboard

reports: $(STAMP)
	$(BIN)/tjsl-eval run $(PARAMS) $(if $(FORMATS),--format $(FORMATS))

test: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/hostile_files.py

# JupyterLab on notebooks/, its python3 kernel being this project's environment
# (--allow-root only where make runs as root, e.g. in a container).
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

# Git hooks: strip notebook outputs and run ruff before each commit.
hooks: $(STAMP)
	$(BIN)/pre-commit install

# The review explorer as a web app (Voila, no code shown) on http://$(DASHBOARD_HOST):$(DASHBOARD_PORT);
# DASHBOARD_HOST=0.0.0.0 serves it to the local network (read the README's security note first).
# Reports and scenario exports under outputs/ are served through Voila's file route, nothing else.
dashboard: $(STAMP)
	TJSL_EVAL_FILES_URL=/voila/files/ TJSL_EVAL_FILES_ROOT=$(CURDIR) $(BIN)/voila notebooks/explorer.ipynb \
		--no-browser --Voila.ip=$(DASHBOARD_HOST) --port=$(DASHBOARD_PORT) --Voila.port_retries=0 \
		--Voila.root_dir=$(CURDIR) --VoilaConfiguration.file_allowlist='outputs/.*[.](html|xlsx)'

env: $(STAMP)

# The environment, installed from the lock only: pip refuses any package whose hash is not in it.
$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "tjsl-eval needs Python 3.11 or newer: run make PYTHON=python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $(STAMP)

# Resolve pyproject.toml's dependencies and extras again into $(LOCK), keeping the pins that still
# fit (uv, installed into the environment by pip if missing, resolves in seconds).
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet 'uv>=0.5'
	$(BIN)/uv pip compile pyproject.toml --all-extras --universal --python-version 3.11 --generate-hashes \
		--custom-compile-command 'make lock' --quiet $(if $(UPGRADE),--upgrade) --output-file $(LOCK)

clean:
	rm -rf $(VENV) outputs/review-*
