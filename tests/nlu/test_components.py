"""The Rasa components on whole messages: odd input never raises, dates are injectable,
another extractor's raw entities never reach the output as fact values."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.regex_entity_extractor import RegexEntityExtractor
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.shared.nlu.constants import (
    ENTITIES,
    FEATURE_TYPE_SENTENCE,
    INTENT,
    INTENT_RANKING_KEY,
    METADATA,
    TEXT,
)
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.components import (
    EXTRACTED_FACTS,
    ChineseTextNormalizer,
    FactEntityExtractor,
    FactFeaturizer,
    LinearIntentClassifier,
    has_words,
    reference_date,
)
from bot.nlu.normalise import normalise_text
from bot.nlu.vocabulary import load_vocabulary


def run(text: str, metadata: dict[str, str] | None = None) -> Message:
    message = Message(data={TEXT: text, METADATA: metadata or {}})
    ChineseTextNormalizer().process([message])
    FactEntityExtractor().process([message])
    return message


@pytest.mark.parametrize(
    "text",
    ["", " ", "🙂🙂👍🎉", "asdfjkl;'[]\\", "\x00\x01\u200b", "？？？！！！", "第条第条", "年年年年",
     "万万万", "0000年", "9999999999999999999999元", "第999999条", "一" * 500,
     "我是技师，" * 2000, "字" * 10000],
)
def test_garbage_and_long_messages_pass(text: str) -> None:
    message = run(text)
    for entity in message.get(ENTITIES, []):
        assert 0 <= entity["start"] < entity["end"] <= len(text)


def test_entities_carry_the_extractor_name_and_fact_values() -> None:
    message = run("去年技校毕业的，考了个三级", {"reference_date": "2026-11-25"})
    assert message.get(TEXT) == "去年技校毕业的,考了个三级"  # full-width comma normalised
    assert [(e["entity"], e["value"], e["extractor"]) for e in message.get(ENTITIES)] == [
        ("graduation_date", "2025", "FactEntityExtractor"),
        ("school_type", "technical_school", "FactEntityExtractor"),
        ("certificate_level", "senior", "FactEntityExtractor"),
    ]


def test_normaliser_rewrites_the_text_in_place() -> None:
    assert run("職業技能等級證書，２０２１年").get(TEXT) == "职业技能等级证书,2021年"


def test_reference_date_from_metadata_then_the_assistant_clock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NLU_REFERENCE_DATE", raising=False)
    monkeypatch.setenv("ASSISTANT_TODAY", "2031-03-04")
    assert reference_date(Message(data={TEXT: "x"})) == date(2031, 3, 4)
    # NLU_REFERENCE_DATE, the older name, counts only where ASSISTANT_TODAY is unset.
    monkeypatch.setenv("NLU_REFERENCE_DATE", "2030-01-02")
    assert reference_date(Message(data={TEXT: "x"})) == date(2031, 3, 4)
    monkeypatch.delenv("ASSISTANT_TODAY")
    assert reference_date(Message(data={TEXT: "x"})) == date(2030, 1, 2)
    with_metadata = Message(data={TEXT: "x", METADATA: {"reference_date": "2026-11-25"}})
    assert reference_date(with_metadata) == date(2026, 11, 25)
    assert run("去年毕业", {"reference_date": "2026-11-25"}).get(ENTITIES)[0]["value"] == "2025"


# ------------------------------------------------ entities from another extractor


def regex_extractor(tmp_path: Path) -> RegexEntityExtractor:
    """Rasa's RegexEntityExtractor trained on lookup tables of the whole vocabulary."""
    lookups: dict[str, list[str]] = {}
    for term in load_vocabulary().terms:
        if not term.entity.startswith("_"):
            lookups.setdefault(term.entity, []).append(term.text)
    annotated = [
        Message(data={TEXT: "x", INTENT: "inform",
                      ENTITIES: [{"entity": name, "value": "x", "start": 0, "end": 1}]})
        for name in lookups
    ]
    training = TrainingData(
        training_examples=annotated,
        lookup_tables=[{"name": name, "elements": words} for name, words in lookups.items()],
    )
    config = {**RegexEntityExtractor.get_default_config(), "use_word_boundaries": False}
    extractor = RegexEntityExtractor.create(
        config, LocalModelStorage(tmp_path), Resource("regex"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    extractor.train(training)
    return extractor


def run_after(upstream: RegexEntityExtractor, text: str) -> tuple[list[dict], list[dict]]:
    """Entities after the regex extractor, and after FactEntityExtractor reconciled them."""
    message = Message(data={TEXT: text, METADATA: {"reference_date": "2026-11-25"}})
    ChineseTextNormalizer().process([message])
    upstream.process([message])
    before = list(message.get(ENTITIES, []))
    FactEntityExtractor().process([message])
    return before, message.get(ENTITIES, [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Raw spans of words the extractor normalised: duplicates, dropped.
        ("去年技校毕业的，考了个三级", [("graduation_date", "2025"), ("school_type", "technical_school"),
                                      ("certificate_level", "senior")]),
        # Rejected in context: negated, or a word inside a longer one ("技师" in 技师学院).
        ("我不是技工院校毕业的，是职业学院", [("school_type", "vocational_college")]),
        ("技师学院毕业", [("school_type", "technical_school")]),
        ("英语四级过了", []),
        ("张店区", [("place", "张店"), ("in_zibo", "true")]),
    ],
)
def test_raw_entities_of_another_extractor_become_fact_values(
    tmp_path: Path, text: str, expected: list[tuple[str, str]]
) -> None:
    before, after = run_after(regex_extractor(tmp_path), text)
    assert any(e["extractor"] == "RegexEntityExtractor" for e in before)
    assert [(e["entity"], e["value"]) for e in after] == expected
    assert {e["extractor"] for e in after} <= {"FactEntityExtractor"}


def test_entities_of_other_kinds_pass_unchanged() -> None:
    other = {"entity": "product", "value": "手机", "start": 0, "end": 2, "extractor": "X"}
    raw = {"entity": "school_type", "value": "技校", "start": 2, "end": 4, "extractor": "X"}
    message = Message(data={TEXT: "手机技校", ENTITIES: [other, raw]})
    FactEntityExtractor().process([message])
    assert message.get(ENTITIES) == [
        other,
        {"entity": "school_type", "value": "technical_school", "start": 2, "end": 4,
         "extractor": "FactEntityExtractor"},
    ]


# ------------------------------------------------ fact features for the intent classifier


def featurizer(tmp_path: Path, names: list[str] | None = None) -> FactFeaturizer:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test", node_name="facts")
    config = FactFeaturizer.get_default_config()
    if names is None:
        component = FactFeaturizer.create(config, storage, Resource("facts"), context)
        component.train(TrainingData())
        return FactFeaturizer.load(config, storage, Resource("facts"), context)
    return FactFeaturizer(config, storage, Resource("facts"), context, names)


def featurized(component: FactFeaturizer, text: str) -> Message:
    message = Message(data={TEXT: text, METADATA: {"reference_date": "2026-11-25"}})
    ChineseTextNormalizer().process([message])
    JiebaTokenizer.create(
        JiebaTokenizer.get_default_config(), LocalModelStorage(Path("/tmp")), Resource("t"),
        ExecutionContext(GraphSchema({}), "test"),
    ).process([message])
    component.process([message])
    return message


def active(component: FactFeaturizer, message: Message) -> tuple[set[str], list[set[str]]]:
    sequence, sentence = message.get_sparse_features(TEXT, ["facts"])
    assert sequence is not None and sentence is not None
    names = component._names
    tokens = message.get(TOKENS_NAMES[TEXT])
    rows = sequence.features.toarray()
    assert rows.shape == (len(tokens), len(names))
    return (
        {names[i] for i in sentence.features.toarray()[0].nonzero()[0]},
        [{names[i] for i in row.nonzero()[0]} for row in rows],
    )


def test_fact_features_mark_the_kinds_of_facts_and_their_tokens(tmp_path: Path) -> None:
    component = featurizer(tmp_path)
    message = featurized(component, "厨师二级 拿证是2023年11月")
    sentence, per_token = active(component, message)
    assert sentence == {"group:any_fact", "group:person_fact", "entity:certificate_level",
                        "entity:certificate_date"}
    tokens = [t.text for t in message.get(TOKENS_NAMES[TEXT])]
    assert "entity:certificate_level" in per_token[tokens.index("二级")]
    assert per_token[tokens.index("厨师")] == set()
    # A measure asked about is a topic, not a fact of the speaker; a negated boolean is marked.
    assert active(component, featurized(component, "说说第十九条"))[0] == {
        "group:topic", "entity:article"}
    assert "group:negated_fact" in active(component, featurized(component, "我不是全日制的"))[0]
    assert active(component, featurized(component, "你好"))[0] == set()


def test_fact_features_keep_the_width_they_were_trained_with(tmp_path: Path) -> None:
    """The names are stored with the model: a vocabulary change cannot change the width."""
    old = ["group:any_fact", "entity:place", "entity:gone_since"]
    component = featurizer(tmp_path, old)
    sentence, _ = active(component, featurized(component, "在张店上班 2023年毕业"))
    assert sentence == {"group:any_fact", "entity:place"}


def test_the_extractor_reuses_what_the_featurizer_read(tmp_path: Path) -> None:
    component = featurizer(tmp_path)
    message = featurized(component, "去年技校毕业的")
    cached = message.get(EXTRACTED_FACTS)
    assert cached["text"] == message.get(TEXT)
    FactEntityExtractor().process([message])
    assert [(e["entity"], e["value"]) for e in message.get(ENTITIES)] == [
        ("graduation_date", "2025"), ("school_type", "technical_school")]
    # A text changed after featurizing is read again, never answered from the cache.
    message.set(TEXT, "前年技校毕业的")
    FactEntityExtractor().process([message])
    assert message.get(ENTITIES)[0]["value"] == "2024"


def test_linear_classifier_answers_a_message_without_features(tmp_path: Path) -> None:
    """Rasa's LogisticRegressionClassifier raises on a row of width 0 (a message of spaces)."""
    def featured(text: str, intent: str | None, column: int) -> Message:
        message = Message(data={TEXT: text, **({INTENT: intent} if intent else {})})
        row = scipy.sparse.coo_matrix(([1.0], ([0], [column])), shape=(1, 2))
        message.add_features(Features(row, FEATURE_TYPE_SENTENCE, TEXT, "test"))
        return message

    classifier = LinearIntentClassifier.create(
        LinearIntentClassifier.get_default_config(), LocalModelStorage(tmp_path),
        Resource("intents"), ExecutionContext(GraphSchema({}), "test", node_name="intents"),
    )
    classifier.train(TrainingData(
        [featured("你好", "greet", 0), featured("再见", "goodbye", 1)] * 3))
    empty = Message(data={TEXT: "   "})
    hello = featured("你好呀", None, 0)
    classifier.process([empty, hello])
    assert empty.get(INTENT) == {"name": None, "confidence": 0.0}
    assert hello.get(INTENT)["name"] == "greet"
    FallbackClassifier.create(
        FallbackClassifier.get_default_config(), LocalModelStorage(tmp_path),
        Resource("fallback"), ExecutionContext(GraphSchema({}), "test"),
    ).process([empty])
    assert empty.get(INTENT)["name"] == "nlu_fallback"


@pytest.mark.parametrize("text", ["？", "?", "。", "……", "~", "!", "👍", "😀😀", "\u200b", "\ufeff\u200d", "/::)"])
def test_linear_classifier_gives_no_intent_to_a_message_without_words(tmp_path: Path, text: str) -> None:
    """Punctuation, emoji and invisible characters have features (the padding n-gram every
    message has) but say nothing: before, they got the prior of short messages, affirm."""
    classifier, featured = _trained_linear(tmp_path)
    wordless, worded = featured(text, None, 0), featured(text + "你好", None, 0)
    classifier.process([wordless, worded])
    assert wordless.get(INTENT) == {"name": None, "confidence": 0.0}
    assert wordless.get(INTENT_RANKING_KEY) == []
    assert worded.get(INTENT)["name"] == "greet"
    FallbackClassifier.create(
        FallbackClassifier.get_default_config(), LocalModelStorage(tmp_path),
        Resource("fallback"), ExecutionContext(GraphSchema({}), "test"),
    ).process([wordless])
    assert wordless.get(INTENT)["name"] == "nlu_fallback"


@pytest.mark.parametrize("text", ["好", "1", "ok", "〇", "２０２３"])
def test_a_single_letter_or_digit_is_words(text: str) -> None:
    assert has_words(normalise_text(text))


def _trained_linear(tmp_path: Path, **config: Any) -> tuple[LinearIntentClassifier, Any]:
    def featured(text: str, intent: str | None, column: int) -> Message:
        message = Message(data={TEXT: text, **({INTENT: intent} if intent else {})})
        row = scipy.sparse.coo_matrix(([1.0], ([0], [column])), shape=(1, 3))
        message.add_features(Features(row, FEATURE_TYPE_SENTENCE, TEXT, "test"))
        return message

    classifier = LinearIntentClassifier.create(
        {**LinearIntentClassifier.get_default_config(), **config}, LocalModelStorage(tmp_path),
        Resource("intents"), ExecutionContext(GraphSchema({}), "test", node_name="intents"),
    )
    classifier.train(TrainingData([featured("你好", "greet", 0), featured("再见", "goodbye", 1),
                                   featured("谢谢", "thank", 2)] * 3))
    return classifier, featured


def test_linear_classifier_votes_with_the_earlier_classifiers_ranking(tmp_path: Path) -> None:
    """config.yml: DIET's ranking weighs 0.3 against the linear model's probabilities."""
    alone, featured = _trained_linear(tmp_path)
    voting, _ = _trained_linear(tmp_path, earlier_ranking_weight=0.3)
    diet = [{"name": "goodbye", "confidence": 0.9}, {"name": "greet", "confidence": 0.06},
            {"name": "thank", "confidence": 0.04}]
    plain, voted = featured("你好呀", None, 0), featured("你好呀", None, 0)
    voted.set(INTENT_RANKING_KEY, diet)
    alone.process([plain])
    voting.process([voted])
    linear = {e["name"]: e["confidence"] for e in plain.get(INTENT_RANKING_KEY)}
    expected = {n: 0.7 * linear[n] + 0.3 * d for n, d in
                ((e["name"], e["confidence"]) for e in diet)}
    got = {e["name"]: e["confidence"] for e in voted.get(INTENT_RANKING_KEY)}
    assert got == pytest.approx(expected)
    assert [e["name"] for e in voted.get(INTENT_RANKING_KEY)] == sorted(got, key=lambda n: -got[n])
    assert voted.get(INTENT) == voted.get(INTENT_RANKING_KEY)[0]
    assert sum(got.values()) == pytest.approx(1.0)
    # Without an earlier ranking the vote is the linear model alone.
    lone = featured("你好呀", None, 0)
    voting.process([lone])
    assert lone.get(INTENT_RANKING_KEY) == plain.get(INTENT_RANKING_KEY)


def test_linear_classifier_builds_rasas_feature_matrix(tmp_path: Path) -> None:
    """The fast _create_X gives Rasa's columns, in Rasa's order, with Rasa's values."""
    import numpy as np
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
    from rasa.shared.nlu.constants import FEATURE_TYPE_SEQUENCE

    rng = np.random.default_rng(7)

    def message(dense: bool) -> Message:
        m = Message(data={TEXT: "高级工 前年进的厂"})
        for origin, width in (("regex", 5), ("facts", 3), ("words", 40), ("chars", 90)):
            row = scipy.sparse.random(1, width, density=0.3, format="coo", dtype=np.float32,
                                      random_state=rng.integers(1 << 30))
            m.add_features(Features(row, FEATURE_TYPE_SENTENCE, TEXT, origin))
            m.add_features(Features(scipy.sparse.random(4, width, density=0.3, format="coo"),
                                    FEATURE_TYPE_SEQUENCE, TEXT, origin))
        m.add_features(Features(scipy.sparse.coo_matrix(np.ones((1, 6))), FEATURE_TYPE_SENTENCE,
                                "response", "other"))
        if dense:
            m.add_features(Features(rng.random((1, 4)), FEATURE_TYPE_SENTENCE, TEXT, "dense"))
        return m

    classifier, _ = _trained_linear(tmp_path)
    for dense in (False, True):
        messages = [message(dense) for _ in range(5)]
        ours = classifier._create_X(messages)
        rasas = LogisticRegressionClassifier._create_X(classifier, messages)
        assert ours.shape == rasas.shape and ours.dtype == rasas.dtype
        assert abs(ours - rasas).max() == 0
        assert ours[2].toarray().tolist() == rasas[2].toarray().tolist()
    bare = Message(data={TEXT: " "})
    assert classifier._create_X([bare]).shape == LogisticRegressionClassifier._create_X(
        classifier, [bare]).shape == (1, 0)


@pytest.mark.parametrize("weight", [-0.1, 1.0, "0.3"])
def test_linear_classifier_refuses_a_weight_outside_zero_to_one(weight: Any) -> None:
    with pytest.raises(ValueError, match="earlier_ranking_weight"):
        LinearIntentClassifier.validate_config({"earlier_ranking_weight": weight})


def test_a_change_to_the_nlu_code_or_vocabulary_retrains_instead_of_restoring_from_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from bot.nlu import components

    root = Path(components.__file__).resolve().parents[2]
    shutil.copytree(root / "bot" / "nlu", tmp_path / "bot" / "nlu", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(root / "knowledge", tmp_path / "knowledge")
    monkeypatch.setattr(components, "_NLU_DIR", tmp_path / "bot" / "nlu")
    monkeypatch.setattr(components, "_KNOWLEDGE_DIR", tmp_path / "knowledge")

    def key() -> str | None:
        components.source_fingerprint.cache_clear()
        addons = {cls.fingerprint_addon({}) for cls in (components.ChineseTextNormalizer,
                                                        components.FactFeaturizer,
                                                        components.FactEntityExtractor)}
        assert len(addons) == 1
        return addons.pop()

    try:
        before = key()
        assert key() == before  # stable while nothing changes
        extract = tmp_path / "bot" / "nlu" / "extract.py"
        extract.write_text(extract.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
        after_code = key()
        facts = tmp_path / "knowledge" / "facts.yml"
        facts.write_text(facts.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
        after_facts = key()
        assert len({before, after_code, after_facts}) == 3
    finally:
        components.source_fingerprint.cache_clear()
