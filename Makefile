# The IMP+ pre-screening assistant. `make run` and `make test` do all the set-up on a fresh clone.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := PYTHONPATH=$(CURDIR) SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=3 TQDM_DISABLE=1 $(VENV)/bin/rasa
STAMP := $(VENV)/.installed
# Each test stage prints its seconds and adds them to STAGE_LOG; `make test` lists them at the end.
STAGE_LOG := reports/stage-times.txt
timed = mkdir -p reports; s=$$SECONDS; trap 'echo "[$(1)] $$((SECONDS - s)) s" | tee -a $(STAGE_LOG)' EXIT;
MODEL = models/impplus-$(shell scripts/model_is_current.sh --print).tar.gz

.PHONY: supervised backup soak bench-booking desk-password mail-sink stats install train run run-scale shell test test-fast end-to-end lint unit validate nlu-eval stories e2e scale browser leads leads-purge bench bench-engine bench-startup clean eval-nlu security audit purge docs-screenshots

install: $(STAMP)

$(STAMP): requirements.txt constraints.txt web/package.json web/package-lock.json
	@test -x $(PY) || "$$(scripts/find_python.sh)" -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	@command -v npm >/dev/null || { echo "npm is required for the website widget (apt-get install npm)." >&2; exit 1; }
	npm ci --prefix web --no-audit --no-fund --loglevel=error
	@touch $(STAMP)

# Trains only when there is no model for the current config, domain and training data.
train: install
	@if scripts/model_is_current.sh; then echo "Model is up to date: $(MODEL)"; else \
	  $(call timed,train) $(RASA) train --fixed-model-name "$(notdir $(basename $(basename $(MODEL))))" --out models; fi

run: train
	scripts/run.sh

# Scale-out profile on this machine: Rasa on 5005 and 5006 sharing PostgreSQL and Redis (config/scale-out.env).
# LOCAL_SERVICES=1: a throwaway real PostgreSQL and Redis for the run instead (removed on exit).
run-scale: train
	LOCAL_SERVICES=$(LOCAL_SERVICES) scripts/run.sh scale-out

shell: train
	scripts/shell.sh

lint: install
	@$(call timed,lint) $(VENV)/bin/ruff check .

# tests/privacy also holds end-to-end privacy tests (make security): unit runs only its unit tests.
PRIVACY_UNIT_TESTS := tests/privacy/test_log_masking.py tests/privacy/test_tracker_redaction.py

UNIT_TESTS := tests/engine tests/i18n tests/nlu tests/nlu_components tests/places tests/nlu_report tests/actions tests/reading tests/trackers \
  tests/leads tests/channels tests/project_settings tests/launch tests/desk/test_desk_parts.py \
  tests/desk/test_desk_app.py $(PRIVACY_UNIT_TESTS)

unit: install
	@$(call timed,unit) $(PY) -m pytest -q $(UNIT_TESTS)

# Day-to-day: lint and the unit tests (engine included); no servers, no training.
test-fast: lint unit

validate: install
	@$(call timed,validate) $(RASA) data validate --fail-on-warnings

nlu-eval: train
	$(PY) -m pytest -q tests/nlu_eval

# Held-out intent F1, confusion matrices, most confused pairs and entity F1 per language in reports/nlu/.
eval-nlu: train
	$(PY) -m nlu_report

stories: train
	@$(call timed,stories) $(RASA) test core --model $(MODEL) --stories tests/stories --fail-on-prediction-errors --out reports/stories

e2e: train
	$(PY) -m pytest -q tests/e2e tests/telegram tests/faults

# The scale-out profile against this machine's PostgreSQL and Redis: two Rasa servers sharing conversations.
scale: train
	@$(call timed,scale) $(PY) -m pytest -q tests/stores tests/scale

# The website widget and the desk in Debian's or Playwright's Chromium (found by scripts/ensure_chromium.sh, never
# installed); one pytest process each, as each starts its own Playwright.
browser: train
	scripts/ensure_chromium.sh
	@$(call timed,browser) $(PY) -m pytest -q tests/web && $(PY) -m pytest -q tests/desk/test_desk_browser.py

# The README's pictures of the widget (docs/*.png), taken by the browser tests that show them.
docs-screenshots: train
	scripts/ensure_chromium.sh
	DOCS_SCREENSHOTS=1 $(PY) -m pytest -q tests/web/test_widget.py -k "english_eligibility_check_by_typing or french_check_by_buttons or after_a_booking"
	DOCS_SCREENSHOTS=1 $(PY) -m pytest -q tests/desk/test_desk_browser.py

# Security and privacy, against real servers on loopback: HTTP API off or authenticated, CORS and socket.io
# origins, action server on loopback only, secrets only from the environment, no personal data in logs,
# conversation retention and erasure (SQLite and PostgreSQL).
security: train
	$(PY) -m pytest -q tests/security tests/privacy

