"""SIGKILL a writer at random moments: the store stays sound and every unit all-or-nothing.

50 kills per scenario: (a) an all-or-nothing account import, (b) visits with stock lines,
follow-up reminders and their outbox/audit entries, (c) migrations down to base and up to head,
(d) a first sync in small pages from a seeded in-process server, resumed after every kill: the
local rows are exactly the server's change log up to the stored checkpoint, and the last
interrupted first sync resumes to data equal to the server's.
``benchmarks/crash_soak.py --kills N`` runs the same harness longer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.crash import harness

KILLS = 50


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return harness.build_templates(tmp_path_factory.mktemp("crash_templates"))


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> dict[str | None, frozenset[str]]:
    return harness.schema_by_revision(tmp_path_factory.mktemp("crash_shapes"))


@pytest.mark.parametrize("scenario", harness.SCENARIOS)
def test_kill_during_writes_leaves_whole_units(
    scenario: str,
    templates: dict[str, Path],
    shapes: dict[str | None, frozenset[str]],
    tmp_path: Path,
) -> None:
    result = harness.run_scenario(
        scenario, templates[scenario], tmp_path, KILLS, seed=20261123, shapes=shapes
    )
    assert result.problems == []
    assert result.kills == KILLS
    assert (result.corruptions, result.partial_units, result.child_errors) == (0, 0, 0)
    # the children did commit work between kills (the kills were not all before any write)
    assert result.units_committed >= 1
    # and a good share of the kills hit a write in progress
    assert result.kills_inside_write >= KILLS // 5


# -- the checks themselves must be able to fail ------------------------------------------------
def _work_copy(templates: dict[str, Path], scenario: str, tmp_path: Path, units: int) -> Path:
    import random

    path = tmp_path / f"{scenario}.db"
    harness.copy_database(templates[scenario], path)
    harness.CHILDREN[scenario](path, lambda _mark: None, random.Random(5), units)
    return path


def test_visit_check_sees_a_visit_missing_a_stock_line(
    templates: dict[str, Path], shapes: dict[str | None, frozenset[str]], tmp_path: Path
) -> None:
    path = _work_copy(templates, "visit", tmp_path, 3)
    assert harness.verify("visit", path, shapes) == (False, 3, [])
    conn = harness._connect(path)
    conn.execute(
        "DELETE FROM stock_count WHERE id = (SELECT s.id FROM stock_count s JOIN visit v "
        "ON v.id = s.visit_id WHERE v.summary LIKE 'crash test %' LIMIT 1)"
    )
    conn.close()
    corrupted, units, problems = harness.verify("visit", path, shapes)
    assert not corrupted and units == 2 and len(problems) == 1


def test_import_check_sees_a_half_import(
    templates: dict[str, Path], shapes: dict[str | None, frozenset[str]], tmp_path: Path
) -> None:
    path = _work_copy(templates, "import", tmp_path, 2)
    assert harness.verify("import", path, shapes) == (False, 2, [])
    conn = harness._connect(path)
    conn.execute("DELETE FROM account WHERE code LIKE 'B%-0007'")
    conn.close()
    corrupted, _units, problems = harness.verify("import", path, shapes)
    assert not corrupted and len(problems) >= 2  # two short batches + orphaned outbox rows


def test_migration_check_sees_a_half_migrated_schema(
    templates: dict[str, Path], shapes: dict[str | None, frozenset[str]], tmp_path: Path
) -> None:
    path = tmp_path / "m.db"
    harness.copy_database(templates["migration"], path)
    assert harness.verify("migration", path, shapes) == (False, 1, [])
    conn = harness._connect(path)
    conn.execute("DROP TABLE knowledge_article")
    conn.close()
    corrupted, units, problems = harness.verify("migration", path, shapes)
    assert not corrupted and units == 0 and "knowledge_article" in problems[0]


def test_a_damaged_file_counts_as_corruption(
    templates: dict[str, Path], shapes: dict[str | None, frozenset[str]], tmp_path: Path
) -> None:
    path = tmp_path / "bad.db"
    harness.copy_database(templates["visit"], path)
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 3 + 512] = bytes(512)
    path.write_bytes(bytes(data))
    corrupted, _units, problems = harness.verify("visit", path, shapes)
    assert corrupted and problems


def _first_sync(folder: Path, templates: dict[str, Path], pages: int | None) -> Path:
    """A client that ran the first sync for ``pages`` pages (None: to the end)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "first_sync.db"
    harness.copy_database(harness.server_path(templates["first_sync"]), harness.server_path(path))
    harness.copy_database(templates["first_sync"], path)
    engine = harness._sync_engine(path, lambda _mark: None)
    done: list[int] = []
    try:
        engine.sync_once(
            progress=lambda _phase, page, _total: done.append(page),
            cancel=lambda: pages is not None and len(done) >= pages,
        )
    finally:
        engine.store.close()
        harness._ENGINES[str(harness.server_path(path))].dispose()
    return path


