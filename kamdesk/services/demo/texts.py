"""Chinese text fragments for demo records, in the voice of the source material."""

from __future__ import annotations

from typing import Any

import numpy as np

from kamdesk.services.demo.geography import GIVEN, SURNAMES

CONTACT_ROLES = ("店主", "老板娘", "店长", "收银员")
INTERESTS = ("钓鱼", "打牌", "喝茶", "象棋", "跳广场舞", "看球", "书法", "旅游", "养花")
FAMILY = (
    "儿子在读高中，明年高考",
    "夫妻共同经营，女儿在上海工作",
    "父母同住，老人身体不太好",
    "刚添了孙子，心情很好",
    "家里还经营一家小饭馆",
)
EVAL_COMMENTS = (
    "配合度高，主动反馈市场信息",
    "资金周转偏紧，需关注回款",
    "陈列规范，店面整洁",
    "对新品接受度较高",
    "经营思路较保守",
)
NOTES = (
    "老板希望增加高端品规的货源，已向营销部反映。",
    "店铺门头更新，陈列柜位置调整到收银台旁。",
    "节前备货意愿强，建议提前两周沟通订货量。",
    "附近新开一家便利店，客流有所分流，需关注动销。",
    "店主对价格执行有疑问，已解释明码标价要求。",
    "下游有三家小店从本店拿货，辐射能力较强。",
)
VISIT_SUMMARIES = (
    "检查库存与陈列，传达本周货源信息。",
    "了解动销情况，建议畅销品规适当增加订量。",
    "核对价格执行，未发现违规。",
    "收集消费者对新品口味的反馈。",
    "提醒节前备货，沟通先进先出消化库存。",
    "宣传品牌培育活动，张贴宣传物料。",
)
SELL_THROUGH = ("好", "较好", "一般", "较差")
CONSUMER_COMMENTS = ("口感柔和", "价格偏高", "包装好看", "劲头偏大", "回头客多", "")
_COMPLAINTS = (
    ("断货", "畅销品规连续两周断货，顾客流失", "已协调增加货源分配"),
    ("价格", "周边店铺低价销售，影响正常经营", "已反映市场监管部门并约谈相关店主"),
    ("配送", "送货时间不固定，影响营业", "已与物流中心确认固定送货时段"),
    ("质量", "个别条烟包装破损", "已办理退换"),
    ("服务", "订货电话不易接通", "已告知线上订货渠道"),
)
KNOWLEDGE = (
    (
        "如何计算客户毛利",
        "经营指导",
        "毛利=（零售价-批发价）×销量。建议每月与客户一起核算，帮助客户了解盈利结构。",
    ),
    (
        "节前备货建议",
        "订货",
        "春节、中秋前2-3周销量明显上升，应提前与客户沟通备货量，避免断货或积压。",
    ),
    ("先进先出", "库存", "库存较大的品规应先进先出，优先消化早期进货，防止包装陈旧影响销售。"),
    ("假烟识别要点", "市场", "查看包装印刷、封口、条码与防伪标识；发现可疑情况立即上报。"),
    (
        "新品上市推荐",
        "新品",
        "高价位新品优先投放烟酒店，低价位新品优先投放食杂店，忠诚客户优先试销。",
    ),
    ("客户投诉处理流程", "服务", "记录—核实—反馈—回访，24小时内给出初步答复，处理结果录入档案。"),
    ("特殊拜访", "拜访", "销量环比或同比大幅波动的客户应安排特殊拜访，了解原因并给出建议。"),
    (
        "MAN法则",
        "客户开发",
        "M有购买力、A有决策权、N有需求；三者兼备为理想客户，缺一需针对性跟进。",
    ),
)


def person_name(rng: np.random.Generator) -> str:
    return str(rng.choice(SURNAMES)) + "".join(
        str(g) for g in rng.choice(GIVEN, size=int(rng.integers(1, 3)))
    )


def checklist(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "display_ok": bool(rng.random() < 0.85),
        "price_compliant": bool(rng.random() < 0.92),
        "out_of_channel": bool(rng.random() < 0.03),
        "counterfeit": bool(rng.random() < 0.01),
    }


def feedback(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "sell_through": str(rng.choice(SELL_THROUGH)),
        "repurchase": str(rng.choice(("高", "中", "低"))),
        "consumer_comments": str(rng.choice(CONSUMER_COMMENTS)),
    }


def complaint(rng: np.random.Generator) -> tuple[str, str, str]:
    category, description, resolution = _COMPLAINTS[int(rng.integers(0, len(_COMPLAINTS)))]
    return category, description, resolution
