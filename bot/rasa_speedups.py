"""Hot spots of a Rasa 3.6.21 turn, made cheap without changing what they do.

Profiling one REST turn in process (``scripts/profile_turn.py``) showed that more time went
into Rasa's own bookkeeping than into the NLU:

* ``RemoteAction._validate_action_result`` calls ``jsonschema.validate`` on every action
  server response. ``validate`` first checks the *schema itself* against the draft 2020-12
  meta-schema, which is a few thousand recursive calls with jsonschema 4.17: about 12 ms of
  a 33 ms turn. The schema is a constant, so here it is checked once and the same validator
  class (``validator_for``, as ``validate`` picks it) validates every response. Invalid
  responses raise the same ``ValidationError`` with Rasa's hint appended. Our actions answer
  with messages and ``slot`` events only; for such a response the schema's ``oneOf`` over 23
  event kinds still cost 0.3 ms, so a plain check accepts it first (``_plainly_valid``: a
  response it accepts is one the schema accepts, tested; anything else goes to the validator).
* ``Event.resolve_by_type`` walks every subclass of ``Event`` (recursively, about 30 calls)
  for each event it deserialises: every event of a tracker loaded from the tracker store
  and every event an action server returns. Here the class found for a type name is
  remembered. Names it cannot resolve are not remembered, so an event class imported later
  is still found, and unknown names still raise or fall back exactly as before.
* ``EndpointConfig.request`` opens a new ``aiohttp.ClientSession`` for every request, so every
  action server call of every turn set up and tore down a TCP connection. Here a session is
  kept per endpoint configuration and event loop, and requests reuse its keep-alive
  connections (the saving per call, measured against the real action server by
  ``scripts/action_call_bench.py``, is in docs/benchmarks.md). The kept connections idle out
  after 2 s, before the action server's keep-alive timeout (Sanic: 5 s) would close them, so
  that timeout never races a reuse; a connection the server closed for another reason is not
  reused once its close has arrived (tested). ``close_kept_sessions()`` closes them when the
  server stops.
* Python's garbage collector, in its oldest generation, walks every object the process holds:
  with the model, TensorFlow and Rasa loaded about 550,000, so a full collection took 277 ms
  (measured in process after loading the model). One ran every so often in the middle of a
  turn: the 150 ms turns of the benchmark's p99. ``freeze_heap()``, called once the server has
  loaded the model, moves everything alive then into the permanent generation (``gc.freeze``):
  collections look only at objects made after it, and what is frozen is never freed (nothing
  loaded at start-up is released while the server runs; a replaced model would stay in memory).

* ``DaskGraphRunner.run`` runs every graph (the NLU of each message, each policy prediction:
  three per turn) through ``dask.get``, which plans the graph again each time (culls, orders,
  tracks task states), and first recomputes the minimal schema of the targets. The nodes are
  plain synchronous calls of Rasa's ``GraphNode``s, so here the order dask would run them in
  is taken once per set of targets (from dask itself, running no-op stand-ins) and every run
  then calls the same nodes with the same arguments in that order. Measured in process on
  the trained model: NLU graph 3.2 → 2.6 ms, policy graph 0.66 → 0.48 ms.

* ``RemoteAction._action_call_format`` sends the action server the whole conversation
  (``EventVerbosity.ALL``: every event of every session, each user message with its parse
  data) on every call, so each call grew with the conversation. Our actions read the slots and
  the latest message only (``actions/actions.py``; the state carries both, and the active loop
  and latest action, as before), so here the body carries the events of the current turn, from
  the latest user message on. tests/test_rasa_speedups.py runs every action on both bodies of
  the same conversations and compares the answers and events.
* ``rasa.core.processor`` and ``rasa.core.policies.rule_policy`` pass ``copy.deepcopy(...)`` of
  the slots, each action's events and the rule policy's states (three times a turn) to
  ``structlogger.debug``, which copies them even when debug logs are dropped. Those two modules
  see a ``copy`` whose ``deepcopy`` returns its argument while structlog's ``debug`` is its
  no-op, and copies as before whenever debug logs are written (a test reads both modules'
  source: every ``copy.deepcopy`` there is an argument of a ``structlogger.debug`` call).

Rasa 3.6.21 is the last open-source Rasa and is pinned exactly in pyproject.toml, so these
functions will not change under us; tests/test_rasa_speedups.py compares both replacements
with the originals. ``apply()`` is idempotent. It is called when Rasa imports our REST
channel (credentials.yml) or our tracker store (endpoints*.yml), which every Rasa server
of both profiles does at start-up.
"""

from __future__ import annotations

import asyncio
import copy
import gc
import itertools
import logging
from typing import Any

_APPLIED = False
# The functions replaced, kept for tests/test_rasa_speedups.py to compare against.
ORIGINALS: dict[str, Any] = {}


