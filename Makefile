# One command sets up and writes the sample review's reports; one runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEV_STAMP := $(VENV)/.dev-installed-stamp
PARAMS ?= params/review-2023.yaml
FORMATS ?=# e.g. make reports FORMATS=html,pdf,docx,pptx (default: the params file's formats)

.PHONY: reports test bench lab hooks env clean

reports: $(STAMP)
	$(BIN)/tjsl-eval run $(PARAMS) $(if $(FORMATS),--format $(FORMATS))

test: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

# JupyterLab on notebooks/, its python3 kernel being this project's environment
# (--allow-root only where make runs as root, e.g. in a container).
lab: $(DEV_STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

# Git hooks: strip notebook outputs and run ruff before each commit.
hooks: $(DEV_STAMP)
	$(BIN)/pre-commit install

$(DEV_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(DEV_STAMP)

env: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "tjsl-eval needs Python 3.11 or newer: run make PYTHON=python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) outputs/review-*
