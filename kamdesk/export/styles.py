"""Colours, paragraph styles and table styles shared by every export (one visual language)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from kamdesk.export.fonts import ensure_font
from kamdesk.export.linebreak import break_lines, text_width

NAVY = colors.HexColor("#1F3A5F")
ACCENT = colors.HexColor("#C8102E")
GOLD = colors.HexColor("#B8860B")
GREEN = colors.HexColor("#2E7D32")
GREY = colors.HexColor("#6B7280")
LIGHT = colors.HexColor("#E8EDF3")
ZEBRA = colors.HexColor("#F6F8FB")
RULE = colors.HexColor("#C9D2DE")
# Price tiers / series, high to low; chosen to stay distinct when printed in grey.
SERIES = (
    colors.HexColor("#1F3A5F"),
    colors.HexColor("#3E7CB1"),
    colors.HexColor("#81A4CD"),
    colors.HexColor("#C9A227"),
    colors.HexColor("#E07A5F"),
    colors.HexColor("#9AA5B1"),
)


@dataclass(frozen=True, slots=True)
class Styles:
    font: str
    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    cell_head: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    empty: ParagraphStyle
    big_number: ParagraphStyle


@lru_cache(maxsize=1)
def styles() -> Styles:
    font = ensure_font()

    def ps(name: str, size: float, **kw: object) -> ParagraphStyle:
        base: dict[str, object] = {
            "fontName": font,
            "fontSize": size,
            "leading": size * 1.45,
            "wordWrap": "CJK",
        }
        base.update(kw)
        return ParagraphStyle(name, **base)

    return Styles(
        font=font,
        body=ps("body", 9),
        small=ps("small", 7.5),
        muted=ps("muted", 7.5, textColor=GREY),
        cell=ps("cell", 8, leading=10.5),
        cell_right=ps("cell_right", 8, leading=10.5, alignment=TA_RIGHT),
        cell_head=ps("cell_head", 8, leading=10.5, textColor=NAVY),
        title=ps("title", 20, leading=26, textColor=NAVY),
        subtitle=ps("subtitle", 10, textColor=GREY),
        heading=ps("heading", 12, leading=16, textColor=colors.white),
        subheading=ps("subheading", 10, leading=14, textColor=NAVY, spaceBefore=4, spaceAfter=2),
        empty=ps("empty", 9, textColor=GREY, leftIndent=4),
        big_number=ps("big_number", 14, leading=18, textColor=NAVY, alignment=TA_CENTER),
    )


def styled_table(
    rows: list[list[object]],
    col_widths: list[float],
    commands: list[tuple[object, ...]],
    **kwargs: object,
) -> Table:
    """A Table whose plain-string cells use the CJK font too (reportlab defaults to Helvetica,
    which would add an unembedded font to every page)."""
    table = Table(rows, colWidths=col_widths, **kwargs)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), styles().font), *commands]))
    return table


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph from plain text: markup characters escaped, newlines kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


# A Paragraph is re-wrapped in full each time a page boundary splits it, so long free text is
# cut into blocks of this many characters to keep layout time linear in the text length.
TEXT_BLOCK = 600
SHORT_TABLE_ROWS = 16
CELL_FONT_SIZE = 8
CELL_LEADING = 10.5


def text_blocks(text: str, style: ParagraphStyle, block: int = TEXT_BLOCK) -> list[Flowable]:
    """Free text as paragraphs: one per line, long lines cut every ``block`` characters."""
    pieces: list[str] = []
    for line in text.splitlines() or [""]:
        pieces.extend(line[i : i + block] for i in range(0, max(len(line), 1), block))
    return [para(piece, style) for piece in pieces]


def section_heading(text: str, width: float) -> list[Flowable]:
    """A navy band with the section title; never left alone at the foot of a page."""
    band = styled_table(
        [[para(text, styles().heading)]],
        [width],
        [
            ("BACKGROUND", (0, 0), (-1, -1), NAVY),
            ("LINEBEFORE", (0, 0), (0, -1), 4, ACCENT),
            ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ],
    )
    gap = Spacer(1, 2 * mm)
    # Both carry keepWithNext so the band, the gap and the section's first block stay together.
    band.keepWithNext = True
    gap.keepWithNext = True
    return [CondPageBreak(30 * mm), Spacer(1, 4 * mm), band, gap]


def minor_heading(text: str, width: float) -> list[Flowable]:
    """A lighter heading (navy text over a rule) for dense one-page layouts."""
    band = styled_table(
        [[para(text, styles().subheading)]],
        [width],
        [
            ("LINEBELOW", (0, 0), (-1, -1), 0.8, NAVY),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ],
    )
    return [Spacer(1, 3 * mm), band, Spacer(1, 1.5 * mm)]


def data_table(
    rows: list[list[object]],
    col_widths: list[float],
    *,
    right_cols: tuple[int, ...] = (),
    extra: list[tuple[object, ...]] | None = None,
    keep_short: bool = True,
) -> Flowable:
    """A zebra table whose first row is a header repeated on every page it spans.

    Tables of at most ``SHORT_TABLE_ROWS`` rows move to the next page whole rather than leave
    a lone row behind (``keep_short=False`` inside a KeepInFrame, where pages do not break).
    """
    commands: list[tuple[object, ...]] = [
        ("FONTSIZE", (0, 0), (-1, -1), CELL_FONT_SIZE),
        ("LEADING", (0, 0), (-1, -1), CELL_LEADING),
        ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
        ("TEXTCOLOR", (0, 0), (-1, 0), NAVY),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, NAVY),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    commands.extend(("ALIGN", (c, 0), (c, -1), "RIGHT") for c in right_cols)
    commands.extend(extra or ())
    rows = _wrap_wide_cells(rows, col_widths, right_cols)
    # splitInRow: a row taller than a page (a very long visit summary) splits instead of failing.
    table = styled_table(rows, col_widths, commands, repeatRows=1, hAlign="LEFT", splitInRow=1)
    return KeepTogether([table]) if keep_short and len(rows) <= SHORT_TABLE_ROWS else table


def _wrap_wide_cells(
    rows: list[list[object]], col_widths: list[float], right_cols: tuple[int, ...]
) -> list[list[object]]:
    """Plain-string cells that do not fit are broken into lines here (a Paragraph per cell costs
    ~20x more to lay out); only text too long for one page becomes paragraphs, which can split
    across pages inside the row."""
    st = styles()
    wrapped: list[list[object]] = []
    for r, row in enumerate(rows):
        cells: list[object] = []
        for c, cell in enumerate(row):
            if isinstance(cell, str) and cell:
                room = col_widths[c] - 6.5  # left + right padding
                if len(cell) > TEXT_BLOCK:
                    style = st.cell_right if c in right_cols else st.cell
                    cell = text_blocks(cell, st.cell_head if r == 0 else style)
                elif "\n" in cell or text_width(cell, st.font, CELL_FONT_SIZE) > room:
                    cell = "\n".join(break_lines(cell, room, st.font, CELL_FONT_SIZE))
            cells.append(cell)
        wrapped.append(cells)
    return wrapped


def field_grid(pairs: list[tuple[str, str]], width: float, columns: int = 2) -> Table:
    """Label/value pairs laid out ``columns`` pairs per row (a form-like card)."""
    st = styles()
    label_w = 22 * mm
    value_w = width / columns - label_w
    rows: list[list[object]] = []
    for start in range(0, len(pairs), columns):
        row: list[object] = []
        for label, value in pairs[start : start + columns]:
            row += [para(label, st.cell_head), para(value, st.cell)]
        row += [""] * (2 * columns - len(row))
        rows.append(row)
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    commands.extend(("BACKGROUND", (2 * c, 0), (2 * c, -1), ZEBRA) for c in range(columns))
    return styled_table(rows, [label_w, value_w] * columns, commands, hAlign="LEFT")


def empty_line(text: str) -> Paragraph:
    return para(text, styles().empty)
