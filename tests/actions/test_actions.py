"""The actions against real trackers built with the real domain, as the action server receives them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import (
    ActionAnswerMeasure,
    ActionFallback,
    ActionHandoff,
    ActionInterview,
    ActionShowFacts,
    ActionWhatIf,
    ambiguous_question,
)
from bot.clock import ENV
from bot.interview import CODE_ALPHABET
from bot.supervisor import REPO_ROOT

DOMAIN = Domain.load(str(REPO_ROOT / "domain.yml"))


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "2026-11-25")


def tracker(intent: str, entities: list[dict[str, Any]] | None = None, text: str = "",
            slots: dict[str, Any] | None = None) -> Tracker:
    """A real Rasa tracker with the domain's slots, serialised as the action server gets it."""
    state = DialogueStateTracker.from_events("test-user", [], slots=DOMAIN.slots)
    events: list[Any] = [ActionExecuted("action_listen")]
    events += [SlotSet(name, value) for name, value in (slots or {}).items()]
    events.append(UserUttered(text, intent={"name": intent, "confidence": 1.0}, entities=entities or []))
    for event in events:
        state.update(event, DOMAIN)
    return Tracker.from_dict(state.current_state(EventVerbosity.AFTER_RESTART))


def slots_of(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def run(action: Any, t: Tracker) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, DOMAIN.as_dict())
    # The slots after the action: the tracker's, updated by the events (an action sets only
    # the slots it changes).
    return dispatcher.messages, {**t.slots, **slots_of(events)}


GRADUATE_ENTITIES = [
    {"entity": "school_type", "value": "technical_school"},
    {"entity": "certificate_level", "value": "senior"},
    {"entity": "graduation_date", "value": "2025"},
    {"entity": "employer_type", "value": "enterprise"},
    {"entity": "place", "value": "张店"},
]


async def test_inform_records_facts_and_asks_one_question_with_buttons() -> None:
    messages, slots = await run(ActionInterview(), tracker("inform", GRADUATE_ENTITIES, "技校毕业高级工"))
    assert slots["facts"] == {"school_type": "technical_school", "certificate_level": "senior",
                              "graduation_date": "2025", "employer_type": "enterprise", "in_zibo": True}
    assert "已记录" in messages[0]["text"]
    question = messages[-1]
    assert slots["pending_fact"] and question["buttons"]
    assert question["buttons"][-1] == {"title": "不清楚", "payload": "/dont_know"}
    assert not any(m.get("custom") for m in messages)  # a question states no result


async def test_a_complete_interview_ends_with_the_cited_result_and_payload() -> None:
    facts = {"school_type": "technical_school", "certificate_level": "senior", "graduation_date": "2025",
             "employer_type": "enterprise", "in_zibo": True, "awards": [], "talent_titles": [],
             "full_time_study": True}
    messages, slots = await run(ActionInterview(), tracker(
        "affirm", [], "是的", slots={"facts": facts, "pending_fact": "full_time_job"}))
    assert slots["facts"]["full_time_job"] is True
    assert slots["pending_fact"] is None
    result = next(m for m in messages if m.get("custom"))
    assert "第4条" in result["text"] and "500元/月×60个月=30000元" in result["text"]
    payload = result["custom"]
    assert payload["type"] == "eligibility_result" and payload["as_of"] == "2026-11-25"
    row = next(m for m in payload["measures"] if m["measure"] == "graduate_living_allowance")
    assert row["article"] == 4 and row["status"] == "applies" and row["beneficiary"] == "本人"
    assert row["amount"]["total_yuan"] == 30000 and row["amount"]["text"] == "500元/月×60个月=30000元"


async def test_button_payload_entities_use_fact_names() -> None:
    _, slots = await run(ActionInterview(), tracker(
        "inform", [{"entity": "full_time_study", "value": "true"}], '/inform{"full_time_study":"true"}',
        slots={"facts": {"asker": "person"}, "pending_fact": "full_time_study"}))
    assert slots["facts"]["full_time_study"] is True


async def test_correction_replaces_the_fact() -> None:
    _, slots = await run(ActionInterview(), tracker(
        "correct", [{"entity": "graduation_date", "value": "2021"}], "不对，我是2021年毕业的",
        slots={"facts": {"asker": "person", "graduation_date": "2023"}}))
    assert slots["facts"]["graduation_date"] == "2021"