def apply() -> None:
    global _APPLIED
    if _APPLIED:
        return
    _compile_action_response_validator()
    _memoise_event_type_resolution()
    _keep_endpoint_connections()
    _run_graphs_in_dask_order()
    _send_the_current_turn_to_actions()
    _copy_debug_log_arguments_only_when_logged()
    _APPLIED = True


def _compile_action_response_validator() -> None:
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    original = ORIGINALS.setdefault("validate_action_result", RemoteAction._validate_action_result)
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        if _plainly_valid(result):
            return True
        try:
            validator.validate(result)
        except ValidationError:
            # Same exception and message as Rasa's (its hint appended): let the original
            # build it from the invalid response.
            return bool(original(self, result))
        return True

    RemoteAction._validate_action_result = validate_action_result


def _plainly_valid(result: Any) -> bool:
    """True only for a response the action response schema accepts: a JSON object whose
    ``responses`` (if any) are objects and whose ``events`` (if any) are all ``slot`` events
    with a string name, a value, and a timestamp and metadata of the schema's types.
    ``False`` says nothing: the schema decides."""
    if type(result) is not dict:
        return False
    responses = result.get("responses", [])
    if type(responses) is not list or any(type(r) is not dict for r in responses):
        return False
    events = result.get("events", [])
    if type(events) is not list:
        return False
    for event in events:
        if (
            type(event) is not dict
            or event.get("event") != "slot"
            or type(event.get("name")) is not str
            or "value" not in event
            or type(event.get("timestamp")) not in (type(None), int, float)
            or type(event.get("metadata")) not in (type(None), dict)
        ):
            return False
    return True


def _memoise_event_type_resolution() -> None:
    from rasa.shared.core.events import Event

    original = ORIGINALS.setdefault("resolve_by_type", Event.resolve_by_type)
    found: dict[str, type[Event]] = {}

    def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
        cls = found.get(type_name)
        if cls is not None:
            return cls
        try:
            resolved: type[Event] | None = original(type_name, None)
        except ValueError:  # unknown name: the original decides (default or raise)
            resolved = None
        if resolved is None:
            fallback: type[Event] | None = original(type_name, default)
            return fallback
        found[type_name] = resolved
        return resolved

    Event.resolve_by_type = staticmethod(resolve_by_type)


# Kept client sessions: (event loop, url, headers, basic auth) -> session.
_KEPT_SESSIONS: dict[tuple[Any, ...], Any] = {}
# Below the action server's keep-alive (Sanic: 5 s), so an idle connection is dropped by us
# first and never reused while the server is closing it.
KEEPALIVE_SECONDS = 2.0


class _Borrowed:
    """``async with`` a kept session without closing it at the end (Rasa's callers close)."""

    def __init__(self, session: Any) -> None:
        self._session = session

    async def __aenter__(self) -> Any:
        return self._session

    async def __aexit__(self, *exc: object) -> None:
        return None


def _keep_endpoint_connections() -> None:
    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

    original = ORIGINALS.setdefault("endpoint_session", EndpointConfig.session)

    def session(self: EndpointConfig) -> Any:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not inside a coroutine: Rasa's own, closed by its caller
            return original(self)
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
        key = (loop, self.url, tuple(sorted((self.headers or {}).items())), auth)
        kept = _KEPT_SESSIONS.get(key)
        if kept is None or kept.closed:
            for stale in [k for k in _KEPT_SESSIONS if k[0].is_closed()]:
                del _KEPT_SESSIONS[stale]
            kept = aiohttp.ClientSession(
                headers=self.headers,
                auth=auth,
                timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
            )
            _KEPT_SESSIONS[key] = kept
        return _Borrowed(kept)

    EndpointConfig.session = session


