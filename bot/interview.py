"""The interview: what the assistant says next, driven by the rule module.

Pure Python (no Rasa): the actions in ``actions/`` translate the tracker into a
``Turn`` and a ``State``, call one function here, and turn the ``Reply`` back into
events and messages. Every message that states whether a measure applies or what it
pays carries the ``eligibility_result`` payload.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from dataclasses import dataclass, field, replace
from typing import Any

from bot.rules import (
    Evaluation,
    FactError,
    Knowledge,
    MeasureResult,
    evaluate,
    explain,
    is_general_provision,
    next_questions,
    normalize_value,
    standard_amount,
)
from bot.rules.amounts import yuan
from bot.rules.facts import parse_yearmonth, to_json_value
from bot.rules.model import Condition, Fact

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1: read out on the phone
MAX_BUTTONS = 11  # a set's values plus 都没有 and 不清楚: 9 school achievements fit, 13 awards are typed
NONE_VALUE = "none"  # a set fact answered with "none of them"

# Entities that are not fact names, and what they mean.
SET_ENTITIES = {"award": "awards", "talent_title": "talent_titles", "platform": "platforms",
                "school_achievement": "school_achievements"}
PENDING_ENTITIES = {"year": ("yearmonth",), "count": ("int",), "money": ("money",)}


@dataclass
class Turn:
    """What the user just said, as NLU understood it."""

    intent: str | None
    entities: list[dict[str, Any]]
    text: str = ""
    channel: str = ""  # "web" draws the payload as a card, so its text can be short
    confidence: float = 1.0  # of the intent


@dataclass
class State:
    """What the conversation remembers (Rasa slots)."""

    facts: dict[str, Any] = field(default_factory=dict)  # JSON form
    pending: str | None = None  # the fact the last question asked for
    skipped: list[str] = field(default_factory=list)  # facts the user does not know
    asked_articles: list[int] = field(default_factory=list)


@dataclass
class Message:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    payload: dict[str, Any] | None = None


@dataclass
class Reply:
    messages: list[Message]
    state: State


# ---------------------------------------------------------------- facts from what was said


def _parse_for(fact: Fact, raw: Any) -> Any:
    """A fact value from an entity value (an id, a synonym, 'true', '2021', '300000')."""
    if fact.type in ("enum", "set"):
        text = str(raw).strip()
        if text in fact.values:
            return text
        for vid, value in fact.values.items():
            if text == value.label or text in value.synonyms:
                return vid
        raise FactError(fact.name, f"unknown value {raw!r}")
    if fact.type == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("true", "是", "yes", "1", "对"):
            return True
        if text in ("false", "否", "no", "0", "不是"):
            return False
        raise FactError(fact.name, f"not a yes/no value: {raw!r}")
    if fact.type in ("int", "money"):
        number = float(str(raw).replace(",", "").strip())
        return normalize_value(fact, int(number) if fact.type == "int" else number)
    return normalize_value(fact, raw)


def _number_in(text: str) -> str | None:
    match = re.search(r"\d+(?:\.\d+)?", text.replace(",", ""))
    return match.group(0) if match else None


def _bare_answer(kb: Knowledge, fact: Fact, turn: Turn) -> Any:
    """A short answer to the pending question: 是/不是, 没有, a number, a year, a synonym."""
    intent = turn.intent
    if fact.type == "bool" and intent in ("affirm", "deny"):
        return intent == "affirm"
    if intent == "deny":
        if fact.type == "set":
            return frozenset()
        if fact.type == "enum" and NONE_VALUE in fact.values:
            return NONE_VALUE
        if fact.type == "int":
            return 0
    text = turn.text.strip()
    if fact.type in ("enum", "set"):
        for vid, value in fact.values.items():
            if text == value.label or text in value.synonyms:
                return frozenset([vid]) if fact.type == "set" else vid
        if fact.type == "set" and re.fullmatch(r"(都)?没有(获过奖|过)?[。！!]?|无", text):
            return frozenset()
        return None
    if fact.type == "bool":
        if re.fullmatch(r"(是|是的|对|对的|嗯|在|有)[。！!]?", text):
            return True
        if re.fullmatch(r"(不是|否|不|没有|不在)[。！!]?", text):
            return False
        return None
    number = _number_in(text)
    if number is None:
        return None
    if fact.type == "yearmonth":
        month = re.search(r"(\d{4})\D+(\d{1,2})\s*月", text)
        when = f"{month.group(1)}-{int(month.group(2)):02d}" if month else number
        try:
            return normalize_value(fact, when)
        except FactError:
            return None
    try:
        return _parse_for(fact, number)
    except (FactError, ValueError):
        return None


def facts_from_turn(kb: Knowledge, state: State, turn: Turn) -> tuple[dict[str, Any], list[str]]:
    """New or corrected fact values (normalised) from this turn, and entities we could not use."""
    updates, unused, _ = read_turn(kb, state, turn)
    return updates, unused


def read_turn(kb: Knowledge, state: State, turn: Turn) -> tuple[dict[str, Any], list[str], dict[str, list[Any]]]:
    """facts_from_turn, plus the single-valued facts this turn gave two different values.

    "我2021年毕业，2022年毕业" or a workplace in Zibo and one outside in the same message: the
    assistant does not guess which one is meant. Such a fact is left out of the updates (the
    value recorded before stays) and returned with its values, so the interview asks again.
    """
    updates: dict[str, Any] = {}
    unused: list[str] = []
    seen: dict[str, list[Any]] = {}

    def single(name: str, value: Any) -> None:
        updates[name] = value
        values = seen.setdefault(name, [])
        if value not in values:
            values.append(value)
    pending = kb.facts.get(state.pending) if state.pending else None
    replace_sets = turn.intent == "correct"
    for entity in turn.entities:
        name = str(entity.get("entity", ""))
        raw = entity.get("value")
        try:
            if name in SET_ENTITIES or (name in kb.facts and kb.facts[name].type == "set"):
                fact_name = SET_ENTITIES.get(name, name)
                fact = kb.facts[fact_name]
                values = raw if isinstance(raw, list) else [raw]
                chosen = set()
                for v in values:
                    if v in (NONE_VALUE, "[]", None):
                        continue
                    chosen.add(_parse_for(fact, v))
                base = set() if (replace_sets or (fact_name in updates and not updates[fact_name])) else set(
                    updates.get(fact_name, state.facts.get(fact_name, [])) or [])
                if not chosen and values and values[0] in (NONE_VALUE, "[]"):
                    updates[fact_name] = frozenset()
                else:
                    updates[fact_name] = frozenset(base | chosen)
            elif name == "place":
                fact = kb.facts["in_zibo"]
                single("in_zibo", any(p in str(raw) for p in fact.places_true))
            elif name in PENDING_ENTITIES:
                if pending is not None and pending.type in PENDING_ENTITIES[name]:
                    single(pending.name, _parse_for(pending, raw))
                elif name == "money" and kb.facts["agreed_annual_salary"].name not in state.facts:
                    single("agreed_annual_salary", _parse_for(kb.facts["agreed_annual_salary"], raw))
                else:
                    unused.append(name)
            elif name in kb.facts:
                single(name, _parse_for(kb.facts[name], raw))
            elif name not in ("article", "measure"):
                unused.append(name)
        except (FactError, ValueError):
            unused.append(name)
    conflicts = {name: values for name, values in seen.items() if len(values) > 1}
    for name in conflicts:
        del updates[name]
    _organization_view(kb, state, turn, updates)
    for name in conflicts:
        updates.pop(name, None)
    # A bare 是/不是/没有/a number answers the pending question, unless the message said
    # something else explicitly ("是全职" to a question about 全日制 records only 全职).
    if pending is not None and pending.name not in updates and not updates and not conflicts:
        answer = _bare_answer(kb, pending, turn)
        if answer is not None:
            updates[pending.name] = answer
    return updates, unused, conflicts


def answers_pending(kb: Knowledge, state: State, turn: Turn) -> bool:
    """A short reply the NLU was unsure about ("1个", "3人") that answers the pending question."""
    if state.pending is None or state.pending not in kb.facts or turn.confidence >= 0.9:
        return False
    if len(turn.text.strip()) > 8:
        return False
    return _bare_answer(kb, kb.facts[state.pending], turn) is not None


def _organization_view(kb: Knowledge, state: State, turn: Turn, updates: dict[str, Any]) -> None:
    """An HR officer's facts are about the organization: "3个员工新考了技师" is a head count, and
    facts only a person can have (their own certificate, graduation) are not recorded for it."""
    asker = updates.get("asker", state.facts.get("asker"))
    if asker is None or asker == "person":
        return
    counts = [e.get("value") for e in turn.entities if e.get("entity") == "count"]
    for name, fact in kb.facts.items():
        if fact.head_count_of is None:
            continue
        target, value = fact.head_count_of
        if updates.get(target) == value and counts:
            try:
                updates[name] = _parse_for(fact, counts[0])
            except (FactError, ValueError):
                continue
    for name in [n for n in updates if kb.facts[n].audience == ("person",)]:
        del updates[name]


def _json_facts(facts: dict[str, Any]) -> dict[str, Any]:
    return {k: to_json_value(v) for k, v in facts.items()}


# ---------------------------------------------------------------- questions and results


def question_message(kb: Knowledge, evaluation: Evaluation, state: State,
                     only: set[int] | None = None) -> tuple[Message | None, str | None]:
    """The next question worth asking (one at a time), with quick replies for closed answers.

    Articles the user asked about come first: an HR officer asking about 第6条 is asked about
    the enterprise's head counts, not about a graduation year.
    """
    focus = only if only is not None else set(state.asked_articles)
    ranked = next_questions(kb, evaluation, monetary_only=True, only=focus) if focus else []
    for q in ranked + next_questions(kb, evaluation, monetary_only=True):
        if q.fact in state.skipped:
            continue
        return Message(q.text, _buttons(kb.facts[q.fact], q.choices)), q.fact
    return None, None


def _buttons(fact: Fact, choices: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    """Quick replies for a closed question: yes/no, the choices when few, and 不清楚."""
    buttons: list[dict[str, str]] = []
    if fact.type == "bool":
        buttons = [{"title": "是", "payload": _payload(fact.name, "true")},
                   {"title": "否", "payload": _payload(fact.name, "false")}]
    elif fact.type == "enum" and len(choices) <= MAX_BUTTONS:
        buttons = [{"title": label, "payload": _payload(fact.name, value)} for value, label in choices]
    elif fact.type == "set":
        if len(choices) <= MAX_BUTTONS - 2:
            buttons = [{"title": label, "payload": _payload(fact.name, value)} for value, label in choices]
        buttons.append({"title": "都没有", "payload": _payload(fact.name, NONE_VALUE)})
    buttons.append({"title": "不清楚", "payload": "/dont_know"})
    return buttons


def _question_for(fact: Fact) -> Message:
    """The fact's own question, with quick replies for its values where there are few."""
    return Message(fact.question, _buttons(fact, tuple((value, v.label) for value, v in fact.values.items())))


