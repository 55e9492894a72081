"""Numbers as people write them in Chinese: 24, 二〇二四, 三十万, 两, 1.5万."""

from __future__ import annotations

import re

import cn2an

DIGIT_CHARS = "〇零一二三四五六七八九"
_DIGIT = {ch: str(i) for i, ch in enumerate("零一二三四五六七八九")}
_DIGIT["〇"] = "0"
_DIGIT["o"] = "0"
_DIGIT["O"] = "0"

CN_NUMBER = "[零〇一二两三四五六七八九十百千万]+"
NUMBER = rf"(?:\d+(?:\.\d+)?|{CN_NUMBER})"


def digit_string(text: str) -> str:
    """'二〇二四' -> '2024' (each character one digit)."""
    return "".join(_DIGIT.get(ch, ch) for ch in text)


def to_number(text: str) -> float | None:
    """'30' -> 30, '三十' -> 30, '两' -> 2, '1.5' -> 1.5; None when unreadable."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    try:
        return float(cn2an.cn2an(text.replace("两", "二"), "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def as_int_string(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
