#!/usr/bin/env bash
# Prints the first Python 3.10 found (python3.10 on PATH, then pyenv's), or fails with one line.
set -euo pipefail
if command -v python3.10 >/dev/null 2>&1 && python3.10 -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
  command -v python3.10; exit 0
fi
root="$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"
for candidate in "$root"/versions/3.10.*/bin/python3.10; do
  [ -x "$candidate" ] && { echo "$candidate"; exit 0; }
done
echo "Python 3.10 is required (Rasa 3.6 supports 3.8-3.10): install it, e.g. 'pyenv install 3.10'." >&2
exit 1
