"""GET /api/search: the hotline staff's free-text search over the 26 articles."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Query
from pydantic import BaseModel, Field

from bot.staff.search import MAX_QUERY_CHARS, search_index
from bot.web.staff_auth import StaffApiDep


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Build the index (about a second) in the background at start-up, so the first
    # caller's search does not wait for it; a search before it is ready builds it itself.
    threading.Thread(target=search_index, name="search-index", daemon=True).start()
    yield


router = APIRouter(prefix="/api", tags=["staff"], lifespan=lifespan)


class SearchHit(BaseModel):
    article: int = Field(..., description="条号 1-26")
    citation: str = Field(..., description="第N条")
    title: str
    snippet: str = Field(..., description="best matching sentence of the article, verbatim")
    score: float = Field(..., description="relative to the best hit of this query (1.0)")
    highlights: list[list[int]] = Field(..., description="[start, end) character spans of matched words in snippet")
    amounts: list[str] = Field(..., description="money and percentages stated in the snippet")


class SearchResponse(BaseModel):
    hits: list[SearchHit]


@router.get("/search", response_model=SearchResponse, summary="政策查询：按来电问题检索26条措施")
def search(
    _: StaffApiDep,
    q: str = Query(..., min_length=1, max_length=MAX_QUERY_CHARS, description="来电问题，如“全国技能大赛银牌奖励多少”"),
    k: int = Query(5, ge=1, le=26, description="how many articles at most"),
) -> dict[str, object]:
    """Ranked articles, best first; no hits when no word of the question occurs in the policy."""
    return {"hits": [hit.to_dict() for hit in search_index().search(q, k)]}
