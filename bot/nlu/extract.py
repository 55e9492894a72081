"""Turn a (normalised) Chinese message into entities whose values are fact values.

`FactExtractor().extract(text, today)` returns `Entity` objects, each with the
entity name, the fact value (a value id from knowledge/facts.yml, "true"/"false",
"YYYY" / "YYYY-MM", a yuan amount, a head count, an article number or a measure
id) and the character span it was read from.

Vocabulary words are matched with a spaCy `EntityRuler` over a jieba-segmented
`Doc` (patterns generated from the vocabulary); a character-level scan of the same
words catches a word jieba glued to its neighbour. Numbers, dates, money, head
counts, articles, award phrases and agreement years are read with regular
expressions. Some words count only with a cue (lexicon.yml `cued`): a competition
is the one the unit hosted only after 承办/举办 ("我拿过省赛二等奖" is an award
sentence), 柔性引才 is a hiring mode only in "柔性引才来的…" (otherwise the measure;
柔性引进 is always the hiring mode). Overlaps are resolved longest first; then negations ("不是技工院校") drop or flip a
mention, self-corrections ("2019年，哦不对，2023年") drop what they replace, and
each year gets the role (graduation, employment, certificate) of the nearest cue.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

import jieba
import spacy
from spacy.language import Language

from bot.nlu.numbers import CN_NUMBER, DIGIT_CHARS, as_int_string, digit_string, to_number
from bot.nlu.vocabulary import (
    BLOCKER,
    FACTS_PATH,
    IN_ZIBO,
    PLACE,
    Cue,
    HeadCountRule,
    Vocabulary,
    load_vocabulary,
)

YEAR = "year"
AGREEMENT_YEARS = "agreement_years"
DATE_ENTITIES = ("graduation_date", "employment_start_date", "certificate_date", YEAR)
BOOL_ENTITIES = (
    "full_time_study",
    "full_time_job",
    "senior_professional_title",
    "internship_agreement",
    "municipal_school",
    "self_evaluation_enterprise",
    "flexible_hire_is_provincial_leader",
    IN_ZIBO,
)
MEASURE = "measure"
COUNT = "count"
MONEY = "money"
LEVEL = "certificate_level"
TITLE = "talent_title"
ASKER = "asker"
ORGANIZATION_ASKERS = ("enterprise", "school", "training_base")
# Mentions a negation in front of them can drop or flip. Measures, articles,
# amounts and counts are what people ask about, so "不是问生活补贴" keeps them.
NEGATABLE = {
    "certificate_level",
    "school_type",
    "employer_type",
    "graduation_class",
    "talent_title",
    "award",
    "platforms",
    "school_achievements",
    "leader_hiring_mode",
    "hosted_competition",
    ASKER,
    PLACE,
    *BOOL_ENTITIES,
    *DATE_ENTITIES,
}

_CLAUSE_END = "，,。！!？?；;\n"
_JIEBA_FREQ = 50000


@dataclass(frozen=True)
class Entity:
    entity: str
    value: str
    start: int
    end: int
    text: str

    def as_rasa(self) -> dict[str, object]:
        return {
            "entity": self.entity,
            "value": self.value,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    entity: str
    value: str
    priority: int = 1  # lower wins between spans of equal length

    @property
    def length(self) -> int:
        return self.end - self.start


def add_words_to_jieba(words: Iterable[str]) -> None:
    """Make every vocabulary word a whole jieba token (the Rasa tokenizer shares jieba)."""
    jieba.setLogLevel(60)
    for word in words:
        jieba.add_word(word, freq=_JIEBA_FREQ)


# ---------------------------------------------------------------- regular patterns

def _month_group(name: str) -> str:
    return rf"(?P<{name}>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"


_MONTH_NAMES = ("m1", "m2", "m3", "m4", "m5", "m6")
_YEAR_4 = r"(?P<y4>(?:19|20)\d{2})"
_YEAR_CN4 = rf"(?P<ycn4>[{DIGIT_CHARS}]{{4}})"
_YEAR_2 = r"(?P<y2>\d{2})"
_YEAR_CN2 = rf"(?P<ycn2>[{DIGIT_CHARS}]{{2}})"
_RELATIVE = (
    r"(?P<rel>大前年|前年|去年|今年|明年|后年)"
    r"(?!\s*\d+\s*岁|[一二三四五六七八九十]+岁|\s*(?:几|多少)岁|\s*多大"
    r"|\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*(?:了|周岁))"  # "今年几岁了", "我今年五十二了": an age
)
_YEAR_CN_BARE = rf"(?P<ycnbare>(?:一九|二[〇零])[{DIGIT_CHARS}]{{2}})"
_YEARS_AGO = r"(?P<ago>\d{1,2}|[一二两三四五六七八九十]{1,3})\s*年前"
# "要是三年后考下高级技师": N years from now, only where nothing before it is the event the years
# count from ("毕业三年后", "干满五年以后" are durations, no date).
_YEARS_LATER = (
    r"(?:(?<=^)|(?<=[\s，,。！!？?；;])|(?<=如果|要是|假如|假设|假若|倘若|万一|若是|等到|再过)|(?<=[若等过我俺他她那]))"
    r"(?P<later>\d{1,2}|[一二两三四五六七八九十]{1,3})\s*年(?:以后|之后|后)"
)
_MONTH_REL = r"(?P<mrel>上上个月|上上月|上个月|上月|这个月|本月|下个月|下下个月)"

_DATE_RE = re.compile(
    "|".join(
        [
            # 2021年6月 / 2021.6 / 2021-06 / 2021年 / 2021
            rf"(?<![\d.]){_YEAR_4}(?:\s*年\s*{_month_group('m1')}\s*月份?|[.\-/]{_month_group('m2')}(?![\d])|\s*年)?"
            r"(?![\d万千百元块人名个位%.])",
            rf"{_YEAR_CN4}\s*年(?:\s*{_month_group('m3')}\s*月份?)?",
            # "22年7月底": the month stands ("22年底" / "22年前" are no dates of this form)
            rf"(?<![\d.]){_YEAR_2}\s*年(?:\s*{_month_group('m4')}\s*月份?|(?![级前后多内以了底]))",
            rf"(?<![{DIGIT_CHARS}十]){_YEAR_CN2}\s*年(?:\s*{_month_group('m5')}\s*月份?|(?![级前后多内以了]))",
            rf"{_RELATIVE}(?:\s*{_month_group('m6')}\s*月份?)?",
            _YEARS_AGO,
            _YEARS_LATER,
            _MONTH_REL,
            # "二〇二四" without 年: a year only as a whole answer (checked below)
            rf"(?<![{DIGIT_CHARS}十百千万]){_YEAR_CN_BARE}(?![{DIGIT_CHARS}十百千万])",
        ]
    )
)
# "干了15年", "工作10年了": durations, not years.
_DURATION_BEFORE = re.compile(r"(?:了|满|近|足|共|有|干|待|做)\s*$")

_MONEY_RE = re.compile(
    rf"(?P<num>\d+(?:\.\d+)?|{CN_NUMBER}(?:点[零一二三四五六七八九]+)?)\s*"
    r"(?P<unit>万|千|w|W|k|K)?\s*(?P<yuan>元|块钱|块|圆)?"
)
_COUNT_RE = re.compile(
    r"(?<![第前\d.零一二两三四五六七八九十百千])(?P<num>\d+|[一二两三四五六七八九十百千][零一二两三四五六七八九十百千]*)"
    r"\s*(?:来|多|余)?\s*"
    r"(?P<cls>名|位|个人|个(?=职工|员工|工人|学徒|技师(?!学院|班)|学生|徒弟|毕业生|高级工|中级工|高级技师|人|订单|学员|实习生)"
    r"|个(?=\s|$|[，,。！!？?；;呢吧啊]|不是)"  # "是8个不是6个": the counted thing said before
    r"|个(?=新考|新获|新取得|新拿|又考|刚考|刚拿|考了|考下|考出|考取|考上|拿到|拿了|取得)|人)"
    r"(?!次|民币|才|事|社)"
)
_ARTICLE_RE = re.compile(
    r"第\s*(?P<num>\d{1,2}|[一二三四五六七八九十]{1,3})\s*条"
    r"|(?<![\d第这共那])(?P<bare>\d{1,2})\s*条(?!措施|政策|意见|规定)"
    # "说说二十一条": a Chinese number with 十 names an article too ("一条" / "两条" do not).
    r"|(?<![\d第这共那几多零一二两三四五六七八九十])(?P<cnbare>二?十[一二三四五六七八九]?)\s*条(?!措施|政策|意见|规定)"
)

_LEVEL_RE = re.compile(
    r"(?P<national>全国|国家级|国家|国赛)"
    r"|(?P<provincial>全省|省级|省赛|山东省|省里|省)"
    r"|(?P<city>全市|市级|市赛|淄博市|市里|市)"
)
_MEDAL_RE = re.compile(r"(?P<gold>金牌|金奖)|(?P<silver>银牌|银奖)|(?P<bronze>铜牌|铜奖)")
_CLASS_RE = re.compile(r"(?P<class1>一类|1类)|(?P<class2>二类|2类)")
_RANK_RE = re.compile(
    r"(?P<first>第一名|第1名|第一|冠军)|(?P<second>第二名|第2名|第二|亚军)"
    r"|(?P<third>第三名|第3名|第三|季军)"
)
# "签了5年协议", "协议期三年": N年 in a sentence with an agreement cue (lexicon.yml).
_AGREEMENT_YEARS_RE = re.compile(
    rf"(?<![\d.{DIGIT_CHARS}十每])(?P<num>\d{{1,2}}|[一二两三四五六七八九十]{{1,2}})\s*年"
    r"(?![前后级底内多以初中薪])(?P<asked>(?=\s*(?:多少|给|补|发|工资|报酬|能|可以|最多|最高|一共|总共|大概)))?"
)
# "协议签五年 一共能补多少", "签了三年": N年 right after 签 is the agreement's length even when a
# money question follows it (elsewhere "干5年一共能补多少" is a period asked about).
_SIGNED_BEFORE = re.compile(r"(?:签|签了|签的|签订|签订了|签约|期|期限|为期)\s*$")
_SENTENCE_END = "。！!？?；;\n"
# "多久办一次", "几年一届": how often something is held.
_HOW_OFTEN = re.compile(
    r"多久|多长时间|隔几年|几年(?:办|举办|搞|评)?一|一年几|每年几|几次|几回|多少年一"
    # "是不是隔三年才选一次": a frequency put to be confirmed.
    r"|隔[一两二三四五]年(?:才|就|再)?(?:办|举办|搞|评|选)?一(?:次|回)"
    # "是每年都搞吗", "年年都办不": whether it is held every year.
    r"|(?:每年|年年)都?(?:办|举办|搞|评|选|有|开)"
)
# Mentions whose words may contain a date cue that is not one ("工作" in 技师工作站).
# ("进了" in 柔性引进了 likewise: the unit hired someone, nobody joined a firm.)
_NAMES_HIDING_CUES = (BLOCKER, "platforms", "school_achievements", "talent_title", "award", "hosted_competition",
                      "leader_hiring_mode")
# "…一家化工企业 去年进去的": an employment cue only where a workplace is named.
_WHEN_ASKED_AFTER = re.compile(
    r"[^\s，,。？?的了过]{0,10}?(?:什么时候|啥时候|哪天|几号|几月份)(?:报名|申报|申请|开始|截止|考|发|办)?"
)
_RECRUITMENT_BEFORE = re.compile(r"(?:招聘|招考|招录|公务员|事业单位|事业编|考公|考编|选调)[^\s，,。！!？?；;]{0,2}$")
_JOINED_PLACE_WORKPLACE = re.compile(
    r"(?:进的|进了|进|到的|到了|到|来的|来了|来)[^\s，,。！!？?；;]{1,8}?(?:一家|这家|那家|这个|那个)"
    r"[^\s，,。！!？?；;的]{0,4}?(?:工厂|公司|厂子|厂|企业|单位)"
)
_JOINED_AFTER_WORKPLACE = re.compile(r"进去的|进去了|进去上的班|进去干")
# "前年去的", "去年才来的": joining said right after the year, where a workplace is named.
_JOINED_RIGHT_AFTER = re.compile(r"\s*(?:才|就|刚|刚刚)?(?:去的|来的|过去的|过来的|进去的|进来的)")
# "进的桓台造纸厂", "才到的张店": a joining verb right before a workplace or a Zibo place.
_JOINING_VERB_BEFORE = re.compile(r"(?:进|到|来|去)(?:的|了)\s*$")  # done: "明年去国企" is no joining
# "拿的毕业证": a diploma is no skill certificate.
_DIPLOMA_AFTER = re.compile(r"(?:了|的|个|到)?(?:毕业证|学历证|学位证)")
_DIPLOMA_WORD = re.compile(r"毕业证|学历证|学位证")
# Certificate-date cues that also say a prize or title was won ("去年拿的" after 省赛铜牌).
_WINNING_CUES = frozenset({"拿到", "拿的", "拿了", "评上", "评的", "取得", "认定"})
_AWARD_GAP = re.compile(r"^[^，,。！!？?；;\n]{0,12}$")
_RANK_WORD = {"first": "first", "second": "second", "third": "third"}


class FactExtractor:
    """Reads fact values out of a message. Build once; `extract` is thread-safe."""

    def __init__(self, vocabulary: Vocabulary | None = None) -> None:
        self.vocabulary = vocabulary or load_vocabulary()
        self._boolean_entities = frozenset(
            t.entity for t in self.vocabulary.terms if t.value in ("true", "false")
        ) - {IN_ZIBO}
        add_words_to_jieba(self.vocabulary.words())
        self.nlp = _build_nlp(self.vocabulary)
        self._by_first_char: dict[str, list[tuple[str, str, str]]] = {}
        for term in sorted(self.vocabulary.terms, key=lambda t: -len(t.text)):
            self._by_first_char.setdefault(term.text[0], []).append(
                (term.text, term.entity, term.value)
            )
        # Spoken corrections without a fixed word: "高级工 呃不是 技师", "在张店 啊不 在博山",
        # "不不 是三个" (the bare 啊不/哦不/不不 only before a pause).
        self._correction_re = re.compile(
            _alternation(self.vocabulary.corrections).pattern
            + r"|(?:啊|哦|噢|呃|额|嗯|唉)不(?=[\s，,。]|$)|(?<!不)不不(?=[\s，,]|是)"
        )
        negations = "|".join(
            re.escape(w) for w in sorted(self.vocabulary.negations, key=len, reverse=True)
        )
        self._negation_before = re.compile(
            rf"(?:{negations})(?:在|是|去|考|拿|签|评|获|得|有|读|念|进|上)?(?:过|了|上|到)?(?:个|的)?$"
        )
        self._role_cues = {
            role: _alternation(words) for role, words in self.vocabulary.date_roles.items()
        }
        self._cued_by_first_char: dict[str, list[tuple[str, str, str]]] = {}
        for term in sorted(self.vocabulary.cued_terms, key=lambda t: -len(t.text)):
            self._cued_by_first_char.setdefault(term.text[0], []).append(
                (term.text, term.entity, term.value)
            )
        self._cue_before = {
            entity: _alternation(cue.before)
            for entity, cue in self.vocabulary.cues.items()
            if cue.before
        }
        self._negated_cue = re.compile(rf"(?:{negations})(?:曾经|曾|有)?$")
        self._agreement_cue = _alternation(self.vocabulary.agreement_cues)
        ctx = self.vocabulary.context
        self._ctx = ctx
        self._money_cues = {role: _source_alternation(words) for role, words in ctx.money_roles.items()}
        self._title_holder = _alternation(ctx.title_holders)
        self._title_selection = _alternation(ctx.title_selection_words)
        self._platform_holder = _alternation(ctx.platform_holders)
        self._question = _alternation(ctx.question_words)
        self._situation = _alternation(ctx.situation_cues)
        self._unrelated_place = _alternation(ctx.unrelated_place_words)
        self._former_place = _alternation(ctx.former_place_words)
        agreement_words = "|".join(re.escape(w) for w in ctx.internship_agreement_words)
        signed = r"(?:签订了|签订|签署了|签署|签了|签过|签好了|签好|签)"
        self._internship_agreement_re = re.compile(
            rf"(?P<neg1>还没有|还没|没有|没|未|不)?{signed}(?:{agreement_words})"
            rf"|(?:{agreement_words})(?:都|也|已经|已)?(?P<neg2>还没有|还没|没有|没|未|不)?{signed}"
            # "三方协议到现在也没签", "实习协议学校那边还没签" (not "…签没签": asked)
            rf"|(?:{agreement_words})[^\s，,。！!？?；;签吗么]{{1,6}}?(?P<neg3>还没有|还没|没有|没|未){signed}"
        )
        self._person_facts = person_facts()
        self._school_name_opening = _alternation(
            [*self.vocabulary.places_in_zibo, *self.vocabulary.places_elsewhere, *_SCHOOL_NAME_PLACES]
        )

    # ------------------------------------------------------------ public API

    def entity_names(self) -> set[str]:
        """Every entity name `extract` can give (what other extractors' entities are checked against)."""
        return {
            *(t.entity for t in self.vocabulary.terms if t.entity != BLOCKER),
            "self_evaluation_enterprise",
            *self.vocabulary.cues,
            *DATE_ENTITIES,
            *self.vocabulary.context.money_roles,
            *(rule.fact for rule in self.vocabulary.context.head_counts),
            "internship_agreement",
            "flexible_hire_is_provincial_leader",
            IN_ZIBO,
            AGREEMENT_YEARS,
            "money",
            "count",
            "article",
            "award",
        }

    def extract(self, text: str, today: date) -> list[Entity]:
        if not text or not text.strip():
            return []
        candidates = [
            *self._vocabulary_candidates(text),
            *self._cued_candidates(text),
            *self._agreement_candidates(text),
            *_date_candidates(text, today),
            *_money_candidates(text),
            *_count_candidates(text),
            *_article_candidates(text),
            *_award_candidates(text),
            *self._internship_agreement_candidates(text),
            *_self_evaluation_candidates(text),
            *_extra_candidates(text),
            *_programme_phrase_candidates(text),
            *_correction_count_candidates(text),
        ]
        candidates += _trade_employer_candidates(text, candidates)
        chosen = _resolve_overlaps(candidates)
        chosen = _city_station_funds(text, chosen, self._ctx.platform_measures)
        chosen = self._assign_date_roles(text, chosen)
        chosen = self._apply_negations(text, chosen)
        chosen = self._apply_corrections(text, chosen)
        chosen = _drop_plans(text, chosen, today)
        chosen = self._apply_context(text, chosen)
        chosen = [c for c in chosen if not _names_people_not_the_asker(text, c, self._question)
                  and not _a_step_not_a_level(text, c)]
        entities: list[Entity] = []
        counts = {"count", *(rule.fact for rule in self.vocabulary.context.head_counts)}
        taken = bytearray(len(text) + 1)
        for c in chosen:
            taken[c.start : c.end] = b"\x01" * c.length
        for c in chosen:
            if c.entity == BLOCKER or (c.entity in counts and _APPROXIMATE_COUNT.search(text, c.start, c.end + 3)):
                # "二十来个", "三百多人": more than the number, so no head count to pay on (the
                # interview asks for it); its sentence still counted people, not the asker's facts
                continue
            c = self._widen(text, _guide_span(text, c), taken)
            entities.append(Entity(c.entity, c.value, c.start, c.end, text[c.start : c.end]))
            if c.entity == PLACE:
                in_zibo = "true" if c.value in self.vocabulary.places_in_zibo.values() else "false"
                entities.append(Entity(IN_ZIBO, in_zibo, c.start, c.end, text[c.start : c.end]))
        return entities

    def _widen(self, text: str, c: _Candidate, taken: bytearray) -> _Candidate:
        """Spans the annotation guide draws wider than the word that was read: a negated boolean
        with its negation ("[不算全职]"), a date with its season ("[前年夏天]"), a programme with an
        attached 补贴/补助 ("[订单培养补助]"), an employer with its trade ("[果蔬合作社]")."""
        if c.value == "false" and c.entity in self._boolean_entities:
            m = self._negation_before.search(text, max(0, c.start - 6), c.start)
            if m and not any(taken[m.start() : c.start]):
                return replace(c, start=m.start())
        elif c.entity in DATE_ENTITIES or c.entity == YEAR:
            m = _SEASON_AFTER.match(text, c.end)
            if m and not any(taken[c.end : m.end()]):
                return replace(c, end=m.end())
        elif c.entity == MEASURE:
            m = _MEASURE_WORD_AFTER.match(text, c.end)
            if m and not text[c.start : c.end].endswith(_MEASURE_WORDS) and not any(taken[c.end : m.end()]):
                return replace(c, end=m.end())
        elif c.entity == "employer_type" and text[c.start : c.end] in _EMPLOYER_HEAD_WORDS:
            # "新材料公司": 新 starts a trade name, but "进了新公司" is no trade.
            new_firm = text[c.start - 1 : c.start] == "新"
            start = c.start if new_firm else _name_start(text, c.start, 6, _WIDEN_STOP, taken)
            if start < c.start:
                return replace(c, start=start)
        elif c.entity == "school_type" and text[c.start : c.end].endswith(_SCHOOL_HEAD_WORDS):
            # "[淄博职业学院]", "[山东轻工职业学院]": a school's proper name is one span.
            start = _name_start(text, c.start, 8, _SCHOOL_NAME_STOP, taken)
            # ...a name opens with its place ("淄博", "山东"), not with whoever studied there
            # ("孩子技师学院毕业").
            opening = next((i for i in range(start, c.start) if self._school_name_opening.match(text, i)), None)
            if opening is not None:
                return replace(c, start=opening)
        return c

    # ------------------------------------------------------------ vocabulary

    def _vocabulary_candidates(self, text: str) -> list[_Candidate]:
        found: dict[tuple[int, int], _Candidate] = {}
        doc = self.nlp(text)
        for span in doc.ents:
            key = (span.start_char, span.end_char)
            found[key] = _Candidate(*key, span.label_, span.ent_id_)
        # Character scan: the longest vocabulary word starting at each position.
        for i, ch in enumerate(text):
            for word, entity, value in self._by_first_char.get(ch, ()):
                if text.startswith(word, i):
                    key = (i, i + len(word))
                    found.setdefault(key, _Candidate(*key, entity, value))
                    break
        return list(found.values())

    def _cued_candidates(self, text: str) -> list[_Candidate]:
        """Cued words whose cue is there; they win over another reading of the same span."""
        out: list[_Candidate] = []
        for i, ch in enumerate(text):
            for word, entity, value in self._cued_by_first_char.get(ch, ()):
                if not text.startswith(word, i):
                    continue
                c = _Candidate(i, i + len(word), entity, value, priority=0)
                if self._cue_holds(text, c, self.vocabulary.cues[entity]):
                    out.append(c)
                    break
                if entity == "hosted_competition" and _HOW_OFTEN.search(_sentence_text(text, c)):
                    # "全市技能大赛多久办一次": how competitions are run (the graded system).
                    out.append(replace(c, entity=MEASURE, value="competition_system"))
                    break
        return out

    def _cue_holds(self, text: str, c: _Candidate, cue: Cue) -> bool:
        if any(text.startswith(word, c.end) for word in cue.after):
            return True
        pattern = self._cue_before.get(c.entity)
        if pattern is None:
            return False
        lo = c.start
        while lo > 0 and text[lo - 1] not in _CLAUSE_END:
            lo -= 1
        verdict = False
        for m in pattern.finditer(text, lo, c.end):
            if m.start() >= c.start:
                return True  # the word says it itself ("没有承办")
            if re.search(r"(?:啥|什么|哪个|哪种)$", text[max(lo, m.start() - 2) : m.start()]):
                continue  # "啥是柔性引才": a definition asked for, not a statement
            # "没承办过省赛": a denied hosting word hosts nothing.
            verdict = not self._negated_cue.search(text[max(lo, m.start() - 4) : m.start()])
        return verdict

    def _agreement_candidates(self, text: str) -> list[_Candidate]:
        out: list[_Candidate] = []
        for m in _AGREEMENT_YEARS_RE.finditer(text):
            if m.group("asked") is not None and not _SIGNED_BEFORE.search(text[max(0, m.start() - 3) : m.start()]):
                continue
            lo, hi = m.start(), m.end()
            while lo > 0 and text[lo - 1] not in _SENTENCE_END:
                lo -= 1
            while hi < len(text) and text[hi] not in _SENTENCE_END:
                hi += 1
            if not self._agreement_cue.search(text, lo, hi):
                continue
            years = to_number(m.group("num"))
            if years is None or not 1 <= years <= 20 or not years.is_integer():
                continue
            out.append(
                _Candidate(m.start(), m.end(), AGREEMENT_YEARS, as_int_string(years), priority=0)
            )
        return out

    # ------------------------------------------------------------ context rules

    def _assign_date_roles(self, text: str, chosen: list[_Candidate]) -> list[_Candidate]:
        out: list[_Candidate] = []
        level_spans = [(c.start, c.end) for c in chosen if c.entity == "certificate_level"]
        # "市技师工作站去年评估优秀": a cue inside a name ("工作" in 工作站) is no cue.
        # ("全职调入" as a hiring mode is the person's own move: its 调入 is the cue.)
        names = [(c.start, c.end) for c in chosen if c.entity in _NAMES_HIDING_CUES
                 and not (c.entity == "leader_hiring_mode" and "引" not in text[c.start : c.end])]
        # "省赛铜牌 俺是去年拿的": what was won is the award (title, platform), not a certificate.
        won = [(c.start, c.end) for c in chosen if c.entity in ("award", TITLE, "platforms", "school_achievements")]
        inside = bytearray(len(text))
        for c in chosen:
            inside[c.start : c.end] = b"\x01" * c.length
        years = [c for c in chosen if c.entity == YEAR]
        workplace_named = any(c.entity == "employer_type" for c in chosen)
        # "进的桓台造纸厂", "才到的张店": a joining verb right before a workplace (a few words may
        # name it: "进的桓台造纸厂") or a place in Zibo is an employment cue.
        joined: list[tuple[int, int]] = []
        for o in chosen:
            zibo_place = o.entity == PLACE and o.value in self.vocabulary.places_in_zibo.values()
            if o.entity != "employer_type" and not zibo_place:
                continue
            lo_o = o.start
            if o.entity == "employer_type":
                # the words naming the workplace before it ("桓台" in 进的桓台造纸厂)
                while lo_o > 0 and lo_o > o.start - 8 and text[lo_o - 1] not in _CLAUSE_END + " 在的了":
                    if _JOINING_VERB_BEFORE.search(text, max(0, lo_o - 3), lo_o):
                        break
                    lo_o -= 1
            verb = _JOINING_VERB_BEFORE.search(text, max(0, lo_o - 3), lo_o)
            if verb and not (
                verb.group(0).startswith("到") and text[max(0, verb.start() - 1) : verb.start()] in "等直"
            ):
                joined.append((verb.start(), verb.end()))

        def gap(year: _Candidate, s: int, e: int) -> int:
            return s - year.end if s >= year.end else year.start - e

        for c in chosen:
            if c.entity != YEAR:
                out.append(c)
                continue
            lo, hi = _clause_bounds(text, c, inside)
            seg_lo, seg_hi = _space_segment(text, c, lo, hi)
            best: tuple[int, int, int, str] | None = None  # (other part, distance, after-first, role)
            clause_levels = [(s, e) for s, e in level_spans if lo <= s and e <= hi]
            diploma_clause = bool(_DIPLOMA_WORD.search(text, lo, hi))
            award_clause = not clause_levels and any(lo <= s and e <= hi for s, e in won)
            for role, pattern in self._role_cues.items():
                spans = [
                    (m.start(), m.end())
                    for m in pattern.finditer(text, lo, hi)
                    if not any(m.start() < e and s < m.end() for s, e in names)
                    # "去年引进了一位…": the unit hired someone (引进), nobody joined a firm.
                    and not (role == "employment_start_date" and text[max(0, m.start() - 1) : m.start()] == "引")
                    and not (award_clause and role == "certificate_date" and m.group(0) in _WINNING_CUES)
                    # "事业单位招聘考试", "考公": a recruitment exam gives no certificate.
                    and not (role == "certificate_date" and (
                        _RECRUITMENT_BEFORE.search(text, lo, m.start()) or text.startswith(("考公", "考编"), m.start())
                    ))
                    # "2023年6月拿的毕业证", "毕业证是前年拿到的": the diploma is graduation (its 毕业 is
                    # the cue), no certificate, where the clause names no level.
                    and not (role == "certificate_date" and (
                        _DIPLOMA_AFTER.match(text, m.end())
                        or _DIPLOMA_WORD.search(text, max(lo, m.start() - 2), m.end())
                        or (diploma_clause and not clause_levels)
                    ))
                ]
                if role == "certificate_date":
                    spans += clause_levels
                if role == "employment_start_date":
                    # "前年进的高新区一家工厂", "才到周村这家公司": joining a workplace named by its place.
                    spans += [(m.start(), m.end()) for m in _JOINED_PLACE_WORKPLACE.finditer(text, lo, hi)]
                if role == "employment_start_date" and workplace_named:
                    # "在一家化工企业当化验员 去年10月进去的": joining the workplace named
                    # ("统招进去的" is a school's admission: no workplace, no cue).
                    spans += [(m.start(), m.end()) for m in _JOINED_AFTER_WORKPLACE.finditer(text, lo, hi)]
                    # "在景区公司做电工 四级 前年去的": joining said right after the year.
                    right = _JOINED_RIGHT_AFTER.match(text, c.end, hi)
                    if right:
                        spans.append((right.end() - 2, right.end()))
                if role == "employment_start_date":
                    spans += [(s, e) for s, e in joined if lo <= s and e <= hi]
                for s, e in spans:
                    if s >= c.end and e <= hi:
                        key = (0, s - c.end, 0, role)
                    elif e <= c.start and s >= lo:
                        key = (0, c.start - e, 1, role)
                    else:
                        continue
                    if any(o is not c and gap(o, s, e) < key[1]
                           and not (_space_between(text, o, s, e) and not _space_between(text, c, s, e))
                           for o in years):
                        # "三级证去年拿的 要是明年开春跳到济南去": the cue is another year's
                        # ("2021年技师学院毕业 22年10月来淄博": not across a pause from its own year).
                        continue
                    if not (seg_lo <= s and e <= seg_hi):
                        # "我高级工证 23年技校毕业": a cue in the year's own part comes first.
                        key = (1, *key[1:])
                    if best is None or key[:3] < best[:3]:
                        best = key
            if best is None and re.fullmatch(r"[是就的吧啊呢\s]*", text[lo : c.start] + text[c.end : hi]):
                # "改一下毕业时间，二〇二二年": a bare year takes the cue of the clause before it.
                s_lo = lo
                while s_lo > 0 and text[s_lo - 1] not in _SENTENCE_END:
                    s_lo -= 1
                for role, pattern in self._role_cues.items():
                    for m in pattern.finditer(text, s_lo, lo):
                        key = (0, lo - m.end(), 1, role)
                        if best is None or key[:3] < best[:3]:
                            best = key
            out.append(replace(c, entity=best[3]) if best else c)
        return out

    def _negated(self, text: str, c: _Candidate) -> bool:
        window = text[max(0, c.start - 6) : c.start]
        return bool(self._negation_before.search(window))

    @staticmethod
    def _asked_whether(text: str, c: _Candidate) -> bool:
        """"算不算技工院校", "不清楚是不是市属的": an A-not-A question names the word, it
        neither states nor denies it ("要是不是全职" is 要是 + 不是: a denied hypothesis)."""
        return bool(_A_NOT_A_BEFORE.search(text[max(0, c.start - 6) : c.start]))

    def _apply_negations(self, text: str, chosen: list[_Candidate]) -> list[_Candidate]:
        out: list[_Candidate] = []
        inherit: str | None = None
        for c in chosen:
            if c.entity in DATE_ENTITIES and c.entity == YEAR and inherit:
                # "不是2019年毕业的，是2020年": the replacement takes the denied role.
                out.append(replace(c, entity=inherit))
                inherit = None
                continue
            if c.entity in NEGATABLE and c.entity not in DATE_ENTITIES and self._asked_whether(text, c):
                continue
            if c.entity not in NEGATABLE or not self._negated(text, c):
                out.append(c)
                continue
            if c.entity in BOOL_ENTITIES:
                out.append(replace(c, value="false" if c.value == "true" else "true"))
            elif c.entity == "talent_title" and c.value == "provincial_skill_leader" and re.search(
                r"柔性引[进才]|(?:请来|引进来|聘来|请)的专家", _sentence_text(text, c)
            ):
                # "柔性引进的不是省级领军人才": the flexible hire is not a provincial leader.
                out.append(replace(c, entity="flexible_hire_is_provincial_leader", value="false"))
            elif (
                c.entity == PLACE
                and c.value in self.vocabulary.places_in_zibo.values()
                and text[max(0, c.start - 2) : c.start] == "不在"
                and not any(o.entity == PLACE and o is not c for o in chosen)
            ):
                # "不在淄博工作": where they are is unknown, but it is not Zibo.
                # ("不是张店，是临淄", "在博山不在张店" only replace the place.)
                out.append(replace(c, entity=IN_ZIBO, value="false"))
            elif c.entity in DATE_ENTITIES and c.entity != YEAR:
                inherit = c.entity
        return out

    def _apply_corrections(self, text: str, chosen: list[_Candidate]) -> list[_Candidate]:
        chosen = [c for c in chosen if not _MISTYPED_BEFORE.search(text[max(0, c.start - 3) : c.start])
                  and not _changed_from(text, c, chosen)]
        dropped: set[int] = set()
        roles: dict[int, str] = {}
        starts = [c.start for c in chosen]
        for marker in self._correction_re.finditer(text):
            b = bisect.bisect_left(starts, marker.end())
            if b == len(chosen):
                continue
            family = _family(chosen[b].entity)
            a = next(
                (
                    i
                    for i in range(b - 1, -1, -1)
                    if chosen[i].end <= marker.start()
                    and i not in dropped
                    and _family(chosen[i].entity) == family
                ),
                None,
            )
            if a is None:
                # "那个三千块打错了 去年领的是2500元": the figure right before the correction word
                # is replaced by the next one of its kind, though something else comes between.
                a = next((i for i in range(b - 1, -1, -1) if chosen[i].end <= marker.start()), None)
                if (
                    a is None
                    or a in dropped
                    or not _RIGHT_BEFORE_CORRECTION.fullmatch(text, chosen[a].end, marker.start())
                    or not any(
                        _family(o.entity) == _family(chosen[a].entity)
                        and not any(ch in _SENTENCE_END for ch in text[marker.end() : o.start])
                        for o in chosen[b:]
                    )
                ):
                    continue
            if "。" in text[chosen[a].end : marker.start()]:
                continue
            dropped.add(a)
            if chosen[b].entity == YEAR and _family(chosen[a].entity) == family and chosen[a].entity != YEAR:
                roles[b] = chosen[a].entity
        # "之前说的没证是错的", "高级工那个不对": a value said to be wrong is no fact, with or
        # without the value that replaces it.
        return [
            replace(c, entity=roles[i]) if i in roles else c
            for i, c in enumerate(chosen)
            if i not in dropped and not _SAID_WRONG_AFTER.match(text, c.end)
        ]

    # ------------------------------------------------------------ conventions in context

    def _internship_agreement_candidates(self, text: str) -> list[_Candidate]:
        out: list[_Candidate] = []
        for m in self._internship_agreement_re.finditer(text):
            if re.match(r"(?:没有|没|不)签", text[m.end() :]):
                continue  # "三方协议签没签": asked, neither signed nor not
            value = "false" if (m.group("neg1") or m.group("neg2") or m.group("neg3")) else "true"
            out.append(_Candidate(m.start(), m.end(), "internship_agreement", value, priority=0))
        return out

    def _apply_context(self, text: str, chosen: list[_Candidate]) -> list[_Candidate]:
        """The team's annotation conventions (issue #4): numbers and years get the specific fact
        their sentence names, an organization's sentence carries no personal facts, a title
        asked about is its measure, and places and employers count only as the asker's own."""
        ctx = self._ctx
        items: list[_Candidate | None] = list(chosen)

        def bounded(c: _Candidate, stops: str) -> tuple[int, int]:
            lo, hi = c.start, c.end
            while lo > 0 and text[lo - 1] not in stops:
                lo -= 1
            while hi < len(text) and text[hi] not in stops:
                hi += 1
            return lo, hi

        def sentence(c: _Candidate) -> tuple[int, int]:
            return bounded(c, _SENTENCE_END)

        def clause(c: _Candidate) -> tuple[int, int]:
            return bounded(c, _CLAUSE_END)

        def segment(c: _Candidate) -> tuple[int, int]:
            """The clause, also cut at spaces: people type "我是2021年毕业 2022年上的班"."""
            lo, hi = clause(c)
            cut = max((text.rfind(ch, lo, c.start) for ch in " \t"), default=-1)
            if cut >= lo:
                lo = cut + 1
            ends = [i for i in (text.find(ch, c.end, hi) for ch in " \t") if i >= 0]
            if ends:
                hi = min(ends)
            return lo, hi

        # Amounts: 年薪 → agreed_annual_salary, 国家补助资金 → national_subsidy.
        for i, c in enumerate(chosen):
            if c.entity != MONEY:
                continue
            lo, _ = clause(c)
            best: tuple[int, str, int, int] | None = None
            for role, pattern in self._money_cues.items():
                for m in pattern.finditer(text, lo, c.start):
                    key = (c.start - m.end(), role, m.start(), m.end())
                    if best is None or key[0] < best[0]:
                        best = key
            if best is not None:
                items[i] = replace(c, entity=best[1])
            elif _STATE_GRANT_AFTER.match(text, c.end) and _STATE_GRANTOR.search(text, lo, c.start):
                # "省里给了80万补助资金": the grant named after its amount (第8条, 第17条 match the
                # state's or the province's grant, not the city's).
                items[i] = replace(c, entity="national_subsidy")

        # "年薪是三十万 不是二十万", "签的不是三年 是五年": the denied amount (or agreement length) is
        # no fact when another of the same kind stands in its sentence. (Counts: below; levels,
        # places, dates and the hosted competition are NEGATABLE, so a denied one is dropped.)
        for i, c in enumerate(chosen):
            current = items[i]
            if (
                current is None
                or c.entity not in (MONEY, AGREEMENT_YEARS)
                or not _DENIED_BEFORE.search(text[max(0, c.start - 4) : c.start])
            ):
                continue
            if any(o is not None and o is not current and o.entity == current.entity
                   and sentence(o) == sentence(c) for o in items):
                items[i] = None

        # Head counts of an organization.
        count_sentences: set[tuple[int, int]] = set()
        hire_sentences: set[tuple[int, int]] = set()
        dropped_measures: set[tuple[tuple[int, int], str]] = set()
        count_segments: list[tuple[int, int]] = []
        for i, c in enumerate(chosen):
            if c.entity != COUNT:
                continue
            s_lo, s_hi = sentence(c)
            c_lo, c_hi = clause(c)
            if c.value == "1" and text[c.start] == "一" and re.match(
                r"[^\s，,。]{0,6}?(?:补|给|奖|发)[^\s，,。]{0,3}?(?:几|多少)"
                # "一个徒弟一年多少": a rate per head and period.
                r"|[^\s，,。]{0,4}?(?:一|每)(?:个)?(?:学期|年|月|季度|期|天)[^\s，,。]{0,4}?(?:几|多少)",
                text[c.end : c_hi],
            ):
                # "考出一个高级技师补几千", "带一个徒弟补给厂里多少": a rate per head asked
                # about, not a head count.
                items[i] = None
                for j, o in enumerate(chosen):
                    if o.entity == LEVEL and o.start == c.end:
                        items[j] = None
                continue
            listed = [o for o in chosen if o.entity in _LISTED_THINGS and c_lo <= o.start and o.end <= c.start]
            if text[c.end - 1] == "个" and len(listed) >= 2 and _SUMMED_GAP.fullmatch(text, listed[-1].end, c.start):
                # "省赛铜牌跟市赛金牌两个": the listed awards (titles, platforms) summed, no head count.
                items[i] = None
                continue
            # "有4个 不是3个": the denied number is not a head count.
            if _DENIED_BEFORE.search(text[max(0, c.start - 4) : c.start]) and any(
                o.entity == COUNT and o is not c and sentence(o) == (s_lo, s_hi) for o in chosen
            ):
                items[i] = None
                continue
            # Of the rules whose cue holds, the one with the nearest level word (in the same
            # space-separated part first: "新获得技师的有九个 高级技师三个") wins.
            matches: list[tuple[tuple[int, int, int], HeadCountRule, int]] = []
            for order, rule in enumerate(ctx.head_counts):
                found = self._head_count_level(
                    text, chosen, items, rule, i, (s_lo, s_hi), (c_lo, c_hi), segment(c)
                )
                if found is None:
                    continue
                level_index, nearness = found
                matches.append(((*nearness, order), rule, level_index))
            if matches:
                level_matches = [m for m in matches if m[2] >= 0]
                _, rule, level_index = min(level_matches or matches[:1], key=lambda m: m[0])
                if level_index >= 0:
                    items[level_index] = None
                number = re.match(r"\d+|[零一二两三四五六七八九十百千]+", text[c.start : c.end])
                end = c.start + (number.end() if number else c.length)
                items[i] = replace(c, entity=rule.fact, end=end)
                count_sentences.add((s_lo, s_hi))
                if rule.measure:
                    dropped_measures.add(((s_lo, s_hi), rule.measure))
                    count_segments.append(segment(c))
            else:
                if c.value == "1" and text[c.start] == "一" and any(
                    o.start == c.end and o.entity in (LEVEL, TITLE) for o in chosen
                ):
                    items[i] = None  # "我就一个中级工": an article, not a head count
                else:
                    # "厂里有12个高级技师", "高级技师有俩": the level names the people counted (and
                    # gives no certificate date: "今年有仨" is the count's period).
                    for j, o in enumerate(chosen):
                        if o.entity == LEVEL and _level_counted(text, c, o):
                            items[j] = None
                            for k, d in enumerate(chosen):
                                if d.entity == "certificate_date" and items[k] is not None and clause(d) == clause(o):
                                    items[k] = replace(d, entity=YEAR)

        # 柔性引进了一位齐鲁首席技师: the flexible hire is a provincial leader.
        for i, c in enumerate(chosen):
            if c.entity != TITLE or items[i] is None or c.value != "provincial_skill_leader":
                continue
            bounds = sentence(c)
            if not any(((o.entity == "leader_hiring_mode" and o.value == "flexible")
                        or (o.entity == MEASURE and o.value == "flexible_leader_salary_subsidy"))
                       and sentence(o) == bounds for o in chosen):
                continue
            items[i] = replace(c, entity="flexible_hire_is_provincial_leader", value="true")
            # The hire's sentence states no personal facts; its year ("去年柔性引进了…") is kept.
            hire_sentences.add(bounds)
            for j, o in enumerate(chosen):
                if o.entity == COUNT and o.value == "1" and 0 <= c.start - o.end <= 2:
                    items[j] = None

        # The hire's sentence is about that hire, not a question about the measure.
        # ("…省级领军人才 能拿柔性引才汇智计划的补贴不": a programme named in another part of the
        # message is asked about.)
        flexible_hires = [c for c in items if c is not None and c.entity == "flexible_hire_is_provincial_leader"]
        for i, c in enumerate(chosen):
            if (c.entity == MEASURE and c.value == "flexible_leader_salary_subsidy"
                    and any(sentence(h) == sentence(c) and segment(h) == segment(c) for h in flexible_hires)):
                items[i] = None

        # "我们是一所技工学校", "我们是张店的一家机械企业": the unit is the asker.
        for i, c in enumerate(chosen):
            if c.entity not in ("school_type", "employer_type") or items[i] is None:
                continue
            unit = re.search(
                r"(?P<we>我们|俺们|咱们|咱)(?:是|属于)"
                r"(?:在?[^\s，,。！!？?；;的是]{2,7}的?(?=一所|一家|一个))?"  # where the unit is
                r"(?:一所|一家|一个|个)?(?:(?:市属|市直属|公办|民办|省属)(?:的)?)?$",
                text[max(0, c.start - 20) : c.start],
            )
            # ("俺们是家庭农场": a farm, no enterprise asker; only 我们 says it of any employer)
            if unit and (unit.group("we") == "我们" or c.value in ("enterprise", "technical_school")):
                items[i] = replace(c, entity=ASKER, value="school" if c.entity == "school_type" else "enterprise")

        org_sentences = {sentence(c) for c in items if c is not None and c.entity == ASKER
                         and c.value in ORGANIZATION_ASKERS}
        # "今年在岗培训了260人": sentences with a head count that no rule named.
        counted_sentences = count_sentences | {sentence(c) for c in items if c is not None and c.entity == COUNT}
        for i in range(len(chosen)):
            current = items[i]
            if current is None:
                continue
            bounds = sentence(current)
            c_lo, c_hi = clause(current)
            is_question = bool(
                self._question.search(text, bounds[0], bounds[1])
                or re.search(r"(?:不|没|没有)\s*[。！!]?$", text[bounds[0] : bounds[1]])
                or _QUESTION_EXTRA.search(text, bounds[0], bounds[1])
                or _HOW_OFTEN.search(text, bounds[0], bounds[1])
            )
            if current.entity in DATE_ENTITIES and bounds in count_sentences:
                items[i] = None  # the period of the head count ("今年有3人新考了技师")
            elif current.entity == YEAR and text[current.start : current.end] == "今年" and (
                bounds in counted_sentences
                # "稳岗返还今年还有吗": now, in a question naming nothing of the asker's
                or (is_question and not any(o is not chosen[i] and o.entity != BLOCKER and sentence(o) == bounds
                                            for o in chosen))
            ):
                items[i] = None  # "今年在岗培训了260人": the period of a head count is not annotated
            elif current.entity == ASKER and current.value == "person" and bounds in counted_sentences and not (
                _SPEAKER_WORDS.search(text, current.start, current.end)
            ):
                items[i] = None  # "订单班毕业生来了11个": the people counted, not who asks
            elif current.entity in self._person_facts and (
                bounds in count_sentences or bounds in org_sentences or bounds in hire_sentences
            ) and not (
                # "我们企业有技校来的实习生": the school of the people the unit asks about
                current.entity in ("school_type", "employer_type") and _describes_people(text, current, chosen)
            ) and not (
                # "我们单位是国企": the kind of employer the unit is, named
                current.entity == "employer_type"
                and any(o.entity == ASKER
                        and re.fullmatch(r"\s*(?:是|属于|算)(?:个|一家|一个)?", text[o.end : current.start])
                        for o in chosen)
            ) and not (
                # "我们公司 有个员工拿了国赛银牌": a prize or title named of someone in the unit
                current.entity in ("award", TITLE)
                and _STAFF_BEFORE.search(text, segment(current)[0], current.start)
            ):
                items[i] = None  # an organization's sentence states no personal facts
            elif current.entity == ASKER and current.value in ORGANIZATION_ASKERS and is_question and (
                _APPLICANT_ASKS.match(text, current.end)
                and not _ASKER_PRONOUN.search(text, current.start, current.end)
                and not _ASKER_PRONOUN_NEAR.search(text, max(0, current.start - 3), current.start)
            ):
                items[i] = None  # "民办培训学校能申请金蓝领吗": a unit named only as the applicant
            elif current.entity == "leader_hiring_mode" and re.search(r"毕业", text[c_lo : current.start]):
                items[i] = None  # "订单班 毕业后全职过来的11个": graduates joining, no leader hired
            elif current.entity == MEASURE and re.match(
                r"(?:的)?(?:三方协议|三方合同|实习协议)", text[current.end : c_hi]
            ):
                items[i] = None  # "顶岗实习三方协议要盖几个章": the kind of agreement, not the programme
            elif current.entity == MEASURE and (
                (
                    (bounds, current.value) in dropped_measures
                    # "…8个订单班学生… 能拿订单培养补助吗": a measure asked about in another part stays.
                    and (segment(current) in count_segments
                         or not self._question.search(text, *segment(current)))
                    # "金蓝领考出来9个技师 能补多少钱": the programme whose money is asked about.
                    and not _money_asked_elsewhere(text, current, segment(current), bounds, chosen)
                )
                or re.match(r"(?:的)?(?:学生|学徒|人员|职工|毕业生)", text[current.end : c_hi])
            ):
                items[i] = None  # "金蓝领培训有35人…", "顶岗实习学生": the measure names a group
            elif current.entity == LEVEL and (
                text.startswith("学徒", current.end)
                or re.search(r"学徒制?(?:里|中|里面|当中)?(?:的)?$", text[max(0, current.start - 5) : current.start])
            ):
                items[i] = None  # "学徒制高级工", "高级工学徒": a kind of apprentice, not a certificate
            elif (
                current.entity == MEASURE
                and current.value == "city_platform_excellence_award"
                and (rated := _RATED_AFTER.match(text, current.end))
                and (rated.group("done") or not is_question
                     or _UNIT_SUBJECT.search(text, segment(current)[0], current.start))
            ):
                # "我们平台绩效评估评上优秀了": the rating held, not the award asked about
                word = text.rfind("绩效", current.start, current.end)
                start = word if word >= 0 else max(current.start, text.rfind("评估", current.start, current.end))
                end = rated.start("done") if rated.group("done") else rated.end()
                items[i] = replace(current, entity="platforms", value="city_platform_excellent", start=start, end=end)
            elif (
                current.entity == LEVEL and current.value != "none"
                and _EARLIER_LEVEL_BEFORE.search(text, segment(current)[0], current.start)
                and any(o is not None and o.entity == LEVEL and o.value not in ("none", current.value)
                        for o in items)
            ):
                # "去年考的技师，之前是高级工": the level held before the one named now
                items[i] = None
            elif current.entity == LEVEL and (
                _FAILED_AFTER.match(text, current.end)
                or (_PLANNED_EXAM_BEFORE.search(text, segment(current)[0], current.start)
                    and not _HYPOTHETICAL.search(text, bounds[0], bounds[1]))
            ):
                # "高级工没考过": a level failed; "准备下半年考技师": a plan (annotation guide: no fact)
                items[i] = None
                failed = _FAILED_AFTER.match(text, current.end)
                for j, other in enumerate(items):
                    # "技师证还没考下来": its 还没考 says no 技师, not "no certificate at all"
                    if (failed and other is not None and other.entity == LEVEL and other.value == "none"
                            and current.end <= other.start < failed.end()):
                        items[j] = None
            elif (
                current.entity == MEASURE
                and current.value in ctx.enterprise_measures
                and _FOR_STAFF.search(text, bounds[0], bounds[1])
            ):
                # "公司给职工报技师补贴": the firm applies for its staff (the firm's measure).
                items[i] = replace(current, value=ctx.enterprise_measures[current.value])
            elif current.entity == TITLE and (
                is_question or _ASKING_ABOUT.search(text, bounds[0], bounds[1])
            ) and self._title_asked_as_programme(
                text, current, chosen, segment(current)
            ):
                measure = ctx.title_measures.get(current.value)
                items[i] = replace(current, entity=MEASURE, value=measure) if measure else None
            elif (
                current.entity == "platforms"
                and is_question
                and current.value in ctx.platform_measures
                and not self._platform_held(text, current, segment(current))
                and not (current.value in _RATINGS and (
                    _UNIT_SUBJECT.search(text, segment(current)[0], current.start)
                    or not _MONEY_ASKED.search(text, *segment(current))))
            ):
                # "市技师工作站的政策介绍下", "评上市技师工作站给几万": the programme asked about; a rating
                # ("实训基地绩效优秀给多少钱") only in a money question with no unit holding it
                programme = replace(current, entity=MEASURE, value=ctx.platform_measures[current.value])
                if current.value in _RATINGS and (head := _RATED_UNIT_BEFORE.search(text[: current.start])):
                    programme = replace(programme, start=head.start())  # "企业公共实训基地绩效优秀"
                items[i] = programme
            elif (
                current.entity == "school_achievements"
                and is_question
                and current.value in ctx.school_achievement_measures
                and not self._platform_held(text, current, segment(current))
            ):
                # "全国技工教育集团试点能给多少": the programme asked about, not the school's own
                # ("假如学校评上…能给多少" is the school's, hypothetically).
                items[i] = replace(current, entity=MEASURE, value=ctx.school_achievement_measures[current.value])
            elif (
                current.entity in DATE_ENTITIES
                and text[current.start : current.end] == "今年"
                and (
                    re.match(r"\s*(?:还算|算不算|还能|还可以|还在|还是不是)|\s*(?:的)?(?:(?:申报|申请|报名|评选)"
                             r"(?:的)?)?(?:截止|什么时候|啥时候|哪天|几号|几月|时间)"
                             r"|\s*(?:的)?(?:招生|招多少|招不招|录取|分数线)", text[current.end : c_hi])
                    # "今年技能大赛啥时候报名": when something happens this year, asked (a year with
                    # no role only).
                    or (current.entity == YEAR and _WHEN_ASKED_AFTER.match(text, current.end, c_hi))
                )
            ):
                # "今年还算毕业五年内吗", "今年申报截止到啥时候", "今年招生…": now, not a date of the asker's
                items[i] = None
            elif current.entity == ASKER and re.search(
                r"(?:问|找|换|问问|联系|比|不如|让|叫|请|托|麻烦)(?:一下|下)?$",
                text[max(0, current.start - 3) : current.start]
            ):
                # "要问单位人事", "换个人咨询", "比我们厂人事清楚", "让单位人事帮忙办": someone else,
                # not the asker
                items[i] = None
            elif (
                current.entity == "self_evaluation_enterprise"
                and is_question
                and "自主评价的企业" in text[current.start : current.end]
                and not re.search(r"[我俺咱本]", text[segment(current)[0] : current.start])
            ):
                # "搞自主评价的企业 一年最多补多少": the measure for such firms is asked about.
                items[i] = replace(current, entity=MEASURE, value="self_evaluation_support")
            elif current.entity == "employer_type" and (
                re.match(r"\s*还是", text[current.end : c_hi])
                or re.search(r"还是\s*$", text[max(0, current.start - 3) : current.start])
                or any(o.entity in ("self_evaluation_enterprise", "platforms") and sentence(o) == bounds
                       for o in chosen)
            ):
                # "补给学生还是企业", "厂子没搞过自主评价", "厂里有个省技师工作站":
                # not the asker's job, the unit's own facts
                items[i] = None
            elif current.entity in ("employer_type", "school_type") and is_question and not (
                current.value == "not_employed" and not re.match(r"人员|的人|者", text[current.end : current.end + 2])
            ) and current.value != "individual_business" and not (
                # "研究生学历能领吗", "事业编能领吗": a kind of person, not an applicant unit
                re.match(r"\s*(?:学历|文凭|毕业生|出身)", text[current.end : c_hi])
                or text[current.start : current.end].endswith(("编", "编制"))
            ) and (
                # "假如学徒中途走了 企业还能领吗": the applicant opening its own part, whatever the
                # hypothesis of the part before.
                (re.fullmatch(r"\s*(?:那|那么)?", text[segment(current)[0] : current.start])
                 and _APPLICANT_ASKS.match(text, current.end))
                or not (
                    any(not _NOT_SITUATION.match(text, m.start())
                        for m in self._situation.finditer(text, c_lo, current.start))
                    or _HYPOTHETICAL.search(text, segment(current)[0], current.start)
                    or re.search(r"毕业(?!生)|出来的|上班|工作|就职|打工|干活|上的班", text[current.end : c_hi])
                    or _describes_people(text, current, chosen)
                    or _WHAT_IF_THAT.fullmatch(text, segment(current)[0], current.start)
                    or _EMPLOYER_ACTS.match(text, current.end, c_hi)
                    or _UNIT_KIND_BEFORE.search(text, segment(current)[0], current.start)
                )
            ):
                # "企业怎么报", "在岗职工培训补贴对企业有啥要求": the applicant of a general question
                # ("技校来的实习生", "25年进的厂", "若是进的事业单位呢", "那个体户呢": whose school or
                # employer, or a hypothesis, is kept; so is an employer acting on the speaker:
                # "厂里劳动合同到期不续了")
                items[i] = None
            elif current.entity == PLACE and (
                any(not _FIRM_AFTER.match(text, m.end())  # "旅游公司" is a workplace, not a trip
                    for m in self._unrelated_place.finditer(text, bounds[0], bounds[1]))
                or self._former_place.search(text, *segment(current))
                or _HOME_PLACE.search(text, max(0, current.start - 4), current.start)
                or (current.value == "老家" and re.match(r"(?:也|还)?(?:在|是)", text[current.end : c_hi]))
                or (current.value == "老家" and any(o.entity == PLACE and o.start == current.end for o in chosen))
                or _SCHOOL_AFTER_PLACE.match(text, current.end)
                or any(text.startswith(w, current.end) for w in ctx.policy_after_place)
                or _HOMETOWN_AFTER.match(text, current.end)
                or _EXAM_AFTER_PLACE.match(text, current.end)
                or (_COMPARED_BEFORE.search(text, c_lo, current.start) and _COMPARED_AFTER.match(text, current.end))
                or any(o.entity in _NAMED_AFTER_PLACE and o.start - current.end in (0, 1)
                       and text[current.end : o.start] in ("", "的") for o in chosen)
                or _office_after(text, current, c_lo)
                or (is_question and _COUNTS_AS_BEFORE.search(text, c_lo, current.start)
                    and any(o.entity == PLACE and o.value != current.value for o in chosen))
                or _planned_move(text, current, c_lo, bounds, chosen)
                or _FROM_BEFORE.search(text, c_lo, current.start)
            ):
                # weather, buses, where one studied or used to work, a hometown ("我是桓台人"),
                # where an exam was taken, a city compared with, a place in a title's name, an
                # office ("张店人社局"), a planned move ("想来淄博上班")
                items[i] = None
            elif (
                current.entity == MONEY
                and is_question
                and re.search(r"(?:那|这|的|是|给|补|发)(?:个)?\s*$", text[segment(current)[0] : current.start])
                and any(o.entity in (MEASURE, TITLE) and segment(current)[0] <= o.start and o.end <= current.start
                        for o in chosen)
                and not re.search(r"[我俺咱]", text[segment(current)[0] : current.start])
            ):
                items[i] = None  # "技能大师那两万块是一次给吗": the programme's figure asked about
            elif current.entity in (MONEY, *ctx.money_roles) and (
                _ASKED_FIGURE_BEFORE.search(text[max(0, current.start - 12) : current.start])
                or (is_question and _ALTERNATIVE_AFTER.match(text, current.end))
                # "奖励是一万吗": a figure offered for a yes or no
                or (is_question and re.search(r"是\s*$", text[max(0, current.start - 2) : current.start])
                    and _CONFIRM_AFTER.match(text, current.end))
                or (_OFFERED_PAYMENT_BEFORE.search(text, max(0, current.start - 4), current.start)
                    and _OFFERED_PAYMENT_AFTER.match(text, current.end))
                # "高级工能拿到三万不": a figure after 能拿到 in a yes-no question is asked about
                or (_CAN_GET_BEFORE.search(text, c_lo, current.start) and _YES_NO_AFTER.match(text, current.end))
            ):
                items[i] = None  # "封顶是不是五万", "是十万还是二十万": figures to be confirmed
            elif current.entity == "school_type" and re.match(
                r"(?:的)?(?:老师|教师|校长|班主任|辅导员|教职工|职工|员工)|教书|任教|当老师|当教师",
                text[current.end : c_hi],
            ):
                items[i] = None  # "我是技师学院的老师": where one teaches, not the school one graduated from
            elif (
                current.entity == ASKER
                and text.startswith("社", current.end)
                and text[current.start : current.end].endswith("个人")
            ):
                items[i] = None  # "给我个人社局的电话": 个 + 人社局
            elif (
                current.entity == ASKER
                and text[current.start : current.end] == "我自己"
                and not re.match(r"(?:来|想|就)?(?:问|咨询|了解|打听)|[\s，,。！!？?]|$|的情况",
                                 text[current.end : current.end + 3])
            ):
                items[i] = None  # "我自己开个店", "我自己能去办吗": doing something oneself, not who asks
            elif (
                current.entity == "full_time_job"
                and "签" not in text[current.start : current.end]
                and (re.match(r"(?:的)?(?:复印件|原件|扫描件|照片|材料)"
                              r"|\s*[^\s，,。！!？?；;]{0,4}?(?:要|得|需要)?(?:交|带|提供|上传)",
                              text[current.end : c_hi])
                     or re.search(r"(?:交|带|提供|上传|附上)(?:一下|一份|个)?$", text[c_lo : current.start]))
            ):
                items[i] = None  # "劳动合同交复印件行不行": a document to hand in
            elif current.entity == PLACE and (policy := self._other_policy(text, current, chosen)) is not None:
                # "青岛有没有技师补贴", "济南那边的技能补贴": another city's programme.
                items[i] = None
                if policy >= 0:
                    items[policy] = None
            elif current.entity == IN_ZIBO and (
                _FROM_ELSEWHERE_AFTER.match(text, current.end)
                or _FROM_BEFORE.search(text, c_lo, current.start)
                or _HOMETOWN_AFTER.match(text, current.end)
                or _HUKOU_AFTER.match(text, current.end)
                or _planned_move(text, current, c_lo, bounds, chosen)
            ):
                # "我是外地人", "外地户口", "打算去外地": where one is from or may go, not where one works
                items[i] = None
            elif (
                current.entity == "certificate_date"
                and any(o is not None and o.entity == TITLE and clause(o) == (c_lo, c_hi) for o in items)
                and not any(o is not None and o.entity == LEVEL and clause(o) == (c_lo, c_hi) for o in items)
            ):
                # "前年评上了首席技师": the year a title was won is `year` (annotation guide).
                items[i] = replace(current, entity=YEAR)
        # "在外地考的证 现在调到淄博工作了", "在上海干了好几年 现在回淄川了": a not-Zibo word (or a
        # place) before the current place is the past.
        for i, c in enumerate(chosen):
            if not ((c.entity == IN_ZIBO and c.value == "false") or c.entity == PLACE) or items[i] is None:
                continue
            marker = _NOW_MARKER if c.entity == IN_ZIBO else _NOW_MOVED_MARKER
            if any(o is not None and o.entity == PLACE and o.start >= c.end
                   and marker.search(text, c.end, o.start) for o in items):
                items[i] = None
        return [c for c in items if c is not None]

    def _title_asked_as_programme(
        self, text: str, title: _Candidate, chosen: list[_Candidate], segment: tuple[int, int]
    ) -> bool:
        """Whether a title in a question names its programme ("首席技师怎么报名", "评上技术技能大师给
        多少钱") rather than a title someone holds ("我是首席技师", "要是我评上首席技师呢") or the
        subject of a question about another programme ("高技能领军人才有哪些政治待遇")."""
        lo = segment[0]
        before = text[lo : title.start]
        holders = [m.group(0) for m in self._title_holder.finditer(before)]
        if holders:
            # Only a selection word ("评上", "入选") said of nobody in particular, as a condition.
            selection = [m for m in self._title_selection.finditer(before)]
            after_selection = selection[-1].end() + lo if selection else lo
            if (
                not selection
                or any(not self._title_selection.fullmatch(h) for h in holders)
                or _SOMEONE.search(before)
                or _SELECTED_DONE.search(before)
                or text.startswith("过", after_selection)
                # "选上了技术技能大师一共给多少": once selected, how much (a condition said of
                # nobody, its money asked in the same part) is the programme.
                or (text.startswith("了", after_selection) and not _MONEY_ASKED.search(text, title.end, segment[1]))
            ):
                return False
        if _hypothetical_holding(text, title, segment):
            return False  # "如果是首席技师呢": a title held hypothetically (what_if)
        if any(o.entity == "leader_hiring_mode" and lo <= o.start and o.end <= title.start for o in chosen):
            return False  # "新培养的省级高技能领军人才": the person hired or trained so holds the title
        own = self._ctx.title_measures.get(title.value)
        _, c_hi = _bounds(text, title, _CLAUSE_END)

        def programme(o: _Candidate) -> str | None:
            # a title after it asked about as its programme ("特级技师能进英才计划不") counts too
            if o.entity == MEASURE:
                return o.value
            return self._ctx.title_measures.get(o.value) if o.entity == TITLE else None

        return not any(
            (other := programme(o)) is not None
            and (other not in (own, "funding_rules")
                 # "特级技师说是优先纳入": its own programme named by another word; the title is the subject
                 or (other == own and o.entity == MEASURE and o.start > title.end))
            and title.end <= o.start < c_hi
            and not _LISTING.search(text, title.end, o.start)
            for o in chosen
        )

    def _platform_held(self, text: str, c: _Candidate, segment: tuple[int, int]) -> bool:
        """Whether a platform or school achievement is someone's (built, held, supposed):
        "我们建成了市技师工作站", "省级优质校建成了", "假如学校创成…". A selection word said of
        nobody is a question about the programme: "评上市技师工作站每家给几万"."""
        before = text[segment[0] : c.start]
        holders = list(self._platform_holder.finditer(before))
        if holders and (
            c.entity != "platforms"  # "评上省级优质校补助多少" is the school's (the sets' reading)
            or any(h.group(0) not in _SELECTION_HOLDERS for h in holders)
            or _SOMEONE.search(before)
            or _UNIT_SUBJECT.search(before)
            or _SELECTED_DONE.search(before)
            or text.startswith(("了", "过"), segment[0] + holders[-1].end())
        ):
            return True
        held = _HELD_AFTER.match(text, c.end)
        if held and _MONEY_RIGHT_AFTER.match(text, held.end()) and not _UNIT_SUBJECT.search(before):
            # "省技师工作站建成了给几万": once built, how much (the programme asked about)
            held = None
        return bool(held or _HELD_LATER.match(text, c.end) or _hypothetical_holding(text, c, segment))

    def _other_policy(self, text: str, place: _Candidate, chosen: list[_Candidate]) -> int | None:
        """Whether `place` names whose programme is asked about ("青岛有没有技师补贴"): None if
        not, else the index of that other city's measure right after it (-1 for none)."""
        m = _POLICY_FILLER.match(text, place.end)
        at = m.end() if m else place.end
        if at == place.end and not text.startswith(("的", "有"), at):
            return None  # "张店技师补贴" without a filler may name where the asker works
        if re.search(r"(?:在|到|来|去)\s*$", text[max(0, place.start - 2) : place.start]):
            return None  # "在淄博有啥补贴": where the asker is
        elsewhere = place.value not in self.vocabulary.places_in_zibo.values()
        for j, o in enumerate(chosen):
            if o.entity == MEASURE and o.start == at:
                return j if elsewhere else -1
        if _POLICY_WORD.match(text, at) or (at > place.end and _GROUP_POLICY.match(text, at)):
            return -1
        return None

    def _head_count_level(
        self,
        text: str,
        chosen: list[_Candidate],
        items: list[_Candidate | None],
        rule: HeadCountRule,
        i: int,
        sentence: tuple[int, int],
        clause: tuple[int, int],
        segment: tuple[int, int],
    ) -> tuple[int, tuple[int, int]] | None:
        """Whether count `i` is `rule`'s head count: None if not, else the index of the level
        word it consumes (-1 for none) and how near that word is (other part, distance)."""
        c = chosen[i]
        if rule.after:
            if not any(text.startswith(w, c.end) for w in rule.after):
                return None
        elif not any(w in text[sentence[0] : sentence[1]] for w in rule.cues) and not (
            rule.asker
            and text[max(0, c.start - 4) : c.start].endswith(rule.asker_before)
            and any(
                o is not None and o.entity == ASKER and o.value == rule.asker
                and sentence[0] <= o.start and o.end <= sentence[1]
                for o in items
            )
        ):
            return None
        if not rule.levels:
            return -1, (0, 0)
        best: tuple[int, int, int] | None = None
        for j, o in enumerate(chosen):
            current = items[j]
            if current is None or current.entity != LEVEL or current.value not in rule.levels:
                continue
            if not (clause[0] <= o.start and o.end <= clause[1]):
                continue
            distance = o.start - c.end if o.start >= c.end else c.start - o.end
            other_part = 0 if segment[0] <= o.start and o.end <= segment[1] else 1
            if best is None or (other_part, distance) < best[:2]:
                best = (other_part, distance, j)
        return None if best is None else (best[2], best[:2])


# ---------------------------------------------------------------- helpers


def _drop_plans(text: str, chosen: list[_Candidate], today: date) -> list[_Candidate]:
    """A date after `today` is a plan ("明年打算考", "下个月要去青岛"), not a fact, unless the
    sentence states it hypothetically ("要是我明年考上技师呢", "要是学校明年评上省级优质校":
    what_if facts carry their hypothetical value; a year without a role only when something is
    won in it) or the message is only that date (an answer)."""
    now = f"{today.year:04d}-{today.month:02d}"
    out: list[_Candidate] = []
    for c in chosen:
        if c.entity in DATE_ENTITIES and (c.value > now if len(c.value) > 4 else int(c.value) > today.year):
            sentence = _sentence_text(text, c)
            answer = not re.sub(r"[\s，,。.!！？?]|是|就|吧|呢|啊|嗯|呃|大概|应该", "", text[: c.start] + text[c.end :])
            if answer:
                pass
            elif c.entity == "graduation_date" and not _PLAN_BEFORE.search(text, max(0, c.start - 6), c.start):
                pass  # "在技师学院读预备技师班 明年6月毕业": a graduation to come is scheduled, not planned
            elif not _HYPOTHETICAL.search(sentence) or (
                c.entity == YEAR and not _WON_LATER.match(text, c.end)
            ):
                # a plan ("明年打算考"), or a move with no role ("要是明年跳到济南去"); a year a
                # title or platform is won in a hypothesis stays ("要是学校明年评上…": what_if)
                continue
        out.append(c)
    return out


def _alternation(words: Iterable[str]) -> re.Pattern[str]:
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered))


