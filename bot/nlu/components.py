"""Rasa 3 graph components: the text normaliser and the fact entity extractor.

In config.yml:

    pipeline:
      - name: bot.nlu.components.ChineseTextNormalizer   # first, before the tokenizer
      - name: JiebaTokenizer
      ...
      - name: bot.nlu.components.FactEntityExtractor

The date relative words are resolved against ("去年") is the message metadata key
`reference_date` ("2026-11-25") if given, otherwise the assistant's date from
bot.clock (ASSISTANT_TODAY, the same date the rules evaluate on). NLU_REFERENCE_DATE
is the older name of ASSISTANT_TODAY for the NLU alone, read only when
ASSISTANT_TODAY is unset.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    FEATURE_TYPE_SENTENCE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    METADATA,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.constants import RANKING_LENGTH

from bot import clock
from bot.nlu.extract import Entity, add_words_to_jieba, default_extractor, person_facts
from bot.nlu.normalise import normalise_text
from bot.nlu.vocabulary import load_vocabulary

LEGACY_DATE_ENV = "NLU_REFERENCE_DATE"  # alias of bot.clock's ASSISTANT_TODAY
REFERENCE_DATE_METADATA = "reference_date"
# {text, entities} FactFeaturizer read, kept on the message for FactEntityExtractor.
EXTRACTED_FACTS = "extracted_facts"
_NLU_DIR = Path(__file__).resolve().parent
_KNOWLEDGE_DIR = _NLU_DIR.parents[1] / "knowledge"


@functools.lru_cache(maxsize=1)
def source_fingerprint() -> str:
    """A hash of what the components below compute with: this package's code and lexicon and
    the vocabulary's sources in knowledge/. Rasa caches a component's training output under a
    key of its class name, config and inputs, not its code; without this, `rasa train` after a
    change to the extractor restored the old features from its cache (Rasa calls
    ``fingerprint_addon`` for exactly this)."""
    digest = hashlib.sha256()
    files = sorted([*_NLU_DIR.glob("*.py"), *_NLU_DIR.glob("*.yml"), _KNOWLEDGE_DIR / "facts.yml",
                    *(_KNOWLEDGE_DIR / "articles").glob("*.yml")])
    for path in files:
        digest.update(path.relative_to(_KNOWLEDGE_DIR.parent).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class _SourceFingerprinted:
    """Retrain (never restore from Rasa's cache) when bot/nlu's code or vocabulary changed."""

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        return source_fingerprint()


def reference_date(message: Message | None = None) -> date:
    """The date "去年" and "三年前" are counted from for this message."""
    metadata = (message.get(METADATA) if message else None) or {}
    raw = metadata.get(REFERENCE_DATE_METADATA)
    if raw:
        return date.fromisoformat(str(raw)[:10])
    legacy = os.environ.get(LEGACY_DATE_ENV, "").strip()
    if legacy and not os.environ.get(clock.ENV, "").strip():
        return date.fromisoformat(legacy[:10])
    return clock.today()


# Registered as a tokenizer-type component only so that the default recipe runs it
# on training data and on every message in pipeline order, before JiebaTokenizer.
@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False
)
class ChineseTextNormalizer(_SourceFingerprinted, GraphComponent):
    """Rewrites message text: traditional -> simplified, full-width -> half-width."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ChineseTextNormalizer:
        # The tokenizer after us shares jieba: policy words must be whole tokens
        # even when the user dictionary file is missing.
        add_words_to_jieba(load_vocabulary().words())
        return cls()

    @staticmethod
    def supported_languages() -> list[str] | None:
        return ["zh"]

    def _normalise(self, message: Message) -> None:
        text = message.get(TEXT)
        if isinstance(text, str) and text:
            message.set(TEXT, normalise_text(text))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._normalise(example)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._normalise(message)
        return messages


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class FactEntityExtractor(_SourceFingerprinted, GraphComponent, EntityExtractorMixin):
    """Adds entities whose `value` is a fact value (see bot.nlu.extract).

    Entities an earlier extractor put on the message (RegexEntityExtractor, DIET) are
    reconciled so that nothing downstream sees a raw span as a fact value. One of a kind
    this extractor does not read passes unchanged. One of a kind it reads is dropped:
    - on a span it normalised, it is a raw duplicate of the fact entity added here;
    - on a span it weighed and rejected in context (negated, corrected, a word inside a
      longer one, a cue missing, a duration rather than a year), it is not a fact;
    - on a span it never weighed, it is not a mention this extractor can give a fact
      value: reading that span out of its sentence would skip exactly those context rules.
    """

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FactEntityExtractor:
        return cls()

    @staticmethod
    def supported_languages() -> list[str] | None:
        return ["zh"]

    def __init__(self) -> None:
        self._extractor = default_extractor()
        self._names = self._extractor.entity_names()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text:
                continue
            upstream = [
                e for e in message.get(ENTITIES, []) if e.get(ENTITY_ATTRIBUTE_TYPE) not in self._names
            ]
            cached = message.get(EXTRACTED_FACTS)
            if isinstance(cached, dict) and cached.get("text") == text:
                found = [dict(e) for e in cached["entities"]]
            else:
                found = [
                    e.as_rasa()
                    for e in self._extractor.extract(normalise_text(text), reference_date(message))
                ]
            entities = self.add_extractor_name(found)
            message.set(ENTITIES, upstream + entities, add_to_output=True)
        return messages


# Feature names beyond the entity types: what kind of fact a message carries, which
# separates a statement ("厨师二级 拿证是2023年11月") from a question about a measure
# whatever the words around the value are.
_GROUP_ANY = "group:any_fact"
_GROUP_PERSON = "group:person_fact"
_GROUP_ORGANISATION = "group:organisation_fact"
_GROUP_TOPIC = "group:topic"  # a measure or article named: the message is about it
_GROUP_FALSE = "group:negated_fact"  # a boolean fact read as "false"
_TOPIC_ENTITIES = frozenset({"measure", "article"})
_FEATURE_NAMES_FILE = "fact_features.json"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True
)
class FactFeaturizer(_SourceFingerprinted, SparseFeaturizer, GraphComponent):
    """Sparse features from the facts the extractor reads, for the intent classifier.

    Per token: the entity types of the fact spans it overlaps. Per message: the types
    present and their groups (see _GROUP_*). The classifier then learns "a certificate date
    and no question word" once instead of once per date wording. The extracted entities are
    kept on the message so FactEntityExtractor does not read the text twice.
    The feature names are fixed at training and stored with the model, so a vocabulary
    change between training and serving cannot change the feature width.
    """

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        pass

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def supported_languages() -> list[str] | None:
        return ["zh"]

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        feature_names: list[str] | None = None,
    ) -> None:
        super().__init__(execution_context.node_name or type(self).__name__, config)
        self._model_storage = model_storage
        self._resource = resource
        self._extractor = default_extractor()
        self._person = person_facts()
        self._set_names(feature_names or self._all_names())

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FactFeaturizer:
        return cls(config, model_storage, resource, execution_context)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> FactFeaturizer:
        try:
            with model_storage.read_from(resource) as directory:
                names = json.loads((directory / _FEATURE_NAMES_FILE).read_text("utf-8"))
        except (ValueError, FileNotFoundError):
            names = None  # trained before the names were stored: the current ones
        return cls(config, model_storage, resource, execution_context, names)

    def _all_names(self) -> list[str]:
        groups = [_GROUP_ANY, _GROUP_PERSON, _GROUP_ORGANISATION, _GROUP_TOPIC, _GROUP_FALSE]
        return groups + sorted(f"entity:{name}" for name in self._extractor.entity_names())

    def _set_names(self, names: list[str]) -> None:
        self._names = list(names)
        self._index = {name: i for i, name in enumerate(self._names)}

    def train(self, training_data: TrainingData) -> Resource:
        self._set_names(self._all_names())
        with self._model_storage.write_to(self._resource) as directory:
            (directory / _FEATURE_NAMES_FILE).write_text(json.dumps(self._names), "utf-8")
        return self._resource

    def _names_of(self, entity: Entity) -> list[str]:
        names = [_GROUP_ANY, f"entity:{entity.entity}"]
        if entity.entity in _TOPIC_ENTITIES:
            names = [_GROUP_TOPIC, f"entity:{entity.entity}"]
        elif entity.entity in self._person:
            names.append(_GROUP_PERSON)
        else:
            names.append(_GROUP_ORGANISATION)
        if entity.value == "false":
            names.append(_GROUP_FALSE)
        return names

    def _featurize(self, message: Message) -> None:
        text = message.get(TEXT)
        tokens = message.get(TOKENS_NAMES[TEXT], [])
        if not isinstance(text, str) or not text or not tokens:
            return
        found = self._extractor.extract(normalise_text(text), reference_date(message))
        message.set(EXTRACTED_FACTS, {"text": text, "entities": [e.as_rasa() for e in found]})
        width = len(self._names)
        sequence = np.zeros((len(tokens), width), dtype=np.float32)
        sentence = np.zeros((1, width), dtype=np.float32)
        for entity in found:
            columns = [self._index[n] for n in self._names_of(entity) if n in self._index]
            for column in columns:
                sentence[0, column] = 1.0
            for row, token in enumerate(tokens):
                if token.start < entity.end and token.end > entity.start:
                    sequence[row, columns] = 1.0
        self.add_features_to_message(
            scipy.sparse.coo_matrix(sequence), scipy.sparse.coo_matrix(sentence), TEXT, message
        )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._featurize(example)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._featurize(message)
        return messages


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class LinearIntentClassifier(LogisticRegressionClassifier):
    """Rasa's LogisticRegressionClassifier, voting with the intent classifier before it.

    ``earlier_ranking_weight`` (0 by default: the linear model alone) is the weight of the
    intent ranking an earlier classifier in the pipeline left on the message (config.yml puts
    DIETClassifier there, with ``ranking_length: 0`` so that it ranks every intent). The
    confidence of each intent is then ``(1 - w) * linear + w * earlier``; the ranking, the
    intent and the confidence FallbackClassifier reads are those of the vote. A message the
    earlier classifier left no ranking on is classified by the linear model alone.

    It also answers a message with no features: a message of only spaces or control
    characters has no tokens, so no featurizer adds anything, and Rasa's classifier raises
    (scikit-learn refuses a row of width 0): the REST channel then answered nothing. Here
    such a message gets no intent with confidence 0, which FallbackClassifier turns into
    nlu_fallback and the assistant answers politely.

    The same for a message without a single letter or digit ("？", "。", "~", "👍", a
    zero-width space): no training example is like that, and all such messages had the
    same few features (the padding n-gram every message has), so the classifiers answered
    with the prior of short messages, affirm at 0.39, above the fallback threshold: a "？"
    typed after "您是全日制就读吗？" was recorded as yes. Such a message says nothing the
    models were trained on, so it gets no intent either, and the assistant asks again.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**LogisticRegressionClassifier.get_default_config(), "earlier_ranking_weight": 0.0}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        weight = config.get("earlier_ranking_weight", 0.0)
        if not isinstance(weight, (int, float)) or not 0.0 <= weight < 1.0:
            raise ValueError(
                f"earlier_ranking_weight must be a number in [0, 1), not {weight!r}"
            )

    def _create_X(self, messages: list[Message]) -> scipy.sparse.csr_matrix:
        """Rasa's feature matrix, built without its per-message copies and block stacking.

        Rasa's own ``_create_X`` combines each message's features with
        ``Message.get_sparse_features`` (a deep copy, and a ``scipy.sparse.hstack`` per
        featurizer, for the sequence features it then drops too), stacks the result with the
        dense features and stacks the rows again: in a profile of the running server
        (py-spy, docs/benchmarks.md) about a third of ``/model/parse``, called twice a
        message. Here the same columns in the same order (each sparse sentence feature in
        the order the featurizers added them, then each dense one), as float64 like Rasa's,
        in one CSR matrix; tests/nlu/test_components.py compares it with Rasa's.
        """
        data: list[np.ndarray[Any, Any]] = []
        columns: list[np.ndarray[Any, Any]] = []
        indptr = [0]
        total = 0
        widths = set()
        for message in messages:
            offset = 0
            sentence = [f for f in message.features
                        if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE]
            for feature in [f for f in sentence if f.is_sparse()] + [f for f in sentence if f.is_dense()]:
                block = scipy.sparse.coo_matrix(feature.features)
                data.append(block.data.astype(np.float64, copy=False))
                columns.append(block.col.astype(np.int64, copy=False) + offset)
                offset += block.shape[1]
                total += block.nnz
            widths.add(offset)
            indptr.append(total)
        if len(widths) > 1:
            raise ValueError(f"messages with different feature widths: {sorted(widths)}")
        return scipy.sparse.csr_matrix(
            (np.concatenate(data) if data else np.zeros(0),
             np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64),
             np.asarray(indptr)),
            shape=(len(messages), widths.pop() if widths else 0),
        )

    def process(self, messages: list[Message]) -> list[Message]:
        width = getattr(self.clf, "n_features_in_", None)
        featured, rows = [], []
        for message in messages:
            row = self._create_X([message])
            if (width is None or row.shape[1] == width) and has_words(message.get(TEXT)):
                featured.append(message)
                rows.append(row)
            else:
                message.set(INTENT, {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0},
                            add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        if not featured:
            return messages
        weight = float(self.config.get("earlier_ranking_weight", 0.0))
        probabilities = self.clf.predict_proba(
            rows[0] if len(rows) == 1 else scipy.sparse.vstack(rows, format="csr"))
        names = [str(name) for name in self.clf.classes_]
        length = self.config[RANKING_LENGTH]
        for message, row in zip(featured, probabilities, strict=True):
            scores = dict(zip(names, (float(p) for p in row), strict=True))
            earlier = _earlier_ranking(message)
            if weight and earlier:
                scores = {
                    name: (1.0 - weight) * scores.get(name, 0.0) + weight * earlier.get(name, 0.0)
                    for name in scores.keys() | earlier.keys()
                }
            ranking = [
                {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
                for name, confidence in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
            ]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking[:length] if length > 0 else ranking,
                        add_to_output=True)
        return messages


def has_words(text: Any) -> bool:
    """Whether the text has a letter (Chinese characters included) or a digit."""
    return isinstance(text, str) and any(unicodedata.category(char)[0] in "LN" for char in text)


def _earlier_ranking(message: Message) -> dict[str, float]:
    """The intent ranking an earlier classifier left on the message, as name -> confidence."""
    ranking = message.get(INTENT_RANKING_KEY) or []
    return {
        str(entry[INTENT_NAME_KEY]): float(entry[PREDICTED_CONFIDENCE_KEY])
        for entry in ranking
        if isinstance(entry, dict) and entry.get(INTENT_NAME_KEY) is not None
    }