async def test_dont_know_skips_the_question_and_moves_on() -> None:
    _, slots = await run(ActionInterview(), tracker(
        "dont_know", [], "不清楚", slots={"facts": {"asker": "person"}, "pending_fact": "in_zibo"}))
    assert slots["skipped_facts"] == ["in_zibo"]
    assert slots["pending_fact"] not in (None, "in_zibo")


async def test_a_bare_year_answers_the_pending_date_question() -> None:
    _, slots = await run(ActionFallback(), tracker(
        "nlu_fallback", [], "2019", slots={"facts": {"asker": "person"}, "pending_fact": "graduation_date"}))
    assert slots["facts"]["graduation_date"] == "2019"


async def test_fallback_without_anything_usable_repeats_the_question_politely() -> None:
    messages, slots = await run(ActionFallback(), tracker(
        "nlu_fallback", [], "😀😀", slots={"facts": {"asker": "person"}, "pending_fact": "in_zibo"}))
    assert slots["facts"] == {"asker": "person"} and slots["pending_fact"] == "in_zibo"
    assert "只能看懂文字" in messages[0]["text"] and "淄博" in messages[0]["text"]


@pytest.mark.parametrize("text", ["？", "。。。", "\u200b"])
async def test_fallback_to_punctuation_says_it_did_not_understand_and_asks_again(text: str) -> None:
    messages, slots = await run(ActionFallback(), tracker(
        "nlu_fallback", [], text, slots={"facts": {"asker": "person"}, "pending_fact": "in_zibo"}))
    assert slots["facts"] == {"asker": "person"} and slots["pending_fact"] == "in_zibo"
    assert messages[0]["text"].startswith("抱歉，我没有理解您的意思。我刚才问的是")


async def test_what_if_answers_without_changing_the_recorded_facts() -> None:
    facts = {"asker": "person", "employer_type": "enterprise", "in_zibo": True, "certificate_level": "senior"}
    messages, slots = await run(ActionWhatIf(), tracker(
        "what_if", [{"entity": "certificate_level", "value": "technician"},
                    {"entity": "certificate_date", "value": "2027"}], "如果我明年考了技师呢？",
        slots={"facts": facts}))
    assert slots["facts"] == facts
    assert "第6条" in messages[0]["text"] and "2500元" in messages[0]["text"]
    assert messages[0]["custom"]["hypothetical"] is True


async def test_direct_amount_question_is_answered_at_once() -> None:
    messages, slots = await run(ActionAnswerMeasure(), tracker(
        "ask_amount", [{"entity": "award", "value": "national_silver"}], "全国技能大赛银牌奖励多少？"))
    text = messages[0]["text"]
    assert "第22条" in text and "8万元" in text
    row = next(m for m in messages[0]["custom"]["measures"] if m["measure"] == "national_competition_prize")
    assert row["amount"]["total_yuan"] == 80000
    assert not slots["facts"]  # a question is not a fact about the asker (unset or empty)


async def test_show_facts_lists_what_was_recorded() -> None:
    messages, _ = await run(ActionShowFacts(), tracker(
        "show_facts", [], "我的信息", slots={"facts": {"asker": "person", "certificate_level": "senior"}}))
    assert "高级工（三级）" in messages[0]["text"]


async def test_handoff_gives_a_six_character_code_and_keeps_it() -> None:
    messages, slots = await run(ActionHandoff(), tracker("ask_human", [], "转人工"))
    code = slots["consultation_code"]
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{6}}", code)
    assert code in messages[0]["text"] and "12333" in messages[0]["text"]
    assert messages[0]["custom"] == {"type": "consultation_code", "code": code, "hotline": "12333"}
    _, again = await run(ActionHandoff(), tracker("ask_human", [], "转人工", slots={"consultation_code": code}))
    assert again["consultation_code"] == code


