"""The money of 技能兴淄 as data: every case in ``tests/rules/cases/*.yml`` is one test.

Each case is what the policy text demands for one situation (written from the policy,
independently of the rule data), evaluated with the shared engine::

    - name: 一句话描述（热线工作人员会说的话）
      as_of: 2026-11-25
      facts: {asker: person, ...}            # a null value means "unknown"
      expect:
        <measure id>:
          status: applies | may_apply | undecided | not_applicable
          total_yuan: 30000                  # null: no exact figure (ceiling or unstated)
          max_yuan: 100000
          missing: [fact, ...]               # compared as a set
          missing_includes: [fact, ...]      # a subset of the facts still needed
          cumulative: false                  # 就高不就低: left out of the total
          text_contains: 最高                 # a string in the amount's text
          notes_contain: 同一职业              # a string in one of the measure's notes
      expect_total_yuan: 30000               # Evaluation.total_yuan

The checks at the bottom keep the case files honest: only known measure ids, facts and
expectation keys, unique names, and every monetary measure covered at least three times
(an applying case, a not-applicable case and a missing-fact case among them).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.rules import FactError, evaluate, knowledge, normalize_facts

CASES_DIR = Path(__file__).parent / "cases"
CASE_KEYS = {"name", "as_of", "facts", "expect", "expect_total_yuan"}
EXPECT_KEYS = {
    "status",
    "total_yuan",
    "max_yuan",
    "missing",
    "missing_includes",
    "cumulative",
    "text_contains",
    "notes_contain",
}
STATUSES = {"applies", "may_apply", "undecided", "not_applicable"}


def _load_cases() -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, list):
            raise AssertionError(f"{path.name}: a case file is a YAML list of cases")
        for i, case in enumerate(data):
            if not isinstance(case, dict) or "name" not in case:
                raise AssertionError(f"{path.name}: case #{i + 1} is not a mapping with a name")
            cases.append((path.name, case))
    return cases


CASES = _load_cases()


def _as_of(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _same_money(actual: float | None, expected: float | None) -> bool:
    if expected is None or actual is None:
        return actual is None and expected is None
    return actual == pytest.approx(expected, abs=0.005)


@pytest.fixture(scope="module")
def kb():
    return knowledge()


@pytest.mark.parametrize("source,case", CASES, ids=[c["name"] for _, c in CASES])
def test_case(kb, source: str, case: dict[str, Any]) -> None:
    facts = case.get("facts") or {}
    evaluation = evaluate(kb, facts, _as_of(case["as_of"]))
    problems: list[str] = []
    for measure_id, want in (case.get("expect") or {}).items():
        result = evaluation.get(measure_id)
        amount = result.amount
        total = amount.total_yuan if amount else None
        ceiling = amount.max_yuan if amount else None
        text = amount.text if amount else None
        got: dict[str, Any] = {
            "status": result.status,
            "total_yuan": amount.total_yuan if amount else None,
            "max_yuan": amount.max_yuan if amount else None,
            "missing": sorted(result.missing),
            "cumulative": result.cumulative,
            "text": amount.text if amount else None,
        }
        context = (
            f"{measure_id}: got status={got['status']} total={got['total_yuan']} "
            f"max={got['max_yuan']} missing={got['missing']} cumulative={got['cumulative']} "
            f"text={got['text']!r} reason={result.reason!r}"
        )
        if "status" in want and want["status"] != result.status:
            problems.append(f"status: expected {want['status']}; {context}")
        if "total_yuan" in want and not _same_money(total, want["total_yuan"]):
            problems.append(f"total_yuan: expected {want['total_yuan']}; {context}")
        if "max_yuan" in want and not _same_money(ceiling, want["max_yuan"]):
            problems.append(f"max_yuan: expected {want['max_yuan']}; {context}")
        if "missing" in want and set(want["missing"]) != set(result.missing):
            problems.append(f"missing: expected {sorted(want['missing'])}; {context}")
        if "missing_includes" in want and not set(want["missing_includes"]) <= set(result.missing):
            lacking = sorted(set(want["missing_includes"]) - set(result.missing))
            problems.append(f"missing_includes: {lacking} not named as missing; {context}")
        if "cumulative" in want and want["cumulative"] != result.cumulative:
            problems.append(
                f"cumulative: expected {want['cumulative']} (superseded_by={result.superseded_by}); {context}"
            )
        if "text_contains" in want and (text is None or want["text_contains"] not in text):
            problems.append(f"text_contains: {want['text_contains']!r} not in amount text; {context}")
        if "notes_contain" in want and not any(want["notes_contain"] in n for n in result.notes):
            problems.append(f"notes_contain: {want['notes_contain']!r} not in notes {result.notes}; {context}")
    if "expect_total_yuan" in case and not _same_money(evaluation.total_yuan, case["expect_total_yuan"]):
        counted = [
            (r.measure.id, r.amount.total_yuan)
            for r in evaluation.results
            if r.status == "applies" and r.cumulative and r.amount is not None and r.amount.total_yuan is not None
        ]
        problems.append(
            f"expect_total_yuan: expected {case['expect_total_yuan']}, got {evaluation.total_yuan} from {counted}"
        )
    assert not problems, f"[{source}] {case['name']}\n  " + "\n  ".join(problems)


# ---- the case files themselves ----


def test_there_are_cases() -> None:
    assert CASES, f"no cases found in {CASES_DIR}"


def test_case_names_are_unique() -> None:
    counts = Counter(c["name"] for _, c in CASES)
    duplicates = [name for name, n in counts.items() if n > 1]
    assert not duplicates, f"duplicate case names: {duplicates}"


def test_cases_use_known_keys_measures_and_facts(kb) -> None:
    problems = []
    for source, case in CASES:
        where = f"{source}: {case['name']}"
        extra = set(case) - CASE_KEYS
        if extra:
            problems.append(f"{where}: unknown case keys {sorted(extra)} (allowed: {sorted(CASE_KEYS)})")
        if "as_of" not in case:
            problems.append(f"{where}: no as_of")
        else:
            try:
                _as_of(case["as_of"])
            except ValueError:
                problems.append(f"{where}: as_of {case['as_of']!r} is not a date")
        facts = case.get("facts") or {}
        unknown = sorted(set(facts) - set(kb.facts))
        if unknown:
            problems.append(f"{where}: unknown facts {unknown}")
        else:
            try:
                normalize_facts(kb, facts)
            except FactError as error:
                problems.append(f"{where}: bad fact value: {error} (allowed: {error.allowed})")
        expect = case.get("expect") or {}
        if not expect and "expect_total_yuan" not in case:
            problems.append(f"{where}: expects nothing")
        for measure_id, want in expect.items():
            if measure_id not in kb.measures:
                problems.append(f"{where}: unknown measure id {measure_id!r}")
                continue
            if not isinstance(want, dict):
                problems.append(f"{where}: {measure_id}: expectation must be a mapping")
                continue
            bad_keys = set(want) - EXPECT_KEYS
            if bad_keys:
                problems.append(f"{where}: {measure_id}: unknown expectation keys {sorted(bad_keys)}")
            if "status" in want and want["status"] not in STATUSES:
                problems.append(f"{where}: {measure_id}: unknown status {want['status']!r}")
            for key in ("missing", "missing_includes"):
                for name in want.get(key) or []:
                    if name not in kb.facts:
                        problems.append(f"{where}: {measure_id}: {key} names unknown fact {name!r}")
    assert not problems, "\n".join(problems)


def test_every_monetary_measure_is_covered(kb) -> None:
    """At least 3 cases per monetary measure, with an applying (or may-apply), a
    not-applicable and an undecided one among them."""
    monetary = [m.id for m in kb.measures.values() if m.kind != "non_monetary"]
    seen: dict[str, Counter] = defaultdict(Counter)
    for _, case in CASES:
        for measure_id, want in (case.get("expect") or {}).items():
            status = want.get("status", "?") if isinstance(want, dict) else "?"
            seen[measure_id][status] += 1
    problems = []
    for measure_id in monetary:
        statuses = seen.get(measure_id, Counter())
        total = sum(statuses.values())
        if total < 3:
            problems.append(f"{measure_id}: {total} case(s), need at least 3")
        if not (statuses["applies"] or statuses["may_apply"]):
            problems.append(f"{measure_id}: no case where it applies (or may apply)")
        if not statuses["not_applicable"]:
            problems.append(f"{measure_id}: no not-applicable case")
        if not statuses["undecided"]:
            problems.append(f"{measure_id}: no missing-fact (undecided) case")
    assert not problems, "monetary measures not covered well enough:\n" + "\n".join(problems)
