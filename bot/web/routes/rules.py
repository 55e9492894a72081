"""The rule module over HTTP: the public catalogue and the eligibility check.

``GET /api/measures``: every article 1-26 with its measures, quotes as ``source`` text.
``POST /api/eligibility``: facts in, the same JSON the chat sends out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from bot.rules import FactError, evaluate, explain, knowledge, next_questions
from bot.rules.model import Knowledge, Measure, Parameter

router = APIRouter(prefix="/api", tags=["rules"])

MAX_FACTS = 64


class EligibilityRequest(BaseModel):
    facts: dict[str, Any] = Field(default_factory=dict, description="fact name -> value (knowledge/facts.yml)")
    as_of: dt.date | None = Field(None, description="evaluate as on this date (default: today)")

    class Config:
        extra = "forbid"
        schema_extra: ClassVar[dict[str, Any]] = {
            "example": {
                "facts": {
                    "asker": "person",
                    "school_type": "technical_school",
                    "full_time_study": True,
                    "certificate_level": "senior",
                    "graduation_date": "2025-06",
                    "employer_type": "enterprise",
                    "in_zibo": True,
                    "full_time_job": True,
                },
                "as_of": "2026-11-25",
            }
        }


def _parameter(p: Parameter) -> dict[str, Any]:
    return {
        "name": p.name,
        "description": p.description,
        "display": p.display,
        "values": [{"from": start.isoformat(), "value": value} for start, value in p.values],
    }


def _measure(m: Measure) -> dict[str, Any]:
    return {
        "id": m.id,
        "article": m.article,
        "citation": m.citation,
        "name": m.name,
        "summary": m.summary,
        "kind": m.kind,
        "beneficiary": m.beneficiary,
        "source": "".join(m.source),
        "quotes": list(m.source),
        "amounts": [{"type": a.type, "label": a.label, "ceiling": a.ceiling, "note": a.note or None}
                    for a in m.amounts],
        "parameters": [_parameter(p) for p in m.parameters.values()],
        "funding": [{"payer": f.payer, "share": f.share} for f in m.funding],
        "how_to_apply": m.how_to_apply,
        "readings": list(m.readings) + [a.reading for a in m.ambiguities],
        "effective": m.effective.isoformat(),
    }


def _json_shape_fits(kb: Knowledge, name: str, value: Any) -> bool:
    """A set fact takes a list of strings, every other fact one scalar; the rule module checks the rest."""
    fact = kb.facts.get(name)
    if fact is None or value is None:
        return True  # the rule module names the unknown fact; None means "not known"
    if fact.type == "set":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, str | int | float | bool)


_catalogue_cache: list[dict[str, Any]] = []


@router.get("/measures", summary="政策措施目录（第1—26条）")
def list_measures() -> list[dict[str, Any]]:
    if not _catalogue_cache:
        kb = knowledge()
        _catalogue_cache.extend(
            {
                "article": a.number,
                "citation": f"第{a.number}条",
                "title": a.title,
                "chapter": a.chapter,
                "responsible_units": list(a.responsible_units),
                "source": a.text,
                "measures": [_measure(m) for m in a.measures],
            }
            for a in kb.articles.values()
        )
    return _catalogue_cache


@router.post("/eligibility", summary="资格测算：事实输入，逐条给出是否适用和金额")
def eligibility(request: EligibilityRequest) -> dict[str, Any]:
    kb = knowledge()
    if len(request.facts) > MAX_FACTS:
        raise HTTPException(422, detail={"problem": f"too many facts (at most {MAX_FACTS})"})
    for name, value in request.facts.items():
        if not _json_shape_fits(kb, name, value):
            raise HTTPException(422, detail={"fact": name, "problem": "a list for a set fact, otherwise one value"})
    try:
        result = evaluate(kb, request.facts, request.as_of)
    except FactError as exc:
        raise HTTPException(422, detail=exc.to_dict()) from None
    body = result.to_dict()
    body["explanation"] = explain(kb, result)
    body["next_questions"] = [
        {"fact": q.fact, "question": q.text, "settles": q.settles,
         "choices": [{"value": v, "label": label} for v, label in q.choices]}
        for q in next_questions(kb, result)[:5]
    ]
    return body