# "国家那边补助了200万": who paid, then a filler word, then the payment word.
_SOURCE_HEADS = ("国家", "中央")
_SOURCE_FILLER = r"(?:那边|这边|那头|那里|方面|层面)?"


def _source_alternation(words: Iterable[str]) -> re.Pattern[str]:
    """Like `_alternation`, but "国家补助" also matches "国家那边补助" (a filler after the payer)."""
    parts = []
    for word in sorted({w for w in words if w}, key=len, reverse=True):
        head = next((h for h in _SOURCE_HEADS if word.startswith(h) and len(word) > len(h)), None)
        parts.append(re.escape(head) + _SOURCE_FILLER + re.escape(word[len(head):]) if head else re.escape(word))
    return re.compile("|".join(parts))


def _sentence_text(text: str, c: _Candidate) -> str:
    lo, hi = c.start, c.end
    while lo > 0 and text[lo - 1] not in _SENTENCE_END:
        lo -= 1
    while hi < len(text) and text[hi] not in _SENTENCE_END:
        hi += 1
    return text[lo:hi]


def _bounds(text: str, c: _Candidate, stops: str) -> tuple[int, int]:
    lo, hi = c.start, c.end
    while lo > 0 and text[lo - 1] not in stops:
        lo -= 1
    while hi < len(text) and text[hi] not in stops:
        hi += 1
    return lo, hi


