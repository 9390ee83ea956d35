"""Dossier sections about who the account is: header, card, capability, contacts, evaluations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table

from kamdesk.domain.cn_calendar import lunar_to_solar, next_lunar_anniversary
from kamdesk.domain.enums import LifecycleStage
from kamdesk.export.charts import score_chart
from kamdesk.export.dossier_data import (
    AccountCard,
    Birthday,
    BusinessCapability,
    Contact,
    Evaluation,
    OpeningHours,
)
from kamdesk.export.labels import Labels
from kamdesk.export.styles import (
    ACCENT,
    GOLD,
    GREEN,
    GREY,
    NAVY,
    RULE,
    data_table,
    empty_line,
    field_grid,
    para,
    section_heading,
    styled_table,
    styles,
)

_LIFECYCLE_COLOURS = {
    LifecycleStage.PROSPECT: GREY,
    LifecycleStage.GROWTH: GREEN,
    LifecycleStage.MATURITY: NAVY,
    LifecycleStage.DECLINE: ACCENT,
    LifecycleStage.ENDED: GREY,
}


class Badges(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A row of small rounded labels (tier, VIP, key account, lifecycle)."""

    def __init__(self, badges: Sequence[tuple[str, colors.Color]]) -> None:
        super().__init__()
        self.badges = list(badges)
        self.height_pt = 14.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return avail_width, self.height_pt

    def draw(self) -> None:
        font = styles().font
        x = 0.0
        for text, colour in self.badges:
            w = stringWidth(text, font, 8) + 10
            self.canv.setFillColor(colour)
            self.canv.roundRect(x, 0, w, self.height_pt - 2, 3, stroke=0, fill=1)
            self.canv.setFillColor(colors.white)
            self.canv.setFont(font, 8)
            self.canv.drawString(x + 5, 3.6, text)
            x += w + 4


def header(card: AccountCard, as_of: date, labels: Labels, width: float) -> list[Flowable]:
    st = styles()
    badges: list[tuple[str, colors.Color]] = []
    if card.abc_tier is not None:
        badges.append((labels.t("badge.tier", tier=card.abc_tier.value), NAVY))
    if card.is_vip:
        badges.append((labels.t("badge.vip"), GOLD))
    if card.is_key_account:
        badges.append((labels.t("badge.key_account"), ACCENT))
    if card.lifecycle is not None:
        badges.append((labels.enum(card.lifecycle), _LIFECYCLE_COLOURS[card.lifecycle]))
    badges.append((labels.enum(card.status), GREY))
    subtitle = " · ".join(
        part
        for part in (
            f"{labels.t('hdr.code')} {card.code}",
            labels.enum(card.business_format),
            card.territory,
        )
        if part
    )
    left: list[Flowable] = [
        para(labels.t("doc.dossier"), st.subtitle),
        para(card.name, st.title),
        para(subtitle, st.body),
        Spacer(1, 2 * mm),
        Badges(badges),
    ]
    right: list[Flowable] = [
        para(labels.t("hdr.manager"), st.muted),
        para(card.manager_name or labels.t("empty.value"), st.subheading),
        para(labels.t("hdr.as_of"), st.muted),
        para(labels.day(as_of), st.subheading),
    ]
    right_w = 38 * mm
    table = styled_table(
        [[left, right]],
        [width - right_w, right_w],
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBEFORE", (1, 0), (1, 0), 0.6, RULE),
            ("LEFTPADDING", (0, 0), (0, 0), 0),
            ("LEFTPADDING", (1, 0), (1, 0), 8),
            ("LINEBELOW", (0, 0), (-1, -1), 1.5, NAVY),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ],
    )
    return [table]


def _hours_table(hours: Sequence[OpeningHours], labels: Labels, width: float) -> Table:
    by_day = {h.weekday: h for h in hours}
    heads: list[object] = []
    values: list[object] = []
    for day in range(7):
        heads.append(labels.weekday(day))
        h = by_day.get(day)
        if h is None:
            values.append(labels.t("empty.value"))
        elif h.opens is None or h.closes is None:
            values.append(labels.t("f.closed"))
        else:
            values.append(f"{labels.clock(h.opens)}–{labels.clock(h.closes)}")
    centred: list[tuple[object, ...]] = [("ALIGN", (0, 0), (-1, -1), "CENTER")]
    return data_table([heads, values], [width / 7] * 7, extra=centred)


def basic_card(card: AccountCard, labels: Labels, width: float) -> list[Flowable]:
    dash = labels.t("empty.value")
    coords = (
        f"{card.location.lat:.6f}, {card.location.lon:.6f}" if card.location is not None else dash
    )
    terms = (
        dash if card.credit_terms_days is None else labels.t("unit.days", v=card.credit_terms_days)
    )
    area = dash if card.area_m2 is None else labels.t("unit.m2", v=f"{card.area_m2:g}")
    pairs = [
        (labels.t("f.licence_no"), card.licence_no or dash),
        (labels.t("f.owner"), card.owner_name or dash),
        (labels.t("f.phone"), card.phone or dash),
        (labels.t("f.territory"), card.territory or dash),
        (labels.t("f.address"), card.address or dash),
        (labels.t("f.coordinates"), coords),
        (labels.t("f.format"), labels.enum(card.business_format)),
        (labels.t("f.area"), area),
        (labels.t("f.status"), labels.enum(card.status)),
        (labels.t("f.grade"), labels.enum(card.relationship_grade)),
        (labels.t("f.loyalty"), labels.enum(card.loyalty)),
        (labels.t("f.credit_limit"), labels.money(card.credit_limit)),
        (labels.t("f.credit_terms"), terms),
    ]
    out: list[Flowable] = [*section_heading(labels.t("sec.basic"), width)]
    out.append(field_grid(pairs, width))
    out.append(para(labels.t("f.hours"), styles().subheading))
    out.append(_hours_table(card.opening_hours, labels, width))
    return out


