"""Money: computing a measure's amounts from its parameters and the facts, and writing them.

Amounts are written the way the policy writes them: Arabic numerals with 元, or
with 万元 where the policy states the figure in 万元 (the parameter's ``display``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.rules.model import Amount, Measure, Parameter

PERIOD_UNIT = {"month": "月", "year": "年", "semester": "学期", "one_off": ""}
PERIOD_COUNT = {"month": "个月", "year": "年", "semester": "个学期", "one_off": ""}


def yuan(value: float, display: str = "元") -> str:
    """30000 -> '30000元'; 50000 with display 万元 -> '5万元'; 2500 -> '2500元'."""
    if display == "万元" and value >= 10000 and (value * 100) % 10000 == 0:
        wan = value / 10000
        return f"{wan:g}万元" if wan != int(wan) else f"{int(wan)}万元"
    if value == int(value):
        return f"{int(value)}元"
    return f"{value:.2f}元"


@dataclass
class ComponentResult:
    label: str
    total_yuan: float | None  # exact total, when every figure is known and none is a ceiling
    max_yuan: float | None  # upper bound, when the policy says 最高 or a cap binds
    unit_yuan: float | None
    period: str
    periods: int | None
    text: str
    missing: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "total_yuan": _json_number(self.total_yuan),
            "max_yuan": _json_number(self.max_yuan),
            "unit_yuan": _json_number(self.unit_yuan),
            "period": self.period,
            "periods": self.periods,
            "text": self.text,
        }


@dataclass
class AmountResult:
    components: list[ComponentResult]
    measure_id: str = ""

    @property
    def total_yuan(self) -> float | None:
        if not self.components or any(c.total_yuan is None for c in self.components):
            return None
        return sum(c.total_yuan for c in self.components if c.total_yuan is not None)

    @property
    def max_yuan(self) -> float | None:
        if not self.components:
            return None
        values = [c.total_yuan if c.total_yuan is not None else c.max_yuan for c in self.components]
        if any(v is None for v in values):
            return None
        return sum(v for v in values if v is not None)

    @property
    def missing(self) -> list[str]:
        return [f for c in self.components for f in c.missing]

    @property
    def text(self) -> str:
        return "；".join(c.text if len(self.components) == 1 else f"{c.label}{c.text}"
                        for c in self.components)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total_yuan": _json_number(self.total_yuan),
            "max_yuan": _json_number(self.max_yuan),
            "text": self.text,
            "components": [c.to_dict() for c in self.components],
        }


def _json_number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == int(value) else round(value, 2)


def _value(param: Parameter, as_of: dt.date) -> Any:
    value = param.at(as_of)
    if value is None:
        raise LookupError(f"parameter {param.name} has no value on {as_of}")
    return value


def compute(measure: Measure, facts: Mapping[str, Any], as_of: dt.date,
            fact_labels: Mapping[str, Mapping[str, str]]) -> AmountResult:
    """Compute every amount component of ``measure`` (called only when it applies or may apply)."""
    return AmountResult([_component(a, measure.parameters, facts, as_of, fact_labels) for a in measure.amounts],
                        measure.id)


def _component(a: Amount, params: Mapping[str, Parameter], facts: Mapping[str, Any], as_of: dt.date,
               fact_labels: Mapping[str, Mapping[str, str]]) -> ComponentResult:
    if a.type == "unspecified":
        return ComponentResult(a.label, None, None, None, "one_off", None, a.note)

    if a.type in ("fixed", "recurring"):
        assert a.param is not None
        param = params[a.param]
        display = param.display
        unit = _value(param, as_of)
        if a.by is not None:
            key = facts.get(a.by)
            if key is None:
                return ComponentResult(a.label, None, None, None, a.period, None,
                                       "金额取决于" + a.label, missing=[a.by])
            if key not in unit:
                return ComponentResult(a.label, None, None, None, a.period, None,
                                       "文件未规定该档次的金额")
            unit = unit[key]
        prefix = "最高" if a.ceiling else ""
        if a.type == "fixed":
            text = f"{prefix}{yuan(unit, display)}"
            if a.ceiling:
                return ComponentResult(a.label, None, unit, unit, "one_off", 1, text)
            return ComponentResult(a.label, unit, unit, unit, "one_off", 1, text)
        assert a.count is not None
        if a.count_is_fact:
            n = facts.get(a.count)
            if n is None:
                return ComponentResult(a.label, None, None, unit, a.period, None,
                                       f"{prefix}{yuan(unit, display)}/{PERIOD_UNIT[a.period]}",
                                       missing=[a.count])
        else:
            n = _value(params[a.count], as_of)
        total = unit * n
        text = (f"{prefix}{yuan(unit, display)}/{PERIOD_UNIT[a.period]}×{n}{PERIOD_COUNT[a.period]}"
                f"={yuan(total, display)}")
        if a.ceiling:
            return ComponentResult(a.label, None, total, unit, a.period, n, text)
        return ComponentResult(a.label, total, total, unit, a.period, n, text)

    if a.type == "per_head":
        missing = [i.count_fact for i in a.items if facts.get(i.count_fact) is None]
        years = None
        if a.count_is_fact and a.count:
            years = facts.get(a.count)
            if years is None:
                missing.append(a.count)
        parts = []
        display = params[a.items[0].param].display
        total = 0.0
        for item in a.items:
            unit = _value(params[item.param], as_of)
            n = facts.get(item.count_fact)
            if n is None:
                parts.append(f"{item.label}{yuan(unit, display)}/人")
                continue
            if n:
                parts.append(f"{yuan(unit, display)}×{n}人")
            total += unit * n
        prefix = "最高" if a.ceiling else ""
        if missing:
            return ComponentResult(a.label, None, None, None, a.period, None,
                                   prefix + "、".join(parts), missing=missing)
        text = prefix + "+".join(parts) + f"={yuan(total, display)}" if parts else "0元（人数为0）"
        if a.period == "year" and years is not None:
            text = f"{text}/年×{years}年={yuan(total * years, display)}"
            total = total * years
        if a.cap:
            cap = _value(params[a.cap], as_of)
            cap_display = params[a.cap].display
            if total > cap:
                text += f"，超过{a.cap_label}{yuan(cap, cap_display)}的上限，按{yuan(cap, cap_display)}计"
                total = cap
        if a.ceiling:
            return ComponentResult(a.label, None, total, None, a.period, years, text)
        return ComponentResult(a.label, total, total, None, a.period, years, text)

    if a.type == "percentage":
        assert a.rate and a.base and a.count
        rate = _value(params[a.rate], as_of)
        base = facts.get(a.base)
        years = facts.get(a.count)
        missing = [f for f, v in ((a.base, base), (a.count, years)) if v is None]
        cap = _value(params[a.cap], as_of) if a.cap else None
        cap_display = params[a.cap].display if a.cap else "元"
        cap_text = f"（{a.cap_label}最高{yuan(cap, cap_display)}）" if cap is not None else ""
        if base is None:
            return ComponentResult(a.label, None, None, None, "year", None,
                                   f"年度薪酬的{rate * 100:g}%{cap_text}", missing=missing)
        per_year = base * rate
        text = f"{yuan(base, '万元')}×{rate * 100:g}%={yuan(per_year, '万元')}"
        if cap is not None and per_year > cap:
            text += f"，超过{a.cap_label}最高{yuan(cap, cap_display)}，按{yuan(cap, cap_display)}计"
            per_year = cap
        if years is None:
            return ComponentResult(a.label, None, None, per_year, "year", None, text + "/年",
                                   missing=missing)
        total = per_year * years
        text += f"；{yuan(per_year, '万元')}/年×{years}年={yuan(total, '万元')}"
        return ComponentResult(a.label, total, total, per_year, "year", years, text)

    if a.type == "matching":
        assert a.rate and a.base
        rate = _value(params[a.rate], as_of)
        base = facts.get(a.base)
        if base is None:
            return ComponentResult(a.label, None, None, None, "one_off", None,
                                   f"按{a.note or '上级补助资金'}的{rate * 100:g}%配套", missing=[a.base])
        total = base * rate
        return ComponentResult(a.label, total, total, None, "one_off", 1,
                               f"{a.note or '上级补助资金'}{yuan(base, '万元')}×{rate * 100:g}%="
                               f"{yuan(total, '万元')}")

    # table_sum: one entry per value of a set fact (several awards, several platforms)
    assert a.param and a.by
    table = _value(params[a.param], as_of)
    display = params[a.param].display
    chosen = facts.get(a.by)
    if chosen is None:
        return ComponentResult(a.label, None, None, None, "one_off", None, "金额取决于" + a.label,
                               missing=[a.by])
    entries = [(fact_labels[a.by][v], table[v]) for v in sorted(chosen) if v in table]
    if not entries:
        return ComponentResult(a.label, 0, 0, None, "one_off", 0, "0元")
    total = sum(v for _, v in entries)
    if len(entries) == 1:
        text = f"{entries[0][0]}{yuan(entries[0][1], display)}"
    else:
        text = "+".join(f"{label}{yuan(v, display)}" for label, v in entries) + f"={yuan(total, display)}"
    prefix = "最高" if a.ceiling else ""
    if a.ceiling:
        return ComponentResult(a.label, None, total, None, "one_off", len(entries), prefix + text)
    return ComponentResult(a.label, total, total, None, "one_off", len(entries), text)
