"""The place index file: the same index read back, built once for every later process, rebuilt when
unreadable, and never needed (only built in memory) where it cannot be written."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from places import index_file
from places.gazetteer import Gazetteer, build_gazetteer


@pytest.fixture(scope="module")
def built() -> Gazetteer:
    return build_gazetteer()


def current_file() -> str:
    return f"{index_file.PREFIX}{index_file.fingerprint()}.json"


def test_the_index_reads_back_the_same(built: Gazetteer) -> None:
    read = index_file.from_json(index_file.to_json(built))
    assert read.entries == built.entries
    assert (read.gated, read.gated_names) == (built.gated, built.gated_names)
    assert read.lookup_names == built.lookup_names and read.by_display == built.by_display
    assert read.countries == built.countries


def test_built_once_then_read_by_the_next_process(built: Gazetteer, tmp_path: Path) -> None:
    builds = []

    def build() -> Gazetteer:
        builds.append(1)
        return built

    first = index_file.load_or_build(build, tmp_path)
    second = index_file.load_or_build(lambda: pytest.fail("built again"), tmp_path)
    assert builds == [1] and second.entries == first.entries
    assert [path.name for path in tmp_path.iterdir()] == [current_file()]


def test_a_file_of_an_earlier_fingerprint_is_replaced(built: Gazetteer, tmp_path: Path) -> None:
    (tmp_path / f"{index_file.PREFIX}0000000000000000.json").write_text("{}", encoding="utf-8")
    index_file.load_or_build(lambda: built, tmp_path)
    assert [path.name for path in tmp_path.iterdir()] == [current_file()]


def test_an_unreadable_file_is_rebuilt(built: Gazetteer, tmp_path: Path,
                                       caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / current_file()).write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert index_file.load_or_build(lambda: built, tmp_path).entries == built.entries
    assert "could not be read" in caplog.text
    assert index_file.load_or_build(lambda: pytest.fail("built again"), tmp_path).entries == built.entries


def test_a_folder_that_cannot_be_written_only_costs_a_build(built: Gazetteer, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert index_file.load_or_build(lambda: built, blocker / "cache").entries == built.entries