def _hypothetical_holding(text: str, c: _Candidate, segment: tuple[int, int]) -> bool:
    """"假如学校创成国家级优质校能给多少", "评上技术技能大师的话", "评上首席技师以后": `c` is held in a
    hypothesis or a supposed future (what_if facts carry their value). "如果想申请首席技师" is a
    hypothesis about applying, not holding."""
    lo, hi = segment
    markers = list(_HYPOTHETICAL.finditer(text, lo, c.start))
    marker = markers[-1] if markers else None
    if marker is not None and not _APPLYING.search(text, marker.end(), c.start):
        return True
    return bool(re.match(r"[^\s，,。！!？?；;]{0,3}?(?:的话|以后|之后)", text[c.end : hi]))


def _describes_people(text: str, unit: _Candidate, chosen: list[_Candidate]) -> bool:
    """"技校来的实习生", "新招了几个技工院校毕业生": `unit` is where the people named after it come
    from. "技工院校毕业生的生活补贴" / "技工院校毕业生同等待遇" name the group of a programme instead."""
    words = text[unit.start : unit.end]
    after = _PEOPLE_AFTER.match(text, unit.end)
    if not after and not words.endswith("毕业生"):
        return False
    end = after.end() if after else unit.end
    return not any(o.entity == MEASURE and o.start - end in (0, 1) and text[end : o.start] in ("", "的")
                   for o in chosen)


