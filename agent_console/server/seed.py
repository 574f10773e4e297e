"""Deterministic synthetic data at any size: the same seed gives the same database.

Benchmarks need a centre's worth of data (1,000,000 callers, 100,000 listings,
50,000 articles); the demo data is loaded first so agents can sign in.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any, TextIO

from agent_console.server.demo import load_demo
from agent_console.server.storage import open_storage

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强海燕玉兰红梅晓"
    "雨思远子涵浩然宇轩欣怡雅琴丽娟文博嘉怡俊杰佳琪梦瑶天佑其格巴特尔乌兰托娅"
)
EN_FIRST = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Susan",
    "Richard",
    "Jessica",
    "Thomas",
    "Sarah",
    "Daniel",
    "Karen",
    "Anna",
    "Peter",
    "Olga",
    "Hiroshi",
    "Yuki",
    "Ahmed",
    "Fatima",
]
EN_LAST = [
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Miller",
    "Wilson",
    "Moore",
    "Anderson",
    "Thomas",
    "Jackson",
    "White",
    "Harris",
    "Martin",
    "Garcia",
    "Clark",
    "Lewis",
    "Walker",
    "Hall",
    "Young",
    "King",
    "Ivanova",
    "Tanaka",
    "Sato",
    "Hassan",
    "Ali",
]
DISTRICTS = ["新城区", "回民区", "玉泉区", "赛罕区", "金川开发区", "如意开发区", "土默特左旗"]
STREETS = [
    "新华大街",
    "中山路",
    "锡林郭勒南路",
    "大学西街",
    "大学东街",
    "昭乌达路",
    "成吉思汗大街",
    "兴安南路",
    "南二环路",
    "鄂尔多斯大街",
    "海拉尔东街",
    "呼伦贝尔南路",
    "巴彦淖尔北路",
    "乌兰察布西街",
    "丰州路",
    "通道南街",
    "文化宫街",
    "公园东路",
    "石羊桥路",
    "展东路",
]
COMPOUND_A = [
    "如意",
    "阳光",
    "幸福",
    "和谐",
    "金桥",
    "青城",
    "满都海",
    "富丽",
    "万达",
    "恒大",
    "东河",
    "西河",
    "南湖",
    "北垣",
    "丁香",
    "海东",
    "锦绣",
    "名都",
    "康居",
    "望园",
    "凯元",
    "民族",
    "团结",
    "振华",
    "新兴",
    "银河",
    "紫薇",
    "春华",
    "秋实",
    "草原",
]
COMPOUND_B = ["小区", "花园", "家园", "新村", "佳苑", "雅居", "公寓", "府", "嘉园", "名苑"]
ORG_CORE = [
    "人民",
    "第一",
    "第二",
    "第三",
    "中心",
    "民族",
    "市立",
    "新华",
    "青城",
    "草原",
    "北方",
    "内蒙古",
    "呼和浩特",
    "塞北",
    "光明",
    "康乐",
    "和平",
    "胜利",
    "东方",
    "金山",
]
ORG_KIND = [
    ("医院", "医院", ["总机", "急诊科", "挂号处", "住院部"]),
    ("中学", "学校", ["总机", "招生办公室", "教务处"]),
    ("小学", "学校", ["总机", "教务处"]),
    ("大学", "学校", ["招生办公室", "总机", "学生处", "后勤"]),
    ("银行支行", "银行", ["营业部", "客服"]),
    ("超市", "商场超市", ["总台", "客服"]),
    ("大酒店", "酒店", ["前台", "订餐"]),
    ("饭店", "餐饮", ["订餐"]),
    ("物流公司", "快递物流", ["客服", "派送站"]),
    ("派出所", "公安消防", ["值班室", "户籍室"]),
    ("社区服务中心", "社区服务", ["值班室"]),
    ("有限公司", "企业", ["总机", "销售部", "人事部"]),
]
KB_TOPICS_ZH = [
    ("暖气不热", ["不热", "暖气"], "暖气不热时，先确认阀门是否全开，再检查暖气片是否需要排气。"),
    ("暖气漏水", ["漏水", "跑水"], "发现跑水请先关闭户内阀门，然后关闭楼道阀门，并立即派人上门。"),
    ("交费方式", ["交费", "缴费"], "可在缴费大厅、银行网点或微信公众号交纳供热费。"),
    ("宽带故障", ["宽带", "故障"], "请先重启光猫和路由器，观察指示灯，再报障。"),
    ("移机办理", ["移机", "固话"], "移机需携带身份证原件到营业厅办理，收取移机费。"),
    ("短信服务", ["短信"], "发送指定指令到热线号码即可查询或办理业务。"),
]
KB_TOPICS_EN = [
    (
        "Radiator not warm",
        ["heating"],
        "Check that the valves are fully open, then bleed the radiator.",
    ),
    (
        "Water leak",
        ["leak"],
        "Close the flat's valve first, then the stairwell valve; staff are sent at once.",
    ),
    ("Paying the bill", ["payment"], "Pay at a payment hall, a bank branch, or by WeChat."),
    (
        "Broadband fault",
        ["broadband"],
        "Restart the optical modem and router, check the lights, then report.",
    ),
    ("Moving a line", ["move"], "Bring your ID card to a business hall; a moving fee applies."),
]


def _permute(i: int, modulus: int, step: int = 7919) -> int:
    """A bijection on range(modulus) for moduli coprime with `step`: unique numbers."""
    return (i * step + 12345) % modulus


def gen_compounds(rng: random.Random) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for a in COMPOUND_A:
        for b in COMPOUND_B:
            out.append(
                {
                    "name": f"{a}{b}",
                    "district": rng.choice(DISTRICTS),
                    "served": rng.random() < 0.85,
                    "station": "",
                }
            )
    return out


def gen_callers(n: int, rng: random.Random, compound_names: list[str]) -> Iterator[dict[str, Any]]:
    mobile_prefixes = [
        "139",
        "138",
        "137",
        "136",
        "135",
        "150",
        "151",
        "152",
        "158",
        "159",
        "130",
        "131",
        "132",
        "155",
        "156",
        "186",
        "180",
        "181",
        "189",
        "133",
    ]
    for i in range(n):
        english = rng.random() < 0.08
        if english:
            name = f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"
        else:
            given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
            name = rng.choice(SURNAMES) + given
        if rng.random() < 0.85:
            phone = mobile_prefixes[i % len(mobile_prefixes)] + f"{_permute(i, 10**8):08d}"
        else:
            phone = f"0471-{2_000_000 + _permute(i, 8 * 10**6, 7877):07d}"
        compound = rng.choice(compound_names) if rng.random() < 0.9 else ""
        district, street = rng.choice(DISTRICTS), rng.choice(STREETS)
        building, unit = rng.randint(1, 30), rng.randint(1, 6)
        room = f"{building}号楼{unit}单元{rng.randint(1, 28)}0{rng.randint(1, 4)}"
        yield {
            "name": name,
            "phone": phone,
            "account_no": f"47{_permute(i, 10**8, 104729):08d}",
            "address": f"{district}{street}{compound}{room}",
            "compound": compound,
            "language": "en" if english else "zh",
            "id_number": ""
            if english
            else f"150102{rng.randint(1950, 2005)}"
            f"{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            f"{rng.randint(0, 9999):04d}",
            "account_status": rng.choices(["active", "arrears", "suspended"], [90, 8, 2])[0],
            "customer_since": f"{rng.randint(2005, 2026)}-{rng.randint(1, 12):02d}-01",
            "notes": "",
        }


def gen_listings(n: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    for i in range(n):
        kind, category, departments = rng.choice(ORG_KIND)
        name = f"{rng.choice(DISTRICTS) if rng.random() < 0.5 else ''}{rng.choice(ORG_CORE)}{kind}"
        if i % 7 == 0:
            name = f"{name}{rng.choice(STREETS)}分部"
        yield {
            "name": name,
            "name_en": "",
            "number": f"0471-{2_000_000 + _permute(i, 8 * 10**6, 7877):07d}",
            "address": f"{rng.choice(DISTRICTS)}{rng.choice(STREETS)}{rng.randint(1, 300)}号",
            "department": rng.choice(departments),
            "category": category,
        }


def gen_articles(n: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    for i in range(n):
        if rng.random() < 0.6:
            title, tags, text = rng.choice(KB_TOPICS_ZH)
            body = "\n\n".join(
                [f"## {title}（第{i}版）", text]
                + [rng.choice(KB_TOPICS_ZH)[2] for _ in range(rng.randint(2, 6))]
            )
            lang = "zh"
        else:
            title, tags, text = rng.choice(KB_TOPICS_EN)
            body = "\n\n".join(
                [f"## {title} (revision {i})", text]
                + [rng.choice(KB_TOPICS_EN)[2] for _ in range(rng.randint(2, 6))]
            )
            lang = "en"
        yield {
            "slug": f"synthetic-{i}",
            "title": f"{title} #{i}",
            "language": lang,
            "hotline": rng.choice(["961655", "10000", "114", "all"]),
            "tags": tags,
            "short_answer": text,
            "body": body,
            "updated_at": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}T09:00:00Z",
            "updated_by": "seed",
        }


def _progress(
    stream: TextIO | None, label: str, rows: Iterator[dict[str, Any]], n: int
) -> Iterator[dict[str, Any]]:
    step = max(n // 10, 1)
    for i, row in enumerate(rows, start=1):
        if stream is not None and (i % step == 0 or i == n):
            print(f"  {label}: {i:,}/{n:,}", file=stream, flush=True)
        yield row


def seed_database(
    db: str,
    *,
    callers: int = 0,
    directory: int = 0,
    articles: int = 0,
    seed: int = 114,
    progress: TextIO | None = None,
) -> dict[str, int]:
    storage = open_storage(db)
    try:
        if storage.is_empty():
            load_demo(storage)
        rng = random.Random(seed)
        extra = gen_compounds(rng)
        known = {r["name"] for r in storage.list_compounds()}
        storage.bulk_load("compounds", [c for c in extra if c["name"] not in known])
        names = [c["name"] for c in extra]
        if callers:
            storage.bulk_load(
                "callers", _progress(progress, "callers", gen_callers(callers, rng, names), callers)
            )
        if directory:
            storage.bulk_load(
                "directory",
                _progress(progress, "directory", gen_listings(directory, rng), directory),
            )
        if articles:
            storage.bulk_load(
                "articles", _progress(progress, "articles", gen_articles(articles, rng), articles)
            )
        storage.optimize()
        return storage.counts()
    finally:
        storage.close()
