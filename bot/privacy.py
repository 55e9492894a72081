"""Masking personal identifiers before a message reaches the tracker store or the logs.

The assistant never asks for names, ID numbers or phone numbers; when a user sends an ID card
number or a phone number anyway, it is replaced by a marker before Rasa sees the text.
"""

from __future__ import annotations

import re

ID_MARK = "[身份证号已隐藏]"
PHONE_MARK = "[手机号已隐藏]"
MARKS = (ID_MARK, PHONE_MARK)

# 18-digit resident ID (17 digits and a check digit or X), also the old 15-digit form; spaces or
# hyphens people type between groups are allowed. Not part of a longer digit run.
_ID = re.compile(r"(?<![0-9])(?:[1-9]\d{5}[\s-]?(?:19|20)\d{2}[\s-]?\d{2}\d{2}[\s-]?\d{3}[0-9Xx]"
                 r"|[1-9]\d{14})(?![0-9A-Za-z])")
# Mainland mobile numbers, with an optional +86 / 0086 prefix and separators (138-1234-5678).
_PHONE = re.compile(r"(?<![0-9])(?:(?:\+|00)86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?![0-9])")


def mask_identifiers(text: str) -> tuple[str, bool]:
    """The text with ID card and phone numbers replaced, and whether anything was replaced."""
    masked = _ID.sub(ID_MARK, text)
    masked = _PHONE.sub(PHONE_MARK, masked)
    return masked, masked != text


def contains_mask(text: str) -> bool:
    return any(mark in text for mark in MARKS)
