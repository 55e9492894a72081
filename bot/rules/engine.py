"""The rule engine: facts in, a status, an amount and a reason for every measure out.

Three-valued logic throughout: a condition over a fact nobody has told us is
*unknown*, never false, so a missing fact gives ``undecided`` and names the fact
that would decide it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.rules.amounts import AmountResult, compute, yuan
from bot.rules.facts import normalize_facts, parse_yearmonth, to_json_value
from bot.rules.model import Condition, Knowledge, Measure, Status

Truth = bool | None

# Facts only a person speaking for themselves would tell; they imply asker=person.
_PERSON_ONLY_HINT = "person"


@dataclass(slots=True)
class _Trace:
    """What a condition evaluation learned: unmet requirements and facts still needed."""

    failed: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _month_range(value: str | None, lower: int | None, upper: int) -> tuple[int, int] | None:
    """A yearmonth as an inclusive range of month indexes (year*12+month-1)."""
    if value is None:
        if lower is None:
            return None
        return lower, upper
    year, month = parse_yearmonth(value)
    if month is None:
        return year * 12, year * 12 + 11
    return year * 12 + month - 1, year * 12 + month - 1


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


_SIMPLE_OPS = {
    "in": lambda value, c: value in c.values,
    "not_in": lambda value, c: value not in c.values,
    "is": lambda value, c: value == c.values[0],
    "contains_any": lambda value, c: not value.isdisjoint(c.values),
    "excludes_all": lambda value, c: value.isdisjoint(c.values),
}


def _check(cond: Condition, facts: Mapping[str, Any], measure: Measure, as_of: dt.date,
           trace: _Trace) -> Truth:
    op = cond.op
    simple = _SIMPLE_OPS.get(op)
    if simple is not None:  # the hot path: most conditions are plain comparisons
        value = facts.get(cond.fact)  # type: ignore[arg-type]
        if value is None:
            trace.pending.append(cond.label)
            trace.missing.append(cond.fact)  # type: ignore[arg-type]
            return None
        if simple(value, cond):
            return True
        if cond.label:
            trace.failed.append(cond.label)
        return False
    if op == "all" or op == "any":
        results = [_check(c, facts, measure, as_of, trace) for c in cond.children]
        if op == "all":
            if False in results:
                return False
            return None if None in results else True
        if True in results:
            return True
        if None in results:
            return None
        if cond.label:
            trace.failed.append(cond.label)
        return False

    assert cond.fact is not None
    value = facts.get(cond.fact)
    result: Truth
    if op == "on_or_after":
        assert cond.date is not None
        lower = None
        if cond.unknown_from is not None and facts.get(cond.unknown_from) is not None:
            rng = _month_range(facts[cond.unknown_from], None, 0)
            lower = rng[0] if rng else None
        span = _month_range(value, lower, _month_index(as_of))
        threshold = _month_index(cond.date)
        if value is not None and span is not None and span[0] > _month_index(as_of):
            # "下个月入职": what the condition dates has not happened yet.
            trace.pending.append(f"{cond.label}（所填日期尚未到来，需届时核定）")
            return None
        if span is None:
            # Ask first for the fact that bounds this one (it often decides both).
            trace.pending.append(cond.label)
            trace.missing.append(cond.unknown_from or cond.fact)
            return None
        elif span[0] > threshold:
            result = True
        elif span[1] < threshold:
            result = False
        else:
            result = None
        # A month equal to the threshold's month cannot be decided by asking again.
        if result is None and span is not None and value is not None and span[0] == span[1]:
            trace.pending.append(f"{cond.label}（需按具体日期核定）")
            return None
    elif op == "within":
        assert cond.other is not None and cond.months is not None
        start = _month_range(value, None, 0)
        if start is None:
            result = None
            end = None
        else:
            end = _month_range(facts.get(cond.other), start[0], _month_index(as_of))
        if start is not None and start[0] > _month_index(as_of):
            # "明年6月毕业": the start (graduation) has not happened yet, so the period has not
            # begun; nothing can be granted before it.
            trace.pending.append(f"{cond.label}（所填日期尚未到来，需届时核定）")
            return None
        if start is not None and end is not None:
            low = end[0] - start[1]
            high = end[1] - start[0]
            if high < 0:
                # Started work before the period began (before graduating): "毕业五年内新到…工作"
                # does not say whether that counts; the office decides, the assistant does not.
                trace.pending.append(f"{cond.label}（所填到单位工作时间早于毕业时间，需核实）")
                return None
            if low < 0 and facts.get(cond.other) is not None:
                # "2025年毕业，2025年3月入职": the months may be in either order; ask for them
                # (below) rather than count work begun before graduating as within the period.
                result = None
            elif high < cond.months:
                result = True
            elif low > cond.months:
                result = False
            elif low == high == cond.months:
                trace.pending.append(f"{cond.label}（恰好满{cond.months // 12}年，需按具体日期核定）")
                return None
            else:
                result = None
        if result is None:
            trace.pending.append(cond.label)
            names = (cond.fact, cond.other) if start is not None else (cond.fact,)
            for name in names:
                if facts.get(name) is None or parse_yearmonth(facts[name])[1] is None:
                    trace.missing.append(name)
            return None
        if result is False and cond.label:
            trace.failed.append(cond.label)
        return result
    elif value is None:
        result = None
    elif op in ("gte", "lte"):
        bound = cond.number
        if cond.param is not None:
            bound = measure.parameters[cond.param].at(as_of)
        assert bound is not None
        result = value >= bound if op == "gte" else value <= bound
    else:  # pragma: no cover - the loader refuses other ops
        raise ValueError(op)

    if result is None:
        trace.pending.append(cond.label)
        trace.missing.append(cond.fact)
    elif result is False and cond.label:
        trace.failed.append(cond.label)
    return result


@dataclass(slots=True)
class MeasureResult:
    measure: Measure
    status: Status
    given_reason: str
    missing: list[str]
    amount: AmountResult | None
    notes: list[str] = field(default_factory=list)
    reading: str | None = None
    cumulative: bool = True
    superseded_by: str | None = None
    blocking: list[str] = field(default_factory=list)  # the facts to ask next (first open condition)
    pending: list[str] | None = None  # open requirements of an undecided measure (the reason, built lazily)
    failed: list[str] | None = None  # the unmet requirement of a measure that does not apply

    @property
    def reason(self) -> str:
        """Why this status, in Chinese (built on demand: most results are never read)."""
        if self.failed is not None:
            return "不符合条件：" + "；".join(self.failed)
        if self.pending is None:
            return self.given_reason
        text = "；".join(p for p in dict.fromkeys(self.pending) if p)
        return f"还需确认：{text}" if text else "还需确认相关情况"

    @property
    def article(self) -> int:
        return self.measure.article

    @property
    def comparable_yuan(self) -> float | None:
        if self.amount is None:
            return None
        return self.amount.total_yuan if self.amount.total_yuan is not None else self.amount.max_yuan

    def to_dict(self) -> dict[str, Any]:
        m = self.measure
        return {
            "article": m.article,
            "measure": m.id,
            "title": m.name,
            "article_title": m.article_title,
            "citation": m.citation,
            "kind": m.kind,
            "status": self.status,
            "beneficiary": m.beneficiary,
            "amount": self.amount.to_dict() if self.amount is not None else None,
            "missing": list(self.missing),
            "reason": self.reason,
            "reading": self.reading,
            "notes": list(self.notes),
            "cumulative": self.cumulative,
            "superseded_by": self.superseded_by,
            "responsible_units": list(m.responsible_units),
            "how_to_apply": m.how_to_apply,
            "funding": [{"payer": f.payer, "share": f.share} for f in m.funding],
        }


@dataclass
class Evaluation:
    as_of: dt.date
    facts: dict[str, Any]
    results: list[MeasureResult]
    notes: list[str]

    def get(self, measure_id: str) -> MeasureResult:
        for r in self.results:
            if r.measure.id == measure_id:
                return r
        raise KeyError(measure_id)

    @property
    def total_yuan(self) -> float:
        """Money that applies for certain: exact totals of cumulative, applying measures."""
        return sum(r.amount.total_yuan for r in self.results
                   if r.status == "applies" and r.cumulative and r.amount is not None
                   and r.amount.total_yuan is not None)

    def to_dict(self) -> dict[str, Any]:
        total = self.total_yuan
        return {
            "type": "eligibility_result",
            "as_of": self.as_of.isoformat(),
            "facts": {k: to_json_value(v) for k, v in self.facts.items()},
            "measures": [r.to_dict() for r in self.results],
            "total_yuan": int(total) if total == int(total) else round(total, 2),
            "notes": list(self.notes),
        }


def infer_facts(knowledge: Knowledge, facts: Mapping[str, Any]) -> dict[str, Any]:
    """Facts implied by others: telling a graduation year or a certificate means you speak as a person."""
    out = dict(facts)
    if "asker" not in out:
        for name in out:
            if knowledge.facts[name].audience == (_PERSON_ONLY_HINT,):
                out["asker"] = "person"
                break
    return out


_AMOUNT_FACTS: dict[int, tuple[str, ...]] = {}
_AMOUNT_CACHE: dict[tuple[Any, ...], AmountResult] = {}
_AMOUNT_CACHE_SIZE = 4096


def _amount_facts(m: Measure) -> tuple[str, ...]:
    names = _AMOUNT_FACTS.get(id(m))
    if names is None:
        found: list[str] = []
        for a in m.amounts:
            found += [f for f in (a.by, a.base) if f]
            if a.count_is_fact and a.count:
                found.append(a.count)
            found += [i.count_fact for i in a.items]
        names = _AMOUNT_FACTS[id(m)] = tuple(dict.fromkeys(found))
    return names


def _amount(m: Measure, facts: Mapping[str, Any], as_of: dt.date,
            labels: Mapping[str, Mapping[str, str]]) -> AmountResult:
    """compute(), memoised on the few facts an amount depends on (results are never mutated)."""
    key = (id(m), as_of, *(facts.get(f) for f in _amount_facts(m)))
    cached = _AMOUNT_CACHE.get(key)
    if cached is None or cached.measure_id != m.id:
        if len(_AMOUNT_CACHE) >= _AMOUNT_CACHE_SIZE:
            _AMOUNT_CACHE.clear()
        cached = _AMOUNT_CACHE[key] = compute(m, facts, as_of, labels)
    return cached


_PLANS: dict[tuple[int, str | None], tuple[Knowledge, list[tuple[Measure, MeasureResult | None]], dt.date]] = {}


def _plan(knowledge: Knowledge, asker: str | None, as_of: dt.date) -> list[tuple[Measure, MeasureResult | None]]:
    """Per asker: each measure with its shared not-for-this-asker result, or None to evaluate it."""
    key = (id(knowledge), asker)
    entry = _PLANS.get(key)
    if entry is None or entry[0] is not knowledge:
        plan = [(m, _not_for_audience(m) if asker is not None and asker not in m.audience else None)
                for m in knowledge.measures.values()]
        latest_start = max(m.effective for m in knowledge.measures.values())
        entry = _PLANS[key] = (knowledge, plan, latest_start)
    _, plan, latest_start = entry
    if as_of < latest_start:  # before a measure took effect, the date is the reason given
        return [(m, None) for m, _ in plan]
    return plan


_NOT_FOR_AUDIENCE: dict[int, MeasureResult] = {}


def _not_for_audience(m: Measure) -> MeasureResult:
    """One shared result per measure: nothing mutates a not_applicable result (cross rules
    touch only measures that apply), and about half the measures are not for a given asker."""
    result = _NOT_FOR_AUDIENCE.get(id(m))
    if result is None or result.measure is not m:
        result = _NOT_FOR_AUDIENCE[id(m)] = MeasureResult(
            m, "not_applicable", f"不符合条件：本项面向{m.beneficiary}", [], None)
    return result


def _unique(names: list[str]) -> list[str]:
    return names if len(names) < 2 else list(dict.fromkeys(names))


_SCRATCH = _Trace()


def _scratch() -> _Trace:
    """A trace whose findings are not wanted (a check only for its truth value), reused."""
    _SCRATCH.failed.clear()
    _SCRATCH.pending.clear()
    _SCRATCH.missing.clear()
    return _SCRATCH


def _evaluate_measure(m: Measure, facts: Mapping[str, Any], as_of: dt.date, knowledge: Knowledge,
                      labels: Mapping[str, Mapping[str, str]]) -> MeasureResult:
    if as_of < m.effective:
        return MeasureResult(m, "not_applicable", f"本政策自{m.effective.year}年{m.effective.month}月"
                             f"{m.effective.day}日起施行", [], None)
    asker = facts.get("asker")
    if asker is not None and asker not in m.audience:
        return _not_for_audience(m)
    trace = _Trace()
    open_condition = False
    blocking: list[str] = []
    if asker is None:
        open_condition = True
        trace.missing.append("asker")
        trace.pending.append("咨询身份")
        blocking = ["asker"]
    if m.selected_when is not None and asker is not None and _check(m.selected_when, facts, m, as_of, _scratch()):
        # Already selected (入选, 认定): the pre-selection conditions no longer matter.
        amount = _amount(m, facts, as_of, labels) if m.amounts else None
        return MeasureResult(m, "applies", "您已入选（获得认定），按规定享受",
                             list(amount.missing) if amount else [], amount,
                             blocking=list(amount.missing) if amount else [])
    missing_list = trace.missing
    for cond in m.conditions:
        before = len(missing_list)
        outcome = _check(cond, facts, m, as_of, trace)
        if outcome is False:
            # One unmet requirement settles it; it is also the reason given.
            return MeasureResult(m, "not_applicable", "", [], None, failed=trace.failed)
        if outcome is None:
            open_condition = True
            if not blocking:
                blocking = missing_list[before:]

    missing = _unique(missing_list)
    if open_condition:
        return MeasureResult(m, "undecided", "", missing, None, blocking=_unique(blocking), pending=trace.pending)

    status: Status = "applies" if m.kind != "selection" else "may_apply"
    reason = "符合条件"
    reading = None
    withheld = False
    if m.kind == "selection":
        selected = None
        if m.selected_when is not None:
            sel_trace = _Trace()
            selected = _check(m.selected_when, facts, m, as_of, sel_trace)
            if selected is None:
                missing.extend(f for f in sel_trace.missing if f not in missing)
        if selected:
            reason = "您已入选（获得认定），按规定享受"
            status = "applies"
        else:
            reason = "符合申报条件，需经选拔（评选、认定）后才能享受"
    for amb in m.ambiguities:
        if amb.when is None or _check(amb.when, facts, m, as_of, _scratch()):
            reading = amb.reading
            if amb.status is not None:
                # The text does not settle this case: withhold the figure rather than guess money.
                status = amb.status
                withheld = True
                reason = "文件对这种情况规定不明确，需由主管部门认定"
    amount = None
    if m.amounts and not withheld:
        amount = _amount(m, facts, as_of, labels)
        missing.extend(f for f in amount.missing if f not in missing)
    return MeasureResult(m, status, reason, missing, amount, reading=reading, blocking=list(missing))


def _apply_cross_rules(knowledge: Knowledge, results: list[MeasureResult]) -> list[str]:
    by_id = {r.measure.id: r for r in results}
    notes: list[str] = []
    for rule in knowledge.cross_rules:
        members = [by_id[mid] for mid in rule.measures if mid in by_id]
        live = [r for r in members if r.status in ("applies", "may_apply")]
        if rule.type == "keep_highest":
            applying = [r for r in live if r.status == "applies"]
            if len(applying) >= 2:
                exact = [r.amount.total_yuan if r.amount is not None else None for r in applying]
                if all(v is not None for v in exact):
                    best = max(applying, key=lambda r: r.comparable_yuan or 0)
                    for r in applying:
                        if r is best:
                            continue
                        r.cumulative = False
                        r.superseded_by = best.measure.id
                        r.notes.append(
                            f"{rule.cite}：{rule.explanation}本项与{best.measure.citation}"
                            f"{best.measure.name}（{yuan(best.comparable_yuan or 0)}）不重复享受，按较高的一项计算。")
                    notes.append(f"{rule.cite}：“{rule.source}”已按就高不就低只计{best.measure.citation}"
                                 f"{best.measure.name}。")
                else:
                    for r in applying:
                        r.notes.append(f"{rule.cite}：“{rule.source}”多项同时符合时只能就高享受一项，"
                                       f"具体由主管部门核定。")
            for r in live:
                if r.status == "may_apply" and len(live) >= 2:
                    r.notes.append(f"{rule.cite}：若入选，与其他市级技能人才支持资金按就高不就低原则不重复享受。")
        elif rule.type == "exclusive":
            if len(live) >= 2:
                names = "、".join(f"{r.measure.citation}{r.measure.name}" for r in live)
                for r in live:
                    r.notes.append(f"{rule.cite}：{rule.explanation}（{names}只能选择其一）")
        else:
            for r in live:
                r.notes.append(f"{rule.cite}：{rule.explanation}")
    return notes


def evaluate(knowledge: Knowledge, facts: Mapping[str, Any], as_of: dt.date | None = None,
             *, validated: bool = False) -> Evaluation:
    """Evaluate every measure of the policy for these facts on ``as_of`` (default: today)."""
    as_of = as_of or dt.date.today()
    clean = dict(facts) if validated else normalize_facts(knowledge, facts)
    inferred = infer_facts(knowledge, clean)
    labels = _labels(knowledge)
    results = [shared if shared is not None else _evaluate_measure(m, inferred, as_of, knowledge, labels)
               for m, shared in _plan(knowledge, inferred.get("asker"), as_of)]
    notes = _apply_cross_rules(knowledge, results)
    return Evaluation(as_of, inferred, results, notes)


@dataclass(frozen=True)
class StandardAmount:
    """What a measure pays for the facts that set its amount (see ``standard_amount``)."""

    facts: tuple[str, ...]  # the facts that set the amount
    amount: AmountResult | None  # None when the figure is withheld (``reading`` says why)
    reading: str | None = None


def standard_amount(knowledge: Knowledge, measure_id: str, facts: Mapping[str, Any],
                    as_of: dt.date) -> StandardAmount | None:
    """What a measure pays for the facts that set its amount, whether or not it applies.

    For "高级工的生活补贴每月多少": the 高级工 figure of 第4条, before anything else about the
    asker is known. None unless the amount depends on some fact and ``facts`` gives every one
    (a level the measure does not list reads "文件未规定该档次的金额"). Where one of the
    measure's ambiguities may hold for these facts (known or not yet known), the figure is
    withheld and its reading returned, as ``evaluate`` does. The caller must say that the
    measure's other conditions still apply.
    """
    m = knowledge.measures[measure_id]
    names = _amount_facts(m)
    facts = infer_facts(knowledge, normalize_facts(knowledge, facts))
    if not m.amounts or not names or any(not facts.get(n) and facts.get(n) != 0 for n in names):
        return None
    for amb in m.ambiguities:
        if amb.status is not None and (amb.when is None or _check(amb.when, facts, m, as_of, _scratch()) is not False):
            return StandardAmount(names, None, amb.reading)
    return StandardAmount(names, _amount(m, facts, as_of, _labels(knowledge)))


_LABEL_CACHE: dict[int, dict[str, dict[str, str]]] = {}


def _labels(knowledge: Knowledge) -> dict[str, dict[str, str]]:
    key = id(knowledge)
    if key not in _LABEL_CACHE:
        _LABEL_CACHE[key] = {name: {v: fv.label for v, fv in f.values.items()}
                             for name, f in knowledge.facts.items()}
    return _LABEL_CACHE[key]


@dataclass(frozen=True)
class Question:
    fact: str
    text: str
    settles: int  # how many undecided measures this fact takes part in deciding
    money_yuan: float  # the largest figure among them
    precision: bool  # asks for the month of a yearmonth already known to the year
    choices: tuple[tuple[str, str], ...]  # (value, label) for closed questions


def next_questions(knowledge: Knowledge, evaluation: Evaluation, *,
                   only: set[int] | None = None, monetary_only: bool = False) -> list[Question]:
    """Unknown facts ranked by how many undecided measures (then how much money) each would settle.

    ``only`` restricts the ranking to measures of these articles (a user asking about one article);
    ``monetary_only`` to measures that pay money (the interview does not ask for the others).
    """
    score: dict[str, list[float]] = {}
    for r in evaluation.results:
        if only is not None and r.measure.article not in only:
            continue
        if monetary_only and r.measure.kind == "non_monetary":
            continue
        if r.status == "undecided":
            weight = 1.0
        elif r.status in ("applies", "may_apply") and r.blocking:
            weight = 0.5  # the status is known; the fact only settles the amount
        else:
            continue
        potential = _potential(r.measure)
        for name in r.blocking:
            entry = score.setdefault(name, [0.0, 0.0])
            entry[0] += weight
            entry[1] = max(entry[1], potential)
    ranked = sorted(score.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))
    questions = []
    for name, (settles, money) in ranked:
        fact = knowledge.facts[name]
        precision = name in evaluation.facts and fact.type == "yearmonth"
        text = fact.precision_question if precision and fact.precision_question else fact.question
        choices: tuple[tuple[str, str], ...] = ()
        if fact.type in ("enum", "set"):
            choices = tuple((v, fv.label) for v, fv in fact.values.items())
        elif fact.type == "bool":
            choices = (("true", "是"), ("false", "否"))
        questions.append(Question(name, text, round(settles), money, precision, choices))
    return questions


def _potential(m: Measure) -> float:
    best = 0.0
    for p in m.parameters.values():
        for _, value in p.values:
            numbers = value.values() if isinstance(value, dict) else [value]
            for v in numbers:
                if isinstance(v, (int, float)) and v > best and v > 1:
                    best = float(v)
    return best
