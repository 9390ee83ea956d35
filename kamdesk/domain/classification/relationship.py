"""Relationship grade A–D (set by the manager) and the visit purpose and tone each one calls for.

The job is to move accounts from D towards A; each guide says how.
"""

from __future__ import annotations

from dataclasses import dataclass

from kamdesk.domain.enums import RelationshipGrade


@dataclass(frozen=True, slots=True)
class RelationshipGuide:
    grade: RelationshipGrade
    definition_zh: str
    definition_en: str
    visit_purpose_zh: str
    visit_purpose_en: str
    tone_zh: str
    tone_en: str


RELATIONSHIP_GUIDES: dict[RelationshipGrade, RelationshipGuide] = {
    RelationshipGrade.A: RelationshipGuide(
        RelationshipGrade.A,
        "信任你，也信任你的产品",
        "Trusts you and your products",
        "巩固合作：共同规划销售目标、新品试销、联合促销，请其推荐同行",
        "Consolidate: plan targets together, trial new products, joint promotions, ask for "
        "referrals",
        "伙伴式、坦诚直接，多听经营想法",
        "Partner-like and candid; listen to their business ideas",
    ),
    RelationshipGrade.B: RelationshipGuide(
        RelationshipGrade.B,
        "信任你，但不信任你的产品",
        "Trusts you, not the products",
        "建立产品信心：讲解动销数据和成功案例，小量试销，跟进消费者反馈",
        "Build confidence in the products: show sell-through data and success stories, "
        "small trial orders, follow up consumer feedback",
        "专业、用数据说话，不强推",
        "Professional and data-driven; no hard selling",
    ),
    RelationshipGrade.C: RelationshipGuide(
        RelationshipGrade.C,
        "彼此有些了解",
        "Know each other a little",
        "加深了解：了解经营状况和需求，主动提供营销与货源信息，解决一个具体问题",
        "Get to know them: learn the business and its needs, bring marketing and supply "
        "news, solve one concrete problem",
        "热情、乐于帮忙，多问少说",
        "Warm and helpful; ask more than you tell",
    ),
    RelationshipGrade.D: RelationshipGuide(
        RelationshipGrade.D,
        "点头之交",
        "Nodding acquaintance",
        "建立联系：自我介绍、留下联系方式、登记基本信息，约定下次拜访",
        "Make contact: introduce yourself, leave your details, record the basic information, "
        "agree the next visit",
        "礼貌、简短，不占用太多时间",
        "Polite and brief; don't take much of their time",
    ),
}


def relationship_guide(grade: RelationshipGrade) -> RelationshipGuide:
    return RELATIONSHIP_GUIDES[grade]