def _office_after(text: str, place: _Candidate, clause_start: int) -> bool:
    """"张店人社局的电话": the place names an office; "在张店区政府上班" still says where one works."""
    office = _OFFICE_AFTER.match(text, place.end)
    if not office:
        return False
    works_there = re.search(r"(?:在|到)\s*$", text[clause_start : place.start]) and _WORK_IN_OFFICE.match(
        text[office.end() :]
    )
    return not works_there


def _planned_move(
    text: str, c: _Candidate, clause_start: int, sentence: tuple[int, int], chosen: list[_Candidate]
) -> bool:
    """"我想来淄博上班", "打算去外地", "打算回临沂老家": an intended move (no fact), unless stated as a
    hypothesis ("要是我想来淄博呢" is what_if)."""
    start = c.start
    while (before := next((o for o in chosen if o.entity == PLACE and o.end == start), None)) is not None:
        start = before.start  # "回临沂老家": the place words after the verb go together
    return bool(
        _PLANNED_MOVE_BEFORE.search(text[clause_start:start])
        and not _HYPOTHETICAL.search(text, sentence[0], sentence[1])
    )


# A money question: how much is paid ("能拿多少补贴", "补助多少", "能补多少钱").
_MONEY_QUESTION = re.compile(
    r"(?:多少|几千|几万|几百)[^\s，,。！!？?；;]{0,2}(?:补贴|补助|钱|奖励|资金)"
    r"|(?:补贴|补助|奖励|资金)[^\s，,。！!？?；;]{0,3}(?:多少|几千|几万|几百)"
    r"|(?:补|给|奖|发)[^\s，,。！!？?；;]{0,2}多少钱"
    r"|(?:能|可以)(?:补|给|奖|拿|领)(?:个)?多少"
)


