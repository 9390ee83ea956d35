"""Bad input to the spreadsheet import (issue #8, point 4): hostile cells, broken files, huge files.

The property, for every generated file: either the import succeeds and every value reaches the
database exactly as the importer documents (cells stripped, line ends turned into LF, an .xlsx
formula read as its cached value), or it raises a ``KamdeskError`` with a specific code and the
database is unchanged (accounts checksum, outbox, audit and related row counts). Nothing else
may be raised.
"""

from __future__ import annotations

import csv
import io
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import select

from kamdesk.db.engine import Store
from kamdesk.db.models import Account
from kamdesk.domain.fields import ACCOUNT_FIELDS, CONTROL_RE, SURROGATE_RE
from kamdesk.errors import KamdeskError
from kamdesk.services.account_import import (
    MAX_IMPORT_BYTES,
    MAX_XLSX_UNPACKED_BYTES,
    AccountImporter,
    ImportError_,
    ImportPreview,
    RawTable,
    auto_map,
    read_table,
)

from .helpers import HOSTILE_TEXT, TYPED_TEXT, fingerprint, fuzz

HEADERS = (
    "店名",
    "客户名称",
    "name",
    "Shop Name",
    "地址",
    "address",
    "负责人",
    "备注",
    "remarks",
    "标签",
    "信用额度(元)",
    "纬度",
    "电话",
    "许可证号",
    "区",
    "街道",
    "业态",
    "工商名称",
    "其他",
    "",
)

CELL = st.one_of(
    HOSTILE_TEXT,
    TYPED_TEXT,
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)


# "tame" files: only text columns and cells every field accepts, so most of them import and the
# round trip is checked; the others mix in hostile headers and cells of every type
TAME_HEADERS = ("店名", "地址", "负责人", "备注", "区", "街道", "工商名称", "其他", "Unknown")
LEGAL_TRICKS = (
    "=1+1",
    "=cmd|' /C calc'!A0",
    "100%_\\店",
    "'; DROP TABLE account; --",
    "a\r\nb\rc",
    "👨‍👩‍👧‍👦🚬",
    "\u202e\u0644\u0627\u202c",
    "  padded  ",
)
TAME_TEXT = st.one_of(st.sampled_from(LEGAL_TRICKS), TYPED_TEXT.map(lambda t: t[:30]))
TAME_CELL = st.one_of(TAME_TEXT, st.integers(0, 10**6), st.none())
SHOP_NAME = TAME_TEXT.map(lambda t: f"店{t}")


@st.composite
def sheets(draw: st.DrawFn) -> tuple[list[Any], list[list[Any]]]:
    """Headers (known aliases, duplicates, junk) and ragged rows of hostile cells."""
    if draw(st.booleans()):  # tame
        headers = draw(st.lists(st.sampled_from(TAME_HEADERS), max_size=5, unique=True))
        name_at = draw(st.integers(0, len(headers)))
        headers.insert(name_at, "店名") if "店名" not in headers else None
        name_at = headers.index("店名")
        rows = draw(
            st.lists(
                st.lists(TAME_CELL, min_size=len(headers), max_size=len(headers)),
                min_size=1,
                max_size=5,
            )
        )
        for row in rows:
            row[name_at] = draw(SHOP_NAME)
        return headers, rows
    headers = draw(
        st.lists(st.one_of(st.sampled_from(HEADERS), HOSTILE_TEXT), min_size=0, max_size=6)
    )
    if draw(st.booleans()):  # most files should at least have a name column
        headers.insert(draw(st.integers(0, len(headers))), "店名")
    width = len(headers)
    rows = draw(st.lists(st.lists(CELL, max_size=width + 2), max_size=5))
    return list(headers), rows


