"""Read the held-out NLU sets: each utterance with its intent and annotated entities.

tests/nlu/heldout.yml was written with the extractor; tests/nlu/independent.yml by an
engineer who never saw bot/nlu (used as a development set since, see test_heldout.py);
tests/nlu/sealed.yml (blind when measured once at f60d2f0, a development set since);
tests/nlu/sealed2.yml (blind when measured once at 31b5356), tests/nlu/sealed3.yml (session 3,
DIET model), tests/nlu/sealed4.yml (at a68e3eb), tests/nlu/sealed5.yml (session 4, at e5d38b8) and
tests/nlu/sealed6.yml (session 4, at 71cf5ed), tests/nlu/sealed7.yml (session 5, at aed0c62),
tests/nlu/sealed8.yml (session 5, at 0d91a99), tests/nlu/sealed9.yml (session 5, at 4b43460) and
tests/nlu/sealed10.yml (session 6, at 3efe6bf with the intent vote) are development sets since (README).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rasa.shared.nlu.training_data.loading import load_data

HELDOUT = Path(__file__).with_name("heldout.yml")
INDEPENDENT = Path(__file__).with_name("independent.yml")
SEALED = Path(__file__).with_name("sealed.yml")
SEALED2 = Path(__file__).with_name("sealed2.yml")
SEALED3 = Path(__file__).with_name("sealed3.yml")
SEALED4 = Path(__file__).with_name("sealed4.yml")
SEALED5 = Path(__file__).with_name("sealed5.yml")
SEALED6 = Path(__file__).with_name("sealed6.yml")
SEALED7 = Path(__file__).with_name("sealed7.yml")
SEALED8 = Path(__file__).with_name("sealed8.yml")
SEALED9 = Path(__file__).with_name("sealed9.yml")
SEALED10 = Path(__file__).with_name("sealed10.yml")
REFERENCE_DATE = "2026-11-25"


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    entities: frozenset[tuple[str, str, int, int]]  # (entity, value, start, end)


def heldout_examples(path: Path = HELDOUT) -> list[Example]:
    data = load_data(str(path))
    out: list[Example] = []
    for message in data.intent_examples:
        entities = frozenset(
            (e["entity"], str(e["value"]), int(e["start"]), int(e["end"]))
            for e in message.get("entities", [])
        )
        out.append(Example(message.get("text"), message.get("intent"), entities))
    return out
