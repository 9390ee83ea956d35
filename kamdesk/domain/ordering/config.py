"""Tunable settings of the ordering advice, validated once."""

from __future__ import annotations

from dataclasses import dataclass, field

from kamdesk.domain.enums import AbcTier
from kamdesk.domain.ordering.errors import InvalidConfigError


def _default_service_levels() -> dict[AbcTier, float]:
    return {AbcTier.A: 0.98, AbcTier.B: 0.95, AbcTier.C: 0.90}


@dataclass(frozen=True, slots=True)
class OrderingConfig:
    service_levels: dict[AbcTier, float] = field(default_factory=_default_service_levels)
    review_days: int = 7  # order window (weekly by default)
    history_weeks: int = 78
    horizon_weeks: int = 8
    overstock_weeks: float = 6.0  # days of cover above this many weeks: overstock
    slow_mover_weeks: int = 8  # no sales for this many weeks with stock on hand: slow mover
    missed_lookback_weeks: int = 8
    missed_peer_share: float = 0.5  # share of peers that must sell a product to call it missed
    min_peers: int = 3
    holiday_plan_weeks: int = 4  # show the pre-holiday plan this many weeks ahead
    round_up_fraction: float = 0.3  # a remainder of at least this share of a pack rounds up
    holiday_prior_weight: float = 5.0  # shrinkage of learned holiday uplift towards 1
    new_product_max_accounts: int = 20  # placement suggestions per new product

    def __post_init__(self) -> None:
        for tier, level in self.service_levels.items():
            if not 0.5 <= level < 1.0:
                raise InvalidConfigError(f"service level for {tier} must be in [0.5, 1)")
        if self.review_days < 1:
            raise InvalidConfigError("review_days must be >= 1")
        if self.history_weeks < 8:
            raise InvalidConfigError("history_weeks must be >= 8")
        if self.horizon_weeks < 2:
            raise InvalidConfigError("horizon_weeks must be >= 2")
        if not 0.0 <= self.round_up_fraction <= 1.0:
            raise InvalidConfigError("round_up_fraction must be in [0, 1]")
        if not 0.0 < self.missed_peer_share <= 1.0:
            raise InvalidConfigError("missed_peer_share must be in (0, 1]")

    def service_level(self, tier: AbcTier) -> float:
        return self.service_levels.get(tier, 0.95)