def _money_asked_elsewhere(
    text: str, measure: _Candidate, segment: tuple[int, int], sentence: tuple[int, int], chosen: list[_Candidate]
) -> bool:
    """"我们基地金蓝领考出来9个技师 能补多少钱", "公共实训做了300人 补助多少": a programme named in
    the statement part of a money question is the one whose money the rest of the sentence asks
    about (annotation guide), unless the question names it itself. Only a programme in a pure
    statement ("订单班毕业生来了11个") describes the count."""
    lo, hi = sentence
    for m in _MONEY_QUESTION.finditer(text, lo, hi):
        if segment[0] <= m.start() < segment[1]:
            continue
        # "…能申请公共实训补助不": the question names the programme itself.
        return not any(o.entity == MEASURE and o.value == measure.value and o is not measure
                       and not (segment[0] <= o.start < segment[1]) and lo <= o.start < hi for o in chosen)
    return False


# "我们建成了国家级技能大师工作室 建设资金…": ...unless the clause says the unit built it.
_BUILT_BEFORE = re.compile(r"有|建成|建了|创建|创成|获批|认定|评上|入选")


def _city_station_funds(text: str, chosen: list[_Candidate], platform_measures: dict[str, str]) -> list[_Candidate]:
    """"市级技师工作站建设资金": the station funds of 第8条 (山东省技师工作站) read after a city-level
    prefix are the city's station funds (第9条); the span takes in the prefix. A platform word
    followed by 建设资金 ("国家级技能大师工作室建设资金") names the programme paying for it
    (lexicon.yml `platform_measures`), unless the clause says the unit built it."""
    out: list[_Candidate] = []
    for c in chosen:
        funds = re.match(r"(?:的)?建设(?:发展)?资金", text[c.end :])
        if c.entity == "platforms" and c.value in platform_measures and funds and not _BUILT_BEFORE.search(
            text, _bounds(text, c, _CLAUSE_END)[0], c.start
        ):
            # "淄博市级技师工作站建设资金": the platform word won the tie with 技师工作站建设资金.
            out.append(replace(c, entity=MEASURE, value=platform_measures[c.value], end=c.end + funds.end()))
            continue
        prefix = _CITY_STATION_PREFIX.search(text[max(0, c.start - 4) : c.start])
        if c.entity == MEASURE and c.value == "skill_platform_construction_funds" and text.startswith(
            "技师工作站", c.start
        ) and prefix:
            start = c.start - len(prefix.group(0))
            # "淄博市" read as a place is part of the station's name.
            if any(o.start < c.start and o.end > start and o.start < start for o in chosen):
                out.append(c)
                continue
            out = [o for o in out if not (start <= o.start and o.end <= c.start)]
            c = replace(c, value="city_technician_station_funds", start=start)
        out.append(c)
    return out


def _programme_phrase_candidates(text: str) -> list[_Candidate]:
    """Measures named by a phrase rather than a word: "市级平台绩效评估", "柔性引进的薪酬补贴"."""
    out: list[_Candidate] = []
    for pattern, value in (
        (_PLATFORM_EVALUATION_RE, "city_platform_excellence_award"),
        (_FLEXIBLE_PROGRAMME_RE, "flexible_leader_salary_subsidy"),
    ):
        for m in pattern.finditer(text):
            out.append(_Candidate(m.start(), m.end(), MEASURE, value, priority=0))
    return out


