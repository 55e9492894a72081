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

import os
from datetime import date
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_TYPE, METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import clock
from bot.nlu.extract import add_words_to_jieba, default_extractor
from bot.nlu.normalise import normalise_text
from bot.nlu.vocabulary import load_vocabulary

LEGACY_DATE_ENV = "NLU_REFERENCE_DATE"  # alias of bot.clock's ASSISTANT_TODAY
REFERENCE_DATE_METADATA = "reference_date"


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
class ChineseTextNormalizer(GraphComponent):
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
class FactEntityExtractor(GraphComponent, EntityExtractorMixin):
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
            found = [
                e.as_rasa()
                for e in self._extractor.extract(normalise_text(text), reference_date(message))
            ]
            entities = self.add_extractor_name(found)
            message.set(ENTITIES, upstream + entities, add_to_output=True)
        return messages
