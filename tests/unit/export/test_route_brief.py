"""The route brief: a cover per day with map and stop table, then one page per stop in order."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kamdesk.export import ExportOptions, InvalidExportDataError, Lang, render_route_brief
from kamdesk.export.dossier_data import RouteBriefData, RouteDay

from .factories import AS_OF, GENERATED_AT, OPTIONS, make_route_brief
from .pdfcheck import SUBSET_NAME, ParsedPdf, page_fonts, parse
from .test_dossier import assert_footer, assert_numbered

STOP_HEADINGS = ("拜访原因", "上次拜访", "库存趋势", "订货建议", "待办事项")


@pytest.fixture(scope="module")
def week() -> ParsedPdf:
    data = make_route_brief(days=2, stops=6)
    # Hand the stops over shuffled: the brief must follow the visit order, not input order.
    shuffled = tuple(replace(d, stops=tuple(reversed(d.stops))) for d in reversed(data.days))
    return parse(render_route_brief(replace(data, days=shuffled), OPTIONS))


def test_week_overview_then_one_cover_per_day_then_one_page_per_stop(week: ParsedPdf) -> None:
    assert len(week.pages) == 1 + 2 * (1 + 6)
    overview = week.pages[0]
    assert "2026-11-20–2026-11-21拜访计划" in overview
    assert "2026-11-21周六609:3012:2018.45小时25分" in overview
    covers = [1, 8]
    for index, day in zip(covers, ("2026-11-20周五", "2026-11-21周六"), strict=True):
        assert f"{day}拜访线路" in week.pages[index]
        assert "拜访客户6家" in week.pages[index]
        assert "里程约18.4公里" in week.pages[index]
    for cover in covers:
        for seq in range(1, 7):
            assert f"第{seq}号便利店" in week.pages[cover]
        assert "09:30" in week.pages[cover]
        assert "12:20" in week.pages[cover]


def test_stop_pages_in_visit_order_with_every_part(week: ParsedPdf) -> None:
    for day_start in (2, 9):
        for offset in range(6):
            page = week.pages[day_start + offset]
            assert f"第{offset + 1}站·第{offset + 1}号便利店" in page
            for heading in STOP_HEADINGS:
                assert heading in page
            assert "书院路" in page
            assert "A类客户，距上次拜访已14天" in page
            assert "2026-11-06库存正常" in page
            assert "建议增订" in page
            assert "□回收上月陈列协议" in page
    assert "4→8→12→16→20条" in week.pages[2]


def test_footer_numbering_and_fonts(week: ParsedPdf) -> None:
    assert_numbered(week)
    assert_footer(week)
    for fonts in page_fonts(week):
        assert all(SUBSET_NAME.match(f.base_font) and f.embedded for f in fonts)


def test_very_long_stop_text_still_fits_one_page() -> None:
    data = make_route_brief(days=1, stops=2)
    day = data.days[0]
    wordy = replace(
        day.stops[0],
        why_due=tuple(f"原因{i}：" + "说明" * 400 for i in range(40)),
        last_visit_summary="上次" * 5000,
    )
    long_day = replace(day, stops=(wordy, day.stops[1]))
    parsed = parse(render_route_brief(replace(data, days=(long_day,)), OPTIONS))
    assert len(parsed.pages) == 3  # a single day has no overview page
    page = parsed.pages[1]
    assert "原因0：" in page
    assert "原因9：" in page
    assert "原因10：" not in page
    assert "……另有30项，详见客户档案" in page
    assert "…•原因1：" in page  # each reason clipped visibly
    assert "第2站" in parsed.pages[2]


def test_day_without_stops_says_so() -> None:
    data = RouteBriefData("王建国", (RouteDay(AS_OF, ()),))
    parsed = parse(render_route_brief(data, OPTIONS))
    assert len(parsed.pages) == 1
    assert "当日无拜访安排" in parsed.text


def test_no_days_is_invalid() -> None:
    with pytest.raises(InvalidExportDataError) as caught:
        render_route_brief(RouteBriefData("王建国", ()), OPTIONS)
    assert caught.value.code == "export.invalid_data"


def test_duplicate_stop_numbers_are_invalid() -> None:
    data = make_route_brief(days=1, stops=3)
    day = data.days[0]
    clash = replace(day, stops=(day.stops[0], replace(day.stops[1], sequence=1)))
    with pytest.raises(InvalidExportDataError, match="duplicate stop numbers"):
        render_route_brief(replace(data, days=(clash,)), OPTIONS)


def test_english_route_brief() -> None:
    options = ExportOptions(lang=Lang.EN, generated_by="Wang", generated_at=GENERATED_AT)
    parsed = parse(render_route_brief(make_route_brief(days=1, stops=2), options))
    assert "Routefor2026-11-20Fri" in parsed.pages[0]
    assert "Stop1·第1号便利店" in parsed.pages[1]
    assert "Whydue" in parsed.pages[1]
    assert [p.count("Internal·Confidential") for p in parsed.pages] == [1, 1, 1]
