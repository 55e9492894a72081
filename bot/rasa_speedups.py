"""Two hot spots of a Rasa 3.6.21 turn, made cheap without changing what they do.

Profiling one REST turn in process (``scripts/profile_turn.py``) showed that more time went
into Rasa's own bookkeeping than into the NLU:

* ``RemoteAction._validate_action_result`` calls ``jsonschema.validate`` on every action
  server response. ``validate`` first checks the *schema itself* against the draft 2020-12
  meta-schema, which is a few thousand recursive calls with jsonschema 4.17: about 12 ms of
  a 33 ms turn. The schema is a constant, so here it is checked once and the same validator
  class (``validator_for``, as ``validate`` picks it) validates every response. Invalid
  responses raise the same ``ValidationError`` with Rasa's hint appended.
* ``Event.resolve_by_type`` walks every subclass of ``Event`` (recursively, about 30 calls)
  for each event it deserialises: every event of a tracker loaded from the tracker store
  and every event an action server returns. Here the class found for a type name is
  remembered. Names it cannot resolve are not remembered, so an event class imported later
  is still found, and unknown names still raise or fall back exactly as before.

Rasa 3.6.21 is the last open-source Rasa and is pinned exactly in pyproject.toml, so these
functions will not change under us; tests/test_rasa_speedups.py compares both replacements
with the originals. ``apply()`` is idempotent. It is called when Rasa imports our REST
channel (credentials.yml) or our tracker store (endpoints*.yml), which every Rasa server
of both profiles does at start-up.
"""

from __future__ import annotations

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
        try:
            validator.validate(result)
        except ValidationError:
            # Same exception and message as Rasa's (its hint appended): let the original
            # build it from the invalid response.
            return bool(original(self, result))
        return True

    RemoteAction._validate_action_result = validate_action_result


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
