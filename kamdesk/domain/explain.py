"""Why a rule produced its result: bilingual text plus the numbers behind it.

Every classification, due visit, anomaly and reminder carries an :class:`Explanation` so the UI
can show "why" next to "what" (Simplified Chinese first, English second) and tests can check
the numbers rather than parse prose.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

FactValue = str | int | float | Decimal | bool | date | None
Money = Decimal | int | float

_CENT = Decimal("0.01")


def to_decimal(amount: Money) -> Decimal:
    """``amount`` as a Decimal rounded to cents (floats go through ``repr`` to avoid noise)."""
    value = amount if isinstance(amount, Decimal) else Decimal(repr(amount))
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def format_cny(amount: Money) -> str:
    """``¥123,456.00``; negatives as ``-¥1,234.50``."""
    value = to_decimal(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}¥{abs(value):,.2f}"


def format_pct(share: float, digits: int = 0) -> str:
    """0.1934 -> ``19%`` (``digits`` decimals)."""
    return f"{share * 100:.{digits}f}%"


def ordinal_en(n: int) -> str:
    """1 -> 1st, 2 -> 2nd, 11 -> 11th, 23 -> 23rd."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True, slots=True)
class Explanation:
    """Chinese and English sentences plus named facts (the numbers the sentences quote)."""

    zh: str
    en: str
    facts: tuple[tuple[str, FactValue], ...] = ()

    @classmethod
    def of(cls, zh: str, en: str, **facts: FactValue) -> Explanation:
        return cls(zh, en, tuple(facts.items()))

    def fact(self, key: str) -> FactValue:
        """The fact named ``key``; ``KeyError`` if this explanation has no such fact."""
        for name, value in self.facts:
            if name == key:
                return value
        raise KeyError(key)

    def as_dict(self) -> dict[str, FactValue]:
        return dict(self.facts)

    @staticmethod
    def join(
        parts: Iterable[Explanation], *, sep_zh: str = "；", sep_en: str = "; "
    ) -> Explanation:
        """One explanation from several (facts of later parts win on name clashes)."""
        items = list(parts)
        merged: dict[str, FactValue] = {}
        for part in items:
            merged.update(part.facts)
        return Explanation(
            sep_zh.join(p.zh for p in items),
            sep_en.join(p.en for p in items),
            tuple(merged.items()),
        )
