"""Load and validate ``knowledge/``: a typo fails at start-up, naming file and field.

The schema is checked by hand rather than with a schema library so that every
error says, in one line, which file, which field and what was expected.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from bot.rules.model import (
    STATUSES,
    Ambiguity,
    Amount,
    AmountItem,
    Article,
    Condition,
    CrossRule,
    Fact,
    FactValue,
    Funding,
    Knowledge,
    Measure,
    Parameter,
)

KNOWLEDGE_DIR = Path(os.environ.get("KNOWLEDGE_DIR", Path(__file__).resolve().parents[2] / "knowledge"))

FACT_TYPES = {"enum", "set", "bool", "int", "money", "yearmonth"}
KINDS = {"entitlement", "selection", "matching", "non_monetary"}
AMOUNT_TYPES = {"fixed", "recurring", "per_head", "percentage", "matching", "table_sum", "unspecified"}
PERIODS = {"month", "year", "semester", "one_off"}
AUDIENCES = {"person", "enterprise", "school", "training_base", "other_unit"}
LEAF_OPS = {"in", "not_in", "is", "contains_any", "excludes_all", "gte", "lte", "on_or_after", "within"}


class KnowledgeError(ValueError):
    """A knowledge file does not match the schema."""

    def __init__(self, file: Path | str, field: str, problem: str) -> None:
        self.file = str(file)
        self.field = field
        self.problem = problem
        super().__init__(f"{file}: {field}: {problem}")


class _Reader:
    """Typed access to one YAML mapping that reports the file and the dotted field path."""

    def __init__(self, file: Path, data: Any, path: str = "") -> None:
        self.file = file
        self.path = path
        if not isinstance(data, dict):
            self.fail("", f"expected a mapping, got {type(data).__name__}")
        self.data: dict[str, Any] = data
        self._used: set[str] = set()

    def where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, problem: str) -> None:
        raise KnowledgeError(self.file, self.where(key) if key else self.path or "<top>", problem)

    def has(self, key: str) -> bool:
        return key in self.data

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ..., ) -> Any:
        self._used.add(key)
        if key not in self.data:
            if default is ...:
                self.fail(key, "is required")
            return default
        value = self.data[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, bool) and kind is not bool and not (isinstance(kind, tuple) and bool in kind):
            self.fail(key, f"expected {getattr(kind, '__name__', kind)}, got a boolean")
        if not isinstance(value, kind):
            name = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            self.fail(key, f"expected {name}, got {type(value).__name__} {value!r}")
        return value

    def text(self, key: str, default: Any = ...) -> str:
        value = self.get(key, str, default)
        if isinstance(value, str) and not value.strip():
            self.fail(key, "must not be empty")
        return value  # type: ignore[no-any-return]

    def texts(self, key: str, default: Any = ...) -> tuple[str, ...]:
        value = self.get(key, list, default)
        if value is None:
            return ()
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"{key}[{i}]", "expected a non-empty string")
        return tuple(value)

    def child(self, key: str) -> _Reader:
        return _Reader(self.file, self.get(key, dict), self.where(key))

    def check_unknown(self) -> None:
        extra = sorted(set(self.data) - self._used)
        if extra:
            self.fail(extra[0], f"unknown field (allowed here: {', '.join(sorted(self._used))})")


def _date(reader: _Reader, key: str, value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        reader.fail(key, f"expected a date YYYY-MM-DD, got {value!r}")
        raise


def _load_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except yaml.YAMLError as exc:
        raise KnowledgeError(path, "<yaml>", str(exc).replace("\n", " ")) from exc


# ---------------------------------------------------------------- facts


def load_facts(path: Path) -> dict[str, Fact]:
    top = _Reader(path, _load_yaml(path))
    facts_raw = top.get("facts", dict)
    top.check_unknown()
    facts: dict[str, Fact] = {}
    for name, raw in facts_raw.items():
        r = _Reader(path, raw, f"facts.{name}")
        ftype = r.text("type")
        if ftype not in FACT_TYPES:
            r.fail("type", f"must be one of {sorted(FACT_TYPES)}")
        values: dict[str, FactValue] = {}
        if ftype in ("enum", "set"):
            for vid, vraw in r.get("values", dict).items():
                vr = _Reader(path, vraw, r.where(f"values.{vid}"))
                values[str(vid)] = FactValue(str(vid), vr.text("label"), vr.texts("synonyms"))
                vr.check_unknown()
        elif r.has("values"):
            r.fail("values", f"only enum and set facts have values, this one is {ftype}")
        audience = r.texts("audience")
        for a in audience:
            if a not in ("person", "organization"):
                r.fail("audience", f"unknown audience {a!r} (person, organization)")
        r.get("values_note", str, None)
        head_count_of = None
        if r.has("head_count_of"):
            hc = r.child("head_count_of")
            target, value = hc.text("fact"), hc.text("value")
            hc.check_unknown()
            if ftype != "int":
                r.fail("head_count_of", "only an int fact counts people")
            head_count_of = (target, value)
        facts[name] = Fact(
            name=name,
            type=ftype,  # type: ignore[arg-type]
            label=r.text("label"),
            question=r.text("question"),
            audience=audience,
            values=values,
            precision_question=r.get("precision_question", str, None),
            places_true=r.texts("places_true", ()),
            head_count_of=head_count_of,
        )
        r.check_unknown()
    for name, fact in facts.items():
        if fact.head_count_of is not None:
            target, value = fact.head_count_of
            if target not in facts or value not in facts[target].values:
                raise KnowledgeError(path, f"facts.{name}.head_count_of", f"unknown fact or value {target}={value}")
    return facts


# ---------------------------------------------------------------- conditions


def _condition(r: _Reader, facts: Mapping[str, Fact], params: Mapping[str, Parameter]) -> Condition:
    label = r.get("label", str, "")
    for group in ("all", "any"):
        if r.has(group):
            items = r.get(group, list)
            children = tuple(
                _condition(_Reader(r.file, item, r.where(f"{group}[{i}]")), facts, params)
                for i, item in enumerate(items)
            )
            r.check_unknown()
            return Condition(op=group, children=children, label=label)
    fact_name = r.text("fact")
    if fact_name not in facts:
        r.fail("fact", f"unknown fact {fact_name!r} (see knowledge/facts.yml)")
    fact = facts[fact_name]
    ops = [op for op in LEAF_OPS if r.has(op)]
    if len(ops) != 1:
        r.fail("", f"a condition needs exactly one of {sorted(LEAF_OPS)} (or all/any), found {ops}")
    op = ops[0]
    cond: Condition
    if op in ("in", "not_in", "contains_any", "excludes_all"):
        want = "set" if op in ("contains_any", "excludes_all") else "enum"
        if fact.type != want:
            r.fail(op, f"{op} needs a {want} fact, {fact_name} is {fact.type}")
        vals = r.texts(op)
        for v in vals:
            if v not in fact.values:
                r.fail(op, f"{v!r} is not a value of {fact_name} ({', '.join(fact.values)})")
        cond = Condition(op=op, fact=fact_name, values=vals, label=label)
    elif op == "is":
        if fact.type != "bool":
            r.fail(op, f"is needs a bool fact, {fact_name} is {fact.type}")
        cond = Condition(op=op, fact=fact_name, values=(r.get("is", bool),), label=label)
    elif op in ("gte", "lte"):
        if fact.type not in ("int", "money"):
            r.fail(op, f"{op} needs an int or money fact, {fact_name} is {fact.type}")
        raw = r.get(op, (int, float, str))
        if isinstance(raw, str):
            if raw not in params:
                r.fail(op, f"unknown parameter {raw!r}")
            cond = Condition(op=op, fact=fact_name, param=raw, label=label)
        else:
            cond = Condition(op=op, fact=fact_name, number=float(raw), label=label)
    elif op == "on_or_after":
        if fact.type != "yearmonth":
            r.fail(op, f"on_or_after needs a yearmonth fact, {fact_name} is {fact.type}")
        lower = r.get("unknown_from", str, None)
        if lower is not None and lower not in facts:
            r.fail("unknown_from", f"unknown fact {lower!r}")
        cond = Condition(op=op, fact=fact_name, date=_date(r, op, r.get(op, (str, dt.date))),
                         unknown_from=lower, label=label)
    else:  # within
        w = r.child("within")
        other = w.text("until")
        if other not in facts or facts[other].type != "yearmonth":
            w.fail("until", f"must name a yearmonth fact, got {other!r}")
        months = w.get("months", int)
        w.check_unknown()
        if fact.type != "yearmonth":
            r.fail("fact", f"within needs a yearmonth fact, {fact_name} is {fact.type}")
        cond = Condition(op=op, fact=fact_name, other=other, months=months, label=label)
    r.check_unknown()
    return cond


def _condition_facts(cond: Condition) -> set[str]:
    found = {cond.fact} if cond.fact else set()
    if cond.other:
        found.add(cond.other)
    for child in cond.children:
        found |= _condition_facts(child)
    return found


# ---------------------------------------------------------------- amounts


def _parameter(r: _Reader, name: str) -> Parameter:
    values_raw = r.get("values", dict)
    values = []
    for key, value in values_raw.items():
        values.append((_date(r, f"values.{key}", key), value))
    if not values:
        r.fail("values", "needs at least one dated value")
    display = r.get("display", str, "元")
    if display not in ("元", "万元"):
        r.fail("display", "must be 元 or 万元")
    param = Parameter(name=name, description=r.text("description"), values=tuple(sorted(values)),
                      display=display)
    r.check_unknown()
    return param


def _number_or_table(r: _Reader, param: Parameter, table_fact: Fact | None, where: str) -> None:
    for start, value in param.values:
        if table_fact is None:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                r.fail(where, f"parameter {param.name} at {start} must be a number, got {value!r}")
        else:
            if not isinstance(value, dict):
                r.fail(where, f"parameter {param.name} at {start} must map {table_fact.name} values to numbers")
            for k, v in value.items():
                if k not in table_fact.values:
                    r.fail(where, f"parameter {param.name}: {k!r} is not a value of {table_fact.name}")
                if isinstance(v, bool) or not isinstance(v, (int, float)):
                    r.fail(where, f"parameter {param.name}: {k} must be a number, got {v!r}")


def _amount(r: _Reader, facts: Mapping[str, Fact], params: Mapping[str, Parameter]) -> Amount:
    atype = r.text("type")
    if atype not in AMOUNT_TYPES:
        r.fail("type", f"must be one of {sorted(AMOUNT_TYPES)}")
    label = r.text("label")

    def param_ref(key: str, *, table_fact: Fact | None = None, required: bool = True) -> str | None:
        name = r.get(key, str, ... if required else None)
        if name is None:
            return None
        if name not in params:
            r.fail(key, f"unknown parameter {name!r} (declared: {', '.join(params) or 'none'})")
        _number_or_table(r, params[name], table_fact, key)
        return name  # type: ignore[no-any-return]

    def fact_ref(key: str, types: tuple[str, ...], required: bool = True) -> str | None:
        name = r.get(key, str, ... if required else None)
        if name is None:
            return None
        if name not in facts:
            r.fail(key, f"unknown fact {name!r}")
        if facts[name].type not in types:
            r.fail(key, f"fact {name} must be of type {'/'.join(types)}, is {facts[name].type}")
        return name  # type: ignore[no-any-return]

    period = r.get("period", str, "one_off")
    if period not in PERIODS:
        r.fail("period", f"must be one of {sorted(PERIODS)}")
    ceiling = r.get("ceiling", bool, False)
    note = r.get("note", str, "")
    amount: Amount
    if atype in ("fixed", "recurring"):
        by = fact_ref("by", ("enum",), required=False)
        param = param_ref("param", table_fact=facts[by] if by else None)
        count = None
        count_is_fact = False
        if atype == "recurring":
            if period == "one_off":
                r.fail("period", "a recurring amount needs month, year or semester")
            if r.has("count_fact"):
                count = fact_ref("count_fact", ("int",))
                count_is_fact = True
            else:
                count = param_ref("count")
        amount = Amount(type=atype, label=label, param=param, by=by, period=period, count=count,
                        count_is_fact=count_is_fact, ceiling=ceiling, note=note)
    elif atype == "per_head":
        items = []
        for i, raw in enumerate(r.get("items", list)):
            ir = _Reader(r.file, raw, r.where(f"items[{i}]"))
            cf = ir.text("count_fact")
            if cf not in facts or facts[cf].type != "int":
                ir.fail("count_fact", f"must name an int fact, got {cf!r}")
            pn = ir.text("param")
            if pn not in params:
                ir.fail("param", f"unknown parameter {pn!r}")
            _number_or_table(ir, params[pn], None, "param")
            items.append(AmountItem(cf, pn, ir.text("label")))
            ir.check_unknown()
        count = None
        count_is_fact = False
        if r.has("count_fact"):
            count = fact_ref("count_fact", ("int",))
            count_is_fact = True
        amount = Amount(type=atype, label=label, items=tuple(items), period=period, ceiling=ceiling,
                        cap=param_ref("cap", required=False), cap_label=r.get("cap_label", str, ""),
                        count=count, count_is_fact=count_is_fact, note=note)
    elif atype == "percentage":
        amount = Amount(type=atype, label=label, rate=param_ref("rate"),
                        base=fact_ref("base", ("money",)), threshold=param_ref("threshold", required=False),
                        cap=param_ref("cap", required=False), cap_label=r.get("cap_label", str, ""),
                        period="year", count=fact_ref("count_fact", ("int",)), count_is_fact=True,
                        note=note)
    elif atype == "matching":
        amount = Amount(type=atype, label=label, rate=param_ref("rate"),
                        base=fact_ref("base", ("money",)), note=note)
    elif atype == "table_sum":
        by = fact_ref("by", ("set",))
        param = r.text("param")
        if param not in params:
            r.fail("param", f"unknown parameter {param!r}")
        assert by is not None
        _number_or_table(r, params[param], facts[by], "param")
        amount = Amount(type=atype, label=label, param=param, by=by, ceiling=ceiling, note=note)
    else:
        if not note:
            r.fail("note", "an unspecified amount must say what the policy says instead of a figure")
        amount = Amount(type=atype, label=label, note=note)
    r.check_unknown()
    return amount


# ---------------------------------------------------------------- articles


def _measure(r: _Reader, article: int, article_title: str, units: tuple[str, ...], effective: dt.date,
             facts: Mapping[str, Fact], policy_text: str) -> Measure:
    mid = r.text("id")
    kind = r.text("kind")
    if kind not in KINDS:
        r.fail("kind", f"must be one of {sorted(KINDS)}")
    audience = r.texts("audience")
    for a in audience:
        if a not in AUDIENCES:
            r.fail("audience", f"unknown audience {a!r} ({', '.join(sorted(AUDIENCES))})")
    source = r.texts("source")
    compact_policy = _compact(policy_text)
    for i, quote in enumerate(source):
        if _compact(quote) not in compact_policy:
            r.fail(f"source[{i}]", f"quote not found verbatim in the policy text: {quote[:40]}…")
    params: dict[str, Parameter] = {}
    if r.has("parameters"):
        for pname, praw in r.get("parameters", dict).items():
            params[pname] = _parameter(_Reader(r.file, praw, r.where(f"parameters.{pname}")), pname)
    conditions = tuple(
        _condition(_Reader(r.file, c, r.where(f"conditions[{i}]")), facts, params)
        for i, c in enumerate(r.get("conditions", list, []))
    )
    selected_when = None
    if r.has("selected_when"):
        selected_when = _condition(r.child("selected_when"), facts, params)
        if kind != "selection":
            r.fail("selected_when", "only a selection has selected_when")
    amounts = tuple(
        _amount(_Reader(r.file, a, r.where(f"amounts[{i}]")), facts, params)
        for i, a in enumerate(r.get("amounts", list, []))
    )
    if kind == "non_monetary" and amounts:
        r.fail("amounts", "a non-monetary measure has no amounts")
    if kind != "non_monetary" and not amounts:
        r.fail("amounts", f"a {kind} measure needs at least one amount")
    funding = []
    for i, fraw in enumerate(r.get("funding", list, [])):
        fr = _Reader(r.file, fraw, r.where(f"funding[{i}]"))
        funding.append(Funding(fr.text("payer"), fr.get("share", float)))
        fr.check_unknown()
    if funding and abs(sum(f.share for f in funding) - 1) > 1e-9:
        r.fail("funding", "shares must add up to 1")
    ambiguities = []
    for i, araw in enumerate(r.get("ambiguities", list, [])):
        ar = _Reader(r.file, araw, r.where(f"ambiguities[{i}]"))
        when = _condition(ar.child("when"), facts, params) if ar.has("when") else None
        status = ar.get("status", str, None)
        if status is not None and status not in STATUSES:
            ar.fail("status", f"must be one of {STATUSES}")
        ambiguities.append(Ambiguity(when, status, ar.text("reading")))
        ar.check_unknown()
    measure = Measure(
        id=mid,
        article=article,
        article_title=article_title,
        name=r.text("name"),
        kind=kind,  # type: ignore[arg-type]
        beneficiary=r.text("beneficiary"),
        beneficiary_type=r.text("beneficiary_type"),
        audience=audience,
        source=source,
        responsible_units=units,
        effective=effective,
        conditions=conditions,
        selected_when=selected_when,
        amounts=amounts,
        parameters=params,
        funding=tuple(funding),
        how_to_apply=r.text("how_to_apply"),
        ambiguities=tuple(ambiguities),
        readings=r.texts("readings", ()),
        summary=r.text("summary"),
    )
    r.check_unknown()
    return measure


def _compact(text: str) -> str:
    return "".join(text.split())


def load_article(path: Path, facts: Mapping[str, Fact], policy_text: str) -> Article:
    r = _Reader(path, _load_yaml(path))
    number = r.get("article", int)
    if not 1 <= number <= 26:
        r.fail("article", "must be an integer from 1 to 26")
    title = r.text("title")
    units = r.texts("responsible_units")
    effective = _date(r, "effective", r.get("effective", (str, dt.date)))
    text = r.text("text")
    if _compact(text) not in _compact(policy_text):
        r.fail("text", "the article text must be quoted verbatim from the policy")
    if not _compact(text).startswith(f"{number}.{_compact(title)}"):
        r.fail("text", f"must start with '{number}.{title}'")
    measures = tuple(
        _measure(_Reader(path, m, f"measures[{i}]"), number, title, units, effective, facts, policy_text)
        for i, m in enumerate(r.get("measures", list))
    )
    if not measures:
        r.fail("measures", "an article needs at least one measure")
    article = Article(number=number, title=title, chapter=r.text("chapter"), responsible_units=units,
                      text=text, measures=measures)
    r.check_unknown()
    return article


def _cross_rules(path: Path, measures: Mapping[str, Measure]) -> tuple[CrossRule, ...]:
    top = _Reader(path, _load_yaml(path))
    rules = []
    for i, raw in enumerate(top.get("rules", list)):
        r = _Reader(path, raw, f"rules[{i}]")
        rtype = r.text("type")
        if rtype not in ("keep_highest", "exclusive", "note"):
            r.fail("type", "must be keep_highest, exclusive or note")
        ids = r.texts("measures")
        for mid in ids:
            if mid not in measures:
                r.fail("measures", f"unknown measure {mid!r}")
        rules.append(CrossRule(id=r.text("id"), type=rtype, measures=ids,  # type: ignore[arg-type]
                               source=r.text("source"), cite=r.text("cite"),
                               explanation=r.text("explanation")))
        r.check_unknown()
    top.check_unknown()
    return tuple(rules)


def load_knowledge(directory: Path | str | None = None) -> Knowledge:
    """Read and validate every knowledge file; raises KnowledgeError on the first problem."""
    base = Path(directory) if directory else KNOWLEDGE_DIR
    meta_path = base / "policy" / "metadata.yml"
    meta = _Reader(meta_path, _load_yaml(meta_path))
    policy_text = (base / "policy" / meta.text("text_file")).read_text(encoding="utf-8")
    facts = load_facts(base / "facts.yml")
    articles: dict[int, Article] = {}
    measures: dict[str, Measure] = {}
    for path in sorted((base / "articles").glob("*.yml")):
        article = load_article(path, facts, policy_text)
        if article.number in articles:
            raise KnowledgeError(path, "article", f"article {article.number} is defined twice")
        articles[article.number] = article
        for m in article.measures:
            if m.id in measures:
                raise KnowledgeError(path, "measures.id", f"measure id {m.id!r} is used twice")
            for cond in m.conditions:
                for fname in _condition_facts(cond):
                    if fname not in facts:
                        raise KnowledgeError(path, m.id, f"unknown fact {fname}")
            measures[m.id] = m
    expected = int(meta.get("articles", int))
    missing = sorted(set(range(1, expected + 1)) - set(articles))
    if missing:
        raise KnowledgeError(base / "articles", "article", f"articles missing: {missing}")
    return Knowledge(
        facts=facts,
        articles=dict(sorted(articles.items())),
        measures=measures,
        cross_rules=_cross_rules(base / "cross_rules.yml", measures),
        policy_title=meta.text("title"),
        policy_date=_date(meta, "issued", meta.get("issued", (str, dt.date))),
        policy_text=policy_text,
        hotline=meta.text("hotline"),
    )


@functools.lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    """The knowledge base, loaded once per process."""
    return load_knowledge()

