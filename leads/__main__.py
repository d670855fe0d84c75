"""``python -m leads``: the consultancy's command line (see cli.py)."""

from .lead_desk_cli import run

run()
