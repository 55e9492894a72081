"""Checking and normalising facts against the vocabulary in ``knowledge/facts.yml``."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from bot.rules.model import Fact, Knowledge

_YEARMONTH = re.compile(r"^\s*(\d{4})(?:\s*[-/.年]\s*(\d{1,2})\s*月?)?\s*$")


class FactError(ValueError):
    """A fact name or value the vocabulary does not allow."""

    def __init__(self, fact: str, problem: str, allowed: list[str] | None = None) -> None:
        self.fact = fact
        self.problem = problem
        self.allowed = allowed or []
        super().__init__(f"{fact}: {problem}")

    def to_dict(self) -> dict[str, Any]:
        return {"fact": self.fact, "problem": self.problem, "allowed": self.allowed}


@functools.lru_cache(maxsize=4096)
def parse_yearmonth(value: Any) -> tuple[int, int | None]:
    """'2021' -> (2021, None); '2021-06' -> (2021, 6). Raises ValueError. Memoised: the engine
    reads the same few dates many times per evaluation."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        year, month = value, None
    else:
        m = _YEARMONTH.match(str(value))
        if not m:
            raise ValueError(value)
        year, month = int(m.group(1)), int(m.group(2)) if m.group(2) else None
    if not 1950 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
        raise ValueError(value)
    return year, month


def format_yearmonth(year: int, month: int | None) -> str:
    return f"{year:04d}-{month:02d}" if month else f"{year:04d}"


def _allowed(fact: Fact) -> list[str]:
    if fact.type in ("enum", "set"):
        return list(fact.values)
    return {
        "bool": ["true", "false"],
        "int": ["a whole number >= 0"],
        "money": ["a number of yuan >= 0"],
        "yearmonth": ["YYYY", "YYYY-MM"],
    }[fact.type]


def normalize_value(fact: Fact, value: Any) -> Any:
    """Return the canonical form of ``value`` for ``fact`` or raise FactError."""
    bad = FactError(fact.name, f"invalid value {value!r} for a {fact.type} fact", _allowed(fact))
    if fact.type == "enum":
        if not isinstance(value, str) or value not in fact.values:
            raise bad
        return value
    if fact.type == "set":
        if not isinstance(value, (list, tuple, set, frozenset)):
            raise bad
        for v in value:
            if not isinstance(v, str) or v not in fact.values:
                raise FactError(fact.name, f"invalid value {v!r}", _allowed(fact))
        return frozenset(value)
    if fact.type == "bool":
        if not isinstance(value, bool):
            raise bad
        return value
    if fact.type in ("int", "money"):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise bad
        if fact.type == "int" and int(value) != value:
            raise bad
        if value != value or value == float("inf"):
            raise bad
        return int(value) if fact.type == "int" else value
    try:
        return format_yearmonth(*parse_yearmonth(value))
    except (ValueError, TypeError):  # TypeError: a list or a dict is not hashable
        raise bad from None


def normalize_facts(knowledge: Knowledge, facts: Mapping[str, Any]) -> dict[str, Any]:
    """Validate every fact; ``None`` values mean unknown and are dropped."""
    out: dict[str, Any] = {}
    for name, value in facts.items():
        fact = knowledge.facts.get(name)
        if fact is None:
            raise FactError(name, "unknown fact", sorted(knowledge.facts))
        if value is None:
            continue
        out[name] = normalize_value(fact, value)
    return out


def to_json_value(value: Any) -> Any:
    """The JSON form of a normalised fact value (sets become sorted lists)."""
    if isinstance(value, frozenset):
        return sorted(value)
    return value
