# Two commands do all the set-up on a fresh machine: `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: build test validate diff system-deps benchmark golden cases preview clean

build: $(STAMP) system-deps
	$(PY) build.py build

test: $(STAMP) system-deps
	$(PY) -m pytest -q

validate: $(STAMP)
	$(PY) build.py validate

benchmark: $(STAMP) system-deps
	$(PY) benchmarks/run.py

# Every page of the example's four documents and of a redline as PNG in output/preview/, to look at without a PDF viewer.
preview: $(STAMP) system-deps
	$(PY) tests/preview.py

# Refresh the golden HTML files under tests/golden/ after an intended template change.
# They leave out the inlined templates/print.css, so a CSS change needs no refresh.
golden: $(STAMP)
	STODOCS_UPDATE_GOLDEN=1 $(PY) -m pytest -q tests/test_render.py

# Rewrite every tests/cases/*/*/expected.txt from what validate reports now; review the diff before committing.
cases: $(STAMP)
	STODOCS_UPDATE_CASES=1 $(PY) -m pytest -q tests/test_cases.py

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@# PYTHONWARNINGS: setuptools warns at length about editable installs; nothing for the user to act on.
	PYTHONWARNINGS=ignore $(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# WeasyPrint subsets fonts with HarfBuzz when libharfbuzz-subset0 is present: faster, and
# reproducible PDFs. Install it when we can (root + apt-get), otherwise say how.
system-deps:
	@if ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset\.so\.0'; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "libharfbuzz-subset0 ontbreekt; installeren met apt-get ..."; \
		(apt-get install -y -qq libharfbuzz-subset0 >/dev/null 2>&1 || \
		 (apt-get update -qq >/dev/null && apt-get install -y -qq libharfbuzz-subset0 >/dev/null)) && \
		echo "libharfbuzz-subset0 geïnstalleerd."; \
	else \
		echo "Let op: libharfbuzz-subset0 ontbreekt. Installeer het met:"; \
		echo "    sudo apt-get install libharfbuzz-subset0"; \
		echo "Zonder dit pakket werkt stodocs, maar trager."; \
	fi

clean:
	rm -rf output $(VENV)
