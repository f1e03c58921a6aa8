# Two commands on a fresh machine: `make site` and `make test` (see README.md).
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup site serve test check status clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

## Build the town site into site/ (the previous site stays if the build fails)
site: setup
	$(BIN)/mkdocs build
	@echo "サイトを作成しました: $(CURDIR)/site/index.html"
	$(BIN)/publisher status

## Live preview at http://127.0.0.1:8000 with drafts and embargoed items shown and marked
serve: setup
	$(BIN)/mkdocs serve

## Validate every file under content/
check: setup
	$(BIN)/publisher check

status: setup
	$(BIN)/publisher status

## The whole test suite (pytest's exit code 5, "no tests collected", is not a failure)
test: setup
	$(BIN)/python -m pytest; rc=$$?; if [ $$rc -eq 5 ]; then exit 0; fi; exit $$rc

clean:
	rm -rf site .site.building .site.old
