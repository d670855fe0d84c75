"""The public API the Rasa actions import, its models, and the pydantic 1/2 import shim."""

from __future__ import annotations

import ast
import datetime as dt
import json
import subprocess
import sys

import pytest

import eligibility
from eligibility import (
    FIELD_VALUES,
    PROFILE_FIELDS,
    QUESTION_ORDER,
    Assessment,
    Criterion,
    DataFileError,
    DatedValue,
    Note,
    Profile,
    ProfileError,
    ProgramData,
    Reference,
    Text,
    assess,
    cap_for,
    load_program,
    value,
)
from eligibility.profile_input import parse_profile
from tests.engine.conftest import REPO

PROMISED = {"Profile", "assess", "Assessment", "Criterion", "Note", "Text", "Reference", "DatedValue",
            "ProgramData", "load_program", "cap_for", "value", "QUESTION_ORDER", "PROFILE_FIELDS",
            "FIELD_VALUES", "DataFileError", "Source", "program_status", "word", "question", "Question",
            "Button"}


def test_public_names() -> None:
    assert PROMISED <= set(eligibility.__all__)
    for name in eligibility.__all__:
        assert hasattr(eligibility, name), name


def test_fields_and_values() -> None:
    assert PROFILE_FIELDS == ("residence", "status_in_canada", "has_csq", "csq_program", "csq_valid",
                              "pr_applied", "pr_decision", "pr_filed_while_csq_valid", "has_invitation",
                              "application_complete")
    assert QUESTION_ORDER == PROFILE_FIELDS
    assert FIELD_VALUES["residence"] == ("quebec", "other_province", "abroad")
    assert FIELD_VALUES["status_in_canada"] == ("work_or_study_permit", "visitor", "none")
    programs = ("regular_skilled_worker", "pstq", "ai_it_vfx_pilot", "peq", "other")
    assert FIELD_VALUES["csq_program"] == programs
    assert FIELD_VALUES["has_csq"] == (True, False)
    assert FIELD_VALUES["pr_decision"] == ("none", "approved", "refused")
    assert set(FIELD_VALUES) == set(PROFILE_FIELDS)


def test_profile_is_optional_strict_and_closed() -> None:
    assert Profile().known() == {}
    assert Profile(residence="abroad").known() == {"residence": "abroad"}
    with pytest.raises(ValueError):
        Profile(foo=1)
    with pytest.raises(ValueError):
        Profile(has_csq="yes")
    with pytest.raises(ValueError):
        Profile(residence="mars")
    with pytest.raises(ProfileError, match="unknown field 'foo'"):
        parse_profile({"foo": 1})
    with pytest.raises(TypeError):
        Profile(residence="abroad").residence = "quebec"  # type: ignore[misc]


def test_assess_accepts_a_mapping_and_checks_skip() -> None:
    on = dt.date(2026, 11, 24)
    assert assess({"residence": "abroad"}, on) == assess(Profile(residence="abroad"), on)
    with pytest.raises(ProfileError, match="unknown field 'colour'"):
        assess({}, on, skip=["colour"])
    with pytest.raises(ProfileError):
        assess({"residence": "mars"}, on)
    with pytest.raises(TypeError):
        assess({}, "2026-11-24")  # type: ignore[arg-type]


def test_assessment_shape_and_to_dict() -> None:
    result = assess({"residence": "quebec"}, dt.date(2026, 6, 1))
    assert isinstance(result, Assessment)
    assert all(isinstance(c, Criterion) for c in result.criteria)
    assert [c.id for c in result.criteria] == ["outside_quebec", "has_csq", "eligible_program", "csq_valid",
                                              "invitation", "complete_application", "no_pr_decision",
                                              "can_apply_from_canada"]
    assert all(isinstance(n, Note) for n in (*result.alternatives, *result.caveats, result.program_status))
    assert isinstance(result.cap, DatedValue) and isinstance(result.source, Reference)
    assert result.last_checked == min(s.last_checked for c in result.criteria for s in c.sources)

    both = result.to_dict()
    assert both["criteria"][0]["reason"].keys() == {"en", "fr"}
    english = result.to_dict("en")
    assert isinstance(english["criteria"][0]["reason"], str)
    assert english["alternatives"][0]["text"] == result.alternatives[0].text.en
    assert result.to_dict("fr")["program_status"]["text"] == result.program_status.text.fr
    json.dumps(both, ensure_ascii=False)  # JSON-ready
    with pytest.raises(ValueError):
        result.to_dict("de")


def test_text() -> None:
    text = Text(en="Hello", fr="Bonjour")
    assert text.in_("en") == "Hello" and text.in_("fr") == "Bonjour"
    with pytest.raises(ValueError):
        text.in_("es")


def test_program_data_api() -> None:
    program = load_program()
    assert isinstance(program, ProgramData) and program is load_program()
    assert "cap" in program.keys()
    history = program.history("cap")
    assert [e.effective for e in history] == sorted(e.effective for e in history)
    on = dt.date(2024, 6, 1)
    assert program.cap_for(on) == cap_for(on) == value("cap", on)
    assert issubclass(DataFileError, ValueError)


def test_datetime_is_read_as_its_date() -> None:
    moment = dt.datetime(2026, 6, 1, 15, 30)
    assert assess({}, moment).on == dt.date(2026, 6, 1)
    assert value("cap", moment).value == value("cap", dt.date(2026, 6, 1)).value


def test_imports_without_rasa() -> None:
    """A fresh interpreter imports the package and runs it without loading any rasa module."""
    code = (
        "import sys, datetime\n"
        "assert not any(m == 'rasa' or m.startswith(('rasa.', 'rasa_sdk')) for m in sys.modules)\n"
        "import eligibility\n"
        "eligibility.assess({}, datetime.date(2026, 1, 1))\n"
        "bad = [m for m in sys.modules if m == 'rasa' or m.startswith(('rasa.', 'rasa_sdk'))]\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr


def test_no_module_imports_rasa() -> None:
    for path in (REPO / "eligibility").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] in ("rasa", "rasa_sdk") for n in names), (path.name, names)


def test_pydantic_shim_prefers_the_v1_namespace() -> None:
    source = (REPO / "eligibility" / "_pydantic.py").read_text(encoding="utf-8")
    assert "from pydantic.v1 import" in source and "except ImportError" in source


def _local_imports(path: object) -> tuple[set[str], list[str]]:
    """The package modules a module imports at its top level, and any import made inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    top = {n.module for n in tree.body if isinstance(n, ast.ImportFrom) and n.level == 1 and n.module}
    nested = [
        f"{path.name}:{n.lineno}"  # type: ignore[attr-defined]
        for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
        for n in ast.walk(f) if isinstance(n, (ast.Import, ast.ImportFrom))
    ]
    return top, nested


def test_no_import_loop_and_no_import_inside_a_function() -> None:
    """The package's modules import each other in one direction only, all at the top: no function-level
    import hides a loop."""
    graph: dict[str, set[str]] = {}
    for path in (REPO / "eligibility").glob("*.py"):
        graph[path.stem], nested = _local_imports(path)
        assert not nested, nested
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, " -> ".join((*trail, name))
        if name in done or name not in graph:
            return
        for imported in graph[name]:
            visit(imported, (*trail, name))
        done.add(name)

    for name in graph:
        visit(name, ())