def _payload(fact: str, value: str) -> str:
    return "/inform" + json.dumps({fact: value}, ensure_ascii=False, separators=(",", ":"))


def _worth_showing(r: MeasureResult, asked: set[int]) -> bool:
    if r.measure.article in asked:
        return True
    if r.status == "not_applicable" or (r.measure.kind == "non_monetary" and r.status != "applies"):
        return False
    return not is_general_provision(r)


def result_payload(evaluation: Evaluation, asked: set[int] | None = None,
                   only: set[str] | None = None) -> dict[str, Any]:
    """The eligibility_result payload: the measures worth showing, in the contract's form."""
    asked = asked or set()
    body = evaluation.to_dict()
    keep = {r.measure.id for r in evaluation.results
            if (only is None or r.measure.id in only) and (only is not None or _worth_showing(r, asked))}
    body["measures"] = [m for m in body["measures"] if m["measure"] in keep]
    return body


def result_message(kb: Knowledge, evaluation: Evaluation, state: State, *, compact: bool = False) -> Message:
    asked = set(state.asked_articles)
    payload = result_payload(evaluation, asked)
    if compact:
        return Message(summary(kb, evaluation, payload), payload=payload)
    text = explain(kb, evaluation, asked=asked, monetary_undecided_only=True)
    return Message(text, payload=payload)


