"""Estimated monthly gross margin from the engine's sell-through."""

from __future__ import annotations

import pytest

from kamdesk.services.advice import AdviceService, EngineRun
from kamdesk.services.advice_load import AdviceError
from kamdesk.services.profitability import ProfitabilityService


def test_account_margin_is_the_sum_over_products(
    read_service: AdviceService, template_run: EngineRun
) -> None:
    service = ProfitabilityService(read_service)
    acc = max(template_run.territory.accounts, key=lambda a: a.margin.monthly_margin)
    summary = service.monthly_margin(acc.account_id)
    assert summary.account_id == acc.account_id
    assert summary.monthly_margin_fen == round(acc.margin.monthly_margin * 100)
    assert summary.monthly_margin_fen > 0
    assert sum(p.monthly_margin_fen for p in summary.products) == pytest.approx(
        summary.monthly_margin_fen, abs=len(summary.products)
    )
    for p in summary.products:  # margin = (retail - wholesale) x units
        label = template_run.products[p.product_id]
        assert p.unit_margin_fen == label.retail_fen - label.wholesale_fen
        assert p.monthly_margin_fen == pytest.approx(p.unit_margin_fen * p.monthly_units, abs=1)
    assert 0 < summary.margin_rate < 1
    assert [a.account_id for a in summary.accounts] == [acc.account_id]


def test_territory_margin_adds_up(read_service: AdviceService) -> None:
    summary = ProfitabilityService(read_service).monthly_margin(None)
    assert summary.account_id is None
    assert len(summary.accounts) > 250
    assert summary.monthly_margin_fen == sum(a.monthly_margin_fen for a in summary.accounts)
    assert sum(p.monthly_margin_fen for p in summary.products) == pytest.approx(
        summary.monthly_margin_fen, rel=1e-4
    )
    margins = [a.monthly_margin_fen for a in summary.accounts]
    assert margins == sorted(margins, reverse=True)


def test_account_without_history_is_reported(read_service: AdviceService) -> None:
    with pytest.raises(AdviceError) as info:
        ProfitabilityService(read_service).monthly_margin("no-such-account")
    assert info.value.code == "advice.no_margin"
