"""MAN qualification of prospects: Money, Authority, Need → the next step for each combination.

Upper case means yes, lower case no ("MAN" ideal, "man" stop).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kamdesk.domain.explain import Explanation


class ManAction(StrEnum):
    CLOSE = "close"
    FIND_DECISION_MAKER = "find_decision_maker"
    CHECK_CREDIT = "check_credit"
    NURTURE = "nurture"
    FIND_DECISION_MAKER_AND_CHECK_CREDIT = "find_decision_maker_and_check_credit"
    LOW_PRIORITY_NURTURE = "low_priority_nurture"
    MONITOR = "monitor"
    STOP = "stop"


@dataclass(frozen=True, slots=True)
class ManVerdict:
    code: str  # e.g. "MaN"
    action: ManAction
    priority: int  # 1 = pursue first ... 8 = stop
    pursue: bool
    explanation: Explanation


# (money, authority, need) -> (action, priority, next step zh, next step en)
_TABLE: dict[tuple[bool, bool, bool], tuple[ManAction, int, str, str]] = {
    (True, True, True): (
        ManAction.CLOSE,
        1,
        "理想客户：有钱、能做主、有需求，尽快促成签约",
        "Ideal prospect (can pay, decides, needs it): close the deal",
    ),
    (True, False, True): (
        ManAction.FIND_DECISION_MAKER,
        2,
        "有钱有需求，但联系人不能做主：找到真正的决策者",
        "Can pay and needs it, but the contact cannot decide: find the decision maker",
    ),
    (False, True, True): (
        ManAction.CHECK_CREDIT,
        3,
        "能做主且有需求，但资金不足：核查信用，商议付款条件",
        "Decides and needs it but money is short: check credit and agree payment terms",
    ),
    (True, True, False): (
        ManAction.NURTURE,
        4,
        "有钱能做主，但暂无需求：持续培育，介绍产品、创造需求",
        "Can pay and decides but has no need yet: nurture, show products, create the need",
    ),
    (False, False, True): (
        ManAction.FIND_DECISION_MAKER_AND_CHECK_CREDIT,
        5,
        "有需求，但无钱也不能做主：先找到决策者，再核查资信",
        "Needs it but neither pays nor decides: find the decision maker, then check credit",
    ),
    (True, False, False): (
        ManAction.LOW_PRIORITY_NURTURE,
        6,
        "只有资金：低优先级培育，顺带了解决策人",
        "Only money: nurture at low priority and learn who decides",
    ),
    (False, True, False): (
        ManAction.MONITOR,
        7,
        "只有决定权：保持联系，关注其资金和需求变化",
        "Only authority: keep in touch and watch for money or need to appear",
    ),
    (False, False, False): (
        ManAction.STOP,
        8,
        "无钱、无权、无需求：停止跟进",
        "No money, authority or need: stop pursuing",
    ),
}


def man_code(money: bool, authority: bool, need: bool) -> str:
    return ("M" if money else "m") + ("A" if authority else "a") + ("N" if need else "n")


def qualify_prospect(*, money: bool, authority: bool, need: bool) -> ManVerdict:
    action, priority, zh, en = _TABLE[(money, authority, need)]
    code = man_code(money, authority, need)
    explanation = Explanation.of(
        f"{code}：{zh}",
        f"{code}: {en}",
        money=money,
        authority=authority,
        need=need,
        action=action.value,
    )
    return ManVerdict(code, action, priority, action is not ManAction.STOP, explanation)
