"""bot.rasa_speedups and bot.tracker_store change how fast Rasa does things, never what it does.

Each replacement is compared with Rasa's own function or class on the same inputs: the
action-response validator on valid and invalid responses, the event-type lookup on every
event type, the tuned SQL tracker store against Rasa's SQLTrackerStore on the same database
(each reads what the other wrote, sessions included).
"""

from __future__ import annotations

import asyncio
import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.utils.common import all_subclasses

from bot import rasa_speedups
from bot.tracker_store import TunedSQLTrackerStore

ROOT = Path(__file__).resolve().parents[1]

rasa_speedups.apply()

VALID_RESPONSES: list[dict[str, Any]] = [
    {},
    {"events": [], "responses": []},
    {
        "events": [
            {"event": "slot", "timestamp": None, "name": "facts", "value": {"certificate_level": "senior"}},
            {"event": "slot", "timestamp": None, "name": "pending_fact", "value": None},
            {"event": "bot", "timestamp": None, "text": "好的", "data": {"custom": {"type": "eligibility_result"}}},
            {"event": "followup", "timestamp": None, "name": "action_listen"},
            {"event": "restart", "timestamp": None},
        ],
        "responses": [{"text": "您好", "buttons": [{"title": "是", "payload": "/affirm"}]}],
    },
]
INVALID_RESPONSES: list[Any] = [
    [],
    {"events": "slot"},
    {"events": [{"name": "facts"}]},  # no "event" key
    {"events": [{"event": "slot", "name": 3}]},
    {"events": [{"event": "no_such_event"}]},
    {"responses": "好的"},
    {"responses": ["好的"]},
]


def test_the_validator_accepts_what_rasa_accepts() -> None:
    original = rasa_speedups.ORIGINALS["validate_action_result"]
    action = RemoteAction("action_interview", None)
    for response in VALID_RESPONSES:
        assert original(action, copy.deepcopy(response)) is True
        assert action._validate_action_result(copy.deepcopy(response)) is True


@pytest.mark.parametrize("response", INVALID_RESPONSES, ids=repr)
def test_the_validator_rejects_what_rasa_rejects_with_the_same_message(response: Any) -> None:
    original = rasa_speedups.ORIGINALS["validate_action_result"]
    action = RemoteAction("action_interview", None)
    with pytest.raises(ValidationError) as theirs:
        original(action, copy.deepcopy(response))
    with pytest.raises(ValidationError) as ours:
        action._validate_action_result(copy.deepcopy(response))
    assert str(ours.value.message) == str(theirs.value.message)
    assert "Failed to validate Action server response" in ours.value.message


# JSON values, and events built mostly of the keys and kinds the schema looks at.
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=6,
)
_SLOT_LIKE = st.fixed_dictionaries(
    {"event": st.sampled_from(["slot", "slot", "slot", "bot"]) | _JSON,
     "name": st.text(max_size=3) | st.text(max_size=3) | _JSON, "value": _JSON},
    optional={"timestamp": st.none() | st.floats() | _JSON, "metadata": st.none() | _JSON, "text": _JSON},
)
_EVENT = _SLOT_LIKE | st.dictionaries(
    st.sampled_from(["event", "name", "value", "timestamp", "metadata", "text", "entities"]),
    st.sampled_from(["slot", "bot", "user", "action", "facts"]) | _JSON, max_size=6,
)
_RESPONSE = st.dictionaries(
    st.sampled_from(["events", "responses", "other"]),
    st.lists(_EVENT, max_size=3) | st.lists(_EVENT | _JSON, max_size=3) | _JSON, max_size=3,
) | _JSON | st.fixed_dictionaries(  # mostly slot events, as our actions send
    {"events": st.lists(_SLOT_LIKE, max_size=3)},
    optional={"responses": st.lists(st.dictionaries(st.text(max_size=3), _JSON, max_size=2) | _JSON, max_size=2)},
)