async def test_the_web_channel_gets_a_short_text_beside_the_card() -> None:
    facts = {"school_type": "technical_school", "certificate_level": "senior", "graduation_date": "2025",
             "employer_type": "enterprise", "in_zibo": True, "awards": [], "talent_titles": [],
             "full_time_study": True, "full_time_job": True}
    state = DialogueStateTracker.from_events("web-user", [], slots=DOMAIN.slots)
    for event in (ActionExecuted("action_listen"), SlotSet("facts", facts),
                  UserUttered("我能享受什么", intent={"name": "ask_eligibility", "confidence": 1.0},
                              metadata={"channel": "web"})):
        state.update(event, DOMAIN)
    messages, _ = await run(ActionInterview(), Tracker.from_dict(state.current_state(EventVerbosity.AFTER_RESTART)))
    result = next(m for m in messages if m.get("custom"))
    assert result["text"].startswith("测算结果——可以享受：第4条技工院校毕业生生活补贴（500元/月×60个月=30000元）")
    assert len(result["text"]) < 400


async def test_an_unsure_short_answer_goes_to_the_pending_question_not_the_hotline() -> None:
    state = DialogueStateTracker.from_events("hr", [], slots=DOMAIN.slots)
    for event in (ActionExecuted("action_listen"),
                  SlotSet("facts", {"asker": "enterprise", "in_zibo": True}),
                  SlotSet("pending_fact", "new_senior_technician_count"),
                  UserUttered("1个", intent={"name": "ask_human", "confidence": 0.78})):
        state.update(event, DOMAIN)
    _, slots = await run(ActionHandoff(), Tracker.from_dict(state.current_state(EventVerbosity.AFTER_RESTART)))
    assert slots["facts"]["new_senior_technician_count"] == 1
    assert slots["consultation_code"] is None


async def test_an_hr_officer_s_head_count_is_recorded_for_the_enterprise() -> None:
    _, slots = await run(ActionInterview(), tracker(
        "inform", [{"entity": "asker", "value": "enterprise"}, {"entity": "count", "value": "3"},
                   {"entity": "certificate_level", "value": "technician"},
                   {"entity": "certificate_date", "value": "2026"}], "我们公司今年有3个员工新考了技师"))
    assert slots["facts"] == {"asker": "enterprise", "new_technician_count": 3}


async def test_yes_to_which_awards_asks_which_and_keeps_the_question() -> None:
    messages, slots = await run(ActionInterview(), tracker(
        "affirm", [], "是的", slots={"facts": {"asker": "person"}, "pending_fact": "awards"}))
    assert slots["pending_fact"] == "awards" and "具体" in messages[0]["text"]


async def test_an_organization_can_answer_the_platform_question_by_buttons() -> None:
    messages, slots = await run(ActionInterview(), tracker(
        "inform", [{"entity": "in_zibo", "value": "true"}], "在淄博",
        slots={"facts": {"asker": "school"}, "pending_fact": "in_zibo"}))
    question = messages[-1]
    assert slots["pending_fact"] in ("platforms", "school_achievements")
    titles = [b["title"] for b in question["buttons"]]
    assert len(titles) >= 10 and titles[-2:] == ["都没有", "不清楚"]


async def test_an_action_sets_only_the_slots_it_changes() -> None:
    recorded = {"facts": {"asker": "person", "certificate_level": "senior"}, "pending_fact": "in_zibo"}
    events = await ActionShowFacts().run(CollectingDispatcher(), tracker("show_facts", [], "我的信息", slots=recorded),
                                         DOMAIN.as_dict())
    assert slots_of(events) == {}
    events = await ActionInterview().run(CollectingDispatcher(), tracker(
        "inform", [{"entity": "in_zibo", "value": "true"}], "在淄博", slots=recorded), DOMAIN.as_dict())
    changed = slots_of(events)
    assert changed["facts"] == {"asker": "person", "certificate_level": "senior", "in_zibo": True}
    assert "pending_fact" in changed and changed["pending_fact"] != "in_zibo"


@pytest.mark.parametrize("action", [ActionInterview(), ActionAnswerMeasure(), ActionWhatIf(), ActionShowFacts(),
                                    ActionFallback()], ids=lambda a: a.name())
async def test_actions_do_not_need_the_domain(action: Any) -> None:
    """endpoints*.yml enable Rasa's selective domain: the action server gets no domain."""
    def run_with(domain: dict[str, Any]) -> Any:
        dispatcher = CollectingDispatcher()
        t = tracker("inform", GRADUATE_ENTITIES, "技校毕业高级工", slots={"facts": {"asker": "person"}})
        return dispatcher, action.run(dispatcher, t, domain)

    with_domain, pending = run_with(DOMAIN.as_dict())
    events_with = await pending
    without, pending = run_with({})
    assert await pending == events_with
    assert without.messages == with_domain.messages


