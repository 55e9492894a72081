"""The shared rule module: the 26 measures of 技能兴淄 as cited data, and the engine over them.

Pure Python: it imports nothing from Rasa or the web app, so every channel (the chat's
actions, the staff console, the API, the CLI) calls the same code.

    >>> from bot.rules import knowledge, evaluate, explain
    >>> result = evaluate(knowledge(), {"asker": "person", "awards": ["national_silver"]})
    >>> result.get("national_competition_prize").amount.total_yuan
    80000
"""

from __future__ import annotations

from bot.rules.engine import (
    Evaluation,
    MeasureResult,
    Question,
    evaluate,
    infer_facts,
    next_questions,
    standard_amount,
)
from bot.rules.explain import DISCLAIMER, explain, is_general_provision
from bot.rules.facts import FactError, normalize_facts, normalize_value
from bot.rules.loader import KnowledgeError, knowledge, load_knowledge
from bot.rules.model import STATUSES, Knowledge, Measure

__all__ = [
    "DISCLAIMER",
    "STATUSES",
    "Evaluation",
    "FactError",
    "Knowledge",
    "KnowledgeError",
    "Measure",
    "MeasureResult",
    "Question",
    "evaluate",
    "explain",
    "infer_facts",
    "is_general_provision",
    "knowledge",
    "load_knowledge",
    "next_questions",
    "normalize_facts",
    "normalize_value",
    "standard_amount",
]