@settings(max_examples=400, deadline=None)
@given(_RESPONSE)
def test_the_plain_check_accepts_only_what_the_schema_accepts(response: Any) -> None:
    from jsonschema import validate

    if rasa_speedups._plainly_valid(response):
        validate(response, RemoteAction.action_response_format_spec())
    elif (isinstance(response, dict) and isinstance(response.get("events"), list) and response["events"]
          and all(isinstance(e, dict) and e.get("event") == "slot" for e in response["events"])):
        # Slot events only: the check is exact, so the schema must refuse what it refused.
        with pytest.raises(ValidationError):
            validate(response, RemoteAction.action_response_format_spec())


def test_the_plain_check_answers_our_actions_responses() -> None:
    ours = {"events": [{"event": "slot", "timestamp": None, "name": "facts", "value": {"a": 1}},
                       {"event": "slot", "timestamp": 1.5, "name": "pending_fact", "value": None}],
            "responses": [{"text": "好的", "buttons": [], "custom": {}}]}
    assert rasa_speedups._plainly_valid(ours)
    assert rasa_speedups._plainly_valid({}) and rasa_speedups._plainly_valid({"events": [], "responses": []})
    for other in VALID_RESPONSES[2:] + INVALID_RESPONSES:  # bot or restart events: the schema decides
        assert not rasa_speedups._plainly_valid(other)
    # Only the slot event's schema can match a "slot" event: the oneOf holds exactly one.
    from rasa.shared.utils.schemas.events import EVENT_SCHEMA, SLOT_SET

    others = [kind for kind in EVENT_SCHEMA["oneOf"] if kind is not SLOT_SET]
    assert all(kind["properties"]["event"]["const"] != "slot" for kind in others)


def test_the_validator_is_rasas_not_a_copy() -> None:
    assert RemoteAction._validate_action_result is not rasa_speedups.ORIGINALS["validate_action_result"]
    rasa_speedups.apply()  # idempotent: the original is kept, not the replacement
    assert RemoteAction._validate_action_result is not rasa_speedups.ORIGINALS["validate_action_result"]


def test_every_event_type_resolves_to_the_same_class() -> None:
    original = rasa_speedups.ORIGINALS["resolve_by_type"]
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert {"user", "bot", "slot", "action", "session_started", "restart"} <= names
    for _ in range(2):  # the second round answers from the memo
        for name in names:
            assert Event.resolve_by_type(name) is original(name)


def test_unknown_event_types_behave_as_before() -> None:
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", SlotSet) is SlotSet
    assert Event.resolve_by_type("topic") is None


def test_an_event_class_defined_later_is_still_found() -> None:
    name = "zibo_test_event"
    with pytest.raises(ValueError):
        Event.resolve_by_type(name)

    class LaterEvent(SlotSet):
        type_name = name

    assert Event.resolve_by_type(name) is LaterEvent


# Kept HTTP sessions: the same requests, over fewer connections.


async def _serve(keepalive: float) -> tuple[Any, str, list[int]]:
    """A local HTTP server that answers with the client port of each request."""
    from aiohttp import web

    ports: list[int] = []

    async def echo(request: web.Request) -> web.Response:
        port = request.transport.get_extra_info("peername")[1] if request.transport else -1
        ports.append(port)
        got = await request.json()
        answer = web.json_response({"port": port, "got": got, "auth": request.headers.get("X-Token")})
        if got.get("close"):
            answer.force_close()  # the server closes this connection after answering
        return answer

    app = web.Application()
    app.router.add_post("/webhook", echo)
    runner = web.AppRunner(app, keepalive_timeout=keepalive)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}", ports


def test_a_kept_session_is_configured_as_rasas_own() -> None:
    from rasa.utils.endpoints import EndpointConfig

    endpoint = EndpointConfig("http://127.0.0.1:1/webhook", headers={"X-Token": "t"},
                              basic_auth={"username": "u", "password": "p"})

    async def sessions() -> tuple[Any, Any]:
        theirs = rasa_speedups.ORIGINALS["endpoint_session"](endpoint)
        async with endpoint.session() as ours:
            pass
        assert not ours.closed  # kept, not closed by the caller's `async with`
        await theirs.close()
        await rasa_speedups.close_kept_sessions()
        assert ours.closed
        return theirs, ours

    theirs, ours = asyncio.run(sessions())
    assert dict(ours.headers) == dict(theirs.headers)
    assert ours._default_auth == theirs._default_auth
    assert ours.timeout == theirs.timeout