async def test_two_different_values_for_one_fact_are_asked_about_not_guessed() -> None:
    messages, slots = await run(ActionInterview(), tracker(
        "inform", [{"entity": "graduation_date", "value": "2021"}, {"entity": "graduation_date", "value": "2022"},
                   {"entity": "certificate_level", "value": "senior"}],
        "我2021年毕业 2022年毕业的 高级工", slots={"facts": {"asker": "person", "graduation_date": "2019"}}))
    assert slots["facts"]["graduation_date"] == "2019"  # the value recorded before stays
    assert slots["facts"]["certificate_level"] == "senior"  # the rest of the message is recorded
    assert slots["pending_fact"] == "graduation_date"
    assert any("两种说法" in m["text"] and "2021" in m["text"] and "2022" in m["text"] for m in messages)
    assert not any(m.get("custom") for m in messages)  # no result computed from a guess


async def test_a_workplace_in_zibo_and_one_outside_in_one_message_is_asked_about() -> None:
    messages, slots = await run(ActionInterview(), tracker(
        "inform", [{"entity": "place", "value": "张店"}, {"entity": "place", "value": "济南"}],
        "公司在张店 总部在济南", slots={"facts": {"asker": "person"}}))
    assert "in_zibo" not in (slots["facts"] or {})
    assert slots["pending_fact"] == "in_zibo"
    assert [b["title"] for b in messages[-1]["buttons"]] == ["是", "否", "不清楚"]


async def test_the_same_value_twice_is_no_conflict() -> None:
    _, slots = await run(ActionInterview(), tracker(
        "inform", [{"entity": "place", "value": "张店"}, {"entity": "place", "value": "淄川"},
                   {"entity": "graduation_date", "value": "2023"}, {"entity": "graduation_date", "value": "2023"}],
        "张店 淄川都干过 2023年毕业", slots={"facts": {"asker": "person"}}))
    assert slots["facts"]["in_zibo"] is True and slots["facts"]["graduation_date"] == "2023"


async def test_an_amount_question_stating_the_askers_own_facts_records_them() -> None:
    """"我们公司今年有3个员工新考了技师，能拿多少补贴": no measure named, the facts are the asker's."""
    messages, slots = await run(ActionAnswerMeasure(), tracker(
        "ask_amount", [{"entity": "asker", "value": "enterprise"}, {"entity": "new_technician_count", "value": "3"}],
        "我们公司今年有3个员工新考了技师，能拿多少补贴"))
    assert slots["facts"]["asker"] == "enterprise" and slots["facts"]["new_technician_count"] == 3
    assert not any("想了解哪一项措施" in (m.get("text") or "") for m in messages)
    assert slots["pending_fact"] is not None or any(m.get("custom") for m in messages)


async def test_an_amount_question_without_measure_or_facts_asks_which_measure() -> None:
    messages, slots = await run(ActionAnswerMeasure(), tracker("ask_amount", [], "能给多少钱"))
    assert "想了解哪一项措施" in messages[0]["text"]
    assert not slots["facts"]


async def test_an_amount_question_without_measure_after_the_facts_works_them_out() -> None:
    """"能领多少" once the facts are known means "how much can I get": no "which measure?"."""
    messages, slots = await run(ActionAnswerMeasure(), tracker("ask_amount", [], "能领多少", slots={"facts": {
        "asker": "person", "graduation_date": "2025", "school_type": "technical_school",
        "certificate_level": "senior"}}))
    assert not any("想了解哪一项措施" in (m.get("text") or "") for m in messages)
    assert slots["pending_fact"] is not None or any(m.get("custom") for m in messages)


async def test_an_amount_question_answers_the_standard_for_a_head_count_and_cites_it() -> None:
    messages, slots = await run(ActionAnswerMeasure(), tracker(
        "ask_amount", [{"entity": "asker", "value": "enterprise"}, {"entity": "new_technician_count", "value": "3"},
                       {"entity": "new_senior_technician_count", "value": "2"}],
        "我们公司今年有3个员工新考了技师，2个新考了高级技师，能拿多少补贴"))
    text = "\n".join(m.get("text") or "" for m in messages)
    assert "已记录" in text and "第6条" in text and "2500元" in text and "3000元" in text
    assert slots["facts"]["new_senior_technician_count"] == 2
    assert slots["asked_articles"] == [6]


