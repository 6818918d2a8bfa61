# The two set-up commands: `make run` and `make test`. Both need only Python 3.11.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run SCALE=city`: 淄博市 with its districts, each with its plan, in its own database file
SCALE ?= district
ifneq ($(SCALE),district)
export DATABASE_URL ?= sqlite:///$(CURDIR)/db-$(SCALE).sqlite3
endif

.PHONY: run test lint format demo clean browser-deps screenshots

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11（未找到 $(PYTHON)）"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_demo --scale $(SCALE)

# The task worker runs in a loop that restarts it whenever it exits; Ctrl-C stops both.
run: demo
	@echo "服务地址: http://$(HOST):$(PORT)/（后台任务进程随之启动、退出后自动重启，Ctrl-C 一并停止）"
	( trap 'kill $$pid 2>/dev/null; exit 0' TERM; \
	  while true; do \
	    $(PY) manage.py db_worker --queue-name default,recompute --interval 1 & pid=$$!; wait $$pid; \
	    echo "后台任务进程已退出（状态 $$?），2 秒后重启"; sleep 2 & wait $$!; \
	  done ) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Browser tests drive Debian's Chromium; PDF documents need LibreOffice and poppler; install them
# (and CJK fonts) when missing.
browser-deps:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "浏览器测试需要 Debian 的 chromium：sudo apt-get install chromium fonts-noto-cjk"; exit 1; fi; }
	@command -v soffice >/dev/null && command -v pdftotext >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk fonts-noto-cjk-extra poppler-utils >/dev/null; \
	  else echo "PDF 文档需要 LibreOffice 与 poppler：sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk fonts-noto-cjk-extra poppler-utils"; exit 1; fi; }

test: $(STAMP) browser-deps
	$(PY) -m ruff check .
	$(PY) -m pytest

screenshots: demo browser-deps
	$(PY) scripts/screenshots.py

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm db-*.sqlite3* var
