#!/usr/bin/env bash
# Exits 0 when models/ holds a model trained from exactly the current training inputs.
# The fingerprint covers every file that shapes the model, so a change to any of them retrains.
set -euo pipefail
cd "$(dirname "$0")/.."
fingerprint="$(cat config.yml domain.yml $(find data nlu_components -type f \( -name '*.yml' -o -name '*.py' -o -name '*.txt' -o -name '*.json' \) | sort) 2>/dev/null | sha256sum | cut -c1-16)"
if [ "${1:-}" = "--print" ]; then echo "$fingerprint"; exit 0; fi
[ -f "models/impplus-$fingerprint.tar.gz" ]
