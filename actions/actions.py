"""Custom Rasa actions.

Actions stay thin: they read the tracker into a ``Turn`` and a ``State``, call one plain
function of ``bot.interview`` (which calls the rule module), and turn the ``Reply``
back into messages and slot events. Every message that states a result carries the
``eligibility_result`` payload as ``json_message`` (``custom`` on the REST channel).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.clock import today
from bot.interview import (
    Reply,
    State,
    Turn,
    answer_question,
    answers_pending,
    facts_from_turn,
    handoff,
    interview_turn,
    new_consultation_code,
    rough_answer,
    show_facts,
    what_if,
)
from bot.rules import knowledge

__all__ = [
    "ActionAnswerMeasure",
    "ActionFallback",
    "ActionHandoff",
    "ActionInterview",
    "ActionShowFacts",
    "ActionWhatIf",
]

DomainDict = dict[str, Any]

# Load (and check) the policy's knowledge when the action server starts, which imports this
# module, not on the first citizen's turn: loading the 26 articles takes ~115 ms, and it was
# the ~150 ms turn at the p99 of the production profile's benchmark (one per action server).
knowledge()


def turn_from(tracker: Tracker) -> Turn:
    latest = tracker.latest_message or {}
    intent = (latest.get("intent") or {}).get("name")
    entities = [e for e in latest.get("entities") or [] if isinstance(e, dict)]
    metadata = latest.get("metadata") or {}
    channel = str(metadata.get("channel") or "") if isinstance(metadata, dict) else ""
    try:
        confidence = float((latest.get("intent") or {}).get("confidence", 1.0))
    except (TypeError, ValueError):
        confidence = 1.0
    return Turn(intent=intent, entities=entities, text=str(latest.get("text") or ""), channel=channel,
                confidence=confidence)


# Questions about measures: each is answered from the rule module, whichever of them it is.
QUESTION_INTENTS = frozenset({"ask_amount", "ask_eligibility", "ask_measure", "ask_how_to_apply"})


@dataclass(frozen=True)
class RankedIntent:
    name: str
    confidence: float


def ambiguous_question(tracker: Tracker) -> RankedIntent | None:
    """The top intent when NLU fell back only because two question intents came close.

    FallbackClassifier answers nlu_fallback (with its threshold as confidence) also when the
    top two intents are within its ambiguity threshold, even if the top one is above the
    threshold: "我去年拿了省赛银牌…能奖励多少" came out ask_amount 0.43, ask_eligibility 0.35.
    When both are questions about measures, either is answered from the rule module, so the
    top one is taken instead of reading the question as a statement of facts.
    """
    ranking = (tracker.latest_message or {}).get("intent_ranking") or []
    try:
        ranked = [RankedIntent(str(r["name"]), float(r["confidence"])) for r in ranking if isinstance(r, dict)]
    except (KeyError, TypeError, ValueError):
        return None
    if len(ranked) < 3 or ranked[0].name != "nlu_fallback":
        return None
    threshold, first, second = ranked[0].confidence, ranked[1], ranked[2]
    if first.confidence >= threshold and {first.name, second.name} <= QUESTION_INTENTS:
        return first
    return None


def pending_answer(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """When an unsure intent was really a short answer to the pending question, take it as one."""
    kb, state, turn = knowledge(), state_from(tracker), turn_from(tracker)
    if not answers_pending(kb, state, turn):
        return None
    return emit(dispatcher, interview_turn(kb, state, Turn("inform", turn.entities, turn.text), today()), tracker)


def state_from(tracker: Tracker) -> State:
    facts = tracker.get_slot("facts")
    skipped = tracker.get_slot("skipped_facts")
    asked = tracker.get_slot("asked_articles")
    return State(
        facts=dict(facts) if isinstance(facts, dict) else {},
        pending=tracker.get_slot("pending_fact"),
        skipped=[str(s) for s in skipped] if isinstance(skipped, list) else [],
        asked_articles=[int(a) for a in asked if str(a).isdigit()] if isinstance(asked, list) else [],
    )


def emit(dispatcher: CollectingDispatcher, reply: Reply, tracker: Tracker) -> list[EventType]:
    """Utter the reply's messages; set the slots whose value the reply changed.

    Unchanged slots are not set again: every event is validated, stored, replayed on each
    later turn and sent back to the action server, so a turn costs less with fewer of them.
    """
    for message in reply.messages:
        kwargs: dict[str, Any] = {"text": message.text}
        if message.buttons:
            kwargs["buttons"] = message.buttons
        if message.payload is not None:
            kwargs["json_message"] = message.payload
        dispatcher.utter_message(**kwargs)
    state = reply.state
    values = {
        "facts": state.facts,
        "pending_fact": state.pending,
        "skipped_facts": state.skipped,
        "asked_articles": state.asked_articles,
    }
    return [SlotSet(name, value) for name, value in values.items() if not _same(tracker.get_slot(name), value)]


def _same(current: Any, value: Any) -> bool:
    # An unset list or dict slot (None) already means "empty".
    return bool(current == value or (current is None and value in ([], {})))


class ActionInterview(Action):
    """inform, ask_eligibility, correct, affirm, deny, dont_know: record facts, then ask or answer."""

    def name(self) -> str:
        return "action_interview"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        return emit(dispatcher, interview_turn(knowledge(), state_from(tracker), turn_from(tracker), today()), tracker)


class ActionAnswerMeasure(Action):
    """ask_measure, ask_amount, ask_how_to_apply: answer at once, with citation and amount."""

    def name(self) -> str:
        return "action_answer_measure"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        answered = pending_answer(dispatcher, tracker)
        if answered is not None:
            return answered
        return emit(dispatcher, answer_question(knowledge(), state_from(tracker), turn_from(tracker), today()), tracker)


class ActionWhatIf(Action):
    """what_if: evaluate a hypothesis without touching the recorded facts."""

    def name(self) -> str:
        return "action_what_if"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        return emit(dispatcher, what_if(knowledge(), state_from(tracker), turn_from(tracker), today()), tracker)


class ActionShowFacts(Action):
    """show_facts (我的信息): what the assistant has recorded."""

    def name(self) -> str:
        return "action_show_facts"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        return emit(dispatcher, show_facts(knowledge(), state_from(tracker)), tracker)


class ActionHandoff(Action):
    """ask_human and out_of_scope: the 12333 hotline with this conversation's consultation code."""

    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        answered = pending_answer(dispatcher, tracker)
        if answered is not None:
            return answered
        code = tracker.get_slot("consultation_code") or new_consultation_code()
        intent = turn_from(tracker).intent
        reason = "抱歉，这个问题超出了我的范围，我只解答淄博市技能兴淄政策（26条措施）的问题" \
            if intent == "out_of_scope" else None
        message = handoff(knowledge(), code, reason=reason)
        dispatcher.utter_message(text=message.text, json_message=message.payload)
        return [SlotSet("consultation_code", code)]