def test_requests_reuse_one_connection_and_answer_as_before() -> None:
    from rasa.utils.endpoints import EndpointConfig

    async def run() -> tuple[list[Any], list[int]]:
        runner, url, ports = await _serve(keepalive=30)
        endpoint = EndpointConfig(url, headers={"X-Token": "t"})
        try:
            answers = [await endpoint.request(json={"n": n}, subpath="webhook") for n in range(5)]
        finally:
            await rasa_speedups.close_kept_sessions()
            await runner.cleanup()
        return answers, ports

    answers, ports = asyncio.run(run())
    assert [a["got"] for a in answers] == [{"n": n} for n in range(5)]
    assert {a["auth"] for a in answers} == {"t"}
    assert len(set(ports)) == 1  # one TCP connection for five requests


def test_a_connection_the_server_closed_is_not_reused() -> None:
    from rasa.utils.endpoints import EndpointConfig

    async def run() -> tuple[list[Any], list[int]]:
        runner, url, ports = await _serve(keepalive=30)
        endpoint = EndpointConfig(url)
        try:
            first = await endpoint.request(json={"n": 1, "close": True}, subpath="webhook")
            await asyncio.sleep(0.1)  # the server's FIN arrives
            second = await endpoint.request(json={"n": 2}, subpath="webhook")
        finally:
            await rasa_speedups.close_kept_sessions()
            await runner.cleanup()
        return [first, second], ports

    answers, ports = asyncio.run(run())
    assert [a["got"] for a in answers] == [{"n": 1, "close": True}, {"n": 2}]
    assert len(set(ports)) == 2


# The tuned tracker store against Rasa's own, on one SQLite file.


def _conversation() -> list[Event]:
    return [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        UserUttered(
            "我是技校毕业的高级工",
            {"name": "inform", "confidence": 0.98},
            [{"entity": "certificate_level", "value": "senior"}],
        ),
        ActionExecuted("action_interview"),
        BotUttered("好的，已记录。", {"custom": {"type": "eligibility_result", "measures": []}}),
        SlotSet("facts", {"certificate_level": "senior", "school_type": "technical_school"}),
        SlotSet("pending_fact", "awards"),
        ActionExecuted("action_listen"),
    ]


def _stores(tmp_path: Path) -> tuple[SQLTrackerStore, TunedSQLTrackerStore]:
    domain = Domain.load(str(ROOT / "domain.yml"))
    db = str(tmp_path / "tracker.db")
    return SQLTrackerStore(domain, dialect="sqlite", db=db), TunedSQLTrackerStore(domain, dialect="sqlite", db=db)


def _dump(tracker: Any) -> list[dict[str, Any]]:
    return [event.as_dict() for event in tracker.events]


def _latest_session(tracker: Any) -> list[dict[str, Any]]:
    """What both stores' retrieve() return: the events from the last SessionStarted on."""
    events = _dump(tracker)
    starts = [i for i, e in enumerate(events) if e["event"] == "session_started"]
    return events[starts[-1]:] if starts else events