async def test_the_asked_articles_answer_comes_as_soon_as_it_is_decided() -> None:
    facts = {"asker": "enterprise", "new_technician_count": 3, "new_senior_technician_count": 2}
    messages, slots = await run(ActionInterview(), tracker(
        "inform", [{"entity": "in_zibo", "value": "true"}], "在淄博",
        slots={"facts": facts, "pending_fact": "in_zibo", "asked_articles": [6]}))
    answer = next(m for m in messages if "关于您问的" in (m.get("text") or ""))
    assert "第6条" in answer["text"] and "13500元" in answer["text"]
    rows = answer["custom"]["measures"]
    assert {r["article"] for r in rows} == {6} and all(r["status"] == "applies" for r in rows)
    assert slots["pending_fact"] not in (None, "in_zibo")  # the interview goes on
    # Nothing newly decided for an article nobody asked about: no such message.
    messages, _ = await run(ActionInterview(), tracker(
        "inform", [{"entity": "in_zibo", "value": "true"}], "在淄博",
        slots={"facts": facts, "pending_fact": "in_zibo"}))
    assert not any("关于您问的" in (m.get("text") or "") for m in messages)


# A level named in an amount question: the figure for that level, the measure's other
# conditions still to be met (docs/nlu-annotation.md: the NLU annotates what is named).


def _answer_lines(messages: list[dict[str, Any]]) -> list[str]:
    return [line for m in messages for line in (m.get("text") or "").splitlines()]


async def test_an_amount_question_naming_a_level_gives_that_levels_figure_as_a_standard() -> None:
    messages, slots = await run(ActionAnswerMeasure(), tracker(
        "ask_amount", [{"entity": "certificate_level", "value": "senior"},
                       {"entity": "measure", "value": "graduate_living_allowance"}], "高级工的生活补贴每月多少"))
    expected = "  按您问的情况（高级工（三级））：500元/月×60个月=30000元（还须符合上述其他条件）"
    assert expected in _answer_lines(messages)
    row = next(r for r in messages[0]["custom"]["measures"] if r["measure"] == "graduate_living_allowance")
    assert row["article"] == 4 and row["status"] == "undecided"  # nothing about the asker is known yet
    assert not slots["facts"]  # the level asked about is not recorded as the asker's


async def test_a_level_the_text_leaves_open_gets_the_reading_and_no_figure() -> None:
    messages, _ = await run(ActionAnswerMeasure(), tracker(
        "ask_amount", [{"entity": "certificate_level", "value": "technician"},
                       {"entity": "measure", "value": "graduate_living_allowance"}], "技师的生活补贴每月多少"))
    line = next(x for x in _answer_lines(messages) if x.startswith("  按您问的情况（技师（二级））"))
    assert "文件没有写明" in line and "元" not in line.replace("第4条", "")


async def test_a_level_outside_the_measure_is_said_to_be_outside() -> None:
    messages, _ = await run(ActionAnswerMeasure(), tracker(
        "ask_amount", [{"entity": "certificate_level", "value": "junior"},
                       {"entity": "measure", "value": "graduate_living_allowance"}], "初级工的生活补贴每月多少"))
    line = next(x for x in _answer_lines(messages) if x.startswith("  按您问的情况（初级工（五级））"))
    assert line.startswith("  按您问的情况（初级工（五级））：不符合条件")


async def test_measures_paying_by_the_named_level_come_first() -> None:
    """"新考上高级技师一次性给多少": 第4条 and 第6条 (paid by level) before the 第2条 selections."""
    messages, _ = await run(ActionAnswerMeasure(), tracker(
        "ask_amount", [{"entity": "certificate_level", "value": "senior_technician"}], "新考上高级技师一次性给多少"))
    cited = re.findall(r"^(第\d+条) ", messages[0]["text"], flags=re.M)
    assert cited[:2] == ["第4条", "第6条"]
    assert "  按您问的情况（高级技师（一级））：3000元（还须符合上述其他条件）" in _answer_lines(messages)


