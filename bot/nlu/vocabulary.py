"""The words the NLU recognises, built from knowledge/facts.yml and lexicon.yml.

`load_vocabulary()` returns every term (a surface string people type) with the
entity it is read as and the fact value it stands for. The jieba user
dictionary, the spaCy patterns and the training-data lookups are all generated
from this one list, so a synonym added to facts.yml reaches every one of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.nlu.normalise import normalise_text

ROOT = Path(__file__).resolve().parents[2]
FACTS_PATH = ROOT / "knowledge" / "facts.yml"
ARTICLES_DIR = ROOT / "knowledge" / "articles"
LEXICON_PATH = Path(__file__).with_name("lexicon.yml")

# facts.yml fact -> entity name. Set-valued facts are mentioned one value at a time.
FACT_ENTITIES = {
    "certificate_level": "certificate_level",
    "school_type": "school_type",
    "employer_type": "employer_type",
    "graduation_class": "graduation_class",
    "talent_titles": "talent_title",
    "awards": "award",
    "asker": "asker",
    # Organization facts, named as the facts (and the domain's entities) are.
    "hosted_competition": "hosted_competition",
    "platforms": "platforms",
    "school_achievements": "school_achievements",
    "leader_hiring_mode": "leader_hiring_mode",
}

BLOCKER = "_blocker"
PLACE = "place"
IN_ZIBO = "in_zibo"
MEASURE = "measure"

# Two-character asker synonyms in facts.yml ("企业", "学生", "学校") are mostly
# said about one's employer or school, not about who is asking; only longer,
# unambiguous phrases are read as the asker.
_ASKER_MIN_LENGTH = 3
_WE_VARIANTS = ("俺们", "咱们", "咱")
_ASCII = re.compile(r"^[A-Za-z]+$")


@dataclass(frozen=True)
class Term:
    text: str
    entity: str
    value: str

    def __post_init__(self) -> None:
        # Terms are matched against normalised messages, so normalise them too.
        object.__setattr__(self, "text", normalise_text(self.text))


@dataclass(frozen=True)
class Cue:
    """When a cued mention counts: a `before` word earlier in its clause, or an `after`
    word right after it (lexicon.yml `cued`)."""

    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class HeadCountRule:
    """lexicon.yml `head_counts`: when a count is an organization's head count `fact`."""

    fact: str
    cues: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    measure: str | None = None
    # The cue also holds when the sentence's asker is `asker` and one of `asker_before` stands
    # right before the count ("我们基地培训出20个高级技师": a training base's people are its
    # programme's).
    asker: str | None = None
    asker_before: tuple[str, ...] = ()


@dataclass
class Context:
    """lexicon.yml's context words (see bot.nlu.extract `_apply_context`)."""

    money_roles: dict[str, list[str]] = field(default_factory=dict)
    head_counts: list[HeadCountRule] = field(default_factory=list)
    title_measures: dict[str, str] = field(default_factory=dict)
    platform_measures: dict[str, str] = field(default_factory=dict)
    school_achievement_measures: dict[str, str] = field(default_factory=dict)
    platform_holders: list[str] = field(default_factory=list)
    title_holders: list[str] = field(default_factory=list)
    title_selection_words: list[str] = field(default_factory=list)
    question_words: list[str] = field(default_factory=list)
    situation_cues: list[str] = field(default_factory=list)
    unrelated_place_words: list[str] = field(default_factory=list)
    former_place_words: list[str] = field(default_factory=list)
    policy_after_place: list[str] = field(default_factory=list)
    enterprise_measures: dict[str, str] = field(default_factory=dict)
    not_zibo: list[str] = field(default_factory=list)
    internship_agreement_words: list[str] = field(default_factory=list)


@dataclass
class Vocabulary:
    terms: list[Term]
    places_in_zibo: dict[str, str]  # surface -> canonical place name
    places_elsewhere: set[str]
    corrections: list[str]
    negations: list[str]
    date_roles: dict[str, list[str]]
    measure_ids: set[str] = field(default_factory=set)
    # Mentions that count only with their entity's cue (see lexicon.yml `cued`).
    cued_terms: list[Term] = field(default_factory=list)
    cues: dict[str, Cue] = field(default_factory=dict)
    agreement_cues: list[str] = field(default_factory=list)
    context: Context = field(default_factory=Context)

    def words(self) -> list[str]:
        """Every surface string, for the jieba user dictionary."""
        seen: dict[str, None] = {}
        for term in [*self.terms, *self.cued_terms]:
            seen.setdefault(term.text, None)
        return list(seen)


