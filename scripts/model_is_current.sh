#!/usr/bin/env bash
# Exits 0 when models/ holds a model trained from exactly the current training inputs.
# The fingerprint covers every file that shapes the model (config, domain, training data, and the code of
# the intent classifier, which decides what the model stores), so a change to any of them retrains. The fact
# extractor's code is not among them: it trains nothing and stores nothing in the model
# (nlu_components/rasa_extractor.py), so the running server always uses the code on disk.
set -euo pipefail
cd "$(dirname "$0")/.."
fingerprint="$(cat config.yml domain.yml nlu_components/linear_intents.py nlu_components/rasa_intent_classifier.py $(find data -type f \( -name '*.yml' -o -name '*.py' -o -name '*.txt' -o -name '*.json' \) | sort) 2>/dev/null | sha256sum | cut -c1-16)"
if [ "${1:-}" = "--print" ]; then echo "$fingerprint"; exit 0; fi
[ -f "models/impplus-$fingerprint.tar.gz" ]
