#!/usr/bin/env bash
# Starts the action server, the Rasa server(s), the demo web page, the consultants' desk and the notification
# worker under launch/supervisor.py (a crashed one is restarted), and stops them all on Ctrl-C or SIGTERM.
#   scripts/run.sh             embedded profile: one Rasa server, SQLite tracker store, in-memory lock store
#   scripts/run.sh scale-out   Rasa servers on each port of RASA_PORTS sharing PostgreSQL and Redis
# Settings: config/defaults.env, config/<profile>.env over it, the environment over both, as
# project_settings.py reads and checks them (scripts/load_env.sh exports its output).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
profile="${1:-embedded}"
source scripts/load_env.sh
# LOCAL_SERVICES=1 (`make run-scale LOCAL_SERVICES=1`, for a machine without them): a throwaway real
# PostgreSQL and Redis for this run (launch/local_services.py), named through the environment, removed on exit.
local_services=()
if [ "${LOCAL_SERVICES:-}" = 1 ]; then
  services_env="$(mktemp)"
  "$PY" -m launch.local_services > "$services_env" &
  local_services=($!)
  until grep -q '^# ready' "$services_env"; do
    kill -0 "${local_services[0]}" 2>/dev/null || { echo "The throwaway PostgreSQL and Redis did not start." >&2; exit 1; }
    sleep 0.2
  done
  source "$services_env"
  rm -f "$services_env"
  echo "Started a throwaway PostgreSQL and Redis for this run (LOCAL_SERVICES=1): removed on exit."
fi
load_settings "$profile"
# Refuses (one line) e.g. RASA_ENABLE_API=true without a token or JWT secret: see launch/rasa_server.py.
"$PY" -m launch.rasa_server --check || exit 1
mkdir -p var
model="models/impplus-$(scripts/model_is_current.sh --print).tar.gz"
[ -f "$model" ] || { echo "No model for the current training data: run 'make train'." >&2; exit 1; }
"$PY" scripts/check_stores.py || exit 1
IFS=',' read -r -a rasa_ports <<< "$RASA_PORTS"

pids=("${local_services[@]}")
given_up="$(mktemp)"  # launch/supervisor.py writes here the name of each server it gives up on
stop() {
  trap - INT TERM
  echo; echo "Stopping the assistant..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -f "$given_up"
  exit "${1:-0}"
}
trap stop INT TERM

# Every server runs under launch/supervisor.py: one that crashes is restarted with back-off (one
# `supervisor:` line each time) while the others keep answering; one that crashes SUPERVISE_MAX_RESTARTS
# times within SUPERVISE_WINDOW_SECONDS is given up on. Each server is named (--server NAME) and its command
# follows `--`.
# The action server on ACTION_HOST:ACTION_PORT (loopback by default); `rasa run` with the HTTP API, its
# authentication and CORS from the settings (RASA_ENABLE_API, RASA_API_TOKEN, RASA_JWT_*, RASA_CORS_ORIGINS).
servers=(--server "action server" --
  "$PY" -m launch.action_server --actions actions -i "$ACTION_HOST" -p "$ACTION_PORT")
for port in "${rasa_ports[@]}"; do
  # shellcheck disable=SC2206 # RASA_EXTRA_ARGS is split into words, as on a command line
  servers+=(--server "Rasa server on port $port" --
    "$PY" -m launch.rasa_server -m "$model" -i "$RASA_HOST" -p "$port"
    --endpoints endpoints.settings.yml --credentials credentials.settings.yml ${RASA_EXTRA_ARGS:-})
done
# The demo "consultancy" page with the chat widget on it, talking to the first Rasa server.
servers+=(--server "web page" -- "$PY" web/serve.py --host 127.0.0.1 --port "$WEB_PORT"
  --rasa-url "http://localhost:${rasa_ports[0]}")
# The consultancy's side: the desk (leads, screening, transcript, funnel) and the worker that delivers each
# lead's emails and webhook from the outbox (leads/delivery.py). Without DESK_PASSWORD_HASH the desk makes a
# password for this run and prints it.
servers+=(--server "desk" -- "$PY" -m desk)
servers+=(--server "notification worker" -- "$PY" -m leads.delivery)
"$PY" -m launch.supervisor --given-up-file "$given_up" "${servers[@]}" &
pids+=($!)
# While waiting for the servers: whether one will never answer (given up on, or the supervisor gone).
failed_to_start() {
  if [ -s "$given_up" ]; then
    echo "A server failed to start: $(paste -sd, "$given_up" | sed 's/,/, /g') (see the lines above)." >&2
    return 0
  fi
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "A server failed to start (see the lines above)." >&2; return 0; }
  done
  return 1
}

for port in "${rasa_ports[@]}"; do
  for _ in $(seq 1 180); do
    if curl -sf "http://127.0.0.1:${port}/" >/dev/null 2>&1; then break; fi
    failed_to_start && stop 1
    sleep 1
  done
done
for _ in $(seq 1 30); do
  curl -sf "http://127.0.0.1:${DESK_PORT}/health" >/dev/null 2>&1 && break
  sleep 1
done
cat <<MSG

  The IMP+ assistant is running ($profile profile: Rasa on port(s) ${RASA_PORTS}, lock store ${LOCK_STORE_TYPE}).
    Website (demo page with the chat widget): http://localhost:${WEB_PORT}/
    Desk (the consultancy's leads and funnel): http://localhost:${DESK_PORT}/  (password: see above, or DESK_PASSWORD_HASH)
    Email: ${SMTP_HOST:-off (set SMTP_HOST; make mail-sink runs a local one)}
    REST:   curl -s localhost:${rasa_ports[0]}/webhooks/rest/webhook -d '{"sender":"me","message":"What is IMP+?"}'
    Shell:  make shell   (in another terminal)
    Supervised: a server that crashes is restarted (a "supervisor:" line says so); one that crashes
      more than ${SUPERVISE_MAX_RESTARTS} times within ${SUPERVISE_WINDOW_SECONDS} s is given up on.
    Stop:   Ctrl-C

MSG
wait -n "${pids[@]}" || true
stop