def summary(kb: Knowledge, evaluation: Evaluation, payload: dict[str, Any]) -> str:
    """A few lines for channels that draw the payload as a card (the web chat)."""
    rows = payload["measures"]
    parts = []
    for status in ("applies", "may_apply", "undecided"):
        cited = []
        for r in rows:
            if r["status"] != status:
                continue
            text = (r["amount"] or {}).get("text") if status == "applies" else None
            cited.append(f"第{r['article']}条{r['title']}" + (f"（{text}）" if text else ""))
        if cited:
            parts.append(f"{_STATUS_ZH[status]}：" + "、".join(dict.fromkeys(cited)))
    lines = ["测算结果——" + ("；".join(parts) if parts else "暂未找到适用的措施") + "。"]
    if evaluation.total_yuan:
        lines.append(f"可确定享受的金额合计{yuan(evaluation.total_yuan)}（见下方结果卡片，按条款列出）。")
    notes = list(dict.fromkeys(n for r in evaluation.results if r.status in ("applies", "may_apply")
                               for n in r.notes))
    lines.extend(f"注意：{n}" for n in notes[:2])
    lines.append(f"咨询电话：人社服务热线{kb.hotline}。以上为政策咨询参考，是否享受、具体金额以主管部门审核认定为准。")
    return "\n".join(lines)