def normalise(text: str) -> str:
    """The importer's documented cell normalisation."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _run(store: Store, path: Path) -> tuple[RawTable, ImportPreview, Any] | None:
    """Read, preview and commit; on any KamdeskError check that nothing changed."""
    before = fingerprint(store)
    error: KamdeskError | None = None
    try:
        table = read_table(path)
        importer = AccountImporter(store)
        preview = importer.preview(table, auto_map(table.headers))
        for issue in preview.issues:
            assert issue.field and issue.reason.strip() and issue.row >= 1
        result = importer.commit(preview)
    except KamdeskError as exc:
        error = exc
    if error is not None:
        if currently_in_test_context():
            event(f"refused: {error.code}")
        assert "." in error.code, error.code  # a specific code, not the generic "error"
        assert error.message.strip()
        assert fingerprint(store) == before
        return None
    if result.created == result.merged == 0:
        assert fingerprint(store) == before
    return table, preview, result


def _check_stored(store: Store, preview: ImportPreview, created: tuple[str, ...]) -> None:
    """Every accepted value is in the database, unchanged; no stored text is unsafe."""
    new_ids = iter(created)
    with store.session() as session:
        for record in preview.records:
            target = record.match_id or next(new_ids)
            account = session.get(Account, target)
            assert account is not None
            for name, value in record.fields.items():
                if record.match_id is not None and (name == "code" or name not in record.changes):
                    continue
                assert getattr(account, name) == value, (name, value)
        for (text,) in session.execute(select(Account.name).where(Account.id.in_(list(created)))):
            assert not CONTROL_RE.search(text) and not SURROGATE_RE.search(text)
            assert "\x00" not in text


def _check_cells(table: RawTable, grid: list[list[str]]) -> None:
    """The file's cells (``grid``: expected, normalised, header first) reached the table in
    place: nothing shifted, split or merged; blank rows dropped; the first row left is the
    header; body rows cut or padded to its width."""
    grid = [row for row in grid if any(row)]
    header, body = grid[0], grid[1:]
    width = len(header)
    assert list(table.headers) == header
    assert list(table.rows) == [tuple((row + [""] * width)[:width]) for row in body]


def _check_fields(table: RawTable, preview: ImportPreview) -> None:
    """Plain text columns store exactly the normalised cell."""
    mapping = auto_map(table.headers)
    by_row = {r.row: r for r in preview.records}
    for offset, cells in enumerate(table.rows):
        record = by_row.get(offset + 2)
        if record is None:
            continue
        for index, field in mapping.items():
            if ACCOUNT_FIELDS[field].kind in {"str", "text"} and cells[index]:
                assert record.fields[field] == cells[index], (field, cells[index])


# -- CSV -------------------------------------------------------------------------------------
def _csv_text(headers: list[Any], rows: list[list[Any]]) -> tuple[str, list[str], list[list[str]]]:
    as_text = [["" if c is None else str(c) for c in r] for r in [headers, *rows]]
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(as_text)
    return buffer.getvalue(), as_text[0], as_text[1:]


def _encode(text: str, encoding: str) -> tuple[bytes, bool]:
    """The file's bytes and whether the importer can be expected to decode them back exactly."""
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8", errors="surrogatepass"), False
    if encoding == "gb18030" and not text.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return data, True
        return data, False  # also valid UTF-8: the detection cannot tell, by design
    return data, True


