"""`python -m eligibility ...`: see eligibility.engine_cli."""

from .engine_cli import run

if __name__ == "__main__":
    run()
