"""SIGKILL a writer at random moments: the store stays sound and every unit all-or-nothing.

50 kills per scenario: (a) an all-or-nothing account import, (b) visits with stock lines,
follow-up reminders and their outbox/audit entries, (c) migrations down to base and up to head.
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
