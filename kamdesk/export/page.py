"""A4 page frame shared by the exports: running header, confidential footer, "page X of Y".

The total page count is only known once the story has been laid out, so the canvas keeps every
page's state and draws the footers in ``save`` (the classic reportlab NumberedCanvas): one
layout pass instead of two builds.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate
from reportlab.platypus.doctemplate import LayoutError

from kamdesk.export.errors import RenderError
from kamdesk.export.labels import Labels
from kamdesk.export.styles import GREY, NAVY, RULE, styles

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 16 * mm
MARGIN_TOP = 18 * mm
MARGIN_BOTTOM = 18 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM


@dataclass(frozen=True, slots=True)
class PageDecor:
    """What the header and footer of every page say."""

    labels: Labels
    doc_title: str
    header_right: str
    generated_at: datetime
    generated_by: str


class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    def __init__(self, *args: Any, decor: PageDecor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decor = decor
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._draw_decor(number, total)
            super().showPage()
        super().save()

    def _draw_decor(self, number: int, total: int) -> None:
        decor = self._decor
        labels = decor.labels
        font = styles().font
        self.saveState()
        # running header
        top = PAGE_HEIGHT - MARGIN_TOP + 5 * mm
        self.setFont(font, 8)
        self.setFillColor(NAVY)
        self.drawString(MARGIN_X, top + 1.5 * mm, decor.doc_title)
        self.setFillColor(GREY)
        self.drawRightString(PAGE_WIDTH - MARGIN_X, top + 1.5 * mm, decor.header_right)
        self.setStrokeColor(RULE)
        self.setLineWidth(0.6)
        self.line(MARGIN_X, top, PAGE_WIDTH - MARGIN_X, top)
        # footer
        bottom = MARGIN_BOTTOM - 8 * mm
        self.line(MARGIN_X, bottom + 4 * mm, PAGE_WIDTH - MARGIN_X, bottom + 4 * mm)
        self.setFont(font, 7.5)
        self.setFillColor(NAVY)
        self.drawString(MARGIN_X, bottom, labels.t("footer.confidential"))
        self.drawCentredString(
            PAGE_WIDTH / 2, bottom, labels.t("footer.page", page=number, pages=total)
        )
        self.setFillColor(GREY)
        self.drawRightString(
            PAGE_WIDTH - MARGIN_X,
            bottom,
            labels.t(
                "footer.generated",
                at=labels.timestamp(decor.generated_at),
                by=decor.generated_by or labels.t("empty.value"),
            ),
        )
        self.restoreState()


def render_story(
    story: Sequence[Flowable],
    decor: PageDecor,
    *,
    title: str,
    author: str,
    subject: str,
) -> bytes:
    """Lay out ``story`` on A4 pages and return the PDF bytes."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=author,
        subject=subject,
        creator="KAMDesk",
        # Otherwise every page references an unembedded Helvetica it never uses.
        initialFontName=styles().font,
        initialFontSize=9,
        lang="zh-CN" if decor.labels.lang == "zh" else "en",
    )
    try:
        doc.build(list(story), canvasmaker=partial(NumberedCanvas, decor=decor))
    except LayoutError as exc:
        raise RenderError(f"layout failed: {exc}") from exc
    return buffer.getvalue()