@pytest.mark.parametrize("writer_is_tuned", [True, False], ids=["tuned writes", "rasa writes"])
def test_each_store_reads_what_the_other_wrote(tmp_path: Path, writer_is_tuned: bool) -> None:
    rasa_store, tuned = _stores(tmp_path)
    writer, reader = (tuned, rasa_store) if writer_is_tuned else (rasa_store, tuned)

    async def scenario() -> None:
        tracker = await writer.get_or_create_tracker("web-a")
        events = _conversation()
        for event in events[:5]:
            tracker.update(event)
        await writer.save(tracker)
        # The next turn, as Rasa runs it: retrieve, update, save only what is new.
        tracker = await writer.retrieve("web-a")
        assert tracker is not None
        for event in events[5:]:
            tracker.update(event)
        await writer.save(tracker)
        await writer.save(tracker)  # nothing new: nothing written twice

        for store in (reader, writer):
            again = await store.retrieve("web-a")
            assert again is not None
            assert _dump(again) == _latest_session(tracker)
            assert [e["event"] for e in _dump(again)] == ["session_started"] + [e.type_name for e in events[2:]]
            assert again.get_slot("facts") == {"certificate_level": "senior", "school_type": "technical_school"}
        assert await reader.retrieve("web-b") is None

    asyncio.run(scenario())


def test_a_new_session_hides_the_old_one_in_both_stores(tmp_path: Path) -> None:
    rasa_store, tuned = _stores(tmp_path)

    async def scenario() -> None:
        tracker = await tuned.get_or_create_tracker("web-a")
        for event in _conversation():
            tracker.update(event)
        await tuned.save(tracker)
        tracker = await tuned.retrieve("web-a")
        assert tracker is not None
        for event in (ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")):
            tracker.update(event)
        await tuned.save(tracker)

        theirs, ours = await rasa_store.retrieve("web-a"), await tuned.retrieve("web-a")
        assert theirs is not None and ours is not None
        assert [e.type_name for e in ours.events] == ["session_started", "action"]
        assert ours.get_slot("facts") is None
        assert _dump(ours) == _dump(theirs)
        full_theirs = await rasa_store.retrieve_full_tracker("web-a")
        full_ours = await tuned.retrieve_full_tracker("web-a")
        assert full_theirs is not None and full_ours is not None
        assert _dump(full_ours) == _dump(full_theirs)
        assert [e["event"] for e in _dump(full_ours)].count("session_started") == 2

    asyncio.run(scenario())


def test_sqlite_runs_in_write_ahead_log_mode_and_read_only_readers_still_read(tmp_path: Path) -> None:
    """The staff console opens the tracker database read-only (bot/staff/conversations.py)."""
    import sqlalchemy as sa
    import yaml

    from bot.staff.conversations import database_url

    _, tuned = _stores(tmp_path)
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(yaml.safe_dump({"tracker_store": {
        "type": "bot.tracker_store.TunedSQLTrackerStore", "dialect": "sqlite", "db": str(tmp_path / "tracker.db")}}))

    def read_only_count() -> int:
        engine = sa.create_engine(database_url(endpoints))
        try:
            with engine.connect() as connection:
                return int(connection.execute(sa.text("SELECT count(*) FROM events")).scalar_one())
        finally:
            engine.dispose()

    async def scenario() -> None:
        tracker = await tuned.get_or_create_tracker("web-a")
        for event in _conversation():
            tracker.update(event)
        await tuned.save(tracker)

    asyncio.run(scenario())
    with tuned.engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA journal_mode")).scalar_one() == "wal"
    stored = read_only_count()  # while the store's pooled connections are open
    assert stored == len(_conversation()) + 1  # + the action_listen of a new tracker
    tuned.engine.dispose()  # Rasa stopped: the log is checkpointed into the database
    assert read_only_count() == stored


def test_freeze_heap_exempts_the_objects_alive_now() -> None:
    import gc

    try:
        before = gc.get_freeze_count()
        frozen = rasa_speedups.freeze_heap()
        assert frozen == gc.get_freeze_count() >= before
        assert frozen > 1000  # at least this test process's modules
    finally:
        gc.unfreeze()


def test_the_compiled_queries_count_and_read_what_rasas_queries_do(tmp_path: Path) -> None:
    """The store sends Rasa's own queries, compiled once: same rows, same count, any stage."""
    rasa_store, tuned = _stores(tmp_path)

    def answers(store: SQLTrackerStore, tracker: Any) -> tuple[list[Any], ...]:
        with store.session_scope() as session:
            new = [e.as_dict() for e in store._additional_events(session, tracker)]
            latest = [d for (d,) in store._event_query(session, tracker.sender_id, False)
                      .with_entities(store.SQLEvent.data).all()]
            every = [d for (d,) in store._event_query(session, tracker.sender_id, True)
                     .with_entities(store.SQLEvent.data).all()]
        return new, latest, every

    async def scenario() -> None:
        other = await tuned.get_or_create_tracker("web-b")  # another conversation in the table
        for event in _conversation():
            other.update(event)
        await tuned.save(other)
        tracker = await tuned.get_or_create_tracker("web-a")
        stages = [_conversation(), [ActionExecuted("action_session_start"), SessionStarted(),
                                    ActionExecuted("action_listen")], _conversation()[2:]]
        for events in stages:
            for event in events:
                tracker.update(event)
            assert answers(tuned, tracker) == answers(rasa_store, tracker)
            with tuned.session_scope() as session:
                ours = [d for (d,) in tuned._run(session, "latest", "web-a")]
                assert ours == answers(rasa_store, tracker)[1]
                assert [d for (d,) in tuned._run(session, "all", "web-a")] == answers(rasa_store, tracker)[2]
            await tuned.save(tracker)
            assert answers(tuned, tracker) == answers(rasa_store, tracker)
        assert len(answers(tuned, other)[2]) == len(_conversation()) + 1  # + a new tracker's action_listen

    asyncio.run(scenario())


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_the_compiled_queries_need_no_parameter_conversion(tmp_path: Path, dialect: str) -> None:
    """exec_driver_sql hands parameters to the driver as they are: no type may need to convert them."""

    from sqlalchemy.dialects import postgresql, sqlite

    _, tuned = _stores(tmp_path)
    target = {"sqlite": sqlite.dialect(), "postgresql": postgresql.psycopg2.dialect()}[dialect]
    for name, compiled in tuned._statements.items():
        again = compiled.statement.compile(dialect=target)
        assert not again._bind_processors
        values = set(again.construct_params({"sender_id": "web-a"}).values())
        assert values == ({"web-a"} if name == "all" else {"web-a", "session_started"})


# The graph runner: the same nodes, called in dask's order with the same arguments.

CALLS: list[str] = []


class _Node:  # a GraphComponent: Rasa's nodes only call create() and the named function
    def __init__(self, name: str, fail: bool) -> None:
        self.name, self.fail = name, fail

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: Any, resource: Any, execution_context: Any) -> _Node:
        return cls(execution_context.node_name, config.get("fail", False))

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def run(self, **parts: Any) -> Any:
        CALLS.append(self.name)
        if self.fail:
            raise RuntimeError(f"{self.name} failed")
        return {self.name: sorted(parts.items(), key=repr)}


