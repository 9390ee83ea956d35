"""Table-cell line breaking: nothing lost, lines fit, punctuation rules hold."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kamdesk.export.fonts import ensure_font
from kamdesk.export.linebreak import NO_LINE_START, break_lines, text_width

FONT = ensure_font()
SIZE = 8.0
HANZI = "客户档案进货拜访库存中华硬动销良好价格执行到位"
CJK_PUNCT = "，。、；：？！（）《》“”"
LATIN = "abcXYZ0123456789-.¥,"


def squashed(text: str) -> str:
    return "".join(text.split())


@settings(deadline=None, max_examples=150)
@given(
    text=st.text(alphabet=HANZI + CJK_PUNCT + LATIN + " \n", max_size=200),
    width=st.floats(30, 300),
)
def test_nothing_is_lost_and_lines_fit(text: str, width: float) -> None:
    lines = break_lines(text, width, FONT, SIZE)
    assert squashed("".join(lines)) == squashed(text)
    for line in lines:
        # At most one hanging glyph (one em) past the edge.
        assert text_width(line, FONT, SIZE) <= width + SIZE + 1e-6, line
        assert line == line.rstrip()


# Sentences as written: each hanzi optionally followed by one closing mark. (A run of marks
# longer than a line has no legal break and is left as is.)
SENTENCES = st.lists(
    st.tuples(st.sampled_from(HANZI), st.sampled_from(["", "，", "。", "）", "》", "”", "："])),
    min_size=1,
    max_size=60,
).map(lambda pairs: "".join(h + p for h, p in pairs))


@settings(deadline=None, max_examples=150)
@given(text=SENTENCES)
def test_closing_punctuation_never_opens_a_line(text: str) -> None:
    lines = break_lines(text, 60, FONT, SIZE)
    assert all(line[:1] not in NO_LINE_START for line in lines[1:] if line)


def test_examples() -> None:
    lines = break_lines("检查陈列与库存，中华（硬）动销良好", 8 * 7, FONT, SIZE)
    assert lines == ["检查陈列与库", "存，中华（硬）", "动销良好"]  # "，" pulls "存" down
    assert break_lines("Order INV-2026-1110 now", 60, FONT, SIZE) == [
        "Order",
        "INV-2026-1110",
        "now",
    ]
    assert break_lines("a\n\nb", 100, FONT, SIZE) == ["a", "", "b"]
    assert break_lines("", 100, FONT, SIZE) == [""]
