# Two commands on a fresh machine: `make site` and `make test` (see README.md).
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTHON ?= python3
LEDGER := data/sns-ledger.json
LEDGER_BRANCH := sns-ledger
LEDGER_MESSAGE ?= record posts
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup system-site system-test system-bulletin site site-strict site-properdocs serve practice lint test test-fast screenshots a11y-report check status new ledger-fetch ledger-push bench bench-build bench-profile clean

# Debian packages: a Japanese font for social cards; poppler (pdftoppm, with the data to draw
# non-embedded Japanese fonts) and Tesseract with Japanese for bulletin import; Chromium for tests
# (chromium-l10n: the admin screenshots show dates the Japanese way).
SITE_PACKAGES := fonts-noto-cjk
BULLETIN_PACKAGES := poppler-utils poppler-data tesseract-ocr tesseract-ocr-jpn tesseract-ocr-jpn-vert
TEST_PACKAGES := $(SITE_PACKAGES) $(BULLETIN_PACKAGES) chromium chromium-l10n

# $(call apt,PACKAGES): install what is missing (as root; apt-get update first).
define apt
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "次のパッケージを root で入れてください:$$missing"; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
endef

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

## Debian packages the build (system-site) and the tests (system-test) need
system-site:
	$(call apt,$(SITE_PACKAGES))

system-test:
	$(call apt,$(TEST_PACKAGES))

## Debian packages for `publisher bulletin import`
system-bulletin:
	$(call apt,$(SITE_PACKAGES) $(BULLETIN_PACKAGES))

# Node packages: Decap CMS (the build copies it into site/admin/), decap-server and axe-core (tests)
node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

## Build the town site into site/ (the previous site stays if the build fails)
site: setup system-site node_modules/.installed
	$(BIN)/mkdocs build
	@echo "サイトを作成しました: $(CURDIR)/site/index.html"
	$(BIN)/publisher status
	$(BIN)/publisher syndicate --dry-run --brief

## The build pull requests get: MkDocs' strict mode makes every warning an error
site-strict: setup system-site node_modules/.installed
	$(BIN)/mkdocs build --strict

## The same build with ProperDocs (the maintained fork of MkDocs 1.x; same mkdocs.yml, same plugin and theme)
site-properdocs: setup system-site node_modules/.installed
	$(BIN)/properdocs build -f mkdocs.yml
	@echo "サイトを作成しました（ProperDocs）: $(CURDIR)/site/index.html"

## Live preview at http://127.0.0.1:8000 with drafts and embargoed items shown and marked
serve: setup system-site node_modules/.installed
	$(BIN)/mkdocs serve

## The form editor to practise on, without an account: http://127.0.0.1:8000/admin/ (Decap's
## local backend on port 8081 writes straight into content/; Ctrl+C stops both)
practice: setup system-site node_modules/.installed
	@BIND_HOST=127.0.0.1 node_modules/.bin/decap-server & trap 'kill $$! 2>/dev/null' EXIT INT TERM; $(BIN)/mkdocs serve

## Validate every file under content/
check: setup
	$(BIN)/publisher check

status: setup
	$(BIN)/publisher status

## Start a new file by answering questions (staff never type .venv/bin/): `make new`, or
## `make new KIND=event` (news, event, page, alert); the file is a draft until its text is written
new: setup
	@$(BIN)/publisher new $(KIND)

## Lint and formatting (ruff, configured in pyproject.toml); `make test` runs it first
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## The whole test suite after the lint, in two processes (pytest-xdist; each test file stays in one
## process, so a file's shared fixtures, such as the 12-page OCR import, are made once). pytest's
## exit code 5, "no tests collected", is not a failure
test: lint system-test node_modules/.installed
	$(BIN)/python -m pytest -n 2 --dist loadfile; rc=$$?; if [ $$rc -eq 5 ]; then exit 0; fi; exit $$rc

