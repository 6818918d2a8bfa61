"""Fictional Chinese names, place names and resident ID numbers for the demo generator.

Everything here is driven by a `random.Random` the caller owns, so a seed reproduces the same
people. ID numbers follow GB 11643 (region, birth date, sequence, check digit) with sequence
numbers from a fixed block (500–899) the generator hands out in order, never real people's.
"""

import datetime as dt
import random
from bisect import bisect
from itertools import accumulate

from ruraledu.core.idnumbers import check_character

# Common surnames with rough weights (per mille), tilted towards Shandong.
_SURNAMES = (
    "王72 李70 张70 刘56 孙30 赵26 陈24 杨22 高20 马18 于17 徐16 孟14 吴13 周13 郭12 朱12 "
    "胡10 宋10 韩10 田9 董9 崔9 曹8 许8 何8 林8 郑8 冯8 姜8 范7 袁7 贾7 魏7 吕7 丁7 任6 "
    "石6 侯6 邵6 谢6 唐6 毕6 翟5 蒲5 耿5 房5 薛5 苏5 程5 黄5 颜4 梁4 潘4 路4 尹4 段4 秦4 "
    "白4 史4 杜4 邢4 蒋4 沈4 邱3 牛3 葛3 鲁3 岳3 焦3 常3 申3 安3 孔3 卢3 毛3 聂3 夏3"
)
SURNAMES = [item[0] for item in _SURNAMES.split()]
_SURNAME_CUMULATIVE = list(accumulate(int(item[1:]) for item in _SURNAMES.split()))

MALE_CHARS = (
    "伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林博文子轩然睿泽宸航晨昊"
    "铭嘉瑞豪卓诚峰志建国海成东新庆永光振德家安兴亮春清"
)
FEMALE_CHARS = (
    "芳娜敏静丽艳娟霞燕玲秀英慧颖雪琳婷倩萍红梅丹欣怡佳雨涵萱梓诗语可思悦彤馨琪晴妍若溪"
    "璐月晗瑶宁一蕾薇菲婉淑洁素兰凤云青文"
)

# Parts for fictional village and town names; every generated place also carries 示例.
PLACE_FIRST = "东西南北上下前后大小石杨柳李王张马刘高白黄青红杏桃枣梨河山岭泉沟峪庄松槐桑柏"
PLACE_SECOND = "庄村店营峪岭洼沟坡台泉河屯坊寨湖园峪口家旺峰湾桥"
TOWN_FIRST = "青石凤鹿杏桃松柏云霞金银龙虎泉溪南北东西双三太平安宁兴福长永"
TOWN_SECOND = "山河岭泉峪阳口城塘庄源湖桥坪台林亭川"
KINDERGARTEN_BRANDS = ("童心", "小太阳", "贝贝", "启明星", "金色摇篮", "七彩", "蓝天", "春苗")
CHINESE_NUMERALS = "零一二三四五六七八九十"

# ID sequence block reserved for generated people (male odd, female even).
SEQUENCE_START = 500
SEQUENCE_END = 899


def chinese_numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (enough for school numbering)."""
    if n <= 10:
        return CHINESE_NUMERALS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CHINESE_NUMERALS[tens]
    return f"{head}十{CHINESE_NUMERALS[ones] if ones else ''}"


def person_name(rng: random.Random, sex: str) -> str:
    """A plausible name: a weighted surname and one or two given-name characters."""
    surname = SURNAMES[bisect(_SURNAME_CUMULATIVE, rng.random() * _SURNAME_CUMULATIVE[-1])]
    chars = MALE_CHARS if sex == "1" else FEMALE_CHARS
    if rng.random() < 0.3:
        return surname + rng.choice(chars)
    return surname + rng.choice(chars) + rng.choice(chars)


def place_name(rng: random.Random, taken: set[str]) -> str:
    """A two-character place stem not in `taken` (the caller adds 村/社区 and 示例)."""
    while True:
        stem = rng.choice(PLACE_FIRST) + rng.choice(PLACE_SECOND)
        if stem not in taken:
            taken.add(stem)
            return stem


def town_stem(rng: random.Random, taken: set[str]) -> str:
    while True:
        stem = rng.choice(TOWN_FIRST) + rng.choice(TOWN_SECOND)
        if stem not in taken:
            taken.add(stem)
            return stem


class IdNumbers:
    """Hands out unique resident ID numbers for one region prefix, in a deterministic order."""

    def __init__(self, prefix: str):
        if len(prefix) != 6 or not prefix.isdigit():
            raise ValueError(f"区划代码须为 6 位数字：{prefix}")
        self.prefix = prefix
        self._next: dict[tuple[dt.date, str], int] = {}

    def issue(self, birth: dt.date, sex: str) -> str:
        key = (birth, sex)
        seq = self._next.get(key)
        if seq is None:
            seq = SEQUENCE_START + (1 if sex == "1" else 0)
        if seq > SEQUENCE_END:
            raise ValueError(f"{self.prefix} {birth} 的示例身份证顺序码已用完。")
        self._next[key] = seq + 2
        body = f"{self.prefix}{birth:%Y%m%d}{seq:03d}"
        return body + check_character(body)