# nlu-eval (and the rule search against the trained rules), e2e and security in one pytest session: its servers (tests/session_servers.py) start once, at
# collection, shared by e2e, telegram, security and privacy, and boot while the tests that need no server run.
end-to-end: train
	@$(call timed,nlu-eval+e2e+security) $(PY) -m pytest -q tests/nlu_eval tests/policies tests/e2e tests/telegram tests/faults \
	  tests/security tests/privacy --ignore=tests/e2e/test_supervised_run.py

# scripts/run.sh under fire: servers killed with SIGKILL come back by themselves (its own servers, so it runs
# beside the end-to-end session once `rasa test core` is done).
supervised: train
	@$(call timed,supervised) $(PY) -m pytest -q tests/e2e/test_supervised_run.py

# Everything, from a fresh clone: training runs beside the unit tests, and `rasa test core` beside the
# end-to-end session. The web tests keep a pytest process of their own (Playwright's event loop and the
# privacy tests' asyncio code do not share one).
test:
	@mkdir -p reports && : > $(STAGE_LOG) && date +%s > reports/.test-start
	@$(call timed,install) $(MAKE) --no-print-directory install
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory -j2 --output-sync=target train unit validate
	@$(MAKE) --no-print-directory -j2 --output-sync=target stories end-to-end supervised
	@$(MAKE) --no-print-directory scale
	@$(MAKE) --no-print-directory browser
	@echo "Stage times (stages on one line of the recipe run side by side):"; cat $(STAGE_LOG)
	@echo "[make test] $$(( $$(date +%s) - $$(cat reports/.test-start) )) s in all"

bench-engine: install
	$(PY) benchmarks/bench_engine.py

# Seconds from launching a Rasa server to its first answer, and its memory then (3 fresh starts).
bench-startup: train
	$(PY) benchmarks/bench_startup.py

# Plain Rasa vs this assistant (embedded, scale-out 1 and 2 servers) under the same load: reports/bench.md.
# Options: make bench BENCH_ARGS="--skip-train --fresh --seconds 10 --only baseline embedded"
BENCH_ARGS ?=
# The booking's slot-pick and confirming turns with email up and down, and the emails delivered once each.
bench-booking: train
	$(PY) benchmarks/bench_booking.py

bench: train bench-engine bench-startup bench-booking
	$(PY) benchmarks/bench_assistant.py $(BENCH_ARGS)
	$(PY) benchmarks/bench_flood.py

# The consultancy's side of "Book a call": `make leads` lists recent leads; see `python -m leads --help`.
leads: install
	$(PY) -m leads list

# A consistent copy of the leads database (SQLite backup API, pg_dump, or an SQL export); restore with
# `python -m leads restore --from FILE`.
backup: install
	@mkdir -p var && $(PY) -m leads backup --out var/leads-$$(date +%F).backup

# A measurement, not a test: 20 minutes of mixed conversations on two Rasa servers (PostgreSQL and Redis) at
# about half of saturation, with a Rasa server killed every 5 minutes, the action server once and PostgreSQL's
# connections cut once: reports/soak.md and reports/soak.png. SOAK_ARGS="--minutes 5" for a short one.
SOAK_ARGS ?=
soak: train
	$(PY) benchmarks/soak.py $(SOAK_ARGS)

# The desk's password hash for DESK_PASSWORD_HASH (asks for the password; prints the hash only).
desk-password: install
	$(PY) -m desk hash-password

# A real SMTP server on loopback that keeps each email as a file in var/mail/ (for `make run` with
# SMTP_HOST=127.0.0.1 SMTP_PORT=1025 SMTP_STARTTLS=false).
mail-sink: install
	$(PY) -m leads.mail_sink --host 127.0.0.1 --port 1025 --dir var/mail

# The funnel (conversations, checks, questions answered and where people stopped, verdicts, bookings)
# from the tracker store: make stats SINCE=2026-11-01
SINCE ?= $(shell date -d '30 days ago' +%F)
stats: install
	$(PY) -m leads stats --since $(SINCE)

leads-purge: install
	$(PY) -m leads purge

# Retention: leads older than LEADS_RETENTION_DAYS and conversations with no message for TRACKER_RETENTION_DAYS
# (`leads-purge` does the same). Run it daily, e.g. from cron.
purge: install
	$(PY) -m leads purge

# Known vulnerabilities in the pinned dependencies (constraints.txt) with pip-audit, in a virtualenv of its own
# (its dependencies conflict with Rasa's pins); accepted ones: config/audit-exceptions.yml. Needs the network,
# so not part of `make test`. Other pip-audit options: make audit AUDIT_ARGS='-s osv'.
AUDIT_VENV := .venv-audit
$(AUDIT_VENV)/bin/pip-audit:
	"$$(scripts/find_python.sh)" -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/pip install --quiet pip-audit==2.10.1

audit: install $(AUDIT_VENV)/bin/pip-audit
	$(PY) scripts/audit.py $(AUDIT_ARGS)

clean:
	rm -rf models reports var .pytest_cache