def ranked(text: str, ranking: list[tuple[str, float]], entities: list[dict[str, Any]] | None = None,
           slots: dict[str, Any] | None = None) -> Tracker:
    """A tracker whose latest message has FallbackClassifier's ranking (nlu_fallback first)."""
    state = DialogueStateTracker.from_events("test-user", [], slots=DOMAIN.slots)
    intents = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    events: list[Any] = [ActionExecuted("action_listen")]
    events += [SlotSet(name, value) for name, value in (slots or {}).items()]
    events.append(UserUttered(text, intent=intents[0], entities=entities or [], parse_data={
        "text": text, "intent": intents[0], "entities": entities or [], "intent_ranking": intents}))
    for event in events:
        state.update(event, DOMAIN)
    return Tracker.from_dict(state.current_state(EventVerbosity.AFTER_RESTART))


AWARDS = [{"entity": "award", "value": "provincial_silver"}, {"entity": "award", "value": "city_class1_first"}]
PRIZE_QUESTION = "我去年拿了省技能大赛的银牌，今年又拿了市级一类竞赛第一名，能奖励多少"


async def test_two_close_question_intents_are_answered_as_the_top_one() -> None:
    """The case the smoke run found: ask_amount 0.43 against ask_eligibility 0.35 fell back,
    and the prize question was read as a statement and answered with interview questions."""
    messages, _ = await run(ActionFallback(), ranked(PRIZE_QUESTION, [
        ("nlu_fallback", 0.3), ("ask_amount", 0.43), ("ask_eligibility", 0.35), ("correct", 0.11)], AWARDS))
    text = "\n".join(m.get("text") or "" for m in messages)
    assert "第22条" in text and "8000元" in text and "5000元" in text, text


async def test_close_question_intents_led_by_ask_eligibility_give_the_result() -> None:
    facts = {"asker": "person", "awards": ["provincial_silver"]}
    messages, _ = await run(ActionFallback(), ranked("我这种情况能享受哪些，给多少", [
        ("nlu_fallback", 0.3), ("ask_eligibility", 0.41), ("ask_amount", 0.36)], slots={"facts": facts}))
    result = next(m for m in messages if m.get("custom"))
    row = next(r for r in result["custom"]["measures"] if r["measure"] == "provincial_competition_prize")
    assert row["status"] == "applies" and row["amount"]["total_yuan"] == 8000


@pytest.mark.parametrize("ranking", [
    [("nlu_fallback", 0.3), ("ask_amount", 0.28), ("ask_eligibility", 0.25)],  # below the threshold
    [("nlu_fallback", 0.3), ("ask_amount", 0.40), ("inform", 0.35)],  # a question or a statement
    [("nlu_fallback", 0.3), ("affirm", 0.40), ("ask_amount", 0.35)],
    [("ask_amount", 0.9), ("ask_eligibility", 0.05), ("inform", 0.05)],  # no fallback at all
    [("nlu_fallback", 0.3)],
])
async def test_other_fallbacks_are_not_taken_as_questions(ranking: list[tuple[str, float]]) -> None:
    assert ambiguous_question(ranked(PRIZE_QUESTION, ranking, AWARDS)) is None


async def test_a_short_answer_to_the_pending_question_stays_an_answer() -> None:
    _, slots = await run(ActionFallback(), ranked("2019年", [
        ("nlu_fallback", 0.3), ("ask_amount", 0.40), ("ask_measure", 0.33)],
        [{"entity": "year", "value": "2019"}], slots={"facts": {"asker": "person"}, "pending_fact": "graduation_date"}))
    assert slots["facts"]["graduation_date"] == "2019"


@pytest.mark.parametrize("text", ["二十来个", "大概三百多人吧", "十几个"])
async def test_a_rough_head_count_is_asked_for_exactly(text: str) -> None:
    """The NLU gives no figure for a lower bound; the interview says why it asks again."""
    facts = {"asker": "enterprise", "in_zibo": True}
    for action, intent in ((ActionInterview(), "inform"), (ActionFallback(), "nlu_fallback")):
        messages, slots = await run(action, tracker(intent, [], text, slots={
            "facts": facts, "pending_fact": "new_technician_count"}))
        assert "需要具体的数字才能测算金额" in messages[0]["text"], messages
        assert "new_technician_count" not in slots["facts"]
        assert slots["pending_fact"] == "new_technician_count"
