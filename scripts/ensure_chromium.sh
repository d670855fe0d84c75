#!/usr/bin/env bash
# Finds a Chromium for the browser tests (tests/web), which drive it with Playwright's Python package, and
# installs nothing (no sudo, no apt inside `make test`): CHROMIUM when set, else Debian's /usr/bin/chromium,
# else Playwright's own browser if the user downloaded it. With --print, prints the path found.
# Without one: a single line saying how to get one, and exit status 1.
set -euo pipefail
cd "$(dirname "$0")/.."
found=""
for candidate in "${CHROMIUM:-}" /usr/bin/chromium; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then found="$candidate"; break; fi
done
if [ -z "$found" ] && [ -x .venv/bin/python ]; then
  # Where `python -m playwright install chromium` puts it (~/.cache/ms-playwright), if it is there.
  found="$(.venv/bin/python -c '
from pathlib import Path
from playwright.sync_api import sync_playwright
with sync_playwright() as playwright:
    path = Path(playwright.chromium.executable_path)
print(path if path.is_file() else "")' 2>/dev/null || true)"
fi
if [ -z "$found" ]; then
  echo "No Chromium for the browser tests: run 'sudo apt-get install chromium' or '.venv/bin/python -m playwright install chromium' (or set CHROMIUM to a Chromium binary)." >&2
  exit 1
fi
if [ "${1:-}" = "--print" ]; then echo "$found"; fi
