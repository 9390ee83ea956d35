"""Search keys for an account: the text itself plus full pinyin and initials of Chinese parts.

Computed once when an account is saved (``pypinyin``), stored in an indexed column, so typing
``hxyj`` finds 宏兴烟酒 without converting anything per keystroke.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache


@lru_cache(maxsize=65536)
def pinyin_keys(text: str) -> tuple[str, str]:
    """(full pinyin without spaces, initials) of ``text``; non-Chinese characters kept as-is."""
    if not text:
        return "", ""
    # imported here: pypinyin loads large dictionaries, which start-up should not wait for
    from pypinyin.seg.simpleseg import simple_seg

    # pypinyin converts each run of Chinese / non-Chinese characters on its own (simple_seg is
    # its first step), so the keys of a text are the keys of its runs joined: caching runs makes
    # "宏兴烟酒店12号" and "宏兴烟酒店13号" share the expensive part (first syncs of 20k cards)
    fulls: list[str] = []
    initials: list[str] = []
    for run in simple_seg(text):
        full, first = _run_keys(run)
        fulls.append(full)
        initials.append(first)
    return "".join(fulls), "".join(initials)


@lru_cache(maxsize=65536)
def _run_keys(run: str) -> tuple[str, str]:
    from pypinyin import Style, lazy_pinyin

    full = "".join(lazy_pinyin(run, errors="default")).lower()
    initials = "".join(
        s[0] for s in lazy_pinyin(run, style=Style.FIRST_LETTER, errors="default") if s
    ).lower()
    return full, initials


def build_search_text(parts: Iterable[str | None]) -> str:
    """One lower-case haystack: every part, its pinyin and its initials, separated by '|'."""
    pieces: list[str] = []
    for part in parts:
        if not part:
            continue
        text = part.strip()
        if not text:
            continue
        pieces.append(text.lower())
        if any("\u4e00" <= ch <= "\u9fff" for ch in text):
            full, initials = pinyin_keys(text)
            pieces.extend((full, initials))
    return "|".join(pieces)


def normalise_query(query: str) -> str:
    return query.strip().lower().replace(" ", "")
