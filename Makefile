# The product's front door: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup demo messages clean bench-data bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

setup: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_wards
	$(BIN)/python manage.py load_reorganisations
	$(BIN)/python manage.py load_legal_documents

demo: setup
	$(BIN)/python manage.py seed_demo

run: demo
	@echo ""
	@echo "Mở http://$(HOST):$(PORT)/ và đăng nhập bằng một tài khoản ở trên (Ctrl+C để dừng)."
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

# Benchmarks (docs/performance.md): province-scale data in its own PostgreSQL
# database, then every script of bench/ against it.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/antq_province
bench-data: $(VENV)/.installed-dev
	psql "$(BENCH_DATABASE_URL)" -c "select 1" >/dev/null 2>&1 || createdb -h 127.0.0.1 -U postgres antq_province
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py migrate --noinput
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py load_wards
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py load_legal_documents
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py seed_demo --scale province

bench: $(VENV)/.installed-dev
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/run_all.py

# Developer tool (needs GNU gettext): refresh the English catalogue from the code
# (translations already in the .po are kept; translate the new empty msgstr, and
# check any entry makemessages marks fuzzy), then compile it. The .po and .mo are
# committed.
messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages -l en --no-obsolete -i ".venv/*" -i "tests/*"
	$(BIN)/python manage.py compilemessages -l en -i ".venv"

clean:
	rm -rf $(VENV) var/db.sqlite3 var/test-media

# The national scale (issue #14): 34 provinces, about 3,300 wards and 7,000,000
# sessions, bulk-loaded by COPY into its own PostgreSQL database.
NATIONAL_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/antq_national
.PHONY: bench-national-data
bench-national-data: $(VENV)/.installed-dev
	psql "$(NATIONAL_DATABASE_URL)" -c "select 1" >/dev/null 2>&1 || createdb -h 127.0.0.1 -U postgres antq_national
	DATABASE_URL=$(NATIONAL_DATABASE_URL) $(BIN)/python manage.py migrate --noinput
	DATABASE_URL=$(NATIONAL_DATABASE_URL) $(BIN)/python manage.py load_wards
	DATABASE_URL=$(NATIONAL_DATABASE_URL) $(BIN)/python manage.py load_legal_documents
	DATABASE_URL=$(NATIONAL_DATABASE_URL) $(BIN)/python manage.py seed_demo --scale national
