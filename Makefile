# Everything a fresh machine needs: `make demo` to try the console, `make test` to check it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench clean i18n

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/agent-console demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pyright
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest -n auto --maxprocesses 4

# The gettext catalogues: extract every _()/N_() msgid, merge it into each language's
# .po (translate the new, empty msgstrs there), compile the .mo the package ships.
LOCALE := agent_console/locale
POT    := $(LOCALE)/agent_console.pot
i18n: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-location --no-wrap --sort-output \
		--project agent-console --version 0.1.0 -o $(POT) agent_console screens
	$(BIN)/pybabel update -i $(POT) -d $(LOCALE) -D agent_console --no-wrap --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d $(LOCALE) -D agent_console --statistics

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) dist build .pytest_cache .ruff_cache
