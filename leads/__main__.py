"""``python -m leads``: the consultancy's command line (see cli.py)."""

from .cli import run

run()