def _run_graphs_in_dask_order() -> None:
    import dask
    from rasa.engine.exceptions import GraphRunError
    from rasa.engine.runner.dask import DaskGraphRunner

    ORIGINALS.setdefault("graph_run", DaskGraphRunner.run)
    logger = logging.getLogger(DaskGraphRunner.__module__)

    def run(self: DaskGraphRunner, inputs: dict[str, Any] | None = None,
            targets: list[str] | None = None) -> dict[str, Any]:
        run_targets = targets if targets else self._graph_schema.target_names
        inputs = inputs or {}
        plans = self.__dict__.setdefault("_zibo_plans", {})
        key = (tuple(run_targets), tuple(inputs))
        plan = plans.get(key)
        if plan is None:
            plan = plans[key] = _plan(self, run_targets, list(inputs))
        order, needs, node_names = plan
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(f"Running graph with inputs: {inputs}, targets: {targets} "
                         f"and {self._execution_context}.")
        results: dict[str, Any] = {}
        for input_name, input_value in inputs.items():  # as DaskGraphRunner._add_inputs_to_graph
            if isinstance(input_value, str) and (input_value in node_names or input_value in results):
                raise GraphRunError(
                    f"Input value '{input_value}' clashes with a node name. Make sure "
                    f"that none of the input names passed to the `run` method are the "
                    f"same as node names in the graph schema."
                )
            results[input_name] = (input_name, input_value)
        nodes = self._instantiated_nodes
        try:
            for name in order:
                # dask passes a dependency it cannot resolve as its name (GraphNode warns)
                results[name] = nodes[name](*[results.get(dep, dep) for dep in needs[name]])
            return dict(results[target] for target in run_targets)
        except RuntimeError as e:
            raise GraphRunError("Error running runner.") from e

    def _plan(runner: DaskGraphRunner, run_targets: list[str],
              input_names: list[str]) -> tuple[list[str], dict[str, list[str]], frozenset[str]]:
        schema = runner._graph_schema.minimal_graph_schema(run_targets)
        # Inputs replace nodes of the same name, as in Rasa's dask graph.
        needs = {name: list(node.needs.values()) for name, node in schema.nodes.items() if name not in input_names}
        order: list[str] = []

        def stand_in(name: str) -> Any:
            def call(*_: Any) -> tuple[str, None]:
                order.append(name)
                return name, None
            return call

        graph: dict[str, Any] = {name: (stand_in(name), *deps) for name, deps in needs.items()}
        for name in input_names:
            graph[name] = (name, None)
        dask.get(graph, run_targets)
        return order, needs, frozenset(schema.nodes)

    DaskGraphRunner.run = run


def current_turn(tracker: Any) -> list[Any]:
    """The tracker's events from its latest user message on (all of them if it has none)."""
    from rasa.shared.core.events import UserUttered

    events = tracker.events
    for back, event in enumerate(reversed(events)):
        if isinstance(event, UserUttered):
            return list(itertools.islice(events, len(events) - back - 1, None))
    return list(events)


def _send_the_current_turn_to_actions() -> None:
    import rasa
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.trackers import EventVerbosity

    ORIGINALS.setdefault("action_call_format", RemoteAction._action_call_format)

    def action_call_format(self: RemoteAction, tracker: Any, domain: Any) -> dict[str, Any]:
        # Rasa's request body, with the events of the current turn instead of all of them.
        state = tracker.current_state(EventVerbosity.NONE)
        state["events"] = [event.as_dict() for event in current_turn(tracker)]
        result: dict[str, Any] = {
            "next_action": self._name,
            "sender_id": tracker.sender_id,
            "tracker": state,
            "version": rasa.__version__,
        }
        if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(self.name()):
            result["domain"] = domain.as_dict()
        return result

    RemoteAction._action_call_format = action_call_format


class _CopyForDebugLogs:
    """What a Rasa module sees as ``copy``: ``deepcopy`` copies only while debug logs are
    written; everything else is the ``copy`` module's."""

    def deepcopy(self, value: Any, memo: Any = None) -> Any:
        if _debug_logs_dropped():
            return value  # the argument of a debug call that does nothing with it
        return copy.deepcopy(value, memo)

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)


def _debug_logs_dropped() -> bool:
    """True when structlog's ``debug`` is its no-op: Rasa configures a filtering bound logger
    at its log level (INFO unless --debug); False whenever a debug call might write."""
    import structlog

    wrapper = structlog.get_config()["wrapper_class"]
    return getattr(wrapper, "debug", None) is _INFO_LOGGER_DEBUG


_INFO_LOGGER_DEBUG: Any = None

# The Rasa modules of a turn whose only use of ``copy.deepcopy`` is to copy the arguments of
# ``structlogger.debug`` calls (tests/test_rasa_speedups.py reads their source to check).
DEBUG_COPY_MODULES = ("rasa.core.processor", "rasa.core.policies.rule_policy")


def _copy_debug_log_arguments_only_when_logged() -> None:
    import importlib

    import structlog

    global _INFO_LOGGER_DEBUG
    _INFO_LOGGER_DEBUG = structlog.make_filtering_bound_logger(logging.INFO).debug
    for name in DEBUG_COPY_MODULES:
        module = importlib.import_module(name)
        ORIGINALS.setdefault(f"copy:{name}", module.copy)
        module.copy = _CopyForDebugLogs()  # type: ignore[attr-defined]


async def close_kept_sessions() -> None:
    """Close the sessions kept for the running event loop (at server stop)."""
    loop = asyncio.get_running_loop()
    for key in [k for k in _KEPT_SESSIONS if k[0] is loop]:
        await _KEPT_SESSIONS.pop(key).close()


def freeze_heap() -> int:
    """Collect once, then exempt every object alive now from later collections (see above)."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
