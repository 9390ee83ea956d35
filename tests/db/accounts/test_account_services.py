"""Account search, card loading, attachments, import and export against the demo workspace."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, OutboxEntry, PurchaseLine
from kamdesk.domain.search_text import pinyin_keys
from kamdesk.errors import ValidationError
from kamdesk.services.account_card import AccountCardService
from kamdesk.services.account_export import export_accounts_xlsx
from kamdesk.services.account_import import AccountImporter, ImportError_, auto_map, read_table
from kamdesk.services.account_queries import AccountFilter, AccountQueries
from kamdesk.services.accounts import AccountService
from kamdesk.services.attachments import MAX_ATTACHMENT_BYTES, AttachmentError, AttachmentService
from tests.conftest import DEMO_TODAY


def _outbox(store: Store) -> int:
    with store.session() as session:
        return int(session.scalar(select(func.count()).select_from(OutboxEntry)) or 0)


def _accounts(store: Store) -> int:
    with store.session() as session:
        return int(session.scalar(select(func.count()).select_from(Account)) or 0)


def _first(store: Store) -> Account:
    with store.session() as session:
        account = session.scalars(select(Account).order_by(Account.code)).first()
        assert account is not None
        session.expunge(account)
        return account


def _buyer(store: Store) -> Account:
    with store.session() as session:
        account_id = session.scalar(select(PurchaseLine.account_id).limit(1))
        account = session.get(Account, account_id)
        assert account is not None
        session.expunge(account)
        return account


def test_search_by_name_pinyin_and_initials(demo_store: Store) -> None:
    queries = AccountQueries(demo_store, today=lambda: DEMO_TODAY)
    account = _first(demo_store)
    full, initials = pinyin_keys(account.name)
    for text in (account.name[:3], full[:6], initials, account.phone, account.code):
        ids = queries.search_ids(AccountFilter(text=text))
        assert account.id in ids, text
    assert queries.search_ids(AccountFilter(text="zzzqqqxxx")) == []


def test_filters_narrow_the_list(demo_store: Store) -> None:
    queries = AccountQueries(demo_store, today=lambda: DEMO_TODAY)
    everyone = queries.search_ids()
    formats = queries.rows_for(queries.search_ids(AccountFilter(formats=frozenset({"grocery"}))))
    assert 0 < len(formats) < len(everyone)
    assert all(r.business_format == "grocery" for r in formats)
    debtors = queries.search_ids(AccountFilter(debt_only=True))
    facts = queries.facts()
    assert set(debtors) == {a for a in everyone if facts.debt_fen.get(a, 0) > 0}
    overdue = queries.search_ids(AccountFilter(overdue_only=True))
    assert len(overdue) < len(everyone)
    grade = queries.rows_for(queries.search_ids(AccountFilter(grades=frozenset({"D"}))))
    assert grade and all(r.relationship_grade == "D" for r in grade)
    names = [r.name for r in queries.rows(order_by="name", limit=50)]
    assert names == sorted(names)


def test_filter_json_round_trip() -> None:
    flt = AccountFilter(text="hx", tiers=frozenset({"A", "B"}), debt_only=True)
    assert AccountFilter.from_json(flt.to_json()) == flt


def test_card_loads_every_section(demo_store: Store) -> None:
    account = _buyer(demo_store)
    card = AccountCardService(demo_store, today=lambda: DEMO_TODAY).load(account.id)
    assert card.fields["name"] == account.name
    assert card.purchases.amount_12m_fen > 0
    assert card.purchases.monthly and card.purchases.recent
    days = [line.purchased_on for line in card.purchases.recent]
    assert days == sorted(days, reverse=True)
    for contact in card.contacts:
        if contact.birthday_lunar and contact.lunar_month:
            assert contact.birthday_this_year is not None
            assert contact.birthday_this_year.year == DEMO_TODAY.year


def test_save_writes_outbox_and_rejects_bad_value(demo_store: Store) -> None:
    account = _first(demo_store)
    before = _outbox(demo_store)
    changed = AccountService(demo_store).update_fields(account.id, {"owner_name": "王建国"})
    assert changed == {"owner_name": "王建国"}
    assert _outbox(demo_store) == before + 1
    with pytest.raises(ValidationError) as info:
        AccountService(demo_store).update_fields(account.id, {"phone": "not a phone"})
    assert info.value.field == "phone"
    assert _outbox(demo_store) == before + 1


def test_attachment_size_limit_and_storage(demo_store: Store) -> None:
    account = _first(demo_store)
    service = AttachmentService(demo_store)
    attachment_id = service.add_bytes(account.id, "contract.pdf", b"%PDF-1.4 demo")
    assert service.data(attachment_id) == ("contract.pdf", b"%PDF-1.4 demo")
    with pytest.raises(AttachmentError) as info:
        service.add_bytes(account.id, "huge.jpg", b"x" * (MAX_ATTACHMENT_BYTES + 1))
    assert info.value.code == "attachment.too_large"


# -- import --------------------------------------------------------------------------------
GOOD_ROWS = [
    ["店名", "许可证号", "地址", "电话", "业态", "负责人"],
    ["宏兴烟酒", "340100900001", "合肥市蜀山区长江西路1号", "13912345678", "烟酒店", "李宏"],
    ["福来便利", "340100900002", "合肥市包河区马鞍山路8号", "0551-6543210", "便利店", "赵福"],
]


def _csv(path: Path, rows: list[list[str]], encoding: str) -> Path:
    path.write_bytes("\r\n".join(",".join(r) for r in rows).encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["gbk", "utf-8", "utf-8-sig"])
def test_import_csv_any_encoding(demo_store: Store, tmp_path: Path, encoding: str) -> None:
    table = read_table(_csv(tmp_path / "list.csv", GOOD_ROWS, encoding))
    mapping = auto_map(table.headers)
    assert set(mapping.values()) >= {"name", "licence_no", "address", "phone", "business_format"}
    importer = AccountImporter(demo_store)
    preview = importer.preview(table, mapping)
    assert preview.ok and preview.new_count == 2
    before = _accounts(demo_store)
    result = importer.commit(preview)
    assert result.created == 2 and _accounts(demo_store) == before + 2
    queries = AccountQueries(demo_store)
    assert queries.search_ids(AccountFilter(text="hxyj"))


def test_import_bad_file_changes_nothing(demo_store: Store, tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, ["坏店", "340100900003", "某路", "电话号码??", "烟酒店", "钱"]]
    table = read_table(_csv(tmp_path / "bad.csv", rows, "utf-8"))
    importer = AccountImporter(demo_store)
    preview = importer.preview(table, auto_map(table.headers))
    assert not preview.ok
    issue = preview.issues[0]
    assert (issue.row, issue.column, issue.field) == (4, "电话", "phone")
    before, outbox = _accounts(demo_store), _outbox(demo_store)
    with pytest.raises(ImportError_):
        importer.commit(preview)
    assert (_accounts(demo_store), _outbox(demo_store)) == (before, outbox)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.csv", b"", "import.empty"),
        ("header.csv", "店名,地址\r\n".encode(), "import.empty"),
        ("broken.xlsx", b"PK\x03\x04 not a zip", "import.malformed"),
        ("binary.csv", b"\xff\xfe\x00\x00\x81\x30", "import.encoding"),
        ("notes.docx", b"whatever", "import.unsupported"),
    ],
)
def test_bad_files_get_specific_errors(
    tmp_path: Path, name: str, content: bytes, code: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportError_) as info:
        read_table(path)
    assert info.value.code == code


def test_oversized_file_rejected(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 1)
    with pytest.raises(ImportError_) as info:
        read_table(path)
    assert info.value.code == "import.too_large"


def test_xlsx_import_detects_duplicates_and_merges(demo_store: Store, tmp_path: Path) -> None:
    account = _first(demo_store)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["客户名称", "地址", "电话", "备注"])
    sheet.append([account.name, account.address, "13800001111", "导入合并"])
    sheet.append(["新开超市", "合肥市庐阳区新路2号", 13800002222, ""])
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    importer = AccountImporter(demo_store)
    table = read_table(path)
    preview = importer.preview(table, auto_map(table.headers))
    assert preview.ok and preview.duplicate_count == 1 and preview.new_count == 1
    dup = next(r for r in preview.records if r.match_id)
    assert dup.match_id == account.id and dup.match_reason == "name_address"
    assert dup.changes["phone"] == "13800001111"
    before = _accounts(demo_store)
    result = importer.commit(preview, merge=True)
    assert (result.created, result.merged) == (1, 1)
    assert _accounts(demo_store) == before + 1  # the duplicate did not become a second card
    card = AccountCardService(demo_store).load(account.id)
    assert card.fields["phone"] == "13800001111" and card.fields["remarks"] == "导入合并"


def test_export_reads_back(demo_store: Store, tmp_path: Path) -> None:
    queries = AccountQueries(demo_store)
    flt = AccountFilter(formats=frozenset({"tobacco_liquor"}))
    path = tmp_path / "a.xlsx"
    count = export_accounts_xlsx(queries, flt, path)
    workbook = load_workbook(path, read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()  # read-only workbooks keep the file open
    assert count == len(queries.search_ids(flt)) == len(rows) - 1
    assert rows[0][:2] == ("客户编码", "店名")
    table = read_table(path)
    assert set(auto_map(table.headers).values()) >= {"code", "name", "licence_no", "address"}


_NAMES = ["宏兴烟酒", "福来便利", "和兴食杂店", "惠祥名烟名酒", "Hx 超市", "100%_店"]


def _fake_queries() -> AccountQueries:
    """Queries over a hand-made snapshot (no database): the search logic alone."""
    from kamdesk.domain.search_text import build_search_text
    from kamdesk.services.account_queries import AccountRow, _Snapshot, haystack

    rows = {}
    haystacks = []
    for i, name in enumerate(_NAMES):
        row = AccountRow(
            f"id{i}", f"C{i:03d}", name, "grocery", "ABC"[i % 3], None, "growth", None,
            "蜀山区", "长江西路", "", "", "active", None, "none", "none", "",
        )  # fmt: skip
        rows[row.id] = row
        haystacks.append(haystack(build_search_text([name, row.code])))
    queries = AccountQueries.__new__(AccountQueries)
    AccountQueries.__init__(queries, None)  # type: ignore[arg-type]
    queries._snapshot = _Snapshot(rows, list(rows), haystacks, {("code", False): list(rows)})
    return queries


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(_NAMES).flatmap(
        lambda name: st.tuples(st.just(name), st.integers(0, len(name)), st.integers(1, 4))
    )
)
def test_any_substring_of_a_name_or_its_pinyin_finds_it(case: tuple[str, int, int]) -> None:
    name, start, length = case
    queries = _fake_queries()
    full, initials = pinyin_keys(name)
    for haystack in (name.lower(), full, initials):
        text = haystack[start : start + length] or haystack[:1]
        ids = queries.search_ids(AccountFilter(text=text))
        found = [queries.row(i).name for i in ids]  # type: ignore[union-attr]
        assert name in found, (text, found)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=6), st.sets(st.sampled_from("ABC")))
def test_search_matches_brute_force(text: str, tiers: set[str]) -> None:
    queries = _fake_queries()
    snap = queries.snapshot()
    flt = AccountFilter(text=text, tiers=frozenset(tiers))
    needle = text.strip().lower().replace(" ", "")
    expected = [
        i
        for i, hay in zip(snap.ids, snap.haystacks, strict=True)
        if needle in hay and (not tiers or snap.rows[i].tier in tiers)
    ]
    assert queries.search_ids(flt) == expected
    assert AccountFilter.from_json(flt.to_json()) == flt


def test_snapshot_follows_an_edit(demo_store: Store) -> None:
    queries = AccountQueries(demo_store)
    account = _first(demo_store)
    assert not queries.search_ids(AccountFilter(text="ouyangxiu"))
    AccountService(demo_store).update_fields(account.id, {"owner_name": "欧阳修"})
    queries.refresh_accounts([account.id])
    assert queries.has_snapshot()  # updated in place, not rebuilt
    assert queries.search_ids(AccountFilter(text="ouyangxiu")) == [account.id]
    row = queries.row(account.id)
    assert row is not None and row.owner_name == "欧阳修"