def _runner(tmp_path: Path, fail: str = "") -> Any:
    from rasa.engine.graph import ExecutionContext, GraphSchema, SchemaNode
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    def node(**needs: str) -> SchemaNode:
        return SchemaNode(needs=needs, uses=_Node, constructor_name="create", fn="run", config={}, eager=True)

    nodes = {  # two inputs, a diamond, a chain, a node only another target needs
        "convert": node(messages="__message__"), "tokens": node(messages="convert"),
        "domain": node(), "left": node(messages="tokens", domain="domain"), "right": node(messages="tokens"),
        "join": node(a="left", b="right", tracker="__tracker__"), "late": node(x="join"),
        "policy": node(tracker="__tracker__", domain="domain"), "select": node(p="policy", domain="domain"),
        "missing": node(x="__nobody__"),
    }
    nodes["late"].is_target = nodes["select"].is_target = True  # the targets when none are given
    if fail:
        nodes[fail].config["fail"] = True
    schema = GraphSchema(nodes)
    return DaskGraphRunner(schema, LocalModelStorage(tmp_path), ExecutionContext(schema, "m"))


@pytest.mark.parametrize("targets", [["late"], ["select"], ["late", "select"], None], ids=repr)
def test_the_graph_runs_as_dask_runs_it(tmp_path: Path, targets: list[str] | None) -> None:
    original = rasa_speedups.ORIGINALS["graph_run"]
    runner = _runner(tmp_path)
    inputs = {"__message__": ["我是高级工"], "__tracker__": {"sender": "a"}}
    for _ in range(2):  # the second run uses the kept plan
        CALLS.clear()
        theirs = original(runner, inputs=dict(inputs), targets=targets)
        their_calls = list(CALLS)
        CALLS.clear()
        ours = runner.run(inputs=dict(inputs), targets=targets)
        assert ours == theirs
        assert their_calls == CALLS
        assert len(CALLS) >= 3


