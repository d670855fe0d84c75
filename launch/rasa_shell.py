"""``python -m launch.rasa_shell RASA-SHELL-ARGUMENTS...``: ``rasa shell`` with the Rasa server's patches
(launch/rasa_patches.py) installed first, as ``rasa run`` gets them from launch.rasa_server: personal data
masked in what it logs, the action request timeout, the compiled action response check. scripts/shell.sh
(``make shell``) starts it; its HTTP API settings don't apply (the shell talks to itself on loopback).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from launch.rasa_patches import UnsupportedRasaVersion, install_rasa_server_patches


def main(argv: Sequence[str] | None = None) -> int:
    """Install the Rasa server's patches, then run ``rasa shell`` with the given arguments."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        install_rasa_server_patches()
    except UnsupportedRasaVersion as exc:
        print(f"Not starting Rasa: {exc}.", file=sys.stderr)
        return 1
    from rasa.__main__ import main as rasa_main  # slow import: only once the version is known to be right

    sys.argv = ["rasa", "shell", *arguments]
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