# A number said as a lower bound or a range: "二十来个", "三百多人", "十几个", "10余名", "几十万".
_ROUGH_NUMBER = re.compile(r"(?:\d|[一二两三四五六七八九十百千万])\s*(?:来|多|余|几)|几\s*[十百千万]")


def rough_answer(kb: Knowledge, state: State, text: str) -> bool:
    """Whether the text answers a pending head count or amount with a rough number."""
    fact = kb.facts.get(state.pending) if state.pending else None
    return fact is not None and fact.type in ("int", "money") and bool(_ROUGH_NUMBER.search(text))


def interview_turn(kb: Knowledge, state: State, turn: Turn, as_of: dt.date) -> Reply:
    """inform / ask_eligibility / correct / affirm / deny / dont_know: update facts, then ask or answer."""
    updates, _unused, conflicts = read_turn(kb, state, turn)
    before = _stored_facts(kb, state)
    stored = {**before, **updates}
    skipped = list(state.skipped)
    if turn.intent == "dont_know" and state.pending and state.pending not in updates:
        skipped.append(state.pending)
    skipped = [f for f in dict.fromkeys(skipped) if f not in stored]
    new_state = State(_json_facts(stored), None, skipped, list(state.asked_articles))
    evaluation = evaluate(kb, stored, as_of, validated=True)
    messages: list[Message] = []
    pending_fact = kb.facts.get(state.pending) if state.pending else None
    if updates:
        noted = "、".join(f"{kb.facts[n].label}：{kb.facts[n].value_label(v)}" for n, v in updates.items())
        prefix = "已更正" if turn.intent == "correct" else "好的，已记录"
        messages.append(Message(f"{prefix}（{noted}）。"))
    elif turn.intent == "affirm" and pending_fact is not None and pending_fact.type in ("set", "enum", "int",
                                                                                        "money", "yearmonth"):
        # "是的" to "which awards?" or "how many?": ask for the specifics, keep the question open.
        examples = "、".join(v.label for v in list(pending_fact.values.values())[:3])
        hint = f"（例如：{examples}）" if examples else ""
        new_state.pending = state.pending
        return Reply([Message(f"好的，请具体说一下{pending_fact.label}{hint}。不清楚的话可以回答“不清楚”。")],
                     new_state)
    elif pending_fact is not None and rough_answer(kb, state, turn.text):
        # "二十来个", "三百多人": the NLU records no figure that is only a lower bound
        new_state.pending = state.pending
        return Reply([Message(f"{pending_fact.label}需要具体的数字才能测算金额，请告诉我准确的数；"
                              "不清楚的话可以回答“不清楚”。"), _question_for(pending_fact)], new_state)
    elif turn.intent not in ("ask_eligibility", "dont_know"):
        messages.append(Message("抱歉，我没有从这句话里听出具体情况。"))
    if conflicts:
        name, values = next(iter(conflicts.items()))
        fact = kb.facts[name]
        said = "、".join(fact.value_label(v) for v in values)
        messages.append(Message(f"您这句话里的{fact.label}有两种说法（{said}），这一项我先不记录，以免算错。"))
        messages.append(_question_for(fact))
        new_state.pending = name
        return Reply(messages, new_state)
    question, pending = question_message(kb, evaluation, new_state)
    if question is not None and turn.intent != "ask_eligibility" and updates:
        decided = _newly_decided(kb, evaluation, before, set(state.asked_articles), as_of)
        if decided:
            messages.append(_decided_message(kb, evaluation, decided))
    # Asked "what applies?" before anything is known, a list of undecided measures helps nobody:
    # ask the first question instead.
    nothing_known = not any(r.status in ("applies", "may_apply") for r in evaluation.results
                            if r.measure.kind != "non_monetary")
    if question is None or (turn.intent == "ask_eligibility" and not nothing_known):
        messages.append(result_message(kb, evaluation, new_state, compact=turn.channel == "web"))
    if question is not None:
        if turn.intent == "ask_eligibility" and nothing_known:
            question = Message("好的，我来帮您测算。先请教一个问题：" + question.text, question.buttons)
        elif turn.intent == "ask_eligibility":
            question = Message("想算得更准，请再告诉我：" + question.text, question.buttons)
        messages.append(question)
        new_state.pending = pending
    return Reply(messages, new_state)


