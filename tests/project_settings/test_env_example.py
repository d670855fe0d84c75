""".env.example (a deployment's list of settings) and config/*.env name exactly the settings of the module."""

from __future__ import annotations

import re

from project_settings import CONFIG_DIR, NAMES, ROOT, read_env_file

_DOCUMENTED = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=")


def documented() -> list[str]:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    return [match.group(1) for match in map(_DOCUMENTED.match, map(str.strip, lines)) if match]


def test_env_example_documents_every_setting_once() -> None:
    names = documented()
    assert sorted(set(names) - set(NAMES)) == []  # every documented setting exists
    assert sorted(set(NAMES) - set(names)) == []  # every setting is documented
    assert len(names) == len(set(names))


def test_config_files_only_name_settings() -> None:
    for path in sorted(CONFIG_DIR.glob("*.env")):
        assert sorted(set(read_env_file(path)) - set(NAMES)) == [], path.name