def _correction_count_candidates(text: str) -> list[_Candidate]:
    """"那个数字错了 应该是15": a bare number given in a correction is a count, when its sentence
    names no amount, date or article (those have their own readings)."""
    out: list[_Candidate] = []
    for m in _CORRECTED_NUMBER_RE.finditer(text):
        c = _Candidate(m.start("num"), m.end("num"), COUNT, "")
        lo, hi = _bounds(text, c, _SENTENCE_END)
        rest = text[lo : c.start] + text[c.end : hi]
        if not _CORRECTION_WORD.search(text, lo, hi) or _NOT_A_COUNT_SENTENCE.search(rest):
            continue
        if re.fullmatch(r"(?:19|20)\d{2}", m.group("num")):
            continue  # a year
        number = to_number(m.group("num"))
        if number is None or not number.is_integer() or number < 1:
            continue
        out.append(replace(c, value=as_int_string(number), priority=3))
    return out


# "从柔性引进改成全职引进", "由兼职转为全职": the value changed from (after 从 / 由) gives way to the
# value changed to.
_CHANGED_FROM_BEFORE = re.compile(r"[从由]\s*$")
_CHANGED_TO = re.compile(r"\s*(?:的)?(?:改成|改为|换成|变成|转成|转为|调成|调整为|调整成)(?:了)?\s*")


def _changed_from(text: str, c: _Candidate, chosen: list[_Candidate]) -> bool:
    if not _CHANGED_FROM_BEFORE.search(text, max(0, c.start - 2), c.start):
        return False
    to = _CHANGED_TO.match(text, c.end)
    if to is None:
        return False
    return any(o.start == to.end() and _family(o.entity) == _family(c.entity) for o in chosen)


def _family(entity: str) -> str:
    return "date" if entity in DATE_ENTITIES else entity


def _build_nlp(vocabulary: Vocabulary) -> Language:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    ruler.add_patterns(  # type: ignore[attr-defined]
        [{"label": t.entity, "pattern": t.text, "id": t.value} for t in vocabulary.terms]
    )
    return nlp


def _resolve_overlaps(candidates: list[_Candidate]) -> list[_Candidate]:
    taken: list[_Candidate] = []
    occupied = bytearray(max((c.end for c in candidates), default=0))
    for c in sorted(candidates, key=lambda c: (-c.length, c.priority, c.start)):
        if any(occupied[c.start : c.end]):
            continue
        occupied[c.start : c.end] = b"\x01" * c.length
        taken.append(c)
    return sorted(taken, key=lambda c: c.start)


def _clause_bounds(text: str, c: _Candidate, inside: bytearray) -> tuple[int, int]:
    """The clause around `c`: up to punctuation that is not part of a mention."""

    def is_break(i: int) -> bool:
        return text[i] in _CLAUSE_END and not inside[i]

    lo = c.start
    while lo > 0 and not is_break(lo - 1):
        lo -= 1
    hi = c.end
    while hi < len(text) and not is_break(hi):
        hi += 1
    return lo, hi


def _space_segment(text: str, c: _Candidate, lo: int, hi: int) -> tuple[int, int]:
    """The part of the clause lo..hi around `c` between spaces ("我高级工证 23年技校毕业")."""
    cut = text.rfind(" ", lo, c.start)
    end = text.find(" ", c.end, hi)
    return (cut + 1 if cut >= 0 else lo), (end if end >= 0 else hi)


def _month(text: str | None) -> int | None:
    if not text:
        return None
    number = to_number(text)
    return int(number) if number and 1 <= number <= 12 else None


def _date_candidates(text: str, today: date) -> list[_Candidate]:
    out: list[_Candidate] = []
    for m in _DATE_RE.finditer(text):
        g = m.groupdict()
        year: int | None = None
        month = _month(next((g[n] for n in _MONTH_NAMES if g[n]), None))
        if g["y4"]:
            year = int(g["y4"])
        elif g["ycn4"]:
            year = int(digit_string(g["ycn4"]))
        elif g["ycnbare"]:
            if not re.fullmatch(r"[\s，,。.!！]*(?:(?:嗯|呃|额|那个|就是|是|就|应该是|大概)[\s，,]*)*",
                                text[: m.start()]) or not re.fullmatch(r"(?:年|的|吧|啊|呢|[\s，,。.!！])*",
                                                                       text[m.end():]):
                continue  # "二〇二四" alone (an answer) is a year; inside a sentence it may be anything
            year = int(digit_string(g["ycnbare"]))
        elif g["y2"] or g["ycn2"]:
            if _DURATION_BEFORE.search(text[max(0, m.start() - 3) : m.start()]):
                continue
            yy = int(g["y2"] or digit_string(g["ycn2"]))
            year = 2000 + yy if yy <= today.year % 100 + 5 else 1900 + yy
        elif g["rel"]:
            offset = {"大前年": -3, "前年": -2, "去年": -1, "今年": 0, "明年": 1, "后年": 2}
            year = today.year + offset[g["rel"]]
        elif g["ago"]:
            ago = to_number(g["ago"])
            if ago is None:
                continue
            year = today.year - int(ago)
        elif g["later"]:
            later = to_number(g["later"])
            if later is None:
                continue
            year = today.year + int(later)
        elif g["mrel"]:
            shift = {"上上个月": -2, "上上月": -2, "上个月": -1, "上月": -1, "这个月": 0, "本月": 0, "下个月": 1,
                     "下下个月": 2}[g["mrel"]]
            index = today.year * 12 + today.month - 1 + shift
            year, month = divmod(index, 12)
            month += 1
        if year is None or not 1950 <= year <= today.year + 10:
            continue
        if g["y4"] and not month and not m.group(0).endswith("年"):
            # A bare four-digit number is a year only next to a date word.
            after = text[m.end() : m.end() + 3]
            if not re.match(r"\s*(?:届|毕业|入职|进厂|上班|考|取得|拿|的|,|，|。|$)", after):
                continue
        value = f"{year:04d}-{month:02d}" if month else f"{year:04d}"
        out.append(_Candidate(m.start(), m.end(), YEAR, value))
    return out


def _money_candidates(text: str) -> list[_Candidate]:
    out: list[_Candidate] = []
    for m in _MONEY_RE.finditer(text):
        unit, yuan = m.group("unit"), m.group("yuan")
        num_text = m.group("num")
        if (
            not unit
            and not yuan
            and not re.fullmatch(r".*[一二两三四五六七八九十].*万", num_text)
            and not (re.search(r"(?:领过|领了|发了|补了|给了|补过|发过)\s*$", text[max(0, m.start() - 3) : m.start()])
                     and re.fullmatch(r"\d{3,}", num_text))
        ):
            continue  # a bare number is not an amount; "三十万" and "领过1500" are
        if unit and not yuan and re.match(r"[人名个次字步]", text[m.end() : m.end() + 1]):
            continue
        if yuan == "块" and re.match(r"[市省国金银铜牌地]|奖(?![励金])", text[m.end() : m.end() + 2]):
            continue  # "一块市赛铜牌": a classifier, not yuan
        if yuan == "块" and not unit and num_text == "一" and _one_kuai_is_no_money(text, m.start(), m.end()):
            continue  # "几个部门一块发的", "在一块儿办": together, not one yuan
        if text[max(0, m.start() - 1) : m.start()] == "几" or text.startswith("几", m.end("num")):
            continue  # "几十万", "十几万": a vague amount is no figure
        number = to_number(num_text.replace("点", "."))
        if number is None and "点" in num_text:
            whole, _, frac = num_text.partition("点")
            w = to_number(whole)
            number = None if w is None else float(f"{int(w)}.{digit_string(frac)}")
        if number is None:
            continue
        factor = {"万": 10000, "w": 10000, "W": 10000, "千": 1000, "k": 1000, "K": 1000}
        number *= factor.get(unit or "", 1)
        end = m.start() + len(m.group(0).rstrip())  # "300万 市里…": not the space after it
        out.append(_Candidate(m.start(), end, "money", as_int_string(number), priority=0))
    return out


# "一块" / "一块儿" is also "together" ("部门一块发的", "在一块办", "一块儿去申请"); a bare "一块"
# is one yuan only with a money word right before it ("补一块", "差一块", "多给了一块").
_TOGETHER_AFTER = re.compile(
    r"儿|\s*(?:去|来|发|办|申请|申报|享受|领|报|干|做|搞|弄|走|住|算|评|考|学|上|出|用|交|给|能|可以|一共|总共)"
)
_MONEY_BEFORE_ONE = re.compile(r"(?:补|给|发|领|多|少|差|涨|加|扣|花|值|只|才|就|了|到|剩)\s*$")


def _one_kuai_is_no_money(text: str, start: int, end: int) -> bool:
    """Whether the "一块" at start..end (no 钱, no unit) is "together" or has no money word before it."""
    if text[max(0, start - 1) : start] == "在" or _TOGETHER_AFTER.match(text, end):
        return True
    return not _MONEY_BEFORE_ONE.search(text[max(0, start - 3) : start])


# "高级技师今年有仨", "新来了俩", "就俩": 仨 / 俩 are a number with its classifier, counted after a
# verb of having or coming (not "咱俩", "俩人能一起领不": the speaker and others; not "俩钱").
_SA_LIA_RE = re.compile(
    r"(?<=有|了|就|共|是|招|来|进|只|才|剩|还)(?P<num>仨|俩)(?=人|\s|$|[，,。！!？?；;]|了|呢|吧|啊|都|也)"
)
_SA_LIA = {"仨": "3", "俩": "2"}
_BARE_HEADCOUNT_RE = re.compile(
    r"人数(?:是|为|有|到|达到|达|不对|错了|写错了)?[\s，,]*(?:是|应该是|到|有)?\s*"
    r"(?P<num>\d+|[一二两三四五六七八九十百千][零一二两三四五六七八九十百千]*)(?![\d年月号万元块])"
)


# "我是技校毕业生": a kind of person said of oneself; "每个毕业生给企业补多少": a group asked about.
_SPEAKER_WORDS = re.compile(r"我|俺|本人|个人|自己")
_SELF_DESCRIPTION_BEFORE = re.compile(r"(?:我|俺|本人)(?:就|也|还)?(?:是|算|属于)[^，,。？?！!；;\s]{0,14}$")


# "刚才多说了一级", "差一级": a step between levels, not the level 一级 (高级技师).
_STEP_BEFORE = re.compile(r"(?:多说了|说多了|多写了|多了|高了|低了|差了|差|少了|升了|降了|提了|跳了|高|低)\s*$")


def _a_step_not_a_level(text: str, c: _Candidate) -> bool:
    return c.entity == LEVEL and text[c.start : c.end] in ("一级", "两级", "二级") and bool(
        _STEP_BEFORE.search(text, max(0, c.start - 3), c.start)
    )


def _names_people_not_the_asker(text: str, c: _Candidate, question: re.Pattern[str]) -> bool:
    """An asker word naming a kind of person (毕业生, 劳动者, 技术工人) in a question is the asker
    only where the speaker says it of themselves ("我是技校毕业生 能领啥"); otherwise it names the
    people the question is about. A statement or a bare answer ("2020届毕业生") describes the
    speaker."""
    if c.entity != "asker" or c.value != "person" or _SPEAKER_WORDS.search(text, c.start, c.end):
        return False
    return bool(question.search(text)) and not _SELF_DESCRIPTION_BEFORE.search(text, 0, c.start)


_SEASON_AFTER = re.compile(
    r"(?:的)?(?:春天|夏天|秋天|冬天|春季|夏季|秋季|冬季|开春|年初|年中|年底|年末|上半年|下半年|暑假|寒假)"
)
_MEASURE_WORDS = ("补贴", "补助", "津贴", "奖金", "奖励", "经费", "资金", "计划")
_MEASURE_WORD_AFTER = re.compile("|".join(_MEASURE_WORDS))
_EMPLOYER_HEAD_WORDS = frozenset({"公司", "合作社", "厂", "工厂", "企业"})
_FIRM_AFTER = re.compile(r"(?:公司|集团|企业|厂|社|局|中心)")
_STATE_GRANT_AFTER = re.compile(r"\s*(?:的)?(?:补助资金|支持资金|补助经费|建设资金|补助)")
_STATE_GRANTOR = re.compile(r"国家|中央|省(?!外)")


def _name_start(text: str, head: int, limit: int, stop: Iterable[str], taken: bytearray) -> int:
    """Where a name ending in a head word (公司, 学院) starts: up to `limit` Chinese characters
    to the left of `head`, none in `stop`, none inside another mention."""
    start = head
    while (
        head - start < limit
        and start > 0
        and "\u4e00" <= text[start - 1] <= "\u9fff"
        and text[start - 1] not in stop
        and not taken[start - 1]
    ):
        start -= 1
    return start


def _space_between(text: str, c: _Candidate, s: int, e: int) -> bool:
    """Whether a pause (whitespace) separates the mention `c` from the span s..e."""
    lo, hi = (c.end, s) if s >= c.end else (e, c.start)
    return any(ch.isspace() for ch in text[lo:hi])


# The words around a level or a number that the annotation guide keeps out of the span.
_LEVEL_CERTIFICATE_SUFFIX = re.compile(r"(?:的)?(?:证书|证)$")
_LEADING_NUMBER = re.compile(rf"\d+|{CN_NUMBER}")
_ASKER_PRONOUN_BEFORE = re.compile(r"(?:我们|俺们|咱们|咱|我)$")


def _guide_span(text: str, c: _Candidate) -> _Candidate:
    """The span the annotation guide gives a mention (docs/nlu-annotation.md): a level is the
    level word without 证/证书 ("[技师]证"; 没证 keeps its 证), a head count is the number only
    ("[5]名"). Values are unchanged; only the span is narrowed."""
    if c.entity == LEVEL and c.value != "none":
        m = _LEVEL_CERTIFICATE_SUFFIX.search(text, c.start, c.end)
        if m and m.start() > c.start:
            return replace(c, end=m.start())
    elif c.entity == "asker" and c.value != "person":
        # "我们培训基地": the unit phrase with its 我们 / 俺们 / 咱.
        m = _ASKER_PRONOUN_BEFORE.search(text, max(0, c.start - 2), c.start)
        if m and not text.startswith(m.group(0), c.start):
            return replace(c, start=m.start())
    elif c.entity == COUNT or c.entity.endswith("_count"):
        m = _LEADING_NUMBER.match(text, c.start, c.end)
        if m and m.end() < c.end:
            return replace(c, end=m.end())
    return c


def _count_candidates(text: str) -> list[_Candidate]:
    out: list[_Candidate] = []
    # "实训人数到3000", "人数不对 是九百": a bare number given for a head count.
    for m in _BARE_HEADCOUNT_RE.finditer(text):
        number = to_number(m.group("num"))
        if number is not None and number.is_integer():
            out.append(_Candidate(m.start("num"), m.end("num"), "count", as_int_string(number), priority=0))
    for m in _COUNT_RE.finditer(text):
        if m.group("num") == "一" and (
            m.group("cls") in ("个人", "人") or re.search(r"(?:是|为|当)$", text[: m.start()])
        ):
            continue  # "一个人" is "alone", "我是一名技师" is not a head count
        if m.group("num") == "一" and m.group("cls") == "个" and re.search(
            r"[给要来找问加留发换](?:我|俺|咱|我们|俺们)?$", text[: m.start()]
        ):
            continue  # "联系方式给一个", "号码发我一个": one thing asked for
        number = to_number(m.group("num"))
        if number is None or not number.is_integer():
            continue
        out.append(_Candidate(m.start(), m.end(), "count", as_int_string(number), priority=0))
    for m in _SA_LIA_RE.finditer(text):
        out.append(_Candidate(m.start(), m.end(), "count", _SA_LIA[m.group("num")], priority=0))
    return out