def _newly_decided(kb: Knowledge, evaluation: Evaluation, before: dict[str, Any], asked: set[int],
                   as_of: dt.date) -> list[str]:
    """Measures of the articles the user asked about that this turn's answer decided."""
    if not asked:
        return []
    earlier = evaluate(kb, before, as_of, validated=True)
    return [r.measure.id for r in evaluation.results
            if r.measure.article in asked and r.measure.kind != "non_monetary" and r.status != "undecided"
            and earlier.get(r.measure.id).status == "undecided"]


def _decided_message(kb: Knowledge, evaluation: Evaluation, ids: list[str]) -> Message:
    """The answer to the question asked earlier, as soon as the interview has decided it."""
    lines = ["关于您问的："]
    for mid in ids:
        m, r = kb.measures[mid], evaluation.get(mid)
        if r.status == "not_applicable":
            lines.append(f"{m.citation} {m.name}：按您提供的情况不适用（{r.reason}）。")
            continue
        verdict = "可以享受" if r.status == "applies" else "可以申报（需经选拔、认定或核实）"
        if r.amount is not None and r.amount.text:
            lines.append(f"{m.citation} {m.name}：{verdict}，{r.amount.text}，发给{m.beneficiary}。")
        else:
            lines.append(f"{m.citation} {m.name}：{verdict}（{m.summary}）。")
    lines.append("具体以主管部门审核认定为准。")
    return Message("\n".join(lines), payload=result_payload(evaluation, only=set(ids)))


def _stored_facts(kb: Knowledge, state: State) -> dict[str, Any]:
    """The slot's facts, normalised; a value that no longer validates is dropped, not fatal."""
    facts: dict[str, Any] = {}
    for name, value in state.facts.items():
        fact = kb.facts.get(name)
        if fact is None:
            continue
        try:
            facts[name] = normalize_value(fact, value)
        except FactError:
            continue
    return facts