def _read_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert isinstance(data, dict), f"{path} is not a mapping"
    return data


def _measure_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for path in sorted(ARTICLES_DIR.glob("*.yml")):
        for measure in _read_yaml(path).get("measures", []):
            names[str(measure["id"])] = str(measure["name"])
    return names


def _plain_name(name: str) -> list[str]:
    """A measure name as people write it: without quotes, with and without brackets."""
    cleaned = re.sub(r"[“”\"]", "", name)
    without_brackets = re.sub(r"（[^）]*）", "", cleaned)
    out = {cleaned, without_brackets}
    return [n for n in out if len(n) >= 3]


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    facts = _read_yaml(FACTS_PATH)["facts"]
    lexicon = _read_yaml(LEXICON_PATH)
    terms: list[Term] = []

    fact_words: dict[str, set[str]] = {}
    for fact, entity in FACT_ENTITIES.items():
        for spec in facts[fact]["values"].values():
            for synonym in spec.get("synonyms", []):
                fact_words.setdefault(str(synonym), set()).add(entity)

    for fact, entity in FACT_ENTITIES.items():
        for value, spec in facts[fact]["values"].items():
            for synonym in spec.get("synonyms", []):
                word = str(synonym)
                if entity == "asker" and (
                    fact_words[word] != {"asker"}
                    or (len(word) < _ASKER_MIN_LENGTH and not _ASCII.match(word))
                ):
                    continue
                terms.append(Term(word, entity, str(value)))

    for entity, values in lexicon["terms"].items():
        for value, words in values.items():
            for word in words:
                terms.append(Term(str(word), str(entity), str(value)))

    # "我们学校" is also said "俺们学校" / "咱们学校" / "咱公司" (dialect): every 我们-asker phrase
    # gets each.
    taken_askers = {t.text for t in terms if t.entity == "asker"}
    for term in [t for t in terms if t.entity == "asker" and t.text.startswith("我们")]:
        for pronoun in _WE_VARIANTS:
            variant = pronoun + term.text[len("我们"):]
            if variant not in taken_askers:
                taken_askers.add(variant)
                terms.append(Term(variant, "asker", term.value))

    # A cued entity's words (all of them, or the listed ones) leave the plain terms.
    cues: dict[str, Cue] = {}
    cued_words: dict[str, set[str]] = {}
    for entity, spec in lexicon["cued"].items():
        assert entity in FACT_ENTITIES.values(), f"lexicon.yml cued: unknown entity {entity}"
        cues[str(entity)] = Cue(
            tuple(str(w) for w in spec.get("before", [])),
            tuple(str(w) for w in spec.get("after", [])),
        )
        words = spec.get("words", "all")
        cued_words[str(entity)] = set() if words == "all" else {normalise_text(str(w)) for w in words}

    def is_cued(term: Term) -> bool:
        listed = cued_words.get(term.entity)
        return listed is not None and (not listed or term.text in listed)

    cued_terms = [t for t in terms if is_cued(t)]
    terms = [t for t in terms if not is_cued(t)]

    for word in lexicon["blockers"]:
        terms.append(Term(str(word), BLOCKER, ""))

    places_true = [str(p) for p in facts["in_zibo"]["places_true"]]
    in_zibo: dict[str, str] = {p: p for p in places_true}
    for canonical, aliases in lexicon["places"]["in_zibo"].items():
        assert canonical in places_true, f"{canonical} is not in facts.yml places_true"
        for alias in aliases:
            in_zibo[str(alias)] = str(canonical)
    elsewhere = {str(p) for p in lexicon["places"]["elsewhere"]}
    for surface, canonical in in_zibo.items():
        terms.append(Term(surface, PLACE, canonical))
    for surface in sorted(elsewhere):
        terms.append(Term(surface, PLACE, surface))
    # "外地" says "not in Zibo" without naming a place.
    for word in lexicon.get("not_zibo", []):
        terms.append(Term(str(word), IN_ZIBO, "false"))

    names = _measure_names()
    # A measure named after a title ("淄博英才计划") is mentioned as the title.
    taken = {t.text for t in terms}
    for measure_id, words in lexicon["measures"].items():
        assert measure_id in names, f"lexicon.yml: unknown measure id {measure_id}"
        named = [n for n in _plain_name(names[measure_id]) if normalise_text(n) not in taken]
        for word in [*named, *words]:
            terms.append(Term(str(word), MEASURE, str(measure_id)))

    return Vocabulary(
        terms=terms,
        places_in_zibo=in_zibo,
        places_elsewhere=elsewhere,
        corrections=[str(w) for w in lexicon["corrections"]],
        negations=[str(w) for w in lexicon["negations"]],
        date_roles={str(k): [str(w) for w in v] for k, v in lexicon["date_roles"].items()},
        measure_ids=set(names),
        cued_terms=cued_terms,
        cues=cues,
        agreement_cues=[str(w) for w in lexicon["agreement_cues"]],
        context=_context(lexicon, facts, set(names)),
    )


