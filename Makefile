# SPDX-License-Identifier: EUPL-1.2
# The Regional Data Hub. `make up` then `make test` on a fresh Debian 12 machine (as root).
.DEFAULT_GOAL := help
SHELL := /bin/bash
STACK := deploy/local/stack.sh
VENV := .venv
HUB_ENV := HUB_ENV_FILE=$(CURDIR)/var/hub.env

.PHONY: help up down status restart test bench lint format schema

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

up: ## install what is missing, start the local stack, migrate, seed, print the URLs
	@bash $(STACK) up

down: ## stop exactly what `make up` started
	@bash $(STACK) down

status: ## each service of the stack and its health
	@bash $(STACK) status

restart: ## restart the hub's own processes (web, worker with beat, OGC gateway) after a code change
	@bash $(STACK) restart web worker mapserver

test: up lint ## every test, against the real local stack (brings it up first)
	@$(HUB_ENV) $(VENV)/bin/pytest

bench: up ## benchmarks: figures and ratios, not pass/fail
	@$(HUB_ENV) $(VENV)/bin/python tests/perf/bench_foundation.py
	@$(HUB_ENV) $(VENV)/bin/python tests/perf/bench_identity.py
	@$(HUB_ENV) $(VENV)/bin/python tests/perf/bench_catalog.py
	@$(HUB_ENV) $(VENV)/bin/python tests/perf/bench_participation.py
	@$(HUB_ENV) $(VENV)/bin/python tests/perf/bench_durability.py
	@$(HUB_ENV) $(VENV)/bin/python tests/perf/bench_sensors.py
	@$(HUB_ENV) $(VENV)/bin/python tests/perf/bench_mobility.py
	@$(HUB_ENV) $(VENV)/bin/python tests/perf/bench_charging.py
	@$(HUB_ENV) $(VENV)/bin/python tests/perf/bench_sharing.py

lint: ## ruff (lint and format check) and import-linter (layers, app boundaries, no cycles)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/lint-imports --no-cache

format: ## apply ruff's formatting and safe fixes
	@$(VENV)/bin/ruff check --fix .
	@$(VENV)/bin/ruff format .

schema: ## regenerate tenants/schema.json from the tenant schema
	@$(HUB_ENV) $(VENV)/bin/hub tenants schema > tenants/schema.json