# ---------------------------------------------------------------- direct questions


def topic_measures(kb: Knowledge, turn: Turn) -> list[str]:
    """Measures a question is about: named measures, cited articles, or the facts it mentions."""
    ids: list[str] = []
    for e in turn.entities:
        if e.get("entity") == "measure" and str(e.get("value")) in kb.measures:
            ids.append(str(e["value"]))
        elif e.get("entity") == "article":
            try:
                number = int(str(e.get("value")))
            except ValueError:
                continue
            if number in kb.articles:
                ids.extend(m.id for m in kb.articles[number].measures)
    if ids:
        return list(dict.fromkeys(ids))
    mentioned: set[tuple[str, str]] = set()
    for e in turn.entities:
        name = SET_ENTITIES.get(str(e.get("entity")), str(e.get("entity")))
        if name in kb.facts:
            mentioned.add((name, str(e.get("value"))))
    found = [m for m in kb.measures.values()
             if m.kind != "non_monetary"
             and any(_mentions(c, mentioned) for c in (*m.conditions, *filter(None, [m.selected_when])))]
    # "新考上高级技师一次性给多少": measures whose amount the named facts set (第4条, 第6条 by level)
    # come before those they are only a condition of (the 第2条 selections); otherwise policy order.
    named = {name for name, _ in mentioned}
    found.sort(key=lambda m: not any(a.by in named for a in m.amounts))
    return [m.id for m in found]


def _mentions(cond: Condition, mentioned: set[tuple[str, str]]) -> bool:
    if cond.children:
        return any(_mentions(c, mentioned) for c in cond.children)
    if cond.op in ("gte", "lte"):  # a number ("3个员工新考了技师") names the measure that counts it
        return any(name == cond.fact for name, _ in mentioned)
    return any((cond.fact, str(v)) in mentioned for v in cond.values)


def _described(kb: Knowledge, facts: list[tuple[str, Any]]) -> str:
    """"高级工（三级）；新获得技师的人数：3": the facts a question named, for an answer line."""
    parts = []
    for name, value in facts:
        fact = kb.facts[name]
        label = fact.value_label(value)
        parts.append(label if fact.type in ("enum", "set") else f"{fact.label}：{label}")
    return "；".join(parts)


