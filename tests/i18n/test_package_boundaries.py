"""i18n knows nothing of Rasa or of the packages that use it, and the Rasa server's channels reach the
catalog and the languages through it, never through the action server's package."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
USERS = ("rasa", "rasa_sdk", "actions", "channels", "eligibility", "leads", "nlu_components", "launch")


def imported(package: str) -> dict[str, set[str]]:
    """The top-level packages each module of `package` imports."""
    found: dict[str, set[str]] = {}
    for path in (REPO / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(REPO))] = names
    return found


def test_i18n_imports_no_rasa_and_none_of_its_users() -> None:
    for module, names in imported("i18n").items():
        assert not names & set(USERS), (module, names & set(USERS))


def test_channels_import_nothing_from_actions() -> None:
    for module, names in imported("channels").items():
        assert "actions" not in names, module


def test_the_catalog_and_the_languages_load_without_rasa() -> None:
    code = (
        "import sys\n"
        "from i18n.catalog import text\n"
        "from i18n.languages import conversation_language\n"
        "from i18n.formatting import format_date\n"
        "text(conversation_language(None, 'Bonjour'), 'guard.unavailable')\n"
        "users = ('rasa', 'rasa_sdk', 'actions', 'eligibility')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in users]\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
