"""Fast line breaking of mixed Chinese/Latin text for table cells.

reportlab's Paragraph (wordWrap="CJK") is correct but costs ~1 ms per short cell, and a dossier
has hundreds of wrapped cells. Cells only need greedy breaking in one font and size, so this
measures each character once (cached) and breaks: anywhere between hanzi, between Latin words
(a word longer than the line is cut), never before closing punctuation nor after opening
punctuation (basic 禁则 / kinsoku). The result is a plain multi-line string that a Table draws
directly.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth

# Latin words, numbers and amounts stay whole (¥367,200.00, INV-2026-1110, 09:15–09:45).
_TOKEN = re.compile(r"[A-Za-z0-9¥$%@#&+\-_.,:/'’–]+|\s+|.", re.DOTALL)
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’·…—%,.;:!?)]}")
NO_LINE_END = frozenset("（《「『【〔〈“‘([{¥$")


@lru_cache(maxsize=8192)
def _char_width(char: str, font: str) -> float:
    """Width at size 1 (callers multiply by the font size)."""
    return float(stringWidth(char, font, 1))


def text_width(text: str, font: str, size: float) -> float:
    return sum(_char_width(c, font) for c in text) * size


def break_lines(text: str, width: float, font: str, size: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (hard newlines kept)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(_break_paragraph(paragraph, width / size, font))
    return lines


def _break_paragraph(text: str, room: float, font: str) -> list[str]:
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for token in _TOKEN.findall(text):
        w = sum(_char_width(c, font) for c in token)
        if token.isspace():
            if line:  # spaces never open a line; trailing ones are stripped
                line.append(token)
                used += w
            continue
        if used + w <= room:
            line.append(token)
            used += w
            continue
        if len(token) > 1 and w > room:
            # A word longer than a whole line: cut it character by character.
            for char in token:
                cw = _char_width(char, font)
                if used + cw > room and line:
                    lines.append("".join(line).rstrip())
                    line, used = [], 0.0
                line.append(char)
                used += cw
            continue
        if not line or (token in NO_LINE_START and len(line) == 1):
            # A lone glyph wider than the cell, or punctuation that may not open a line after
            # a single token: let it hang past the edge.
            line.append(token)
            used += w
            continue
        carried: list[str] = []
        if token in NO_LINE_START:
            carried.append(line.pop())  # push the preceding glyph down with the punctuation
        while len(line) > 1 and line[-1] in NO_LINE_END:
            carried.insert(0, line.pop())
        lines.append("".join(line).rstrip())
        line = [*carried, token]
        used = sum(_char_width(c, font) for part in line for c in part)
    if line or not lines:
        lines.append("".join(line).rstrip())
    return lines
