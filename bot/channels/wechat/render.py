"""Rasa's messages as WeChat text: plain, numbered options, within the 2048-byte reply limit.

A passive reply (and a customer-service text) may hold at most 2048 bytes of UTF-8.
When the bot says more, the reply keeps what matters most (the result, the question and
its options) and ends with "回复“详情”查看完整结果"; the rest is cut into pages that
"详情" returns one by one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

REPLY_LIMIT_BYTES = 2048
MORE_HINT = "回复“详情”查看完整结果"
CONTINUE_HINT = "回复“详情”继续查看"
MAX_OPTIONS = 9  # one digit each

STATUS_LABELS = {
    "applies": "可以享受",
    "may_apply": "可能可以享受",
    "undecided": "尚不能确定",
    "not_applicable": "不适用",
}


@dataclass
class Rendered:
    """What to send now, what "详情" returns later, and what the numbers 1..n stand for."""

    reply: str
    pages: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


_MARKDOWN = [
    (re.compile(r"\[([^\]]+)\]\((\S+?)\)"), r"\1 \2"),  # [text](url) -> text url
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"`([^`]+)`"), r"\1"),  # code
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]*", re.MULTILINE), ""),  # headings
    (re.compile(r"^([ \t]*)[-*+][ \t]+", re.MULTILINE), r"\1• "),  # list bullets
    (re.compile(r"\n{3,}"), "\n\n"),
]


def plain(text: str) -> str:
    """Text without markdown, as WeChat shows it literally."""
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return text.strip()


def _yuan(value: Any) -> str:
    return f"{value:g}元" if isinstance(value, int | float) else f"{value}元"


def eligibility_brief(payload: dict[str, Any]) -> str:
    """The result in a few lines: what applies and how much, then what may apply, then what is open."""
    measures = [m for m in payload.get("measures", []) if isinstance(m, dict)]
    lines = ["测算结果" + (f"（截至{payload['as_of']}）" if payload.get("as_of") else "") + "："]
    for status in ("applies", "may_apply"):
        for m in (m for m in measures if m.get("status") == status):
            line = f"• 第{m.get('article')}条 {m.get('title', '')}"
            amount = m.get("amount")
            if isinstance(amount, dict) and amount.get("text"):
                line += f"：{amount['text']}"
            elif isinstance(amount, dict) and amount.get("total_yuan") is not None:
                line += f"：{_yuan(amount['total_yuan'])}"
            if m.get("beneficiary"):
                line += f"，发给{m['beneficiary']}"
            if status == "may_apply":
                missing = "、".join(map(str, m.get("missing") or []))
                line += f"（可能适用，还需确认：{missing}）" if missing else "（可能适用）"
            lines.append(line)
    if len(lines) == 1:
        lines.append("• 根据目前的信息，还没有确定适用的措施。")
    if payload.get("total_yuan"):
        lines.append(f"合计：{_yuan(payload['total_yuan'])}")
    undecided = sum(1 for m in measures if m.get("status") == "undecided")
    if undecided:
        lines.append(f"另有{undecided}项措施还需要更多信息才能判断。")
    return "\n".join(lines)


def consultation_code_text(payload: dict[str, Any]) -> str:
    return f"您的咨询码：{payload.get('code', '')}（拨打人社服务热线12333时请告知工作人员）"


def _pieces(text: str) -> list[str]:
    """Lines, and long lines cut after each sentence, as the units a reply may be cut between."""
    out: list[str] = []
    for line in text.split("\n"):
        if utf8_len(line) <= REPLY_LIMIT_BYTES // 4:
            out.append(line)
            continue
        sentences = re.findall(r".+?(?:[。！？；]|$)", line)
        for i, sentence in enumerate(sentences):
            out.append(sentence if i == len(sentences) - 1 else sentence + "\x00")  # \x00: no newline after
    return out


def _join(pieces: Iterable[str]) -> str:
    text = ""
    for piece in pieces:
        if piece.endswith("\x00"):
            text += piece[:-1]
        else:
            text += piece + "\n"
    return text.rstrip("\n")


def _cut_bytes(text: str, limit: int) -> tuple[str, str]:
    """The longest prefix of `text` within `limit` UTF-8 bytes (never inside a character), and the rest."""
    prefix = text.encode("utf-8")[:limit].decode("utf-8", "ignore")
    return prefix, text[len(prefix) :]


def pack(text: str, limit: int) -> tuple[str, str]:
    """As much of `text` as fits in `limit` bytes, cut between lines or sentences, and the rest."""
    if utf8_len(text) <= limit:
        return text, ""
    pieces = _pieces(text)
    taken: list[str] = []
    for piece in pieces:
        if utf8_len(_join([*taken, piece])) > limit:
            break
        taken.append(piece)
    if not taken:  # one sentence longer than the limit: cut it by bytes
        head, _ = _cut_bytes(text, limit)
        return head, text[len(head) :].lstrip("\n")
    head = _join(taken)
    rest = _join(pieces[len(taken) :])
    return head, rest.lstrip("\n")


def paginate(text: str) -> list[str]:
    """`text` as pages within the limit; each but the last ends with "回复“详情”继续查看"."""
    pages: list[str] = []
    while text:
        if utf8_len(text) <= REPLY_LIMIT_BYTES:
            pages.append(text)
            break
        head, text = pack(text, REPLY_LIMIT_BYTES - utf8_len("\n\n" + CONTINUE_HINT))
        pages.append(f"{head}\n\n{CONTINUE_HINT}")
    return pages


def render(messages: list[dict[str, Any]]) -> Rendered:
    """Rasa's messages of one turn as one WeChat text, pages for "详情", and the numbered options."""
    texts: list[str] = []  # everything the bot said, in order, as plain text
    questions: list[str] = []  # the texts that carry buttons, and the options
    brief: list[str] = []  # from the structured payloads: the part that must be seen first
    options: list[str] = []
    for message in messages:
        text = plain(str(message.get("text") or ""))
        custom = message.get("custom") if isinstance(message.get("custom"), dict) else None
        buttons = [b for b in message.get("buttons") or [] if isinstance(b, dict) and b.get("payload")]
        buttons = buttons[: MAX_OPTIONS - len(options)]
        if custom and custom.get("type") == "eligibility_result":
            brief.append(eligibility_brief(custom))
        elif custom and custom.get("type") == "consultation_code":
            code = consultation_code_text(custom)
            brief.append(code)
            texts.append(code)
        if buttons:
            first = len(options) + 1
            options.extend(str(b["payload"]) for b in buttons)
            numbered = "\n".join(
                f"{first + i}. {plain(str(b.get('title') or b['payload']))}" for i, b in enumerate(buttons)
            )
            question = "\n".join(part for part in (text, numbered) if part)
            questions.append(question)
            texts.append(question)
        elif text:
            texts.append(text)
    if options:
        hint = "回复" + "/".join(str(i) for i in range(1, len(options) + 1)) + "选择"
        questions.append(hint)
        texts.append(hint)

    whole = "\n\n".join(texts)
    if utf8_len(whole) <= REPLY_LIMIT_BYTES:
        return Rendered(reply=whole, options=options)

    # Too long: the result (or, without one, the start of what the bot said), then the
    # question and its options, then the hint; everything the bot said goes to the pages.
    tail = "\n\n".join([*questions, MORE_HINT])
    room = REPLY_LIMIT_BYTES - utf8_len("\n\n" + tail)
    if room < REPLY_LIMIT_BYTES // 4:  # the questions alone are very long: treat them as text
        tail, room, questions = MORE_HINT, REPLY_LIMIT_BYTES - utf8_len("\n\n" + MORE_HINT), []
    body = "\n\n".join(t for t in texts if t not in questions)
    if brief:
        head, _ = pack("\n\n".join(brief), room)
        pages = paginate(body)
    else:
        head, rest = pack(body, room)
        pages = paginate(rest)
    return Rendered(reply=f"{head}\n\n{tail}" if head else tail, pages=pages, options=options)
