#!/usr/bin/env bash
# Talk to the assistant in the terminal: starts an action server, then `rasa shell` on the current model.
set -euo pipefail
cd "$(dirname "$0")/.."
export ACTION_PORT="${ACTION_PORT:-5055}"
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:${ACTION_PORT}/webhook}"
export TRACKER_DB_DIALECT="${TRACKER_DB_DIALECT:-sqlite}" TRACKER_DB="${TRACKER_DB:-$PWD/var/shell-tracker.db}"
export PYTHONPATH="$PWD" SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=3
mkdir -p var
.venv/bin/python -m rasa_sdk --actions actions -p "$ACTION_PORT" >var/shell-actions.log 2>&1 &
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null || true' EXIT INT TERM
.venv/bin/rasa shell -m "models/impplus-$(scripts/model_is_current.sh --print).tar.gz" \
  --endpoints endpoints.yml --port "${SHELL_PORT:-5006}"
