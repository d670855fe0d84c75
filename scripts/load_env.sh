# Sourced by the start scripts: exports the settings of config/defaults.env, and of config/$PROFILE.env
# over them when a profile is named. A variable already set in the environment always wins.
load_env_file() {
  local key value
  while IFS='=' read -r key value; do
    [[ -z "$key" || "$key" == \#* ]] && continue
    [[ -n "${!key+x}" ]] || export "$key=$value"
  done < "$1"
}
load_settings() {
  local profile="${1:-embedded}"
  if [[ "$profile" != embedded ]]; then
    [[ -f "config/$profile.env" ]] || { echo "Unknown profile '$profile' (no config/$profile.env)." >&2; return 1; }
    load_env_file "config/$profile.env"
  fi
  load_env_file config/defaults.env
  export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:${ACTION_PORT}/webhook}"
  export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=3
}