class ActionFallback(Action):
    """nlu_fallback: use what can be understood (an answer to the pending question, entities), else ask again."""

    def name(self) -> str:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        kb = knowledge()
        turn = turn_from(tracker)
        state = state_from(tracker)
        question = ambiguous_question(tracker)
        if question is not None:
            asked = replace(turn, intent=question.name, confidence=question.confidence)
            if question.name == "ask_eligibility":
                return emit(dispatcher, interview_turn(kb, state, asked, today()), tracker)
            if not answers_pending(kb, state, turn):
                return emit(dispatcher, answer_question(kb, state, asked, today()), tracker)
        updates, _ = facts_from_turn(kb, state, turn)
        if updates or rough_answer(kb, state, turn.text):
            reply = interview_turn(kb, state, Turn("inform", turn.entities, turn.text), today())
            return emit(dispatcher, reply, tracker)
        hint = "抱歉，我没有理解您的意思。"
        if not any(ch.isalnum() for ch in turn.text) and any(unicodedata.category(ch)[0] == "S" for ch in turn.text):
            hint = "抱歉，我只能看懂文字消息。"  # emoji and other symbols; "？" alone is not understood
        if state.pending and state.pending in kb.facts:
            fact = kb.facts[state.pending]
            dispatcher.utter_message(text=f"{hint}我刚才问的是：{fact.question}如果不清楚，可以回答“不清楚”。")
        else:
            dispatcher.utter_message(
                text=f"{hint}您可以说说自己的情况（证书等级、毕业年份、工作单位、获奖情况），"
                     "或直接问某项政策，例如“全国技能大赛银牌奖励多少？”。需要人工帮助请说“转人工”。")
        return []
