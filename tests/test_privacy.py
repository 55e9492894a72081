"""ID card and phone numbers are masked; ordinary numbers (years, money, counts) are not."""

from __future__ import annotations

import pytest

from bot.privacy import ID_MARK, PHONE_MARK, mask_identifiers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我的身份证号是370302199001011234", f"我的身份证号是{ID_MARK}"),
        ("身份证 37030219900101123X。", f"身份证 {ID_MARK}。"),
        ("身份证370302 1990 0101 1234", f"身份证{ID_MARK}"),
        ("老身份证370302900101123", f"老身份证{ID_MARK}"),
        ("电话13812345678", f"电话{PHONE_MARK}"),
        ("手机 138-1234-5678 谢谢", f"手机 {PHONE_MARK} 谢谢"),
        ("+86 13912345678", PHONE_MARK),
    ],
)
def test_identifiers_are_masked(text: str, expected: str) -> None:
    assert mask_identifiers(text) == (expected, True)


@pytest.mark.parametrize("text", ["2024年毕业，年薪300000元", "我们有25名技师", "第22条", "12333", "二〇二三年",
                                  "订单号 20240101"])
def test_ordinary_numbers_are_kept(text: str) -> None:
    assert mask_identifiers(text) == (text, False)
