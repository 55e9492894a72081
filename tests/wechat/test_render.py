"""The bot's messages as WeChat text: plain, numbered, and never over 2048 bytes."""

from __future__ import annotations

from typing import Any

from bot.channels.wechat.render import (
    CONTINUE_HINT,
    MORE_HINT,
    REPLY_LIMIT_BYTES,
    eligibility_brief,
    plain,
    render,
    utf8_len,
)

RESULT: dict[str, Any] = {
    "type": "eligibility_result",
    "as_of": "2026-11-25",
    "measures": [
        {"article": 4, "measure": "graduate_living_allowance", "title": "技工院校毕业生生活补贴", "status": "applies",
         "beneficiary": "本人", "amount": {"total_yuan": 30000, "text": "500元/月×60个月=30000元"},
         "missing": [], "reason": "高级工班毕业、在淄全职就业"},
        {"article": 9, "measure": "skill_upgrade_subsidy", "title": "技能提升补贴", "status": "may_apply",
         "beneficiary": "本人", "amount": None, "missing": ["证书取得时间"], "reason": ""},
        {"article": 12, "measure": "master_studio", "title": "技能大师工作室", "status": "undecided",
         "beneficiary": "单位", "amount": None, "missing": ["是否为市级大师"], "reason": ""},
        {"article": 20, "measure": "housing", "title": "人才公寓", "status": "not_applicable",
         "beneficiary": "本人", "amount": None, "missing": [], "reason": "不是高技能领军人才"},
    ],
    "total_yuan": 30000,
}

LONG_EXPLANATION = "\n".join(
    f"第{n}条：根据您提供的情况，本条措施的条件是这样规定的，您目前{'符合' if n % 2 else '还不确定是否符合'}。"
    "具体由市人力资源社会保障局会同财政局负责办理，请携带身份证、毕业证书和职业资格证书前往窗口申请。"
    for n in range(1, 27)
)


def test_a_short_answer_is_sent_as_the_bot_wrote_it_without_markdown() -> None:
    rendered = render([{"text": "**您好！**我是技能兴淄 政策咨询助手。\n\n## 可以问什么\n- 补贴\n- 奖励"}])

    assert rendered.reply == "您好！我是技能兴淄 政策咨询助手。\n\n可以问什么\n• 补贴\n• 奖励"
    assert rendered.pages == [] and rendered.options == []


def test_buttons_become_numbered_options_remembered_in_order() -> None:
    rendered = render([{
        "text": "您持有哪一级职业技能证书？",
        "buttons": [
            {"title": "高级工", "payload": '/inform{"certificate_level":"senior"}'},
            {"title": "技师", "payload": '/inform{"certificate_level":"technician"}'},
            {"title": "高级技师", "payload": '/inform{"certificate_level":"senior_technician"}'},
        ],
    }])

    assert rendered.reply == "您持有哪一级职业技能证书？\n1. 高级工\n2. 技师\n3. 高级技师\n\n回复1/2/3选择"
    assert rendered.options == [
        '/inform{"certificate_level":"senior"}',
        '/inform{"certificate_level":"technician"}',
        '/inform{"certificate_level":"senior_technician"}',
    ]


def test_the_eligibility_brief_puts_what_applies_and_its_amount_first() -> None:
    brief = eligibility_brief(RESULT)

    lines = brief.splitlines()
    assert lines[0] == "测算结果（截至2026-11-25）："
    assert lines[1] == "• 第4条 技工院校毕业生生活补贴：500元/月×60个月=30000元，发给本人"
    assert lines[2].startswith("• 第9条 技能提升补贴") and "还需确认：证书取得时间" in lines[2]
    assert "合计：30000元" in lines
    assert "另有1项措施还需要更多信息才能判断。" in lines
    assert "人才公寓" not in brief  # what does not apply is in the details


def test_an_over_long_answer_keeps_the_result_and_the_question_and_pages_the_rest() -> None:
    messages: list[dict[str, Any]] = [
        {"text": LONG_EXPLANATION, "custom": RESULT},
        {"text": "您是哪一年毕业的？",
         "buttons": [{"title": "2024年", "payload": '/inform{"graduation_year":2024}'}]},
    ]
    assert utf8_len(LONG_EXPLANATION) > 3 * REPLY_LIMIT_BYTES

    rendered = render(messages)

    assert utf8_len(rendered.reply) <= REPLY_LIMIT_BYTES
    assert rendered.reply.startswith("测算结果（截至2026-11-25）：\n• 第4条")
    assert "您是哪一年毕业的？\n1. 2024年\n\n回复1选择" in rendered.reply
    assert rendered.reply.endswith(MORE_HINT)
    assert rendered.options == ['/inform{"graduation_year":2024}']
    # "详情" pages: each within the limit, all but the last say there is more, nothing lost.
    assert len(rendered.pages) >= 3
    assert all(utf8_len(page) <= REPLY_LIMIT_BYTES for page in rendered.pages)
    assert all(page.endswith(CONTINUE_HINT) for page in rendered.pages[:-1])
    assert not rendered.pages[-1].endswith(CONTINUE_HINT)
    joined = "".join(page.removesuffix(CONTINUE_HINT) for page in rendered.pages)
    assert "".join(joined.split()) == "".join(LONG_EXPLANATION.split())


def test_an_over_long_answer_without_a_result_starts_with_what_the_bot_said_first() -> None:
    rendered = render([{"text": LONG_EXPLANATION}])

    assert utf8_len(rendered.reply) <= REPLY_LIMIT_BYTES
    assert rendered.reply.startswith("第1条：")
    assert rendered.reply.endswith("\n\n" + MORE_HINT)
    kept = rendered.reply.removesuffix("\n\n" + MORE_HINT)
    rest = "".join(page.removesuffix(CONTINUE_HINT) for page in rendered.pages)
    assert "".join((kept + rest).split()) == "".join(LONG_EXPLANATION.split())


def test_one_long_line_without_punctuation_is_cut_between_characters() -> None:
    rendered = render([{"text": "政" * 2000}])  # 6000 bytes, no place to cut

    assert utf8_len(rendered.reply) <= REPLY_LIMIT_BYTES
    assert rendered.reply.endswith(MORE_HINT)
    assert all(utf8_len(page) <= REPLY_LIMIT_BYTES for page in rendered.pages)
    total = rendered.reply.count("政") + sum(page.count("政") for page in rendered.pages)
    assert total == 2000


def test_the_consultation_code_is_spelled_out_for_the_hotline() -> None:
    rendered = render([{"text": "已为您生成咨询码。", "custom": {"type": "consultation_code", "code": "ZB3K7Q"}}])

    assert "ZB3K7Q" in rendered.reply and "12333" in rendered.reply


def test_links_and_code_lose_their_markdown() -> None:
    assert plain("见[政策原文](https://example.gov.cn/p)和`第4条`") == "见政策原文 https://example.gov.cn/p和第4条"


def test_no_messages_render_to_nothing() -> None:
    assert render([]).reply == ""
