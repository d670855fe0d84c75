#!/usr/bin/env bash
# Starts the action server and the Rasa server with the embedded defaults, and stops both on Ctrl-C
# or SIGTERM. Every setting can be overridden from the environment (defaults: config/defaults.env).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
# Defaults from config/defaults.env; anything already in the environment wins.
while IFS='=' read -r key value; do
  [[ -z "$key" || "$key" == \#* ]] && continue
  [[ -n "${!key+x}" ]] || export "$key=$value"
done < config/defaults.env
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:${ACTION_PORT}/webhook}"
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=3
mkdir -p var "$(dirname "$TRACKER_DB")"
model="models/impplus-$(scripts/model_is_current.sh --print).tar.gz"
[ -f "$model" ] || { echo "No model for the current training data: run 'make train'." >&2; exit 1; }

pids=()
stop() {
  trap - INT TERM
  echo; echo "Stopping the assistant..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  exit 0
}
trap stop INT TERM

"$PY" -m rasa_sdk --actions actions -p "$ACTION_PORT" &
pids+=($!)
.venv/bin/rasa run -m "$model" -i "$RASA_HOST" -p "$RASA_PORT" \
  --endpoints endpoints.yml --credentials credentials.yml ${RASA_EXTRA_ARGS:-} &
pids+=($!)
# The demo "consultancy" page with the chat widget on it.
"$PY" web/serve.py --host 127.0.0.1 --port "$WEB_PORT" --rasa-url "http://localhost:${RASA_PORT}" &
pids+=($!)

for _ in $(seq 1 180); do
  if curl -sf "http://127.0.0.1:${RASA_PORT}/" >/dev/null 2>&1; then break; fi
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "A server failed to start." >&2; stop; }; done
  sleep 1
done
cat <<MSG

  The IMP+ assistant is running.
    Website (demo page with the chat widget): http://localhost:${WEB_PORT}/
    REST:   curl -s localhost:${RASA_PORT}/webhooks/rest/webhook -d '{"sender":"me","message":"What is IMP+?"}'
    Shell:  make shell   (in another terminal)
    Stop:   Ctrl-C

MSG
wait -n "${pids[@]}" || true
stop
