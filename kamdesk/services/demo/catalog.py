"""The demo product catalogue: ~60 products in 5 price tiers with real-looking brands.

Prices are per carton (条) for cigarettes and per bottle for liquor, in fen; tier 1 is the most
expensive. Names follow the market's "brand(specification)" style.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DemoProduct:
    code: str
    name: str
    brand: str
    manufacturer: str
    category: str
    price_tier: int
    wholesale_fen: int
    retail_fen: int
    unit_name: str
    pack_unit: str
    pack_size: int
    popularity: float  # relative weekly demand in a typical shop carrying it
    is_new: bool = False


# brand, manufacturer, [(specification, tier, wholesale yuan per carton, popularity)]
_CIGARETTES: tuple[tuple[str, str, tuple[tuple[str, int, int, float], ...]], ...] = (
    ("中华", "上海烟草集团", (("硬", 1, 450, 2.0), ("软", 1, 650, 0.8), ("双中支", 1, 420, 1.0))),
    (
        "黄山",
        "安徽中烟",
        (
            ("红方印", 2, 230, 2.5),
            ("硬天都", 1, 320, 1.0),
            ("新一品", 3, 145, 3.5),
            ("红皖烟", 4, 78, 3.0),
            ("小红方印", 3, 110, 2.0),
            ("徽商新概念", 2, 210, 1.2),
        ),
    ),
    ("芙蓉王", "湖南中烟", (("硬", 2, 230, 2.2), ("硬细支", 2, 250, 0.9), ("钻石", 1, 340, 0.5))),
    ("利群", "浙江中烟", (("新版", 3, 140, 2.0), ("休闲", 2, 220, 0.8), ("阳光", 3, 170, 0.9))),
    ("南京", "江苏中烟", (("红", 3, 118, 2.2), ("炫赫门", 3, 160, 1.8), ("雨花石", 1, 480, 0.4))),
    ("玉溪", "红塔集团", (("软", 2, 210, 1.8), ("硬", 3, 190, 1.0), ("初心", 2, 240, 0.6))),
    (
        "云烟",
        "红云红河集团",
        (("紫", 3, 125, 1.5), ("细支云龙", 2, 260, 0.5), ("软珍品", 2, 220, 0.7)),
    ),
    ("红塔山", "红塔集团", (("硬经典", 4, 80, 1.8), ("软经典", 4, 70, 1.0))),
    ("白沙", "湖南中烟", (("硬精品", 4, 85, 1.2), ("和天下", 1, 850, 0.2))),
    (
        "黄鹤楼",
        "湖北中烟",
        (("软蓝", 2, 200, 1.0), ("1916", 1, 900, 0.2), ("硬峡谷柔情", 3, 170, 0.6)),
    ),
    ("七匹狼", "福建中烟", (("红", 3, 120, 0.8), ("白", 4, 90, 0.6))),
    ("泰山", "山东中烟", (("红将军", 4, 85, 1.0), ("望岳", 3, 150, 0.5))),
    ("双喜", "广东中烟", (("硬经典", 4, 75, 0.8), ("红双喜", 5, 45, 1.5))),
    ("红河", "红云红河集团", (("软甲", 5, 40, 1.8), ("硬", 5, 48, 1.2))),
    ("红金龙", "湖北中烟", (("硬神州腾龙", 4, 95, 0.6),)),
    ("长白山", "吉林烟草", (("777", 3, 135, 0.6),)),
    ("娇子", "川渝中烟", (("宽窄好运", 3, 150, 0.5), ("X", 4, 95, 0.5))),
    ("钻石", "河北中烟", (("硬红", 5, 42, 1.0),)),
    ("大前门", "上海烟草集团", (("短支", 5, 38, 1.2),)),
    ("苏烟", "江苏中烟", (("五星红杉树", 1, 520, 0.4),)),
    ("真龙", "广西中烟", (("起源", 3, 130, 0.5), ("娇子", 2, 220, 0.2))),
)

_LIQUOR: tuple[tuple[str, str, str, int, int, float], ...] = (
    ("古井贡酒", "年份原浆·古5", "安徽古井集团", 3, 120, 0.8),
    ("古井贡酒", "年份原浆·古8", "安徽古井集团", 2, 260, 0.5),
    ("口子窖", "五年型", "安徽口子酒业", 3, 110, 0.6),
    ("迎驾贡酒", "生态洞藏6", "安徽迎驾贡酒", 2, 200, 0.4),
    ("金种子", "馥合香", "安徽金种子酒业", 4, 60, 0.5),
    ("洋河", "海之蓝", "江苏洋河酒厂", 3, 115, 0.9),
    ("牛栏山", "陈酿", "北京顺鑫农业", 5, 15, 2.0),
    ("红星", "二锅头", "北京红星", 5, 18, 1.5),
)

NEW_PRODUCT_CODES = frozenset({"6901028000019", "6901028000149"})


def demo_products() -> list[DemoProduct]:
    products: list[DemoProduct] = []
    serial = 0
    for brand, maker, specs in _CIGARETTES:
        for spec, tier, wholesale_yuan, popularity in specs:
            serial += 1
            code = f"69010280{serial:05d}"
            retail = round(wholesale_yuan * 1.1 / 5) * 5  # retail about 10 % above, round ¥5
            products.append(
                DemoProduct(
                    code=code,
                    name=f"{brand}({spec})",
                    brand=brand,
                    manufacturer=maker,
                    category="cigarette",
                    price_tier=tier,
                    wholesale_fen=wholesale_yuan * 100,
                    retail_fen=retail * 100,
                    unit_name="条",
                    pack_unit="件",
                    pack_size=50,
                    popularity=popularity,
                    is_new=code in NEW_PRODUCT_CODES,
                )
            )
    for index, (brand, spec, maker, tier, wholesale_yuan, popularity) in enumerate(_LIQUOR):
        products.append(
            DemoProduct(
                code=f"69120000{index + 1:05d}",
                name=f"{brand}·{spec}",
                brand=brand,
                manufacturer=maker,
                category="liquor",
                price_tier=tier,
                wholesale_fen=wholesale_yuan * 100,
                retail_fen=round(wholesale_yuan * 1.25) * 100,
                unit_name="瓶",
                pack_unit="箱",
                pack_size=6,
                popularity=popularity,
            )
        )
    return products
