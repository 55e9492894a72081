"""Fuzzing Rasa's REST webhook (bot/channels/rest.py GuardedRestInput).

Two layers, because a real Rasa turn costs 0.1-0.3 s:
- in-process, 2,000 bodies: the channel's handler with sanic's real Request (its JSON parsing
  included) and a stand-in for Rasa's message processing that answers, stays silent or fails;
  this is where every malformed body, content type and encoding is met;
- against the running stack (slow), 300 turns of the same texts through the real NLU, policies
  and action server, then Rasa and the web app must still answer: what the in-process layer
  cannot show is that no text makes the real model or an action crash or hang.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.core.channels.channel import UserMessage
from sanic import Sanic
from sanic.compat import Header
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.rasa_client import BUSY_TEXT
from bot.channels.rest import MAX_MESSAGE_CHARS, GuardedRestInput
from bot.privacy import mask_identifiers
from tests.security.strategies import CONTENT_TYPES, bodies, json_value, text
from tests.support import StackUrls

_app = Sanic("fuzz_rest_channel")


def handler_with(process: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[Request], Awaitable[HTTPResponse]]:
    blueprint = GuardedRestInput().blueprint(process)
    route = next(r for r in blueprint._future_routes if r.uri == "/webhook")
    return route.handler  # type: ignore[no-any-return]


def request_of(body: bytes, content_type: str) -> Request:
    request = Request(b"/webhooks/rest/webhook", Header({"content-type": content_type}), "1.1", "POST",
                      None, _app)  # type: ignore[arg-type]
    request.body = body
    return request


rest_turns = st.fixed_dictionaries(
    {"sender": st.one_of(st.uuids().map(str), text), "message": text},
    optional={"metadata": json_value},
)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=bodies(rest_turns), content_type=st.sampled_from(CONTENT_TYPES),
       behaviour=st.sampled_from(["answer", "silent", "fail", "timeout"]))
def test_the_rest_channel_answers_every_body_with_messages_or_a_400(
    body: bytes, content_type: str, behaviour: str
) -> None:
    seen: list[UserMessage] = []

    async def process(message: UserMessage) -> None:
        seen.append(message)
        if behaviour == "answer":
            await message.output_channel.send_text_message(message.sender_id, "好的")
        elif behaviour == "fail":
            raise RuntimeError("an action failed")
        elif behaviour == "timeout":
            raise asyncio.CancelledError

    response = asyncio.run(handler_with(process)(request_of(body, content_type)))

    assert response.status in (200, 400), response.status
    answer = json.loads(response.body)
    if response.status == 400:
        assert answer["error"] and not seen
        return
    assert isinstance(answer, list)
    (message,) = seen
    assert len(message.text) <= MAX_MESSAGE_CHARS and "\x00" not in message.text
    assert mask_identifiers(message.text)[1] is False  # nothing left to mask reaches Rasa
    if behaviour == "answer":
        assert answer[-1]["text"] == "好的"
    elif message.text.strip() and not message.text.startswith("/session_start"):
        assert answer[-1]["text"] == BUSY_TEXT


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                    HealthCheck.function_scoped_fixture])
@given(message=text, sender=st.sampled_from(["fuzz-a", "fuzz-b", "fuzz-c"]))
def test_the_real_rasa_answers_any_text_politely(stack: StackUrls, message: str, sender: str) -> None:
    response = httpx.post(f"{stack.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                          timeout=30, trust_env=False)

    assert response.status_code == 200, response.text[:300]
    answers = response.json()
    assert isinstance(answers, list)
    if message.strip() and not message.startswith(("/session_start", "/action_listen")):
        # Something to read for every real message: an answer, a question, or the busy note.
        assert any(m.get("text") or m.get("custom") or m.get("buttons") for m in answers), (message, answers)


@pytest.mark.slow
def test_after_the_fuzzing_every_service_still_answers(stack: StackUrls) -> None:
    # Runs after the fuzz above (file order): no input left a process dead or stuck.
    assert httpx.get(f"{stack.rasa}/", timeout=10, trust_env=False).status_code == 200
    assert httpx.get(f"{stack.actions}/health", timeout=10, trust_env=False).status_code == 200
    assert httpx.get(f"{stack.web}/healthz", timeout=10, trust_env=False).status_code == 200
    turn = httpx.post(f"{stack.rasa}/webhooks/rest/webhook", json={"sender": "after-fuzz", "message": "你好"},
                      timeout=30, trust_env=False)
    assert turn.status_code == 200 and turn.json()
