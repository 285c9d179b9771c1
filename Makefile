# Two commands matter: `make run` and `make test`. Both work on a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast worker beat lint format migrate seed check-deploy clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install -qq --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	@echo ""
	@echo "  Newcomer Mentorship is running at http://$(HOST):$(PORT)/"
	@echo "  Sign in with any of these (password: mentorship-demo):"
	@echo "    coordinator@demo.example   coordinator, Prairie Region Immigrant Employment Council"
	@echo "    manager@demo.example       organization admin, Prairie Region Immigrant Employment Council"
	@echo "    coordinator2@demo.example  organization admin, Riverbend Family Services"
	@echo "    funder@demo.example        funder (read-only totals)"
	@echo "    admin@demo.example         superuser (Django admin at /admin/)"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

worker: $(STAMP)
	$(BIN)/celery -A mentorship worker --loglevel=INFO

beat: $(STAMP)
	$(BIN)/celery -A mentorship beat --loglevel=INFO --schedule=var/celerybeat-schedule

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var/db.sqlite3 var/staticfiles
