# Two commands do all the set-up on a fresh machine: `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

LOCK := requirements.lock
LOCK_TOOLS := .venv-lock
PIP_TOOLS := pip-tools==7.6.2
# Resolves from pyproject.toml (with the test extra and the build backend) with this machine's pip
# configuration, and hashes every file of each pinned version, so --require-hashes accepts whichever
# file pip picks here (an index, a local mirror or PyPI).
PIP_COMPILE := $(LOCK_TOOLS)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--extra test --all-build-deps --no-emit-index-url --no-emit-find-links --output-file $(LOCK) pyproject.toml

.PHONY: build install install-lock test fuzz venv validate diff system-deps browser-deps benchmark golden cases case preview pictures lock lock-upgrade clean

build: $(STAMP) system-deps
	$(PY) build.py build

# Only the set-up of `make build`: what CI runs before it validates, diffs or builds one region.
install: $(STAMP) system-deps

test: $(STAMP) system-deps browser-deps
	$(PY) -m pytest -q -n auto

# The property tests with the long Hypothesis profile, round after round with new examples, for FUZZ_SECONDS
# (ten minutes). A failure stops at once and is saved in .hypothesis/, so the next fuzz run tries it first.
FUZZ_SECONDS ?= 600
fuzz: $(STAMP)
	@end=$$(( $$(date +%s) + $(FUZZ_SECONDS) )); round=0; \
	while [ $$(date +%s) -lt $$end ]; do \
		round=$$((round + 1)); echo "fuzz: ronde $$round"; \
		HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q -p no:cacheprovider tests/test_properties.py || exit 1; \
	done; echo "fuzz: $$round ronde(s) in $(FUZZ_SECONDS) s, niets gevonden."

validate: $(STAMP)
	$(PY) build.py validate

benchmark: $(STAMP) system-deps
	$(PY) benchmarks/run.py

# Every page of the example's documents and of its redlines as PNG in output/preview/, to look at without a PDF viewer.
preview: $(STAMP) system-deps browser-deps
	$(PY) tests/preview.py

# Refresh the golden HTML files under tests/golden/ after an intended template change.
# They leave out the inlined templates/print.css, so a CSS change needs no refresh.
golden: $(STAMP)
	STODOCS_UPDATE_GOLDEN=1 $(PY) -m pytest -q tests/test_render.py tests/test_administratie_statements.py tests/test_reporting.py -k golden

# Rewrite every tests/cases/*/*/expected.txt from what validate reports now; review the diff before committing.
cases: $(STAMP)
	STODOCS_UPDATE_CASES=1 $(PY) -m pytest -q tests/test_cases.py

# Make or change one case's change.patch: `make case NAME=invalid/mijn-regel` copies the fixture region (with the
# case's change.patch, if any) to output/case/invalid/mijn-regel/; edit it there, run the same command again, and
# it writes tests/cases/invalid/mijn-regel/change.patch (see tests/case.py). Then `make cases`.
case: $(STAMP)
	$(PY) tests/case.py $(NAME)

venv: $(STAMP)

# .venv holds exactly what requirements.lock pins: made afresh when the lock changes, every file checked
# against its hash, wheels only (nothing is built, so no unpinned build tool runs). Then stodocs itself,
# editable, built by the locked setuptools. See docs/reproduceerbaar.md.
#
# The lock is installed as a complete set: --no-deps, so pip resolves nothing again. Without it, pip reads
# a dependency's extra (weasyprint asks for fonttools[woff]) as a new requirement, may take the newest release
# on the index for it, and --require-hashes then refuses the whole install. Which pip `python3 -m venv` brings
# and what the index serves that day no longer matter. `pip check` then proves the set is complete.
# PIP_OPTIONS: extra options for where pip looks (the tests point it at a local folder of wheels).
PIP_OPTIONS ?=
install-lock:
	$(PYTHON) -m venv --clear $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes --only-binary :all: \
		$(PIP_OPTIONS) -r $(LOCK)
	@$(PY) -m pip check --disable-pip-version-check >/dev/null || { $(PY) -m pip check; \
		echo "requirements.lock is niet compleet: voer 'make lock' uit en commit het resultaat." >&2; exit 1; }

$(STAMP): $(LOCK) pyproject.toml
	$(MAKE) --no-print-directory install-lock
	@# PYTHONWARNINGS: setuptools warns at length about editable installs; nothing for the user to act on.
	PYTHONWARNINGS=ignore $(PY) -m pip install --quiet --no-deps --no-build-isolation --no-index -e .
	touch $(STAMP)

# Refresh requirements.lock on purpose. `make lock` keeps every pin it can and adds what pyproject.toml
# now asks for; `make lock-upgrade` moves every package to its newest allowed release. Review the diff,
# run `make test`, and commit the lock with the change that needed it.
lock: $(LOCK_TOOLS)/.installed
	$(PIP_COMPILE)

lock-upgrade: $(LOCK_TOOLS)/.installed
	$(PIP_COMPILE) --upgrade

$(LOCK_TOOLS)/.installed:
	$(PYTHON) -m venv $(LOCK_TOOLS)
	$(LOCK_TOOLS)/bin/python -m pip install --quiet '$(PIP_TOOLS)'
	touch $@

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

# The review site is tested in Debian's Chromium (tests/browser.py; Playwright's own browser download needs the
# internet and is never used). Installed when we can (root + apt-get), as for system-deps; otherwise say how.
browser-deps:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "chromium ontbreekt (voor de tests van de site); installeren met apt-get ..."; \
		(apt-get install -y -qq chromium >/dev/null 2>&1 || \
		 (apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null)) && \
		echo "chromium geïnstalleerd."; \
	else \
		echo "Let op: chromium ontbreekt; de tests van de site hebben het nodig. Installeer het met:"; \
		echo "    sudo apt-get install chromium"; \
	fi

# Remake the pictures of docs/handleiding.md from the example. They need pdftoppm (Debian: poppler-utils), which
# is installed when we can (root + apt-get), as for system-deps.
pictures: $(STAMP) system-deps
	@if ! command -v pdftoppm >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "pdftoppm ontbreekt; poppler-utils installeren met apt-get ..."; \
			apt-get install -y -qq poppler-utils >/dev/null 2>&1 || \
			(apt-get update -qq >/dev/null && apt-get install -y -qq poppler-utils >/dev/null); \
		else echo "pdftoppm ontbreekt. Installeer het met:"; echo "    sudo apt-get install poppler-utils"; exit 2; fi; \
	fi
	$(PY) docs/img/make_pictures.py

clean:
	rm -rf output administratie $(VENV) $(LOCK_TOOLS)
