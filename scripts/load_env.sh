# Sourced by the start scripts: `load_settings [PROFILE]` exports every setting as project_settings.py reads
# it (config/defaults.env, config/$PROFILE.env over it, the environment over both), checked first: a wrong
# value stops the script with one line. Also what the processes need: PYTHONPATH and quiet libraries.
load_settings() {
  local exports
  exports="$("${PY:-.venv/bin/python}" -m project_settings --profile "${1:-embedded}" --export)" || return 1
  eval "$exports"
  export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=3
}