def answer_question(kb: Knowledge, state: State, turn: Turn, as_of: dt.date) -> Reply:
    """ask_amount / ask_measure / ask_how_to_apply: answer at once from the rule module."""
    ids = topic_measures(kb, turn)
    asked_articles = list(dict.fromkeys([*state.asked_articles, *(kb.measures[i].article for i in ids)]))
    new_state = State(dict(state.facts), state.pending, list(state.skipped), asked_articles)
    if not ids:
        # "我们公司今年有3个员工新考了技师，能拿多少补贴": no measure named, but the question states
        # the asker's own facts. Record them and answer from them, as for "我能享受什么".
        # "能领多少" after the facts were given: the same question about the facts we have.
        stated, _ = facts_from_turn(kb, State(dict(state.facts)), Turn("inform", turn.entities, ""))
        if (stated and turn.intent != "ask_how_to_apply") or (turn.intent == "ask_amount" and state.facts):
            return interview_turn(kb, state, replace(turn, intent="ask_eligibility"), as_of)
        return Reply([Message("请问您想了解哪一项措施？可以说条款号（如“第22条”）或项目名称"
                              "（如“技工院校毕业生生活补贴”“金蓝领培训补贴”）。也可以直接说说您的情况，"
                              "我来看看哪些措施适用于您。")], new_state)
    # The facts the question itself states count as a hypothesis on top of what we know
    # ("全国技能大赛银牌奖励多少？" does not say the asker has one), unless the asker says they
    # are their own ("我们公司今年有3个员工新考了技师，能拿多少"): then they are recorded.
    updates, _ = facts_from_turn(kb, State(dict(state.facts)), Turn("inform", turn.entities, ""))
    facts = _stored_facts(kb, state)
    recorded: list[Message] = []
    if updates and any(e.get("entity") == "asker" for e in turn.entities):
        facts.update(updates)
        new_state.facts = _json_facts(facts)
        noted = "、".join(f"{kb.facts[n].label}：{kb.facts[n].value_label(v)}" for n, v in updates.items())
        recorded.append(Message(f"好的，已记录（{noted}）。"))
    hypothetical = {**facts, **updates}
    if updates and "asker" not in hypothetical:
        audiences = {a for i in ids for a in kb.measures[i].audience}
        if len(audiences) == 1:
            hypothetical["asker"] = next(iter(audiences))
    evaluation = evaluate(kb, hypothetical, as_of, validated=True)
    lines: list[str] = []
    for mid in ids[:4]:
        m = kb.measures[mid]
        r = evaluation.get(mid)
        if turn.intent == "ask_how_to_apply":
            lines.append(f"{m.citation} {m.name}：{m.how_to_apply}（责任单位：{'、'.join(m.responsible_units)}）")
            continue
        if r.status in ("applies", "may_apply") and r.amount is not None and r.amount.text:
            lines.append(f"{m.citation} {m.name}：{r.amount.text}，发给{m.beneficiary}。")
        else:
            lines.append(f"{m.citation} {m.name}：{m.summary}（发给{m.beneficiary}）")
            # "高级工的生活补贴每月多少": the figure for what the question names, with the
            # measure's other conditions still to be met.
            standard = standard_amount(kb, mid, hypothetical, as_of) if r.status == "undecided" else None
            if standard is not None:
                named = _described(kb, [(n, hypothetical[n]) for n in standard.facts])
                if standard.amount is not None and standard.amount.text:
                    lines.append(f"  按您问的情况（{named}）：{standard.amount.text}（还须符合上述其他条件）")
                elif standard.reading:
                    lines.append(f"  按您问的情况（{named}）：{standard.reading}")
            elif r.status == "not_applicable" and r.reason and (
                named := _described(kb, [(n, v) for n, v in updates.items() if n != "asker"])
            ):
                # "初级工的生活补贴每月多少": what the question names is outside the measure.
                lines.append(f"  按您问的情况（{named}）：{r.reason}")
        if r.reading:
            lines.append(f"  说明：{r.reading}")
        lines.append(f"  原文：“{m.source[0]}”")
    if len(ids) > 4:
        lines.append(f"另有{len(ids) - 4}项相关措施，可以问我具体哪一项。")
    if facts:
        lines.append("以上为政策标准；结合您已提供的情况，可以说“我能享受什么”查看测算结果。")
    lines.append("具体以主管部门审核认定为准。")
    payload = result_payload(evaluation, only=set(ids))
    messages = [*recorded, Message("\n".join(lines), payload=payload)]
    # Offer to work out the asker's own case for these articles, one question at a time.
    known = evaluate(kb, facts, as_of, validated=True)
    question, pending = question_message(kb, known, new_state, only={kb.measures[i].article for i in ids})
    if question is not None and turn.intent != "ask_how_to_apply":
        messages.append(Message("想知道您能不能享受、能享受多少，请告诉我：" + question.text, question.buttons))
        new_state.pending = pending
    return Reply(messages, new_state)


