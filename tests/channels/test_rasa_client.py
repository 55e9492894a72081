"""RasaClient with several Rasa servers: turns go to each in turn; a server that refuses is skipped."""

from __future__ import annotations

import httpx
import pytest

from bot.channels.rasa_client import RasaClient, RasaUnavailable, split_urls


def test_split_urls_accepts_a_comma_separated_setting_or_a_list() -> None:
    assert split_urls("http://a:1/, http://b:2") == ["http://a:1", "http://b:2"]
    assert split_urls(["http://a:1"]) == ["http://a:1"]
    with pytest.raises(ValueError):
        split_urls(" , ")


def client_with(handler: object, urls: str) -> RasaClient:
    client = RasaClient(urls)
    client._client = httpx.AsyncClient(transport=httpx.MockTransport(handler))  # type: ignore[arg-type]
    return client


async def test_turns_go_round_robin_and_send_keeps_its_signature() -> None:
    hosts: list[str] = []

    def rasa(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        return httpx.Response(200, json=[{"text": "你好"}])

    client = client_with(rasa, "http://a,http://b")
    for _ in range(4):
        assert await client.send("web-1", "你好", metadata=None) == [{"text": "你好"}]
    assert hosts == ["a", "b", "a", "b"]


async def test_a_server_that_refuses_connections_is_skipped_for_that_turn() -> None:
    def rasa(request: httpx.Request) -> httpx.Response:
        if request.url.host == "a":
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json=[{"text": "b"}])

    client = client_with(rasa, "http://a,http://b")
    assert [await client.send("u", "x") for _ in range(2)] == [[{"text": "b"}], [{"text": "b"}]]


async def test_a_timeout_is_not_retried_elsewhere_so_a_turn_is_never_processed_twice() -> None:
    calls: list[str] = []

    def rasa(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.host)
        raise httpx.ReadTimeout("slow", request=request)

    client = client_with(rasa, "http://a,http://b")
    with pytest.raises(RasaUnavailable):
        await client.send("u", "x")
    assert calls == ["a"]


async def test_all_servers_down_is_unavailable() -> None:
    def rasa(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(RasaUnavailable):
        await client_with(rasa, "http://a,http://b").send("u", "x")
