"""Text normalisation applied before anything else reads a message.

Traditional characters become simplified (OpenCC t2s) and full-width ASCII
(１２３，ＡＢＣ) becomes half-width; a few common same-length typos of policy words are
mended (补帖 -> 补贴, 申清 -> 申请, 技帅 -> 技师,
毕叶 -> 毕业, 学效 -> 学校, 提生 -> 提升, and homophones of place and programme names:
张点 -> 张店, 临辎 / 林淄 -> 临淄, 恒台 -> 桓台, 高清 -> 高青 (only as a place: 高清县,
在高清的合作社; not 高清视频), 技市 -> 技师 (not in 科技市场), 技狮 -> 技师, 技工院效 -> 技工院校,
全日至 -> 全日制, 金兰领 -> 金蓝领). The length of the text never changes, so
entity offsets computed on the normalised text are offsets in the original.
"""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

_FULL_WIDTH_START = 0xFF01
_FULL_WIDTH_END = 0xFF5E
_FULL_TO_HALF = {code: code - 0xFEE0 for code in range(_FULL_WIDTH_START, _FULL_WIDTH_END + 1)}
_FULL_TO_HALF[0x3000] = 0x20  # ideographic space
# "〇" stays: it is a Chinese numeral, read by the date resolver.

# Typos people make in policy words (same length, so offsets stay valid).
_TYPOS = {
    "补帖": "补贴",
    "申清": "申请",
    "申亲": "申请",
    "技帅": "技师",
    "毕叶": "毕业",
    "学效": "学校",
    "提生": "提升",
    # Homophones / look-alikes typed for Zibo's districts and policy words.
    "张点": "张店",
    "临辎": "临淄",
    "临缁": "临淄",
    "淄穿": "淄川",
    "林淄": "临淄",
    "恒台": "桓台",
    "技狮": "技师",
    "技工院效": "技工院校",
    "全日至": "全日制",
    "金兰领": "金蓝领",
}


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    converted: str = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase conversion changed the length; convert character by character so
    # offsets still line up.
    return "".join(
        c if len(c) == 1 else ch
        for ch, c in ((ch, _converter().convert(ch)) for ch in text)
    )


# Typos that are only unambiguous in context: "技市" is 技师 ("有个技市证"), but not in
# "科技市场".
# "高清" (high definition) is a word; it is 高青 (the county) only before 县 or a workplace, or
# after a place verb ("在高清的合作社", "去高清").
_CONTEXT_TYPOS = (
    (re.compile(r"(?<!科)技市(?!场|区|民|里|政)"), "技师"),
    (re.compile(r"高清(?=县|的?(?:合作社|家庭农场|农场|企业|公司|工厂|厂|单位|上班|工作|打工|干活))"
                r"|(?<=[在到去回])高清(?=的|区|[\s，,。]|$)"), "高青"),
)


def normalise_text(text: str) -> str:
    """Simplified characters, half-width ASCII; same length as `text`."""
    if not text:
        return text
    text = to_simplified(text.translate(_FULL_TO_HALF))
    for wrong, right in _TYPOS.items():
        if wrong in text:
            text = text.replace(wrong, right)
    for pattern, right in _CONTEXT_TYPOS:
        text = pattern.sub(right, text)
    return text