## The unit tests only, in-process (no build, browser, fake SNS server or OCR), then their wall time
test-fast: setup system-site node_modules/.installed
	@start=$$(date +%s.%N); $(BIN)/python -m pytest -m "not slow"; rc=$$?; \
	  echo "$$start $$(date +%s.%N)" | awk '{ printf "test-fast: %.1f s\n", $$2 - $$1 }'; \
	  if [ $$rc -eq 5 ]; then exit 0; fi; exit $$rc

## The screenshots in docs/screenshots (form editor, home, 404, contact box, pull-request summary,
## failed check), taken again by their browser tests
screenshots: setup system-test node_modules/.installed
	UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/test_admin_browser.py tests/test_browser_keyboard.py tests/test_browser_home.py tests/test_furigana_browser.py tests/test_summary_screenshots.py

## The アクセシビリティ試験結果 page (content/site-info/accessibility-report.md): axe-core in Chromium
## on every page type of a fresh build, at phone and desktop widths; commit the page it writes
a11y-report: setup system-test node_modules/.installed
	$(BIN)/python bench/a11y_report.py

## The SNS ledger is kept on its own branch, which the publish workflow writes after every run:
## a protected main refuses the workflow's push, and a ledger left unrecorded means posts made
## again on the next run. ledger-fetch puts the branch's ledger in place (nothing if there is
## none yet; a shallow checkout fetches only the branch's tip); ledger-push commits it there
## (the branch is made from HEAD the first time).
ledger-fetch:
	depth=$$(test "$$(git rev-parse --is-shallow-repository)" = true && echo --depth=1); \
	  git fetch --no-tags $$depth origin +refs/heads/$(LEDGER_BRANCH):refs/remotes/origin/$(LEDGER_BRANCH) || true
	if git cat-file -e origin/$(LEDGER_BRANCH):$(LEDGER) 2>/dev/null; then \
	  git show origin/$(LEDGER_BRANCH):$(LEDGER) > $(LEDGER).fetched && mv $(LEDGER).fetched $(LEDGER); fi

ledger-push:
	rm -rf .ledger-worktree && git worktree prune
	if git rev-parse -q --verify refs/remotes/origin/$(LEDGER_BRANCH) >/dev/null; then \
	  git worktree add -f -B $(LEDGER_BRANCH) .ledger-worktree origin/$(LEDGER_BRANCH); \
	else git worktree add -f -B $(LEDGER_BRANCH) .ledger-worktree HEAD; fi
	mkdir -p $(dir .ledger-worktree/$(LEDGER)) && cp $(LEDGER) .ledger-worktree/$(LEDGER)
	cd .ledger-worktree && git add $(LEDGER) && \
	  { git diff --cached --quiet || git commit -q -m "SNS ledger: $(LEDGER_MESSAGE)"; } && git push origin HEAD:$(LEDGER_BRANCH)
	git worktree remove --force .ledger-worktree

## Page weight, Lighthouse (mobile) and search bytes per query (figures, not tests)
bench: setup system-test
	test -x bench/.tools/node_modules/.bin/lighthouse || npm install --prefix bench/.tools --no-save --no-audit --no-fund -E lighthouse@12.2.3
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/search_bytes.py

## Build speed, memory and output size on the 3,300-file corpus, ours beside stock MkDocs + Material
## blog + RSS (several minutes; corpora and the stock venv are kept in bench/.work/).
## BENCH_ARGS: --large (20,000 files too), --quick (stock built once), --no-stock, --no-search
bench-build: setup system-test
	$(BIN)/python bench/build_speed.py $(BENCH_ARGS)

## Flame graphs (py-spy) of a clean and an everyday build of that corpus, into docs/profiles/
bench-profile: setup
	$(BIN)/pip install -q py-spy==0.4.3
	$(BIN)/python bench/profile_build.py

clean:
	rm -rf site .site.building .site.old-* .cache
