from __future__ import annotations

import itertools

import pytest

from kamdesk.domain.classification import (
    RELATIONSHIP_GUIDES,
    ManAction,
    qualify_prospect,
    relationship_guide,
)
from kamdesk.domain.enums import RelationshipGrade

ALL = list(itertools.product([True, False], repeat=3))


@pytest.mark.parametrize(("money", "authority", "need"), ALL)
def test_every_combination_has_a_specific_bilingual_step(
    money: bool, authority: bool, need: bool
) -> None:
    verdict = qualify_prospect(money=money, authority=authority, need=need)
    assert verdict.code == ("M" if money else "m") + ("A" if authority else "a") + (
        "N" if need else "n"
    )
    assert verdict.explanation.zh.startswith(verdict.code + "：")
    assert verdict.explanation.en.startswith(verdict.code + ": ")
    assert verdict.explanation.fact("money") is money
    assert verdict.pursue is (verdict.action is not ManAction.STOP)


def test_all_eight_are_distinct_and_ordered() -> None:
    verdicts = [qualify_prospect(money=m, authority=a, need=n) for m, a, n in ALL]
    assert len({v.action for v in verdicts}) == 8
    assert sorted(v.priority for v in verdicts) == list(range(1, 9))


@pytest.mark.parametrize(
    ("combo", "action"),
    [
        ((True, True, True), ManAction.CLOSE),
        ((True, False, True), ManAction.FIND_DECISION_MAKER),
        ((False, True, True), ManAction.CHECK_CREDIT),
        ((True, True, False), ManAction.NURTURE),
        ((False, False, False), ManAction.STOP),
    ],
)
def test_named_steps(combo: tuple[bool, bool, bool], action: ManAction) -> None:
    m, a, n = combo
    assert qualify_prospect(money=m, authority=a, need=n).action is action


def test_stop_and_close_texts() -> None:
    assert "停止" in qualify_prospect(money=False, authority=False, need=False).explanation.zh
    assert (
        "decision maker" in qualify_prospect(money=True, authority=False, need=True).explanation.en
    )


def test_relationship_guides_cover_a_to_d() -> None:
    assert set(RELATIONSHIP_GUIDES) == set(RelationshipGrade)
    assert relationship_guide(RelationshipGrade.A).definition_zh == "信任你，也信任你的产品"
    assert relationship_guide(RelationshipGrade.B).definition_en == "Trusts you, not the products"
    assert relationship_guide(RelationshipGrade.D).definition_zh == "点头之交"
    for guide in RELATIONSHIP_GUIDES.values():
        assert all((guide.visit_purpose_zh, guide.visit_purpose_en, guide.tone_zh, guide.tone_en))
