"""Typed, immutable view of the knowledge files (what the loader builds).

Nothing here reads files or evaluates anything; see ``loader`` and ``engine``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

FactType = Literal["enum", "set", "bool", "int", "money", "yearmonth"]
Kind = Literal["entitlement", "selection", "matching", "non_monetary"]
Status = Literal["applies", "may_apply", "undecided", "not_applicable"]
STATUSES: tuple[Status, ...] = ("applies", "may_apply", "undecided", "not_applicable")


@dataclass(frozen=True)
class FactValue:
    id: str
    label: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class Fact:
    name: str
    type: FactType
    label: str
    question: str
    audience: tuple[str, ...]
    values: Mapping[str, FactValue] = field(default_factory=dict)
    precision_question: str | None = None
    places_true: tuple[str, ...] = ()
    head_count_of: tuple[str, str] | None = None  # (fact, value) this int fact counts people with

    def value_label(self, value: Any) -> str:
        """Chinese label of a value, for answers and the staff form."""
        if self.type == "enum":
            return self.values[value].label
        if self.type == "set":
            return "、".join(self.values[v].label for v in value) or "无"
        if self.type == "bool":
            return "是" if value else "否"
        if self.type == "money":
            return f"{value:g}元"
        return str(value)


@dataclass(frozen=True)
class Parameter:
    """A dated value, OpenFisca style: ``values`` maps a start date to a value."""

    name: str
    description: str
    values: tuple[tuple[dt.date, Any], ...]  # sorted by date
    display: Literal["元", "万元"] = "元"

    def at(self, when: dt.date) -> Any | None:
        found = None
        for start, value in self.values:
            if start <= when:
                found = value
        return found


@dataclass(frozen=True)
class Condition:
    """One node of a condition tree; ``op`` says which fields matter."""

    op: str  # in, not_in, is, contains_any, excludes_all, gte, lte, on_or_after, within, all, any
    fact: str | None = None
    values: tuple[Any, ...] = ()
    number: float | None = None
    param: str | None = None
    date: dt.date | None = None
    other: str | None = None  # the second fact of `within`
    months: int | None = None
    unknown_from: str | None = None  # lower bound of an unknown yearmonth: a fact name
    children: tuple[Condition, ...] = ()
    label: str = ""  # the requirement, in Chinese


@dataclass(frozen=True)
class AmountItem:
    """One head-count line of a per-head amount."""

    count_fact: str
    param: str
    label: str


@dataclass(frozen=True)
class Amount:
    """One money component of a measure.

    type:
      fixed      one payment of ``param`` (a mapping when ``by`` names a fact)
      recurring  ``param`` per ``period`` for ``count`` periods (a parameter or a fact)
      per_head   sum of ``items`` (count fact x parameter), optionally capped per year
      percentage ``rate`` x ``base`` fact a year, at or above ``threshold``, capped, for ``count`` years
      matching   ``rate`` x ``base`` fact (a share of national or provincial money)
      table_sum  sum of ``param``'s entry for every value of a set fact ``by``
      unspecified  the policy states no figure (``note`` says what it says instead)
    """

    type: str
    label: str
    param: str | None = None
    by: str | None = None
    period: Literal["month", "year", "semester", "one_off"] = "one_off"
    count: str | None = None  # a parameter name or a fact name (see count_is_fact)
    count_is_fact: bool = False
    ceiling: bool = False  # the policy says 最高: the figure is an upper bound
    items: tuple[AmountItem, ...] = ()
    cap: str | None = None  # parameter: cap on a year's total
    cap_label: str = ""
    rate: str | None = None
    base: str | None = None
    threshold: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Funding:
    payer: str
    share: float


@dataclass(frozen=True)
class Ambiguity:
    """A reading the team chose where the policy text is ambiguous."""

    when: Condition | None
    status: Status | None
    reading: str


@dataclass(frozen=True)
class Measure:
    id: str
    article: int
    article_title: str
    name: str
    kind: Kind
    beneficiary: str
    beneficiary_type: str
    audience: tuple[str, ...]
    source: tuple[str, ...]
    responsible_units: tuple[str, ...]
    effective: dt.date
    conditions: tuple[Condition, ...]
    selected_when: Condition | None
    amounts: tuple[Amount, ...]
    parameters: Mapping[str, Parameter]
    funding: tuple[Funding, ...]
    how_to_apply: str
    ambiguities: tuple[Ambiguity, ...]
    readings: tuple[str, ...]
    summary: str

    @property
    def citation(self) -> str:
        return f"第{self.article}条"

    @property
    def monetary(self) -> bool:
        return bool(self.amounts) and self.kind != "non_monetary"


@dataclass(frozen=True)
class Article:
    number: int
    title: str
    chapter: str
    responsible_units: tuple[str, ...]
    text: str
    measures: tuple[Measure, ...]


@dataclass(frozen=True)
class CrossRule:
    """A rule across measures: non-cumulation and mutual exclusion."""

    id: str
    type: Literal["keep_highest", "exclusive", "note"]
    measures: tuple[str, ...]
    source: str
    cite: str
    explanation: str


@dataclass(frozen=True)
class Knowledge:
    facts: Mapping[str, Fact]
    articles: Mapping[int, Article]
    measures: Mapping[str, Measure]
    cross_rules: tuple[CrossRule, ...]
    policy_title: str
    policy_date: dt.date
    policy_text: str
    hotline: str