def _words(lexicon: dict[str, Any], key: str) -> list[str]:
    return [normalise_text(str(w)) for w in lexicon.get(key, [])]


def _context(lexicon: dict[str, Any], facts: dict[str, Any], measure_ids: set[str]) -> Context:
    rules: list[HeadCountRule] = []
    for spec in lexicon.get("head_counts", []):
        fact = str(spec["fact"])
        assert facts.get(fact, {}).get("type") == "int", f"lexicon.yml head_counts: {fact} is not an int fact"
        levels = tuple(str(v) for v in spec.get("levels", []))
        assert set(levels) <= set(facts["certificate_level"]["values"]), f"head_counts {fact}: {levels}"
        measure = spec.get("measure")
        assert measure is None or measure in measure_ids, f"head_counts {fact}: unknown measure {measure}"
        rules.append(HeadCountRule(
            fact,
            tuple(normalise_text(str(w)) for w in spec.get("cues", [])),
            levels,
            tuple(normalise_text(str(w)) for w in spec.get("after", [])),
            None if measure is None else str(measure),
            None if spec.get("asker") is None else str(spec["asker"]),
            tuple(normalise_text(str(w)) for w in spec.get("asker_before", [])),
        ))
        assert rules[-1].asker is None or rules[-1].asker in facts["asker"]["values"], f"head_counts {fact}: asker"
    money_roles = {}
    for fact, words in lexicon.get("money_roles", {}).items():
        assert facts.get(fact, {}).get("type") == "money", f"lexicon.yml money_roles: {fact}"
        money_roles[str(fact)] = [normalise_text(str(w)) for w in words]
    titles = {str(k): str(v) for k, v in lexicon.get("title_measures", {}).items()}
    assert set(titles) <= set(facts["talent_titles"]["values"]), titles
    assert set(titles.values()) <= measure_ids, titles
    platforms = {str(k): str(v) for k, v in lexicon.get("platform_measures", {}).items()}
    assert set(platforms) <= set(facts["platforms"]["values"]), platforms
    assert set(platforms.values()) <= measure_ids, platforms
    achievements = {str(k): str(v) for k, v in lexicon.get("school_achievement_measures", {}).items()}
    assert set(achievements) <= set(facts["school_achievements"]["values"]), achievements
    assert set(achievements.values()) <= measure_ids, achievements
    return Context(
        money_roles=money_roles,
        head_counts=rules,
        title_measures=titles,
        platform_measures=platforms,
        school_achievement_measures=achievements,
        platform_holders=_words(lexicon, "platform_holders"),
        title_holders=_words(lexicon, "title_holders"),
        title_selection_words=_words(lexicon, "title_selection_words"),
        question_words=_words(lexicon, "question_words"),
        situation_cues=_words(lexicon, "situation_cues"),
        unrelated_place_words=_words(lexicon, "unrelated_place_words"),
        former_place_words=_words(lexicon, "former_place_words"),
        policy_after_place=_words(lexicon, "policy_after_place"),
        enterprise_measures={str(k): str(v) for k, v in (lexicon.get("enterprise_measures") or {}).items()},
        not_zibo=_words(lexicon, "not_zibo"),
        internship_agreement_words=_words(lexicon, "internship_agreement_words"),
    )