def test_graph_errors_are_the_same(tmp_path: Path) -> None:
    from rasa.engine.exceptions import GraphComponentException, GraphRunError

    original = rasa_speedups.ORIGINALS["graph_run"]
    runner = _runner(tmp_path)
    inputs = {"__message__": ["x"], "__tracker__": {}}
    for run in (original, type(runner).run):
        with pytest.raises(GraphRunError, match="Missing input"):  # an input nobody gave
            run(runner, inputs=dict(inputs), targets=["missing"])
        with pytest.raises(GraphRunError, match="clashes with a node name"):
            run(runner, inputs={**inputs, "__tracker__": "domain"}, targets=["select"])
    failing = _runner(tmp_path, fail="right")
    for run in (original, type(failing).run):
        CALLS.clear()
        with pytest.raises(GraphComponentException, match="for node right"):
            run(failing, inputs=dict(inputs), targets=["late"])
        assert CALLS[-1] == "right"


# The action server gets the current turn's events: our actions answer the same as with all.

ACTION_DOMAIN = Domain.load(str(ROOT / "domain.yml"))
# (intent, text, entities) of a citizen's turns; each is answered by the action its rule names.
CONVERSATION: list[tuple[str, str, list[dict[str, Any]]]] = [
    ("inform", "技校毕业的高级工", [{"entity": "school_type", "value": "technical_school"},
                                    {"entity": "certificate_level", "value": "senior"}]),
    ("inform", "2025年毕业", [{"entity": "graduation_date", "value": "2025-06"}]),
    ("affirm", "是的", []),
    ("dont_know", "不清楚", []),
    ("ask_amount", "全国技能大赛银牌奖励多少", [{"entity": "award", "value": "national_silver"}]),
    ("what_if", "如果我考下技师呢", [{"entity": "certificate_level", "value": "technician"}]),
    ("correct", "不对，是2024年毕业", [{"entity": "graduation_date", "value": "2024-06"}]),
    ("show_facts", "我的信息", []),
    ("ask_human", "转人工", []),
    ("nlu_fallback", "2019", []),
]
ACTIONS = ["action_interview", "action_answer_measure", "action_what_if", "action_show_facts",
           "action_handoff", "action_fallback"]


