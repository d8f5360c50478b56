# coproduce: `make run` to try it, `make test` to check it. Everything else is set up for you.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install migrate run serve test test-fast bench lint format typecheck assets clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependency list changes.
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,semantic]'
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

run: migrate
	$(BIN)/coproduce demo --if-empty
	$(BIN)/coproduce retention --schedule
	@echo "Starting the task worker and the web app on http://127.0.0.1:$(PORT) (Ctrl+C stops both)"
	@trap 'kill 0' EXIT INT TERM; \
	  $(BIN)/python manage.py db_worker & \
	  $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production on this server (docs/production.md): migrations, static files, then gunicorn
# (WEB_CONCURRENCY workers, default 3) and a task worker, until stopped.
serve: install
	$(BIN)/coproduce serve

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: migrate
	@mkdir -p benchmarks/out
	@for script in benchmarks/*.py; do \
	  echo "== $$script"; $(BIN)/python $$script || exit 1; \
	done

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: install
	$(BIN)/mypy coproduce

# Rebuild the vendored front-end assets (needs Node.js and npm; the output is committed).
assets:
	cd assets && npm install --no-audit --no-fund
	assets/node_modules/.bin/sass --no-source-map --style=compressed --quiet-deps \
	  --silence-deprecation=import --load-path=assets/node_modules/govuk-frontend/dist \
	  assets/coproduce.scss coproduce/core/static/coproduce/coproduce.css
	cp assets/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js coproduce/core/static/coproduce/
	cp assets/node_modules/htmx.org/dist/htmx.min.js coproduce/core/static/coproduce/
	cp assets/node_modules/axe-core/axe.min.js tests/support/axe.min.js

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache
