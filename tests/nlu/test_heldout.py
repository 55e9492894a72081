"""The held-out score: train the NLU model, run `rasa test nlu` on tests/nlu/heldout.yml.

Fails below intent macro-F1 0.93 or entity micro-F1 0.93 (FactEntityExtractor,
Rasa's token-level report). Also checks, without a model, that the extractor gives
every annotated entity its exact fact value (Rasa's report only compares types).
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
from tests.nlu.heldout_support import HELDOUT, REFERENCE_DATE, heldout_examples

ROOT = Path(__file__).resolve().parents[2]
MIN_F1 = 0.93


def test_heldout_is_big_enough_and_separate_from_training() -> None:
    examples = heldout_examples()
    assert len(examples) >= 300
    training = set()
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("- "):
                training.add(line.strip()[2:])
    assert [e.text for e in examples if e.text in training] == []


def test_extractor_values_on_heldout() -> None:
    extractor = default_extractor()
    today = date.fromisoformat(REFERENCE_DATE)
    tp = fp = fn = 0
    for example in heldout_examples():
        found = extractor.extract(normalise_text(example.text), today)
        places = {(e.start, e.end) for e in found if e.entity == "place"}
        got = {
            (e.entity, e.value, e.start, e.end)
            for e in found
            if not (e.entity == "in_zibo" and (e.start, e.end) in places)
        }
        tp += len(got & example.entities)
        fp += len(got - example.entities)
        fn += len(example.entities - got)
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.95, f"exact entity+value F1 {f1:.3f} (tp={tp} fp={fp} fn={fn})"


@pytest.mark.slow
def test_rasa_test_nlu_on_heldout(tmp_path: Path) -> None:
    env = {**os.environ, "ASSISTANT_TODAY": REFERENCE_DATE, "TF_CPP_MIN_LOG_LEVEL": "2"}
    rasa = [sys.executable, "-m", "rasa"]
    subprocess.run([sys.executable, "-m", "bot.nlu.userdict"], cwd=ROOT, check=True)
    subprocess.run(
        [*rasa, "train", "nlu", "--config", "config.yml", "--nlu", "data/nlu",
         "--out", str(tmp_path), "--fixed-model-name", "nlu"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )
    results = tmp_path / "results"
    subprocess.run(
        [*rasa, "test", "nlu", "--model", str(tmp_path / "nlu.tar.gz"),
         "--nlu", str(HELDOUT), "--out", str(results)],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )
    intents = json.loads((results / "intent_report.json").read_text(encoding="utf-8"))
    entities = json.loads(
        (results / "FactEntityExtractor_report.json").read_text(encoding="utf-8")
    )
    intent_f1 = intents["macro avg"]["f1-score"]
    entity_f1 = entities["micro avg"]["f1-score"]
    print(f"held-out intent macro-F1 {intent_f1:.3f}, entity micro-F1 {entity_f1:.3f}")
    assert intent_f1 >= MIN_F1, f"intent macro-F1 {intent_f1:.3f} < {MIN_F1}"
    assert entity_f1 >= MIN_F1, f"entity micro-F1 {entity_f1:.3f} < {MIN_F1}"