def what_if(kb: Knowledge, state: State, turn: Turn, as_of: dt.date) -> Reply:
    """'如果我明年考了技师呢？': evaluate a hypothesis without changing the recorded facts."""
    updates, _ = facts_from_turn(kb, State(dict(state.facts)), Turn("inform", turn.entities, turn.text))
    if not updates:
        return Reply([Message("请说明假设的情况，例如“如果我明年考了技师呢？”或“如果我在淄博的企业全职工作呢？”")],
                     state)
    facts = _stored_facts(kb, state)
    before = evaluate(kb, facts, as_of, validated=True)
    # "如果我明年考下技师呢": the hypothesis is weighed as on the day it would have happened
    # (the engine grants nothing for a date still to come).
    supposed_day = _supposed_day(kb, updates, as_of)
    after = evaluate(kb, {**facts, **updates}, supposed_day, validated=True)
    supposed = "、".join(f"{kb.facts[n].label}：{kb.facts[n].value_label(v)}" for n, v in updates.items())
    lines = [f"假设{supposed}（只是测算，不会改动您已提供的信息）："]
    about = set(topic_measures(kb, turn))
    changed = []
    for b, a in zip(before.results, after.results, strict=True):
        if a.measure.kind == "non_monetary":
            continue
        moved = a.status != b.status or (a.amount and b.amount and a.amount.total_yuan != b.amount.total_yuan)
        live = a.status in ("applies", "may_apply") or b.status in ("applies", "may_apply")
        relevant = a.measure.id in about and a.status != "not_applicable"
        if (moved and live) or relevant:
            changed.append(a.measure.id)
            if a.status in ("applies", "may_apply"):
                detail = f"：{a.amount.text}" if a.amount is not None and a.amount.text else ""
                lines.append(f"· {a.measure.citation} {a.measure.name}{detail}（{_STATUS_ZH[a.status]}）")
            elif a.status == "undecided":
                lines.append(f"· {a.measure.citation} {a.measure.name}：{a.reason}")
            else:
                lines.append(f"· {a.measure.citation} {a.measure.name}：不再适用（{a.reason}）")
    if not changed:
        lines.append("· 测算结果没有变化。")
    delta = after.total_yuan - before.total_yuan
    if delta:
        lines.append(f"可确定享受的合计金额由{yuan(before.total_yuan)}变为{yuan(after.total_yuan)}。")
    lines.append("具体以主管部门审核认定为准。")
    payload = result_payload(after, only=set(changed) or None)
    payload["hypothetical"] = True
    if supposed_day != as_of:  # as_of stays the day of the consultation
        payload["as_of"], payload["supposed_as_of"] = as_of.isoformat(), supposed_day.isoformat()
    return Reply([Message("\n".join(lines), payload=payload)], state)


def _supposed_day(kb: Knowledge, updates: dict[str, Any], as_of: dt.date) -> dt.date:
    """The last day of the latest date a hypothesis names, if later than `as_of`."""
    day = as_of
    for name, value in updates.items():
        if kb.facts[name].type != "yearmonth":
            continue
        year, month = parse_yearmonth(value)
        end = dt.date(year, 12, 31) if month is None else (
            dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
        day = max(day, end)
    return day


_STATUS_ZH = {"applies": "可以享受", "may_apply": "可以申报", "undecided": "还需确认", "not_applicable": "不适用"}


def show_facts(kb: Knowledge, state: State) -> Reply:
    facts = _stored_facts(kb, state)
    if not facts:
        return Reply([Message("您还没有告诉我任何情况。可以说说您的证书等级、毕业年份、工作单位或获奖情况。")], state)
    lines = ["我记录的您的情况："]
    lines.extend(f"· {kb.facts[n].label}：{kb.facts[n].value_label(v)}" for n, v in facts.items())
    if state.skipped:
        lines.append("您表示不清楚：" + "、".join(kb.facts[n].label for n in state.skipped if n in kb.facts))
    lines.append("如有不对，直接说“不对，……”即可更正；说“重新开始”可清除全部信息。")
    return Reply([Message("\n".join(lines))], state)


def new_consultation_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def handoff(kb: Knowledge, code: str, *, reason: str | None = None) -> Message:
    text = (f"{reason + '。' if reason else ''}如需人工帮助，请拨打人社服务热线{kb.hotline}，"
            f"并告诉工作人员您的咨询编号：{code}。工作人员可凭编号查看您在这里提供的情况和测算结果。")
    return Message(text, payload={"type": "consultation_code", "code": code, "hotline": kb.hotline})
