#!/usr/bin/env bash
# Talk to the assistant in the terminal: starts an action server, then `rasa shell` on the current model
# (through launch/rasa_shell.py, which installs the Rasa server's patches first).
set -euo pipefail
cd "$(dirname "$0")/.."
export TRACKER_DB_URL="${TRACKER_DB_URL:-sqlite:///$PWD/var/shell-tracker.db}"
source scripts/load_env.sh
load_settings embedded
mkdir -p var
.venv/bin/python -m launch.action_server --actions actions -i "$ACTION_HOST" -p "$ACTION_PORT" \
  >var/shell-actions.log 2>&1 &
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null || true' EXIT INT TERM
.venv/bin/python -m launch.rasa_shell -m "models/impplus-$(scripts/model_is_current.sh --print).tar.gz" \
  --endpoints endpoints.settings.yml -i "$RASA_HOST" --port "$SHELL_PORT"