# A head count said as a lower bound: a number, then 来 / 多 / 余, then its classifier.
_APPROXIMATE_COUNT = re.compile(r"(?:\d|[一二两三四五六七八九十百千])\s*[来多余]\s*(?:名|位|个|人)")

# "高级技师有3名", "技师今年一共有俩": a level, then the number of people holding it; the count
# ends its part ("我是技师有3个徒弟" counts apprentices).
_COUNTED_AFTER_LEVEL = re.compile(
    r"(?:的|证的)?(?:人)?(?:今年|去年|现在|目前)?(?:一共|总共|共|也|都|还)?(?:有|是|来了|招了|达到)?"
)
_COUNT_ENDS_PART = re.compile(r"\s|$|[，,。！!？?；;]|了|呢|吧|啊|能|可以|怎么|咋|都|也|该|要|左右")


def _level_counted(text: str, count: _Candidate, level: _Candidate) -> bool:
    """Whether `level` is the level of the people `count` counts: right after the count's
    classifier ("12个高级技师", "3名技师"), or before the count with only 有 / 是 / a period
    between ("高级技师有仨")."""
    if level.start == count.end:
        return text[count.end - 1] in "个名位"
    return level.end <= count.start and bool(
        _COUNTED_AFTER_LEVEL.fullmatch(text, level.end, count.start)
        and _COUNT_ENDS_PART.match(text, count.end)
    )


def _article_candidates(text: str) -> list[_Candidate]:
    out: list[_Candidate] = []
    for m in _ARTICLE_RE.finditer(text):
        number = to_number(m.group("num") or m.group("bare") or m.group("cnbare"))
        if number is None or not 1 <= number <= 99:
            continue
        out.append(_Candidate(m.start(), m.end(), "article", as_int_string(number), priority=0))
    return out


def _award_candidates(text: str) -> list[_Candidate]:
    """Medals paired with the nearest competition level before them; class ranks."""
    out: list[_Candidate] = []
    levels = [(m.start(), m.end(), m.lastgroup) for m in _LEVEL_RE.finditer(text)]
    used_levels: set[int] = set()
    for medal in _MEDAL_RE.finditer(text):
        best = None
        for index, (s, e, level) in enumerate(levels):
            if e <= medal.start() and _AWARD_GAP.match(text[e : medal.start()]):
                best = (index, s, level)
        if best is None:
            continue
        index, s, level = best
        start = medal.start() if index in used_levels else s
        used_levels.add(index)
        value = f"{level}_{medal.lastgroup}"
        out.append(_Candidate(start, medal.end(), "award", value, priority=0))
    for klass in _CLASS_RE.finditer(text):
        for rank in _RANK_RE.finditer(text, klass.end()):
            gap = text[klass.end() : rank.start()]
            if not _AWARD_GAP.match(gap) or _CLASS_RE.search(gap):
                break  # "一类赛 是二类赛第一": the rank is the nearer class's
            word = _RANK_WORD[str(rank.lastgroup)]
            cls = "class1" if klass.lastgroup == "class1" else "class2"
            if cls == "class2" and word != "first":
                break  # only the first place of a class-2 final is rewarded
            start = klass.start()
            # "市级一类竞赛" belongs to the award too.
            prefix = re.search(r"(?:淄博)?(?:市级|市|全市)$", text[max(0, start - 4) : start])
            if prefix:
                start -= len(prefix.group(0))
            out.append(_Candidate(start, rank.end(), "award", f"city_{cls}_{word}", priority=0))
            break
    return out


# "从淄博技师学院毕业": the city in a school's name is not where the person works.
_SCHOOL_AFTER_PLACE = re.compile(
    r"(?:市|区|县)?[^\s，,。！!？?；;]{0,4}?(?:技师学院|技工学校|技工院校|职业学院|职业技术学院|技校|大学|学院)"
)
# "公司给职工报…", "单位为员工申请…": a firm acting for its staff.
_FOR_STAFF = re.compile(r"(?:公司|企业|单位|厂里|厂子|我们厂)(?:统一)?(?:给|为|帮|替)(?:职工|员工|工人|工友)")
# "封顶是不是五万", "到底是十万还是二十万": amounts offered for confirmation in a question.
# ("配套是不是就一百五十万": a filler adverb or a paying verb may stand between.)
_ASKED_FIGURE_BEFORE = re.compile(
    r"(?:是不是|是否|是[^，,。？?\s]{0,8}还是)(?:就|也|还|只|都|才|得)?(?:有|给|补|发|能给|能补|能拿|能领)?\s*$"
    # "他能拿那100万不": a figure pointed at; "会不会超5万": a limit asked about
    r"|(?:拿|领|要|给|发|补)(?:到)?(?:那|这)(?:笔|个)?\s*$|(?:会不会|会|能不能|是否|有没有|可能)(?:超|超过|超出|达到|到)\s*$"
    # "第一条那一百万是给单位还是给个人": a figure pointed at opens the question
    r"|(?:^|[\s，,的条])(?:那|这)(?:笔|个)?\s*$"
)
_ALTERNATIVE_AFTER = re.compile(r"\s*还是")
_CONFIRM_AFTER = re.compile(r"\s*(?:吗|么|嘛|不|对吗|对不对|没错吧)")  # not 呢: "假如是100万呢" supposes
# "大师工作室是给30万吧", "是补五千吧": what a programme pays, offered for confirmation ("年薪是30万吧"
# without the paying verb is a hedged statement of one's own).
_OFFERED_PAYMENT_BEFORE = re.compile(r"是(?:给|补|发|奖|补贴|补助|奖励)\s*$")
_OFFERED_PAYMENT_AFTER = re.compile(r"\s*(?:吧|吗|么|嘛|不|对吗|对不对|没错吧)")
# "有个员工拿了…", "徒弟拿了…": someone in the unit, named before what they won.
_STAFF_BEFORE = re.compile(r"员工|职工|工人|徒弟|师傅|同事|技工|选手|学生|老师")
# "我们基地", "咱学校", "替学校问问": an asker word said by the unit itself.
_ASKER_PRONOUN = re.compile(r"我|俺|咱|本|代表")
_ASKER_PRONOUN_NEAR = re.compile(r"(?:我们|俺们|咱们|咱|我|本|替|帮|代|是)\s*$")
# "外地来的技师": where people came from, not where they work.
_FROM_ELSEWHERE_AFTER = re.compile(r"(?:调|招|引进)?(?:过)?来的|(?:调|招|引进)?(?:过)?来(?:淄博|咱这|这边|我们这)")
# "从外地引进高级技师", "是从济南调过来的": 从 (由) before a place names where people came from.
_FROM_BEFORE = re.compile(r"[从由]\s*$")
# "我想了解一下英才计划", "打听打听首席技师": asking about something without a question word.
_ASKING_ABOUT = re.compile(r"了解|打听|问问|问一下|问下|咨询")
# "能拿到三万不", "可以领到5000吗": a figure offered in a yes-no question.
_CAN_GET_BEFORE = re.compile(r"(?:能|可以|能不能|可不可以|够|会)(?:拿|领|补|给|发|有|到手)(?:到|上|个)?\s*$")
_YES_NO_AFTER = re.compile(r"\s*(?:钱|块钱)?(?:吧)?\s*(?:吗|不|么|嘛|没|没有|不能|不\?|呀)\s*(?:[?？。！!]|$)")
# "合同到期", "到底", "到时候", "在岗职工": 到 / 在 that says nothing about where one works.
# ("柔性引进的…": a unit hired someone, nobody joined a firm.)
_NOT_SITUATION = re.compile(r"到(?:期|底|时|手|点|账|位)|在岗|(?<=引)进的")
# "技校来的实习生", "新招的技工院校毕业生", "职业学院出来的学生": a school (employer) describing the
# people asked about is theirs, also in a question or an organization's sentence.
_PEOPLE_AFTER = re.compile(
    r"(?:的)?(?:过来的|出来的|来的|毕业生|实习生|学生|学徒|毕业的|雇的|招的|聘的)|生(?![活产意])"
    r"|的(?:职工|员工|工人|技工|师傅)"
)
# "企业还能拿吗", "公司也可以申请不": the unit asks whether it may apply.
_APPLICANT_ASKS = re.compile(r"\s*(?:还|也|都)?(?:能|可以|能不能|可不可以)(?:拿|领|申请|申报|报|享受)")
# "公司是私企", "单位属于国企": the kind of the speaker's employer stated.
_UNIT_KIND_BEFORE = re.compile(r"(?:公司|单位|厂子|厂里|东家)(?:是|属于|算是)(?:个|一家|一个)?\s*$")
# "公司合同到期不续签", "厂里把我辞退了": the speaker's employer acting on the speaker.
_EMPLOYER_ACTS = re.compile(
    r"[^\s，,。！!？?；;]{0,8}?(?:不续签|不续了|不续约|没续签|不给续|辞退|裁员|开除|解除合同|解除劳动合同|拖欠|欠薪|欠工资"
    r"|倒闭|破产|不给交|不给缴|没给交|没给缴|不交社保|不缴社保)"
)
# "那个体户呢", "那要是国企呢": a value put in place of the current one (what_if).
_WHAT_IF_THAT = re.compile(r"\s*(?:那|那要是|那如果|那假如|那换成|要换成)(?:是|在)?")
# "算不算", "是不是", "有没有", "够不够" right before a word: the word is asked about.
_A_NOT_A_BEFORE = re.compile(r"(?:(?<![要若])是不是|算不算|有没有|够不够|是否)(?:是|在|属于|个|的)?$")
# "我刚才说成企业了", "上面打成2019了": the value typed by mistake.
_MISTYPED_BEFORE = re.compile(r"(?:说成|打成|写成|填成|输成|记成)(?:了)?$")
# Words that make a future date hypothetical ("要是我明年考上技师呢"); a future date without
# them is a plan ("明年打算考"), not a fact.
_HYPOTHETICAL = re.compile(r"如果|要是|假如|假设|假若|倘若|万一|若是|若(?!干)|等到|等我|的话|换成|比如")
_PLAN_BEFORE = re.compile(r"打算|准备|计划|想|争取|希望")
# "明年评上省级优质校", "后年能拿到国赛金牌": a year something is won in (see `_drop_plans`).
_WON_LATER = re.compile(
    r"[^\s，,。！!？?；;]{0,3}?(?:评上|评为|获批|建成|创成|入选|认定|拿到|获得|得了|拿了|搞成|办成|建起|拿下)"
)
# "如果想申请首席技师": a hypothesis about applying, not about holding what follows.
_APPLYING = re.compile(r"申请|申报|报名|参评|评选|参加|想|打算|准备|怎么|咋|如何")
# Someone named as the holder before a title or award ("我评上…", "俺儿子拿了…").
_SOMEONE = re.compile(
    r"[我俺他她咱]|本人|孩子|儿子|女儿|闺女|老公|媳妇|爱人|老婆|丈夫|妻子|徒弟|师傅|员工|职工|同事|朋友|亲戚"
)
# "评上了首席技师", "已经评为技术技能大师": the selection happened (someone's title), it is no
# question about the programme.
_SELECTED_DONE = re.compile(r"已经|已|曾经|曾")
# "高技能领军人才和首席技师津贴": two programmes listed, not a title as a programme's subject.
_LISTING = re.compile(r"和|跟|与|及|、|或|还是|同|加上|以及|,|，")
# "市级技师工作站建设资金": the 第8条 words after a city-level station prefix are 第9条's.
_CITY_STATION_PREFIX = re.compile(r"(?:淄博(?:市级|市)?|全市|市级|市)$")
# "市级平台绩效评估多久搞一次": the evaluation of the city's platforms (第9条) asked about; a
# platform's evaluation rated 优秀 is the platform fact (city_platform_excellent).
_PLATFORM_EVALUATION_RE = re.compile(
    r"(?:(?:(?:淄博)?市级?(?:技能人才)?平台|(?:淄博)?市级?技师工作站)(?:的)?(?:项目)?(?:运行)?(?:绩效评估|绩效考核|评估)"
    r"|平台(?:的)?(?:项目)?(?:运行)?(?:绩效评估|绩效考核))"  # a bare 平台 ("这个平台评估一下") only with 绩效
    # a rating right after it is the platform's ("绩效评估优秀"); "评估评上优秀能奖多少" asks about the award
    r"(?!(?:结果)?(?:是|为|也是|都是|得了|获得|被评为)?优秀)"
)
# "…绩效评估评上优秀了", "我们平台绩效评估评上优秀": the rating held (see `_apply_context`).
_RATED_AFTER = re.compile(r"(?:结果)?(?:评上|评为|拿到|拿了|得了|评了|获得|达到)(?:了)?优秀(?P<done>了|啦)?")
# "柔性引进补贴", "柔性引进的薪酬补贴", "柔性引才政策": the measure named with its programme word
# (bare 柔性引进 is the hiring mode).
_FLEXIBLE_PROGRAMME_RE = re.compile(
    r"柔性引[进才](?:的)?(?:高技能领军人才|领军人才|人才)?(?:的)?(?:薪酬补贴|薪酬补助|薪酬|补贴|补助|资金|奖励|政策)"
)
# "那个数字错了 应该是15", "改成20": a bare number given in a correction is a head count (a
# year, an amount, an article or a date have their own patterns; see `_correction_count_candidates`).
_CORRECTED_NUMBER_RE = re.compile(
    r"(?:应该是|应为|(?<![不还])是|改成|改为)\s*(?P<num>\d{1,4}|[一二两三四五六七八九十百千][零一二两三四五六七八九十百千]*)"
    r"(?=\s*(?:个|人|名|位)?\s*(?:吧|啊|呢|哈|了)?\s*(?:[，,。.！!；;]|$))"
)
# "三千块打错了": only a pause or 是/的/了 between a figure and the correction word after it.
_SAID_WRONG_AFTER = re.compile(
    r"\s*(?:这个|那个|这|那)?(?:是|就是|也是|都是)?(?:错的|错了|错啦|说错了|写错了|打错了|填错了|不对)(?![吗吧么嘛呀口劲称头])"
)
_RIGHT_BEFORE_CORRECTION = re.compile(r"[\s，,]*(?:是|的|也|都)?[\s，,]*")
_CORRECTION_WORD = re.compile(r"错了|错啦|不对|更正|纠正|改成|改为|改一下|改下|说错|打错|写错|记错|搞错|应该是|应为")
_NOT_A_COUNT_SENTENCE = re.compile(
    r"钱|元|块|万|千|年薪|工资|补贴|补助|奖金|金额|资金|年份|日期|时间|哪年|几月|号|第|条|岁"
)
# "高级工没考过", "技师证还没考下来", "技师还没考": a level tried and not passed, or not yet tried.
_FAILED_AFTER = re.compile(
    r"(?:证|证书)?\s*(?:还|也|都|更)?(?:没有|没|未)(?:考过|考上|考下来|考下|考成|考试过|过|通过|拿到|拿下|考(?!试|核|虑))"
)
# "之前是高级工", "本来是中级工": a level held before (dropped beside the one held now).
_EARLIER_LEVEL_BEFORE = re.compile(r"(?:之前|以前|原来|本来|原先|过去|早先)(?:是|考的|拿的|考了|拿了|有)?(?:个|一个)?$")
# "打算明年报技师", "准备考个高级工": a level planned ("想问下考技师…" asks, it plans nothing).
_PLANNED_EXAM_BEFORE = re.compile(
    r"(?:打算|准备|计划|想要|想)(?!问|咨询|了解|打听|知道)[^\s，,。！!？?；;]{0,4}?"
    r"(?:报考|报名|去考|去报|考|报|冲)(?:个|一个|一下)?$"
)
# A platform's rating (not a platform built): its programme only in a money question.
_RATINGS = ("city_platform_excellent", "training_base_excellent")
_MONEY_ASKED = re.compile(r"多少|几万|几千|奖多|给多|补多|能奖|能补|能给")
# "企业公共实训基地绩效优秀": the programme's name takes in the unit words before the rating.
_RATED_UNIT_BEFORE = re.compile(r"(?:企业)?公共$")
# "我们学校…", "咱基地…", "学校…": a unit before a platform as its holder.
_UNIT_SUBJECT = re.compile(r"(?:我们|俺们|咱们|咱|我司)|本(?:单位|公司|企业|厂|学校|学院|基地)"
                           r"|(?:单位|公司|企业|厂里|学校|学院|基地)(?:的)?(?:去年|今年|前年)?$")
