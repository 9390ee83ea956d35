"""Writing files: atomic replace, clear errors, batch progress and cancel without partial files."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamdesk.export import (
    ExportCancelledError,
    ExportJob,
    InvalidExportDataError,
    UnwritablePathError,
    dossier_filename,
    dossier_jobs,
    export_batch,
    export_pdf,
    safe_filename,
    write_atomically,
)
from kamdesk.export.dossier_data import RouteBriefData

from .factories import OPTIONS, make_dossier, make_empty_dossier, make_route_brief


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def small_batch(folder: Path, count: int) -> list[ExportJob]:
    dossiers = [
        make_dossier(visits=3, code=f"KA-{i:04d}", name=f"测试{i}号店") for i in range(count)
    ]
    return dossier_jobs(dossiers, folder, OPTIONS)


def test_export_pdf_writes_owner_only_file_without_temp(tmp_path: Path) -> None:
    target = tmp_path / dossier_filename(make_empty_dossier())
    assert target.name == "KA-0999_新开便民超市_客户档案.pdf"
    export_pdf(make_empty_dossier(), target, OPTIONS)
    assert target.read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert leftovers(tmp_path) == []


def test_route_brief_goes_through_the_same_writer(tmp_path: Path) -> None:
    target = export_pdf(make_route_brief(), tmp_path / "brief.pdf", OPTIONS)
    assert target.stat().st_size > 1000


def test_missing_folder_is_unwritable(tmp_path: Path) -> None:
    with pytest.raises(UnwritablePathError) as caught:
        export_pdf(make_empty_dossier(), tmp_path / "nope" / "a.pdf", OPTIONS)
    assert caught.value.code == "export.unwritable"


def test_target_that_is_a_folder_is_unwritable(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").mkdir()
    with pytest.raises(UnwritablePathError, match="is a folder"):
        export_pdf(make_empty_dossier(), tmp_path / "a.pdf", OPTIONS)


def test_parent_that_is_a_file_is_unwritable(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(UnwritablePathError):
        export_pdf(make_empty_dossier(), tmp_path / "file" / "a.pdf", OPTIONS)


def test_failed_replace_keeps_old_file_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(UnwritablePathError, match="No space left"):
        write_atomically(b"%PDF-new", target)
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_batch_reports_progress_and_writes_every_file(tmp_path: Path) -> None:
    jobs = small_batch(tmp_path, 3)
    calls: list[tuple[int, int, str]] = []
    written = export_batch(jobs, OPTIONS, progress=lambda d, t, m: calls.append((d, t, m)))
    assert written == tuple(j.path for j in jobs)
    assert [(d, t) for d, t, _ in calls] == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert calls[1][2] == "KA-0000_测试0号店_客户档案.pdf"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(j.path.name for j in jobs)


def test_cancel_stops_between_documents_and_leaves_no_partial_file(tmp_path: Path) -> None:
    jobs = small_batch(tmp_path, 5)
    cancel = threading.Event()

    def progress(done: int, total: int, message: str) -> None:
        if done == 2:
            cancel.set()

    with pytest.raises(ExportCancelledError) as caught:
        export_batch(jobs, OPTIONS, progress=progress, cancel=cancel)
    assert caught.value.code == "export.cancelled"
    assert caught.value.written == (jobs[0].path, jobs[1].path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [jobs[0].path.name, jobs[1].path.name]
    )
    assert all(p.read_bytes().rstrip().endswith(b"%%EOF") for p in tmp_path.iterdir())


def test_cancel_before_start_writes_nothing(tmp_path: Path) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ExportCancelledError):
        export_batch(small_batch(tmp_path, 2), OPTIONS, cancel=cancel)
    assert list(tmp_path.iterdir()) == []


def test_bad_document_stops_batch_with_what_was_written(tmp_path: Path) -> None:
    jobs = small_batch(tmp_path, 2)
    jobs.insert(1, ExportJob(RouteBriefData("王建国", ()), tmp_path / "brief.pdf"))
    with pytest.raises(InvalidExportDataError) as caught:
        export_batch(jobs, OPTIONS)
    assert caught.value.details["written"] == (jobs[0].path,)
    assert [p.name for p in tmp_path.iterdir()] == [jobs[0].path.name]


def test_batch_checks_folders_and_duplicates_up_front(tmp_path: Path) -> None:
    with pytest.raises(UnwritablePathError):
        export_batch(small_batch(tmp_path / "missing", 2), OPTIONS)
    same = [ExportJob(make_empty_dossier(), tmp_path / "x.pdf")] * 2
    with pytest.raises(InvalidExportDataError, match="share a file name"):
        export_batch(same, OPTIONS)
    assert list(tmp_path.iterdir()) == []


@settings(deadline=None, max_examples=200)
@given(st.text(max_size=200))
def test_safe_filename_is_always_usable(stem: str) -> None:
    name = safe_filename(stem)
    assert name
    assert len(name) <= 120
    assert not set(name) & set('\\/:*?"<>|')
    assert all(ord(c) >= 32 for c in name)
    assert name not in {".", ".."}
    assert name == name.strip(" .")
    assert name.split(".")[0].upper() not in {"CON", "NUL", "AUX", "PRN", "COM1", "LPT1"}


def test_safe_filename_examples() -> None:
    assert safe_filename('A/B:C*"店"?') == "A_B_C_店_"
    assert safe_filename("con.pdf") == "_con.pdf"
    assert safe_filename(" . ") == "export"
