"""The held-out scores: `rasa test nlu` of the trained model (models/, as shipped) on the held-out sets.

Every set fails below intent macro-F1 0.93 or entity micro-F1 0.93 (FactEntityExtractor,
Rasa's token-level report).
tests/nlu/heldout.yml was written with the extractor. The others were written by engineers
who never saw bot/nlu or the training data, and each was measured once blind before it became
a development set (README, "Chinese understanding", has the blind figures):
independent.yml (12a52b1), sealed.yml (f60d2f0), sealed2.yml (31b5356), sealed3.yml (session 3,
with the DIET model it replaced: intent 0.883, entity 0.893, values F1 0.919), sealed4.yml (a68e3eb: intent 0.946,
entity 0.893, values F1 0.911), sealed5.yml (e5d38b8, written to the session-4 annotation guide: intent 0.941,
entity 0.911, values F1 0.945), sealed6.yml (71cf5ed: intent 0.947, entity 0.929, values F1 0.959),
sealed7.yml (aed0c62: intent 0.909, entity 0.926, values F1 0.953), sealed8.yml (0d91a99: intent 0.946,
entity 0.919, values F1 0.940), sealed9.yml (4b43460: intent 0.944, entity 0.940, values F1 0.947),
sealed10.yml (session 6, 3efe6bf with the intent vote: intent 0.940, entity 0.932, values F1 0.955).
All of them also check, without a model, that the extractor gives every annotated entity its
exact fact value (Rasa's report only compares types). No training line may equal an utterance
of any of them (compared as exact strings).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.nlu.extract import default_extractor
from bot.nlu.normalise import normalise_text
from tests.nlu.heldout_support import (
    HELDOUT,
    INDEPENDENT,
    REFERENCE_DATE,
    SEALED,
    SEALED2,
    SEALED3,
    SEALED4,
    SEALED5,
    SEALED6,
    SEALED7,
    SEALED8,
    SEALED9,
    SEALED10,
    heldout_examples,
)

ROOT = Path(__file__).resolve().parents[2]
MIN_F1 = 0.93
MIN_VALUE_F1 = 0.95
SETS = {
    "heldout": HELDOUT, "independent": INDEPENDENT, "sealed": SEALED, "sealed2": SEALED2,
    "sealed3": SEALED3, "sealed4": SEALED4, "sealed5": SEALED5, "sealed6": SEALED6,
    "sealed7": SEALED7, "sealed8": SEALED8, "sealed9": SEALED9,
    "sealed10": SEALED10,
}
# Exact-value floors: at 31b5356 the extractor's values on sealed2 were F1 0.914; after the
# sealed2 value fixes 0.991 (tp=383 fp=2 fn=5). The floor keeps that level.
MIN_SET_VALUE_F1 = {"sealed2": 0.99}


def _training_lines() -> set[str]:
    training = set()
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("- "):
                training.add(line.strip()[2:])
    return training


@pytest.mark.parametrize("name", list(SETS))
def test_set_is_big_enough_and_separate_from_training(name: str) -> None:
    examples = heldout_examples(SETS[name])
    assert len(examples) >= 300
    training = _training_lines()
    assert [e.text for e in examples if e.text in training] == []


# heldout.yml's spans follow the extractor's; independent.yml's follow its annotator's own
# style ("[3]个人", "[不是全日制]"), so there values are compared per utterance without spans,
# as the annotator's scoring did (an in_zibo that a kept place already implies is not counted).
SPAN_EXACT = {"heldout": True, "independent": False, "sealed": False, "sealed2": False, "sealed3": False,
              "sealed4": False, "sealed5": False, "sealed6": False,
              "sealed7": False, "sealed8": False, "sealed9": False, "sealed10": False}


@pytest.mark.parametrize("name", list(SETS))
def test_extractor_values(name: str) -> None:
    extractor = default_extractor()
    today = date.fromisoformat(REFERENCE_DATE)
    tp = fp = fn = 0
    for example in heldout_examples(SETS[name]):
        found = extractor.extract(normalise_text(example.text), today)
        places = {(e.start, e.end) for e in found if e.entity == "place"}
        got: set[tuple[object, ...]] = {
            (e.entity, e.value, e.start, e.end)
            for e in found
            if not (e.entity == "in_zibo" and (e.start, e.end) in places)
        }
        gold: set[tuple[object, ...]] = set(example.entities)
        if not SPAN_EXACT[name]:
            implied = {str(e.value in default_extractor().vocabulary.places_in_zibo.values()).lower()
                       for e in found if e.entity == "place"}
            got = {(e, v) for e, v, *_ in got if not (e == "in_zibo" and v in implied)}
            gold = {(e, v) for e, v, *_ in gold}
        tp += len(got & gold)
        fp += len(got - gold)
        fn += len(gold - got)
    f1 = 2 * tp / (2 * tp + fp + fn)
    floor = MIN_SET_VALUE_F1.get(name, MIN_VALUE_F1)
    assert f1 >= floor, f"{name}: exact entity+value F1 {f1:.3f} (tp={tp} fp={fp} fn={fn})"


@pytest.fixture(scope="module")
def nlu_model() -> Path:
    """The model `make train` built (the one the assistant runs), never a separate one."""
    from tests.support import DEFAULT_MODEL, require_current_model

    require_current_model()
    return DEFAULT_MODEL


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SETS))
def test_rasa_test_nlu(name: str, nlu_model: Path, tmp_path: Path) -> None:
    env = {**os.environ, "ASSISTANT_TODAY": REFERENCE_DATE, "TF_CPP_MIN_LOG_LEVEL": "2"}
    results = tmp_path / "results"
    subprocess.run(
        [sys.executable, "-m", "rasa", "test", "nlu", "--model", str(nlu_model),
         "--nlu", str(SETS[name]), "--out", str(results)],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )
    intents = json.loads((results / "intent_report.json").read_text(encoding="utf-8"))
    entities = json.loads(
        (results / "FactEntityExtractor_report.json").read_text(encoding="utf-8")
    )
    intent_f1 = intents["macro avg"]["f1-score"]
    entity_f1 = entities["micro avg"]["f1-score"]
    print(f"{name}: intent macro-F1 {intent_f1:.3f}, entity micro-F1 {entity_f1:.3f}")
    assert intent_f1 >= MIN_F1, f"{name}: intent macro-F1 {intent_f1:.3f} < {MIN_F1}"
    assert entity_f1 >= MIN_F1, f"{name}: entity micro-F1 {entity_f1:.3f} < {MIN_F1}"