# Selection words that may be said of nobody ("评上市技师工作站给几万": the programme).
_SELECTION_HOLDERS = frozenset({"评上", "入选", "获评", "评为", "认定"})
# "省级优质校建成了", "技师工作站获批了": built or approved, said after the word.
_HELD_AFTER = re.compile(r"\s*(?:已经|已|都|也)?(?:建成|获批|创成|评上|认定|批下来|批了|建好)(?:了|啦)")
# "建成了给几万": a money question right after it, no pause between.
_MONEY_RIGHT_AFTER = re.compile(r"[^\s，,。！!？?；;]{0,4}?(?:多少|几万|几千|几百)")
# "齐鲁技能大师特色工作站我们去年刚建成": the unit, a time or 刚/已经 before the building word.
_HELD_LATER = re.compile(
    r"\s*(?:(?:我们|俺们|咱们|咱|我司|本单位|学校|公司|企业|厂里|单位|基地)(?:也|都)?\s*"
    r"(?:(?:大前年|前年|去年|今年|\d{2,4}年|上半年|下半年|年初)\s*)?(?:已经|已|刚刚|刚|才|早就|早|就)?"
    r"|(?:(?:大前年|前年|去年|今年|\d{2,4}年)\s*)?(?:已经|已|刚刚|刚|早就|早))"
    r"(?:建成|获批|创成|评上|认定|批下来|批了|建好|挂牌|通过验收|建起来)"
)
# "省赛铜牌跟市赛金牌两个", "首席技师和技能大师这两个": things listed, then counted with a bare 个.
_LISTED_THINGS = ("award", TITLE, "platforms", "school_achievements", MEASURE)
_SUMMED_GAP = re.compile(r"\s*(?:这|那|一共|总共|共|各|都)?(?:拿过|拿了|得过|得了|获得过|获得|拿到过|拿到|拿)?")
# "不是二十万": the denied one of two alternatives.
_DENIED_BEFORE = re.compile(r"不是\s*$")
# "在外地考的证 现在调到淄博工作了": words that mark the place after them as the current one.
_NOW_MARKER = re.compile(r"现在|目前|如今|今年|才回|回到|回了|回来|调到|调回|后来|又回")
# ...a place before another one is the past only after a move ("现在回淄川了"; not "今年…在博山住").
_NOW_MOVED_MARKER = re.compile(r"现在|目前|如今|才回|回到|回了|回来|调到|调回|后来|又回")
# "已经开展自主评价好几年了", "厂子没搞过自主评价": what the organization does, not the measure.
_SELF_EVALUATION_RE = re.compile(
    r"(?<!怎么|如何|想要|准备|打算|可以)(?<![咋想要能])"
    r"(?P<neg>从来没有|从没|还没有|还没|没有|没|未|不)?(?:已经|一直|也|都|早就|早已)?"
    r"(?:开展|搞|做|实行|推行|实施|在搞|在做)(?:了|过)?(?:企业)?自主评价(?!的企业|补贴|经费|的(?:经费|补贴|补助|资金|钱))"
)

# "每年选几个人", "是一次给还是年年给": questions without a question word of the lexicon.
# ("每家给几万", "够不够格评…", "中不中": an amount or an A-not-A asked.)
_QUESTION_EXTRA = re.compile(
    r"(?<![好这那])几(?:个|名|位|回|次|批|家|十|百|千|万)|是[^，,。？?\s]{0,8}还是"
    r"|够不够|行不行|可不可以|中不中|能否|可否"
    # "是给30万吧": a payment offered for confirmation
    r"|是(?:给|补|发|奖)[^\s，,。！!？?；;]{1,8}吧"
)

# "我是桓台人", "外地人": where the person is from ("桓台人社局" is an office).
_HOMETOWN_AFTER = re.compile(r"人(?![社才员力民事口数家])")
# "证是在淄博考的": where an exam was taken.
_EXAM_AFTER_PLACE = re.compile(r"(?:那边|这边|那里|这里)?(?:考的|考了|考过|考取|考下|考证|鉴定的|拿的证|取的证)")
# "我在文昌湖上班 这算在淄博工作吗": the place asked about when another is stated.
_COUNTS_AS_BEFORE = re.compile(r"(?:算|算是|属于|算不算|属不属于)(?:在)?$")
# "跟淄博一样吗": a city compared with.
_COMPARED_BEFORE = re.compile(r"(?:跟|和|与|同|比)\s*$")
_COMPARED_AFTER = re.compile(r"(?:的)?(?:一样|比|差不多|相比|不一样|有区别|有啥区别|有什么区别)")
# "淄博市有突出贡献的技师": the place is part of a title's or prize's name.
_NAMED_AFTER_PLACE = ("talent_title", "award", "platforms", "school_achievements")
# "济南那边的技能补贴", "青岛有没有技师补贴": a city's own programme asked about.
# ("淄博这个政策", "淄博的这些补贴": a demonstrative between.)
_POLICY_FILLER = re.compile(
    r"(?:那边|这边|那儿|这儿|那里|这里|当地)?(?:的)?(?:这个|这项|这些|这条|那个|那些|这套)?"
    r"(?:的|有没有|有什么|有啥|有哪些|有)?"
)
# ...also with several qualifiers ("济南的技能人才补贴"), but no verb between ("淄博的技师有啥补贴"
# asks about technicians there).
# ("青岛有没有类似的补贴": a kind word before it.)
_POLICY_WORD = re.compile(
    r"(?:(?:类似|相关|同样|一样|这样|这种|这类|别的|其他|高技能|技能|人才|技师|技工|生活|一次性|培训|就业|毕业生|大学生"
    r"|人才引进|引进|落户|安家)(?:的)?){0,3}"
    r"(?:补贴|补助|政策|待遇|奖励)"
)
# "烟台的技能人才有什么政策": a city's programmes for a group of workers in general (not a level:
# "淄博的技师有啥补贴" asks about technicians there).
_GROUP_POLICY = re.compile(
    r"(?:高技能人才|技能人才|高技能|人才|技术工人|技工)(?:都|能|可以)?(?:有没有|有什么|有啥|有哪些|有|享受|能享受|拿)"
    r"(?:啥|什么|哪些)?(?:的)?(?:补贴|补助|政策|待遇|奖励)"
)
# "张店人社局的电话", "淄博市人社局在哪": an office named by its place, not where anyone works.
_OFFICE_AFTER = re.compile(
    r"(?:区|县|市)?(?:的)?(?:人社局|人社部门|人社|人力资源|人力社保|社保局|社保中心|劳动局|就业局|就业服务|"
    r"政务服务|政务中心|政务大厅|市民中心|管委会|政府)"
)
# "在张店区政府上班": ...unless someone works in that office.
_WORK_IN_OFFICE = re.compile(r"^[^\s，,。！!？?；;]{0,8}?(?:上班|工作|干活|打工|任职|就职)")
# "我想来淄博上班", "打算明年去青岛": a move intended or planned is no fact (annotation guide:
# plans are not annotated); "想问下来淄博工作的…" asks about others.
_PLANNED_MOVE_BEFORE = re.compile(
    r"(?<!没)(?:想要|想|打算|准备|计划|考虑|希望)(?:(?!问|咨询|了解|打听|知道)[^\s，,。！!？?；;]){0,4}?"
    r"(?:来|去|到|回|调到|调去|调回|搬到|搬去|跳到|跳槽到)(?:咱们|咱)?$"
)

# "外地户口", "外省口音": where one is from (no in_zibo).
_HUKOU_AFTER = re.compile(r"(?:的)?(?:户口|户籍|口音)")
# "户口在淄博", "老家是博山": not where the person works ("外地户口在淄博干活": the hukou is
# described; the 在 is where one works).
_HOME_PLACE = re.compile(
    r"(?:(?<!外地)(?<!外省)(?<!省外)(?<!市外)(?<!本地)(?<!农村)(?<!城镇)(?:户口|户籍)|籍贯|老家|(?<![一大国])家)"
    r"(?:也)?(?:在|是|住在|住)?$"
)

_EXTRA_PATTERNS = (
    # "本人咨询", "我是个人": the asker speaks for themselves.
    # ("要本人去吗", "换个人咨询" are not.)
    # ("学生本人", "职工本人", "孩子本人": that person, not the speaker.)
    (re.compile(r"(?<![要得须生工员子弟儿他她])本人(?![去到亲签]|来办|来领|到场)"
                r"|(?<![我们换别另一这那])个人(?=咨询|来问|想问|身份)|(?<=我是)个人(?![才所的])"), ASKER, "person"),
    # "在博山的一家陶瓷厂上班", "一个机械厂", "来的这个厂": a firm, maybe named by its trade.
    (re.compile(r"(?<=一家|一个|这个|那个|这家|那家)[\u4e00-\u9fff]{0,5}?(?:厂|公司|企业)(?![长房])"),
     "employer_type", "enterprise"),
    # "在一家酒店掌勺", "这家饭店的厨师": a hotel or restaurant counted as a firm (a bare "酒店" the sets
    # leave unread; "开了一家饭店" is the speaker's own business, no firm).
    (re.compile(r"(?<=一家|这家|那家)(?<!开一家)(?<!开了一家)(?<!开的一家)(?<!开这家)(?<!开的这家)"
                r"[\u4e00-\u9fff]{0,3}?(?:酒店|饭店|宾馆|餐馆|饭馆)"),
     "employer_type", "enterprise"),
    # "去年进的厂", "进了厂", "进厂那年", "入厂是…": joined a factory.
    (re.compile(r"(?:(?<=进的|来的|进了|到了|入的)|(?<=[进入]))厂(?![长房])"), "employer_type", "enterprise"),
)


# "替学校问问", "帮公司咨询": asking on the unit's behalf (the unit word is the asker, not a
# school or employer of the person's own).
_ON_BEHALF = "(?=(?:来|过来)?(?:问|咨询|打听|了解))"
_ON_BEHALF_PATTERNS = (
    # "我们铝材厂", "俺们物流公司": a firm named by its trade after 我们 (the lexicon has 我们厂).
    (re.compile(r"(?:我们|俺们|咱们)[^\W\d_的在个家这那是里去到进了有和跟与也都还就村县区镇市]{1,4}?(?:厂|公司)(?![长房里区])"),
     ASKER, "enterprise"),
    (re.compile(rf"(?<=[替帮代])(?:学校|学院|技校){_ON_BEHALF}"), ASKER, "school"),
    (re.compile(rf"(?<=[替帮代])(?:单位|公司|企业|厂里){_ON_BEHALF}"), ASKER, "enterprise"),
    (re.compile(rf"(?<=[替帮代])(?:基地|培训机构){_ON_BEHALF}"), ASKER, "training_base"),
    # "我是学校负责招生的老师": a school's staff speaking for it.
    (re.compile(r"(?<=我是)(?:学校|我们学校|咱学校)(?=(?:的|里)?[^\s，,。！!？?；;]{0,8}?(?:老师|负责人|主任|校长|领导|工作人员))"),
     ASKER, "school"),
)


# A workplace named by its trade ("药厂", "纺织厂", "汽修厂", "石化厂"): the trade is the one to
# four characters before 厂 that are no function word and no other mention ("周村纺织厂").
_TRADE_STOP = set("的在个家这那是里去到进了我俺咱们他她你您一二两三四五六七八九十几某该本此各大小老新和与跟及或啥哪")
# The span of an employer word takes in its trade ("新材料公司"): 新 may start a trade name there.
_WIDEN_STOP = _TRADE_STOP - {"新"}
# A school's proper name before its head word ("淄博市技师学院"); not the words of a sentence.
_SCHOOL_HEAD_WORDS = ("学院", "学校", "大学")
_SCHOOL_NAME_STOP = _TRADE_STOP | set("从读念上考于自毕就由和跟与所哪啥什么")
_SCHOOL_NAME_PLACES = ("山东", "齐鲁", "鲁中", "中国", "全国")
# ...counts only where someone works there: 在/到/进… before it in the clause, or a work verb after.
_AT_WORKPLACE_BEFORE = re.compile(r"在|到|进|去|来|一家|一个")
_WORK_AFTER = re.compile(
    r"\s*(?:我|俺)?(?:上班|工作|干|做|当|倒班|打工|上的班|上着班|的工人|的职工|的员工|操作工"
    r"|的[\u4e00-\u9fff]{1,3}(?:工|员|师傅)(?![资作钱]))"  # "轴承厂的装配工"
)


def _trade_employer_candidates(text: str, candidates: list[_Candidate]) -> list[_Candidate]:
    taken = bytearray(len(text) + 1)
    for c in candidates:
        if c.entity != "employer_type":  # "化工厂" is longer than the 工厂 inside it
            taken[c.start : c.end] = b"\x01" * c.length
    out: list[_Candidate] = []
    for m in re.finditer(r"厂(?![长房里子区])", text):
        start = m.start()
        while (
            m.start() - start < 4  # "汽车玻璃厂"
            and start > 0
            and "\u4e00" <= text[start - 1] <= "\u9fff"
            and text[start - 1] not in _TRADE_STOP
            and not taken[start - 1]
        ):
            start -= 1
        if start == m.start():
            continue
        lo = start
        while lo > 0 and text[lo - 1] not in _CLAUSE_END:
            lo -= 1
        # "淄川 机械厂 全职": a workplace given alone as one part of a listed answer.
        alone = (start == 0 or text[start - 1] in " \t") and (m.end() == len(text) or text[m.end()] in " \t")
        if alone or _AT_WORKPLACE_BEFORE.search(text, lo, start) or _WORK_AFTER.match(text, m.end()):
            out.append(_Candidate(start, m.end(), "employer_type", "enterprise", priority=2))
    return out


def _extra_candidates(text: str) -> list[_Candidate]:
    out: list[_Candidate] = []
    for pattern, entity, value in _EXTRA_PATTERNS:
        for m in pattern.finditer(text):
            out.append(_Candidate(m.start(), m.end(), entity, value, priority=2))
    for pattern, entity, value in _ON_BEHALF_PATTERNS:
        for m in pattern.finditer(text):
            out.append(_Candidate(m.start(), m.end(), entity, value, priority=0))
    return out


def _self_evaluation_candidates(text: str) -> list[_Candidate]:
    return [
        _Candidate(m.start(), m.end(), "self_evaluation_enterprise", "false" if m.group("neg") else "true", priority=0)
        for m in _SELF_EVALUATION_RE.finditer(text)
    ]


@lru_cache(maxsize=1)
def person_facts() -> frozenset[str]:
    """Entities of facts only a person has (facts.yml audience [person]), plus the NLU's own."""
    import yaml

    with FACTS_PATH.open(encoding="utf-8") as handle:
        facts = yaml.safe_load(handle)["facts"]
    names = {name for name, spec in facts.items() if spec.get("audience") == ["person"]}
    names |= {"talent_title", "award"} if "talent_titles" in names else set()
    return frozenset(names)


@lru_cache(maxsize=1)
def default_extractor() -> FactExtractor:
    return FactExtractor()
