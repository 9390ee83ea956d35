"""The account dossier: sections, values, footer and numbering, fonts, edge-case accounts."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamdesk.export import ExportOptions, Lang, render_dossier
from kamdesk.export.dossier_data import MonthlyPurchase
from kamdesk.export.labels import Labels, section_keys

from .factories import GENERATED_AT, OPTIONS, make_dossier, make_empty_dossier
from .pdfcheck import SUBSET_NAME, ParsedPdf, page_fonts, parse, squash

ZH = Labels(Lang.ZH)
EN = Labels(Lang.EN)
PAGE_ZH = re.compile(r"第(\d+)页/共(\d+)页")
PAGE_EN = re.compile(r"Page(\d+)/(\d+)")


@pytest.fixture(scope="module")
def full() -> ParsedPdf:
    return parse(render_dossier(make_dossier(), OPTIONS))


@pytest.fixture(scope="module")
def empty() -> ParsedPdf:
    return parse(render_dossier(make_empty_dossier(), OPTIONS))


@pytest.fixture(scope="module")
def long_account() -> tuple[ParsedPdf, str]:
    data = make_dossier(visits=500, notes_chars=34_000)
    note = data.notes[0].text
    assert len(note.encode("utf-8")) >= 100_000
    return parse(render_dossier(data, OPTIONS)), note


def assert_numbered(parsed: ParsedPdf, pattern: re.Pattern[str] = PAGE_ZH) -> None:
    total = len(parsed.pages)
    for number, text in enumerate(parsed.pages, start=1):
        found = pattern.findall(text)
        assert found == [(str(number), str(total))], (number, found)


def assert_footer(parsed: ParsedPdf, labels: Labels = ZH) -> None:
    confidential = squash(labels.t("footer.confidential"))
    generated = squash(labels.t("footer.generated", at="2026-11-20 09:30", by="王建国"))
    for text in parsed.pages:
        assert confidential in text
        assert generated in text


def test_every_section_heading_appears_in_order(full: ParsedPdf) -> None:
    positions = [full.text.find(squash(ZH.t(key))) for key in section_keys()]
    assert -1 not in positions
    assert positions == sorted(positions)
    assert len(section_keys()) == 12


def test_header_and_basic_card_values(full: ParsedPdf) -> None:
    first = full.pages[0]
    for value in ("鑫隆烟酒商行", "KA-0001", "烟酒店", "A类客户", "VIP", "大客户", "成熟期"):
        assert value in first
    for value in ("430102100123", "李秀英", "138-0731-5566", "五一大道368号", "28.195123"):
        assert value in first
    assert "¥50,000.00" in first
    assert "15天" in first
    assert "周日" in first
    assert "休息" in first


def test_contacts_mark_lunar_birthdays_with_this_years_solar_date(full: ParsedPdf) -> None:
    # 2026: lunar 8/15 is 25 September; lunar 12/20 of lunar year 2025 is 7 February 2026.
    assert "农历八月十五（今年公历2026-09-25）" in full.text
    assert "农历腊月二十（今年公历2026-02-07）" in full.text
    assert "1990-03-08" in full.text


def test_activity_values(full: ParsedPdf) -> None:
    text = full.text
    assert "近18个月进货合计¥367,200.00" in text
    assert "中华（硬）" in text
    assert "6.1%" in text
    assert "及时补货" in text
    assert "畅销品库存不足1周" in text
    # Only unsettled invoices are listed; the overdue one is flagged.
    assert "未结欠款合计¥15,600.00（其中逾期¥3,600.00）" in text
    assert "2026-10-20逾期" in text
    assert "INV-2026-0901" not in text
    assert "另有已结清单据1笔，合计¥9,000.00" in text
    assert "共60次拜访，最近一次2026-11-19" in text
    assert "送货时间不稳定" in text
    assert "处理中" in text
    assert "催收INV-2026-1110欠款" in text
    assert "店主反映周边新开两家便利店" in text


def test_footer_and_page_numbers_on_every_page(full: ParsedPdf) -> None:
    assert len(full.pages) >= 3
    assert_numbered(full)
    assert_footer(full)


def test_fonts_are_embedded_subsets_with_unicode_maps(full: ParsedPdf) -> None:
    for fonts in page_fonts(full):
        assert fonts
        for font in fonts:
            assert SUBSET_NAME.match(font.base_font), font
            assert "WenQuanYiMicroHei" in font.base_font
            assert font.subtype == "/TrueType"
            assert font.embedded
            assert font.has_to_unicode


def test_document_metadata(full: ParsedPdf) -> None:
    meta = full.reader.metadata
    assert meta is not None
    assert meta.title == "客户档案 · 鑫隆烟酒商行"
    assert meta.author == "王建国"


def test_empty_account_says_what_is_missing(empty: ParsedPdf) -> None:
    for key in (
        "empty.capability",
        "empty.contacts",
        "empty.evaluation",
        "empty.purchases",
        "empty.top_products",
        "empty.stock",
        "empty.advice",
        "empty.debt",
        "empty.visits",
        "empty.complaints",
        "empty.reminders",
        "empty.notes",
    ):
        assert squash(ZH.t(key)) in empty.text, key
    for key in section_keys():
        assert squash(ZH.t(key)) in empty.text
    assert len(empty.pages) <= 2
    assert_numbered(empty)
    assert_footer(empty)


def test_purchases_outside_the_18_month_window_count_as_missing() -> None:
    old = (MonthlyPurchase(date(2020, 1, 1), "一类烟", Decimal(100)),)
    parsed = parse(render_dossier(replace(make_empty_dossier(), purchases=old), OPTIONS))
    assert "暂无进货记录" in parsed.text


def test_500_visits_and_100kb_notes_paginate_cleanly(long_account: tuple[ParsedPdf, str]) -> None:
    parsed, note = long_account
    assert len(parsed.pages) > 20
    assert_numbered(parsed)
    assert_footer(parsed)
    text = parsed.text
    assert "第1次拜访" in text
    assert "第500次拜访" in text
    assert text.count("次拜访：检查陈列与库存") == 500
    # Every page holding visit rows repeats the table header.
    header = squash(ZH.t("v.summary"))
    visit_pages = [p for p in parsed.pages if "次拜访：检查陈列" in p]
    assert len(visit_pages) > 5
    assert all(header in p for p in visit_pages)
    # Nothing of the note is lost: its phrase count survives pagination.
    phrase = "店主反映周边新开两家便利店，客流有所分流。"
    body = "".join(
        p.replace(squash(ZH.t("footer.confidential")), "")
        .replace("客户档案", "")
        .replace("鑫隆烟酒商行KA-0001", "")
        for p in parsed.pages
    )
    body = PAGE_ZH.sub("", body)
    body = body.replace(squash(ZH.t("footer.generated", at="2026-11-20 09:30", by="王建国")), "")
    assert body.count(phrase) == note.count(phrase)


def test_english_dossier() -> None:
    options = ExportOptions(lang=Lang.EN, generated_by="Wang", generated_at=GENERATED_AT)
    parsed = parse(render_dossier(make_dossier(), options))
    for key in section_keys():
        assert squash(EN.t(key)) in parsed.text, key
    assert "Tobacco&liquor" in parsed.text
    assert "lunar8/15" in parsed.text
    assert_numbered(parsed, PAGE_EN)
    assert all("Internal·Confidential" in p for p in parsed.pages)


@settings(deadline=None, max_examples=4)
@given(visits=st.integers(0, 120), notes_chars=st.integers(0, 6000))
def test_numbering_holds_for_any_size(visits: int, notes_chars: int) -> None:
    parsed = parse(render_dossier(make_dossier(visits=visits, notes_chars=notes_chars), OPTIONS))
    assert_numbered(parsed)
    marker = f"共{visits}次拜访" if visits else "暂无拜访记录"
    assert marker in parsed.text


def test_free_text_longer_than_a_page_splits_inside_table_cells() -> None:
    data = make_dossier(visits=3)
    # Rare characters, counted one by one: page breaks may fall inside any phrase.
    long_visit = replace(data.visits[0], summary="长篇蘑菇记录。" * 1500)  # ~3 pages in one cell
    long_complaint = replace(data.complaints[0], resolution="赔" * 3000)
    data = replace(
        data,
        visits=(long_visit, *data.visits[1:]),
        complaints=(long_complaint, *data.complaints[1:]),
    )
    parsed = parse(render_dossier(data, OPTIONS))
    assert_numbered(parsed)
    assert parsed.text.count("蘑") == 1500
    assert parsed.text.count("赔") == 3000


@settings(deadline=None, max_examples=8)
@given(text=st.text(max_size=300))
def test_any_typed_text_renders(text: str) -> None:
    # Markup characters, control characters, emoji: none may break the layout engine.
    full = make_dossier(visits=1)
    data = replace(
        make_empty_dossier(),
        account=replace(full.account, name=text or "店"),
        visits=(replace(full.visits[0], summary=text),),
        notes=(replace(full.notes[0], text=text),),
    )
    parsed = parse(render_dossier(data, OPTIONS))
    assert_numbered(parsed)
    assert "共1次拜访" in parsed.text
