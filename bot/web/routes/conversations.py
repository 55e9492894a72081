"""GET /api/conversations/{code}: a citizen's consultation, for the hotline staff.

The facts the chat collected, the eligibility result recomputed from them with the rule
module (so it reflects the rules staff see today), the last result the chat itself sent,
and the transcript.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Path, Request

from bot.rules import knowledge
from bot.staff.conversations import Consultation, ConsultationStore, TrackerStoreUnavailable, normalize_code
from bot.web.routes.rules import EligibilityRequest, eligibility
from bot.web.staff_auth import StaffApiDep

router = APIRouter(prefix="/api", tags=["staff"])


def consultation_store(request: Request) -> ConsultationStore:
    state = request.app.state
    if getattr(state, "consultation_store", None) is None:
        state.consultation_store = ConsultationStore.from_endpoints(state.settings.rasa_endpoints)
    store: ConsultationStore = state.consultation_store
    return store


def _time(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).astimezone().isoformat(timespec="seconds")


def describe(consultation: Consultation) -> dict[str, Any]:
    """The JSON of a consultation (also what the 咨询编号 page shows)."""
    kb = knowledge()
    facts = []
    for name, value in consultation.facts.items():
        fact = kb.facts.get(name)
        try:
            shown = fact.value_label(value) if fact else str(value)
        except (KeyError, TypeError, ValueError):
            shown = str(value)
        facts.append({"fact": name, "label": fact.label if fact else name, "value": value, "value_label": shown})
    result: dict[str, Any] | None = None
    problem: Any = None
    try:
        result = eligibility(EligibilityRequest(facts=consultation.facts, as_of=None))
    except HTTPException as error:  # facts the vocabulary no longer accepts
        problem = error.detail
    chat_results = [p for p in consultation.payloads if p.get("type") == "eligibility_result"]
    return {
        "code": consultation.code,
        "sender_id": consultation.sender_id,
        "started": _time(consultation.started),
        "last_active": _time(consultation.last_active),
        "facts": consultation.facts,
        "facts_labelled": facts,
        "result": result,
        "result_problem": problem,
        "chat_result": chat_results[-1] if chat_results else None,
        "transcript": [
            {"speaker": t.speaker, "text": t.text, "time": _time(t.timestamp)} for t in consultation.transcript
        ],
    }


def find_consultation(request: Request, raw_code: str) -> Consultation:
    """The consultation of ``raw_code``, or the HTTP error to answer with."""
    code = normalize_code(raw_code)
    if code is None:
        raise HTTPException(422, detail="咨询编号格式不对：应为6位字母或数字（不含I、O、0、1），如 ZB3K7Q")
    try:
        found = consultation_store(request).find(code)
    except TrackerStoreUnavailable as error:
        raise HTTPException(503, detail=f"暂时无法读取咨询记录：{error}") from None
    if found is None:
        raise HTTPException(404, detail=f"没有找到咨询编号 {code} 的咨询记录，请核对编号")
    return found


@router.get("/conversations/{code}", summary="咨询编号：查看市民咨询的事实、测算结果和对话记录")
def conversation(
    request: Request,
    _: StaffApiDep,
    code: str = Path(..., max_length=32, description="六位咨询编号，如 ZB3K7Q"),
) -> dict[str, Any]:
    return describe(find_consultation(request, code))
