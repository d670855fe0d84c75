"""How the servers are started: the action server on ACTION_HOST, and `rasa run` with the HTTP API,
its authentication and CORS taken from settings. scripts/run.sh, scripts/shell.sh and the test harness
(tests/servers.py) all start the servers through these modules, so they start them the same way, with
the patches of rasa_patches.py installed explicitly (nothing patches Rasa on import)."""
