"""Atomic writes of files and output folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from salesaudit.errors import InputFileError
from salesaudit.io import (
    atomic_output_dir,
    atomic_write_bytes,
    atomic_write_text,
    previous_path,
    read_yaml,
    write_yaml_atomic,
)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_atomic_write_bytes_creates_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    assert atomic_write_bytes(target, b"one") == target
    assert target.read_bytes() == b"one"
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]  # no temp files left


def test_keep_previous_keeps_the_old_version(tmp_path: Path) -> None:
    target = tmp_path / "answers.yaml"
    atomic_write_text(target, "v: 1\n", keep_previous=True)
    assert not (tmp_path / "answers.prev.yaml").exists()  # nothing to keep yet
    atomic_write_text(target, "v: 2\n", keep_previous=True)
    atomic_write_text(target, "v: 3\n", keep_previous=True)
    assert target.read_text() == "v: 3\n"
    assert (tmp_path / "answers.prev.yaml").read_text() == "v: 2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.prev.yaml", "answers.yaml"]


def test_previous_path_naming() -> None:
    assert previous_path(Path("/x/answers.yaml")) == Path("/x/answers.prev.yaml")
    assert previous_path("notes") == Path("notes.prev")
    assert previous_path("report.tar.gz") == Path("report.tar.prev.gz")


def test_atomic_write_text_encoding(tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    atomic_write_text(target, "Привет")
    assert target.read_bytes() == "Привет".encode()


def test_atomic_write_keeps_file_mode(tmp_path: Path) -> None:
    target = tmp_path / "script.sh"
    target.write_text("old")
    os.chmod(target, 0o750)
    atomic_write_text(target, "new")
    assert target.stat().st_mode & 0o777 == 0o750


def test_atomic_write_into_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="folder does not exist"):
        atomic_write_bytes(tmp_path / "missing" / "x.bin", b"x")


def test_atomic_write_failure_leaves_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")

    def boom(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_text(target, "new")
    monkeypatch.undo()
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_write_yaml_atomic_round_trip(tmp_path: Path) -> None:
    target = tmp_path / "answers.yaml"
    data = {"answers": {"q1": "да", "q2": 3}, "заметка": None}
    write_yaml_atomic(target, data)
    assert read_yaml(target) == data
    assert "да" in target.read_text(encoding="utf-8")  # Cyrillic kept readable
    write_yaml_atomic(target, {"answers": {}}, keep_previous=True)
    assert read_yaml(tmp_path / "answers.prev.yaml") == data


# --- atomic_output_dir -----------------------------------------------------------------------


def _previous_build(tmp_path: Path) -> Path:
    final = tmp_path / "out"
    (final / "sub").mkdir(parents=True)
    (final / "report.pdf").write_bytes(b"%PDF old")
    (final / "sub" / "data.json").write_bytes(b'{"v": 1}')
    return final


def test_output_dir_success_replaces_the_folder(tmp_path: Path) -> None:
    final = _previous_build(tmp_path)
    with atomic_output_dir(final) as build:
        assert build.parent == tmp_path
        assert build != final
        assert list(build.iterdir()) == []
        (build / "report.pdf").write_bytes(b"%PDF new")
        assert (final / "report.pdf").read_bytes() == b"%PDF old"  # not yet swapped
    assert _snapshot(final) == {"report.pdf": b"%PDF new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temp or backup left


def test_output_dir_created_when_missing(tmp_path: Path) -> None:
    final = tmp_path / "a" / "b" / "out"
    with atomic_output_dir(final) as build:
        (build / "x.txt").write_text("x")
    assert _snapshot(final) == {"x.txt": b"x"}


def test_output_dir_failure_leaves_previous_content_byte_identical(tmp_path: Path) -> None:
    final = _previous_build(tmp_path)
    before = _snapshot(final)
    with pytest.raises(RuntimeError, match="notebook failed"), atomic_output_dir(final) as build:
        (build / "report.pdf").write_bytes(b"half")
        raise RuntimeError("notebook failed")
    assert _snapshot(final) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_output_dir_failure_kept_for_inspection(tmp_path: Path) -> None:
    final = _previous_build(tmp_path)
    before = _snapshot(final)
    failed = tmp_path / "failed-build"
    failed.mkdir()
    (failed / "stale.txt").write_text("from an earlier failure")
    with pytest.raises(ValueError, match="bad"), atomic_output_dir(final, keep_failed=failed) as b:
        (b / "partial.html").write_text("<html>")
        raise ValueError("bad")
    assert _snapshot(final) == before
    assert _snapshot(failed) == {"partial.html": b"<html>"}


def test_read_yaml_impossible_date_is_a_clear_error(tmp_path) -> None:
    from salesaudit.errors import InputFileError
    from salesaudit.io.yamlio import read_yaml

    p = tmp_path / "report.yaml"
    p.write_text("as_of: 2026-13-45\n", encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        read_yaml(p)
    assert str(info.value).startswith(f"{p}: invalid value in YAML: ")
    assert "dates as YYYY-MM-DD" in str(info.value)