async def test_each_action_answers_the_current_turn_as_it_answers_the_whole_conversation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import json

    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig
    from rasa_sdk.executor import ActionExecutor

    from bot.clock import ENV

    monkeypatch.setenv(ENV, "2026-11-25")
    executor = ActionExecutor()
    executor.register_package("actions")
    endpoint = EndpointConfig("http://127.0.0.1:5055/webhook", enable_selective_domain=True)
    tracker = DialogueStateTracker.from_events("citizen", [SessionStarted()], slots=ACTION_DOMAIN.slots)
    tracker.update(SlotSet("consultation_code", "ZB7Q2K"), ACTION_DOMAIN)  # handoff's code is random
    compared = 0
    for turn, (intent, text, entities) in enumerate(CONVERSATION):
        tracker.update(ActionExecuted("action_listen"), ACTION_DOMAIN)
        tracker.update(UserUttered(text, intent={"name": intent, "confidence": 0.9}, entities=entities),
                       ACTION_DOMAIN)
        answers = []
        for name in ACTIONS:
            action = RemoteAction(name, endpoint)
            whole = rasa_speedups.ORIGINALS["action_call_format"](action, tracker, ACTION_DOMAIN)
            trimmed = action._action_call_format(tracker, ACTION_DOMAIN)
            assert {k: v for k, v in trimmed["tracker"].items() if k != "events"} == \
                {k: v for k, v in whole["tracker"].items() if k != "events"}
            assert trimmed["tracker"]["events"] == whole["tracker"]["events"][-len(trimmed["tracker"]["events"]):]
            assert trimmed["tracker"]["events"][0]["event"] == "user"
            if turn > 0:
                assert len(trimmed["tracker"]["events"]) < len(whole["tracker"]["events"])
            assert {k: v for k, v in trimmed.items() if k != "tracker"} == \
                {k: v for k, v in whole.items() if k != "tracker"}
            first = await executor.run(json.loads(json.dumps(whole)))
            second = await executor.run(json.loads(json.dumps(trimmed)))
            assert first == second, (name, text)
            answers.append(first)
            compared += 1
        # The conversation goes on with the interview's answer, as Rasa would apply it.
        tracker.update(ActionExecuted("action_interview"), ACTION_DOMAIN)
        for event in answers[0]["events"] if answers[0] else []:
            tracker.update(Event.from_parameters(event), ACTION_DOMAIN)
        for message in answers[0]["responses"] if answers[0] else []:
            tracker.update(BotUttered(message.get("text"), data={"custom": message.get("custom")}), ACTION_DOMAIN)
    assert compared == len(CONVERSATION) * len(ACTIONS)
    assert tracker.get_slot("facts")  # the interview recorded facts along the way


def test_the_current_turn_starts_at_the_latest_user_message() -> None:
    from rasa.shared.core.trackers import DialogueStateTracker

    events = [SessionStarted(), ActionExecuted("action_listen"), UserUttered("你好"),
              ActionExecuted("action_interview"), BotUttered("您好"), ActionExecuted("action_listen"),
              UserUttered("高级工"), SlotSet("pending_fact", None)]
    tracker = DialogueStateTracker.from_events("citizen", events, slots=ACTION_DOMAIN.slots)
    assert [e.as_dict()["event"] for e in rasa_speedups.current_turn(tracker)] == ["user", "slot"]
    assert rasa_speedups.current_turn(tracker)[0].text == "高级工"
    no_user = DialogueStateTracker.from_events("citizen", events[:2], slots=ACTION_DOMAIN.slots)
    assert rasa_speedups.current_turn(no_user) == list(no_user.events)


# Debug-log arguments are deep-copied only when debug logs are written.


def test_the_patched_modules_deep_copy_only_arguments_of_debug_logs() -> None:
    import ast
    import importlib
    import inspect

    for name in rasa_speedups.DEBUG_COPY_MODULES:
        tree = ast.parse(inspect.getsource(importlib.import_module(name)))
        in_debug_calls: set[int] = set()
        every: list[ast.Call] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and isinstance(node.func.value, ast.Name):
                called = (node.func.value.id, node.func.attr)
                if called == ("copy", "deepcopy"):
                    every.append(node)
                if called == ("structlogger", "debug"):
                    in_debug_calls.update(id(n) for n in ast.walk(node))
        assert every, name
        assert all(id(call) in in_debug_calls for call in every), name


def test_debug_log_arguments_are_copied_exactly_when_debug_logs_are_written() -> None:
    import logging

    import rasa.core.policies.rule_policy
    import rasa.core.processor
    from rasa.utils.log_utils import configure_structlog

    value = [{"slot": {"facts": ["a"]}}]
    try:
        for module in (rasa.core.processor, rasa.core.policies.rule_policy):
            configure_structlog(logging.INFO)
            assert module.copy.deepcopy(value) is value
            assert module.copy.copy is copy.copy  # the rest of the module is the real one
            configure_structlog(logging.DEBUG)
            copied = module.copy.deepcopy(value)
            assert copied == value and copied is not value and copied[0] is not value[0]
    finally:
        configure_structlog(logging.WARNING)
