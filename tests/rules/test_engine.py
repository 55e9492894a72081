"""The engine's own guarantees, beyond the YAML cases: unknown is not false, ranking, output form."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest

from bot.rules import STATUSES, FactError, evaluate, explain, knowledge, next_questions, standard_amount

AS_OF = dt.date(2026, 11, 25)
GRADUATE = {
    "school_type": "technical_school",
    "full_time_study": True,
    "certificate_level": "senior",
    "graduation_date": "2025-06",
    "employer_type": "enterprise",
    "in_zibo": True,
    "full_time_job": True,
}


def random_facts(rng: random.Random) -> dict[str, object]:
    kb = knowledge()
    facts: dict[str, object] = {}
    for name, fact in kb.facts.items():
        if rng.random() < 0.5:
            continue
        if fact.type == "enum":
            facts[name] = rng.choice(list(fact.values))
        elif fact.type == "set":
            facts[name] = rng.sample(list(fact.values), rng.randint(0, 2))
        elif fact.type == "bool":
            facts[name] = rng.random() < 0.5
        elif fact.type == "int":
            facts[name] = rng.randint(0, 30)
        elif fact.type == "money":
            facts[name] = rng.choice([0, 150000, 200000, 250000, 400000])
        else:
            year = rng.randint(2015, 2026)
            facts[name] = str(year) if rng.random() < 0.5 else f"{year}-{rng.randint(1, 12):02d}"
    return facts


def test_no_facts_leaves_everything_undecided_and_asks_who_is_asking_first() -> None:
    kb = knowledge()
    result = evaluate(kb, {}, AS_OF)
    assert {r.status for r in result.results} == {"undecided"}
    assert next_questions(kb, result)[0].fact == "asker"


@pytest.mark.parametrize("seed", range(300))
def test_adding_a_fact_never_turns_a_decided_status_around(seed: int) -> None:
    """Monotonic: applies/not_applicable decided on fewer facts stay so when more facts arrive,
    except through the facts that were reported missing (precision of dates included)."""
    kb = knowledge()
    rng = random.Random(seed)
    full = random_facts(rng)
    # `asker` stays: without it the engine infers one from the other facts, and an inference
    # is rightly overridden by what the user says.
    partial = {k: v for k, v in full.items() if k == "asker" or rng.random() < 0.6}
    before = evaluate(kb, partial, AS_OF)
    after = evaluate(kb, full, AS_OF)
    for b in before.results:
        a = after.get(b.measure.id)
        if b.status == "not_applicable":
            # Being selected (入选) is the one fact that overrides pre-selection conditions.
            selected_now = a.status == "applies" and b.measure.selected_when is not None
            assert a.status == "not_applicable" or selected_now, (b.measure.id, partial, full)


@pytest.mark.parametrize("seed", range(200))
def test_results_are_well_formed_for_random_facts(seed: int) -> None:
    kb = knowledge()
    result = evaluate(kb, random_facts(random.Random(seed)), AS_OF)
    payload = result.to_dict()
    assert payload["type"] == "eligibility_result"
    for m in payload["measures"]:
        assert isinstance(m["article"], int) and 1 <= m["article"] <= 26
        assert m["status"] in STATUSES
        if m["status"] == "undecided":
            assert m["reason"]
        if m["amount"] and m["amount"]["total_yuan"] is not None:
            assert m["amount"]["total_yuan"] >= 0
            assert re.search(r"\d+(万元|元)", m["amount"]["text"])
    text = explain(kb, result)
    assert "以主管部门审核认定为准" in text
    for cited in re.findall(r"第(\d+)条", text):
        assert 1 <= int(cited) <= 26


def test_missing_fact_is_undecided_not_refused() -> None:
    kb = knowledge()
    facts = dict(GRADUATE)
    del facts["in_zibo"]
    r = evaluate(kb, facts, AS_OF).get("graduate_living_allowance")
    assert r.status == "undecided"
    assert r.missing == ["in_zibo"]


def test_a_recent_graduate_is_not_asked_when_they_started_work() -> None:
    kb = knowledge()
    result = evaluate(kb, GRADUATE, AS_OF)
    r = result.get("graduate_living_allowance")
    assert r.status == "applies"
    assert r.amount is not None and r.amount.text == "500元/月×60个月=30000元"
    assert "employment_start_date" not in {q.fact for q in next_questions(kb, result)}


def test_questions_follow_the_conditions_in_order() -> None:
    kb = knowledge()
    result = evaluate(kb, {"asker": "person", "in_zibo": True}, AS_OF)
    facts = [q.fact for q in next_questions(kb, result)]
    assert "leader_hiring_mode" not in facts  # only relevant once someone is a skill leader
    assert "school_type" in facts
    assert "full_time_study" not in facts  # asked once the school type is known


def test_year_only_date_on_the_policy_start_year_asks_for_the_month() -> None:
    kb = knowledge()
    facts = {**GRADUATE, "graduation_date": "2020", "employment_start_date": "2022"}
    result = evaluate(kb, facts, AS_OF)
    assert result.get("graduate_living_allowance").missing == ["employment_start_date"]
    question = next(q for q in next_questions(kb, result) if q.fact == "employment_start_date")
    assert question.precision and "几月" in question.text


def test_bad_facts_raise_fact_errors_naming_the_fact_and_allowed_values() -> None:
    kb = knowledge()
    with pytest.raises(FactError) as caught:
        evaluate(kb, {"certificate_level": "大师"}, AS_OF)
    assert caught.value.fact == "certificate_level" and "technician" in caught.value.allowed
    with pytest.raises(FactError):
        evaluate(kb, {"graduation_date": "2021-13"}, AS_OF)
    with pytest.raises(FactError):
        evaluate(kb, {"new_technician_count": -1}, AS_OF)
    with pytest.raises(FactError):
        evaluate(kb, {"no_such_fact": 1}, AS_OF)


def test_explanation_cites_articles_and_arabic_amounts() -> None:
    kb = knowledge()
    text = explain(kb, evaluate(kb, GRADUATE, AS_OF))
    assert "第4条" in text and "30000元" in text and "本人" in text
    assert "人社服务热线12333" in text


def test_the_policy_start_date_is_respected() -> None:
    kb = knowledge()
    result = evaluate(kb, GRADUATE, dt.date(2022, 7, 25))
    assert {r.status for r in result.results} == {"not_applicable"}


@pytest.mark.parametrize("seed", range(300))
def test_the_standard_amount_is_what_the_measure_pays_when_it_applies(seed: int) -> None:
    """standard_amount (the figure for a level asked about, before the rest is known) never
    states a figure evaluate would not: same text where the measure pays, withheld where an
    ambiguity withholds it."""
    kb = knowledge()
    result = evaluate(kb, random_facts(random.Random(seed)), AS_OF)
    for r in result.results:
        if r.status not in ("applies", "may_apply"):
            continue
        standard = standard_amount(kb, r.measure.id, result.facts, AS_OF)
        if standard is None:
            continue
        if r.amount is None:  # withheld by an ambiguity
            assert standard.amount is None and standard.reading
        elif standard.amount is not None:
            assert standard.amount.text == r.amount.text


def test_the_standard_amount_needs_every_fact_that_sets_it() -> None:
    kb = knowledge()
    assert standard_amount(kb, "graduate_living_allowance", {}, AS_OF) is None
    assert standard_amount(kb, "publicity", {"certificate_level": "senior"}, AS_OF) is None  # pays nothing
    senior = standard_amount(kb, "graduate_living_allowance", {"certificate_level": "senior"}, AS_OF)
    assert senior is not None and senior.facts == ("certificate_level",)
    assert senior.amount is not None and senior.amount.total_yuan == 30000
    technician = standard_amount(kb, "graduate_living_allowance", {"certificate_level": "technician"}, AS_OF)
    assert technician is not None and technician.amount is None and "文件没有写明" in (technician.reading or "")
    gold = standard_amount(kb, "national_competition_prize", {"awards": ["national_gold"]}, AS_OF)
    assert gold is not None and gold.amount is not None and gold.amount.total_yuan == 100000


def test_no_allowance_is_granted_before_graduation() -> None:
    """第4条 pays graduates: a graduation still to come ("明年6月毕业"), or work begun before
    graduating, is never 'applies' with a figure; it stays undecided with the reason said."""
    kb = knowledge()
    future = {**GRADUATE, "graduation_date": "2027-06", "employment_start_date": "2026-03"}
    r = evaluate(kb, future, AS_OF).get("graduate_living_allowance")
    assert r.status == "undecided" and r.amount is None
    assert "尚未到来" in explain(kb, evaluate(kb, future, AS_OF))
    no_start = {**GRADUATE, "graduation_date": "2027-06"}
    assert evaluate(kb, no_start, AS_OF).get("graduate_living_allowance").status == "undecided"
    before = {**GRADUATE, "graduation_date": "2025-06", "employment_start_date": "2024-03"}
    r = evaluate(kb, before, AS_OF).get("graduate_living_allowance")
    assert r.status == "undecided" and r.amount is None
    assert "早于毕业" in explain(kb, evaluate(kb, before, AS_OF))
    # work that starts next month has not started
    starting = {**GRADUATE, "employment_start_date": "2026-12"}
    assert evaluate(kb, starting, AS_OF).get("graduate_living_allowance").status == "undecided"
    # the ordinary case still pays
    after = {**GRADUATE, "employment_start_date": "2025-08"}
    assert evaluate(kb, after, AS_OF).get("graduate_living_allowance").status == "applies"


def test_a_graduation_year_and_a_start_month_of_that_year_ask_for_the_graduation_month() -> None:
    """"2025年毕业，2025年3月入职": work may have begun before graduating, so the month is
    asked for instead of counting it within the five years; once known, it decides."""
    kb = knowledge()
    facts = {**GRADUATE, "graduation_date": "2025", "employment_start_date": "2025-03"}
    result = evaluate(kb, facts, AS_OF)
    r = result.get("graduate_living_allowance")
    assert r.status == "undecided" and r.amount is None
    assert r.blocking == ["graduation_date"]
    assert "graduation_date" in [q.fact for q in next_questions(kb, result)]
    assert evaluate(kb, {**facts, "graduation_date": "2025-01"}, AS_OF).get(
        "graduate_living_allowance").status == "applies"
    assert evaluate(kb, {**facts, "graduation_date": "2025-06"}, AS_OF).get(
        "graduate_living_allowance").status == "undecided"
    # without a start date, a recent graduation year is still enough
    year_only = {**GRADUATE, "graduation_date": "2025"}
    assert evaluate(kb, year_only, AS_OF).get("graduate_living_allowance").status == "applies"