@fuzz(80)
@given(sheet=sheets(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_fuzzed_csv_imports_exactly_or_changes_nothing(
    demo_store: Store, tmp_path: Path, sheet: tuple[list[Any], list[list[Any]]], encoding: str
) -> None:
    text, headers, rows = _csv_text(*sheet)
    data, exact = _encode(text, encoding)
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    outcome = _run(demo_store, path)
    if outcome is None:
        return
    table, preview, result = outcome
    event(f"imported, cells compared: {exact}")
    if exact:
        _check_cells(table, [[normalise(c) for c in r] for r in [headers, *rows]])
        _check_fields(table, preview)
    _check_stored(demo_store, preview, result.created_ids)


# -- xlsx ------------------------------------------------------------------------------------
def _writable(value: Any) -> Any:
    """What openpyxl can write: no XML-illegal characters, no unpaired surrogates."""
    if isinstance(value, str):
        return SURROGATE_RE.sub("?", ILLEGAL_CHARACTERS_RE.sub("?", value))
    return value


def _xlsx_expected(value: Any) -> str | None:
    """The table cell for a written value; None where only "some number" can be said."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        return "" if len(value) > 1 and value.startswith("=") else normalise(value)
    return None


MERGES = st.none() | st.tuples(
    st.integers(1, 7), st.integers(1, 8), st.integers(0, 2), st.integers(0, 3)
)


@fuzz(60)
@given(sheet=sheets(), merge=MERGES)
def test_fuzzed_xlsx_imports_exactly_or_changes_nothing(
    demo_store: Store,
    tmp_path: Path,
    sheet: tuple[list[Any], list[list[Any]]],
    merge: tuple[int, int, int, int] | None,
) -> None:
    headers = [_writable(h if h is not None else "") for h in sheet[0]]
    headers = [h if isinstance(h, str) else str(h) for h in headers]
    rows = [[_writable(c) for c in row] for row in sheet[1]]
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    for row in [headers, *rows]:
        worksheet.append(row)
    if merge is not None:  # merged junk: every cell but the top-left one loses its value
        row, column, down, across = merge
        worksheet.merge_cells(
            start_row=row, start_column=column, end_row=row + down, end_column=column + across
        )
    grid = [
        [_xlsx_expected(cell.value) for cell in line]
        for line in worksheet.iter_rows(max_col=worksheet.max_column)
    ]
    path = tmp_path / "fuzz.xlsx"
    workbook.save(path)
    outcome = _run(demo_store, path)
    if outcome is None:
        return
    table, preview, result = outcome
    comparable = all(None not in line for line in grid)
    event(f"imported, cells compared: {comparable}")
    if comparable:
        _check_cells(table, grid)  # type: ignore[arg-type]
        _check_fields(table, preview)
    _check_stored(demo_store, preview, result.created_ids)


# -- broken files ----------------------------------------------------------------------------
def _valid_xlsx() -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.append(["店名", "地址", "电话"])
    worksheet.append(["宏兴烟酒", "合肥市蜀山区长江西路1号", "13912345678"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


VALID_XLSX = _valid_xlsx()


@st.composite
def broken_files(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["random", "zip", "truncated", "flipped"]))
    suffix = draw(st.sampled_from([".xlsx", ".csv"]))
    if kind == "random":
        return suffix, draw(st.binary(max_size=2000))
    if kind == "zip":  # a zip archive that is not a workbook (or a workbook missing parts)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            names = draw(
                st.lists(
                    st.sampled_from(
                        [
                            "[Content_Types].xml",
                            "xl/workbook.xml",
                            "xl/worksheets/sheet1.xml",
                            "_rels/.rels",
                            "hello.txt",
                        ]
                    ),
                    unique=True,
                    max_size=5,
                )
            )
            for name in names:
                archive.writestr(name, draw(st.binary(max_size=200)))
        return ".xlsx", buffer.getvalue()
    if kind == "truncated":
        return ".xlsx", VALID_XLSX[: draw(st.integers(0, len(VALID_XLSX) - 1))]
    data = bytearray(VALID_XLSX)
    for position in draw(st.lists(st.integers(0, len(data) - 1), min_size=1, max_size=8)):
        data[position] ^= draw(st.integers(1, 255))
    return ".xlsx", bytes(data)


@fuzz(80)
@given(case=broken_files())
def test_broken_files_get_a_specific_error_and_change_nothing(
    demo_store: Store, tmp_path: Path, case: tuple[str, bytes]
) -> None:
    suffix, data = case
    path = tmp_path / f"broken{suffix}"
    path.write_bytes(data)
    _run(demo_store, path)  # succeeds (a lucky flip) or fails cleanly: never another exception


# -- oversized files -------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_200mb_file_is_refused_at_once(demo_store: Store, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"huge{suffix}"
    with path.open("wb") as handle:  # sparse: nothing is written, the size is what counts
        handle.truncate(200 * 1024 * 1024)
    assert path.stat().st_size > MAX_IMPORT_BYTES
    before = fingerprint(demo_store)
    started = time.perf_counter()
    with pytest.raises(ImportError_) as info:
        read_table(path)
    assert time.perf_counter() - started < 0.5
    assert info.value.code == "import.too_large"
    assert "50 MB" in info.value.message and "200 MB" in info.value.message
    assert fingerprint(demo_store) == before


def test_zip_bomb_is_refused_from_its_directory(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", VALID_XLSX[:10])
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(MAX_XLSX_UNPACKED_BYTES // len(chunk) + 1):
                member.write(chunk)
    assert path.stat().st_size < MAX_IMPORT_BYTES  # small on disk, huge unpacked
    started = time.perf_counter()
    with pytest.raises(ImportError_) as info:
        read_table(path)
    assert time.perf_counter() - started < 0.5
    assert info.value.code == "import.too_large"
    assert "200 MB" in info.value.message


def test_cells_keep_quotes_and_delimiters(demo_store: Store, tmp_path: Path) -> None:
    """Found by the fuzzer: csv.Sniffer guessed a quoting that split or merged such cells."""
    rows = [["店名", "地址", "备注"], ['宏兴"烟酒"', "蜀山区;长江路,1号", 'a""b\n"c";d']]
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path = tmp_path / "quotes.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    table = read_table(path)
    assert table.rows == (tuple(rows[1]),)
    semicolons = tmp_path / "semicolons.csv"
    semicolons.write_text('店名;地址\n"A;B";"路,号"\n', encoding="utf-8")
    assert read_table(semicolons).rows == (("A;B", "路,号"),)


def test_formula_text_is_exported_as_text(demo_store: Store, tmp_path: Path) -> None:
    """A name like "=cmd|..." (typed or imported from CSV) must not become a live formula in
    the exported workbook, and re-importing the export gives the same text back."""
    from openpyxl import load_workbook

    from kamdesk.services.account_export import export_accounts_xlsx
    from kamdesk.services.account_queries import AccountFilter, AccountQueries

    names = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://x","点我")', "+1+1"]
    source = tmp_path / "in.csv"
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(
        [["店名", "地址"], *([n, f"路{i}号"] for i, n in enumerate(names))]
    )
    source.write_text(buffer.getvalue(), encoding="utf-8")
    outcome = _run(demo_store, source)
    assert outcome is not None and outcome[2].created == 3
    queries = AccountQueries(demo_store)
    exported = tmp_path / "out.xlsx"
    flt = AccountFilter(text="路")
    export_accounts_xlsx(queries, flt, exported)
    sheet = load_workbook(exported).worksheets[0]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert not [c.value for c in cells if c.data_type == "f"]
    assert set(names) <= {c.value for c in cells}
    table = read_table(exported)
    assert set(names) <= {row[1] for row in table.rows}


def test_export_survives_control_characters_stored_before_the_checks(
    demo_store: Store, tmp_path: Path
) -> None:
    from kamdesk.services.account_export import export_accounts_xlsx
    from kamdesk.services.account_queries import AccountFilter, AccountQueries
    from kamdesk.services.outbox import BULK_SEED_KEY

    with demo_store.session() as session:  # as an older version could have stored it
        session.info[BULK_SEED_KEY] = True
        account = session.scalars(select(Account).order_by(Account.code).limit(1)).one()
        account.name = "旧数据\x07店\x1b"
        code = account.code
    exported = tmp_path / "old.xlsx"
    export_accounts_xlsx(AccountQueries(demo_store), AccountFilter(text=code), exported)
    assert [row[1] for row in read_table(exported).rows] == ["旧数据店"]


def test_the_same_shop_twice_is_an_issue(demo_store: Store, tmp_path: Path) -> None:
    """Found by the fuzzer: two rows for one shop silently became two cards, or the second
    silently overwrote the first when both merged into the same existing account."""
    with demo_store.session() as session:
        known = session.scalars(select(Account).order_by(Account.code).limit(1)).one()
        name, address = known.name, known.address
    path = tmp_path / "twice.csv"
    path.write_text(
        f"店名,地址,区\n新店,新路1号,甲\n新店, 新路1号 ,乙\n{name},{address},丙\n"
        f"{name},{address},丁\n",
        encoding="utf-8",
    )
    table = read_table(path)
    preview = AccountImporter(demo_store).preview(table, auto_map(table.headers))
    assert [(i.row, i.field) for i in preview.issues] == [(3, "name"), (5, "name")]
    assert "row 2" in preview.issues[0].reason and "row 4" in preview.issues[1].reason
    assert _run(demo_store, path) is None  # refused as a whole, nothing changed