def capability(cap: BusinessCapability | None, labels: Labels, width: float) -> list[Flowable]:
    out: list[Flowable] = [*section_heading(labels.t("sec.capability"), width)]
    if cap is None:
        out.append(empty_line(labels.t("empty.capability")))
        return out
    dash = labels.t("empty.value")
    sep = "、" if labels.lang == "zh" else ", "
    warehouse = dash if cap.warehouse_m2 is None else labels.t("unit.m2", v=f"{cap.warehouse_m2:g}")
    pairs = [
        (labels.t("f.downstream"), labels.number(cap.downstream_customers)),
        (labels.t("f.coverage"), cap.coverage or dash),
        (labels.t("f.warehouse"), warehouse),
        (labels.t("f.vehicles"), labels.number(cap.vehicles)),
        (labels.t("f.staff"), labels.number(cap.staff)),
        (labels.t("f.capital"), labels.money(cap.capital)),
        (labels.t("f.brands"), sep.join(cap.best_selling_brands) or dash),
        (labels.t("f.consumers"), sep.join(cap.consumer_groups) or dash),
    ]
    out.append(field_grid(pairs, width))
    return out


def birthday_text(birthday: Birthday, as_of: date, labels: Labels) -> str:
    """Solar: ``1975-03-08``/``03-08``; lunar: marked, with its solar date in ``as_of``'s year."""
    if not birthday.lunar:
        if birthday.year is not None:
            return f"{birthday.year:04d}-{birthday.month:02d}-{birthday.day:02d}"
        return f"{birthday.month:02d}-{birthday.day:02d}"
    text = labels.lunar_date(birthday.month, birthday.day, birthday.leap_month)
    try:
        solar = solar_date_this_year(birthday, as_of.year)
    except ValueError:
        return text  # an impossible lunar date as typed; show it as given
    return f"{text}（{labels.t('c.this_year', d=solar.isoformat())}）"


def solar_date_this_year(birthday: Birthday, year: int) -> date:
    """The solar date in ``year`` on which a lunar birthday falls (lunar year may be year-1)."""
    return _lunar_in_solar_year(birthday.month, birthday.day, birthday.leap_month, year)


@lru_cache(maxsize=4096)  # lunar conversions would otherwise dominate the contacts table
def _lunar_in_solar_year(month: int, day: int, leap: bool, year: int) -> date:
    for lunar_year in (year - 1, year):
        solar = lunar_to_solar(lunar_year, month, day, leap=leap)
        if solar.year == year:
            return solar
    # Leap-month fallbacks can skip a solar year; then show the next occurrence.
    return next_lunar_anniversary(month, day, date(year, 1, 1), leap=leap)


def contacts(
    people: Sequence[Contact], as_of: date, labels: Labels, width: float
) -> list[Flowable]:
    out: list[Flowable] = [*section_heading(labels.t("sec.contacts"), width)]
    if not people:
        out.append(empty_line(labels.t("empty.contacts")))
        return out
    head = [
        labels.t(k)
        for k in ("c.name", "c.role", "c.phone", "c.birthday", "c.interests", "c.decision")
    ]
    rows: list[list[object]] = [list(head)]
    for c in people:
        extra = " / ".join(part for part in (c.interests, c.family) if part)
        rows.append(
            [
                c.name,
                c.role,
                c.phone,
                birthday_text(c.birthday, as_of, labels) if c.birthday else "",
                extra,
                labels.t("c.yes") if c.is_decision_maker else "",
            ]
        )
    fractions = (0.13, 0.12, 0.16, 0.25, 0.26, 0.08)
    out.append(data_table(rows, [width * f for f in fractions]))
    return out


def evaluations(items: Sequence[Evaluation], labels: Labels, width: float) -> list[Flowable]:
    out: list[Flowable] = [*section_heading(labels.t("sec.evaluation"), width)]
    if not items:
        out.append(empty_line(labels.t("empty.evaluation")))
        return out
    if len(items) >= 2:
        out.append(score_chart(items, labels, width))
    keys = ("e.date", "e.enthusiasm", "e.capability", "e.credit", "e.social", "e.potential")
    rows: list[list[object]] = [
        [*(labels.t(k) for k in keys), labels.t("e.total"), labels.t("e.comment")]
    ]
    for e in sorted(items, key=lambda e: e.evaluated_on, reverse=True):
        comment = " · ".join(part for part in (e.evaluator, e.comment) if part)
        rows.append(
            [
                labels.day(e.evaluated_on),
                *(
                    f"{v:.0f}"
                    for v in (e.enthusiasm, e.capability, e.credit, e.social_relations, e.potential)
                ),
                f"{e.total:.1f}",
                comment,
            ]
        )
    num_w = width * 0.08
    widths = [width * 0.12, *([num_w] * 6), width - width * 0.12 - 6 * num_w]
    out.append(data_table(rows, widths, right_cols=(1, 2, 3, 4, 5, 6)))
    return out