@pytest.fixture(scope="module")
def first_syncs(
    templates: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """A finished and a 5-page first sync, made once; tests work on copies."""
    folder = tmp_path_factory.mktemp("first_syncs")
    return {
        "done": _first_sync(folder / "done", templates, None),
        "partial": _first_sync(folder / "partial", templates, 5),
    }


def _copy_client(src: Path, tmp_path: Path) -> Path:
    path = tmp_path / src.name
    harness.copy_database(harness.server_path(src), harness.server_path(path))
    harness.copy_database(src, path)
    return path


def _edit(path: Path, *statements: str) -> None:
    conn = harness._connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.close()


def test_first_sync_check_sees_rows_beyond_and_missing_below_the_checkpoint(
    first_syncs: dict[str, Path], shapes: dict[str | None, frozenset[str]], tmp_path: Path
) -> None:
    path = _copy_client(first_syncs["done"], tmp_path)
    corrupted, units, problems = harness.verify("first_sync", path, shapes)
    assert (corrupted, problems) == (False, []) and units > harness.SYNC_ACCOUNTS
    assert harness.compare_with_server(path) == []
    # the checkpoint says less than the data holds (a page committed without its checkpoint)
    _edit(
        path,
        """UPDATE sync_state SET value = json_set(value, '$."territory:T1"', 100)
           WHERE key = 'cursors'""",
        """UPDATE sync_state SET value = '{"done": false}' WHERE key = 'initial_sync'""",
    )
    corrupted, _units, problems = harness.verify("first_sync", path, shapes)
    assert not corrupted and any("beyond the checkpoint" in p for p in problems)
    # and a row the checkpoint covers is gone (a checkpoint committed without its page)
    _edit(path, "DELETE FROM purchase_line WHERE id = 'crash-line-0000-0'")
    corrupted, _units, problems = harness.verify("first_sync", path, shapes)
    assert not corrupted and any("missing below" in p for p in problems)


def test_first_sync_check_sees_a_changed_value(
    first_syncs: dict[str, Path], tmp_path: Path
) -> None:
    path = _copy_client(first_syncs["done"], tmp_path)
    _edit(path, "UPDATE contact SET phone = '110' WHERE id = 'crash-cont-0003'")
    problems = harness.compare_with_server(path)
    assert len(problems) == 1 and "crash-cont-0003" in problems[0]


@pytest.mark.parametrize("restart", [False, True])
def test_an_interrupted_first_sync_resumes_with_only_the_rest(
    restart: bool,
    first_syncs: dict[str, Path],
    shapes: dict[str | None, frozenset[str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = _copy_client(first_syncs["partial"], tmp_path)
    corrupted, units, problems = harness.verify("first_sync", path, shapes)
    assert (corrupted, problems) == (False, []) and 0 < units <= 5 * harness.SYNC_PAGE
    if restart:  # an engine that ignored its checkpoint would download everything again
        from kamdesk.sync import state

        monkeypatch.setattr(state, "cursors", lambda _session: {})
    # finish_first_sync checks the resume downloads exactly what lies past the checkpoint
    problems = harness.finish_first_sync(path)
    if restart:
        assert problems and "resume pulled" in problems[0]
    else:
        assert problems == []
