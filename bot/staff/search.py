"""Free-text search over the 26 articles for hotline staff.

Each article is split into sentences; every sentence is a BM25 document made of its
own jieba tokens plus the article's title and the names of the measures it states, so
a sentence is found by the words of the whole measure. An article scores as its best
sentence, and that sentence is the snippet. Query words that are synonyms in the facts
vocabulary (``knowledge/facts.yml``) also search for the other names of the same value,
at a lower weight: 三级 finds 高级工, 国赛 finds 全国技能大赛.

    >>> index = search_index()
    >>> index.search("全国技能大赛银牌奖励多少")[0].article
    22
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import jieba
from rank_bm25 import BM25Okapi

from bot.rules import Knowledge, knowledge

MAX_QUERY_CHARS = 200
"""Longer input is refused by the API (a caller's question is one sentence)."""

EXPANSION_WEIGHT = 0.5
"""Weight of a synonym found through the vocabulary, relative to a word the caller said."""

# Words that carry no policy meaning in a caller's question. BM25's idf already
# discounts common words; these are dropped so they cannot match at all.
_STOPWORD_TEXT = """
    的 了 吗 呢 吧 啊 呀 么 嘛 哦 我 我们 你 您 你们 他 她 他们 咱 咱们 自己 这 那 这个 那个 这些 是 在 有
    没有 能 能不能 可以 可不可以 会 要 想 还 就 都 也 又 再 和 与 或 或者 及 跟 给 对 把 被 多少 多少钱 几
    什么 怎么 怎么样 怎样 如何 哪 哪些 哪个 哪里 谁 为什么 是否 是不是 请问 问 一下 知道 咨询 了解 一个 个
    现在 已经 如果 的话 然后 因为 所以 但是 需要 情况 问题 啥 咋
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_SENTENCE_END = re.compile(r"(?<=[。；！？!?;])")
_HEADING = re.compile(r"^\s*\d+\s*[.．、]")
_AMOUNT = re.compile(r"(?:最高)?\d+(?:\.\d+)?(?:万元|元|%)")
_WORD = re.compile(r"[\w]", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    """One article found for a query, best sentence first."""

    article: int
    title: str
    snippet: str
    score: float  # relative to the best hit of the query: the best is 1.0
    raw_score: float  # BM25, for comparing queries and tuning
    highlights: tuple[tuple[int, int], ...]  # [start, end) spans of matched words in snippet
    amounts: tuple[str, ...]  # money and percentages stated in the snippet

    @property
    def citation(self) -> str:
        return f"第{self.article}条"

    def to_dict(self) -> dict[str, object]:
        return {
            "article": self.article,
            "citation": self.citation,
            "title": self.title,
            "snippet": self.snippet,
            "score": self.score,
            "highlights": [list(span) for span in self.highlights],
            "amounts": list(self.amounts),
        }


@dataclass(frozen=True)
class _Sentence:
    article: int
    text: str


def normalize(text: str) -> str:
    """Full-width digits and letters to half-width, lower case (NFKC)."""
    return unicodedata.normalize("NFKC", text).lower()


def split_sentences(article_text: str) -> list[str]:
    """The sentences of an article, without its numbered heading ("22.完善获奖选手奖励机制。")."""
    parts = [p.strip() for p in _SENTENCE_END.split(article_text) if p.strip()]
    if parts and _HEADING.match(parts[0]):
        parts = parts[1:]
    return parts


def _label_words(label: str) -> list[str]:
    # "高级工（三级）" -> ["高级工", "三级"]; "企业（用人单位）" -> ["企业", "用人单位"]
    return [w for w in re.split(r"[（）()、，,“”\s]+", label) if len(w) >= 2]


class SearchIndex:
    """The BM25 index over the sentences of every article, built once."""

    def __init__(self, kb: Knowledge) -> None:
        self._titles = {n: a.title for n, a in kb.articles.items()}
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.initialize()
        self._synonyms = self._load_vocabulary(kb)

        self._sentences: list[_Sentence] = []
        documents: list[list[str]] = []
        for number, article in kb.articles.items():
            context = self.tokens(article.title)
            for sentence in split_sentences(article.text):
                names = [m.name for m in article.measures if any(_overlaps(q, sentence) for q in m.source)]
                self._sentences.append(_Sentence(number, sentence))
                documents.append(self.tokens(sentence) + context + self.tokens(" ".join(names)))
        self._bm25 = BM25Okapi(documents)
        self._vocabulary = {t for doc in documents for t in doc}

    def _load_vocabulary(self, kb: Knowledge) -> dict[str, frozenset[str]]:
        """Teach jieba the policy's terms; return word -> the other names of its value."""
        groups: list[set[str]] = []
        for fact in kb.facts.values():
            for value in fact.values.values():
                names = {normalize(s) for s in value.synonyms} | {normalize(w) for w in _label_words(value.label)}
                groups.append(names)
        terms: set[str] = set().union(*groups)
        for measure in kb.measures.values():
            terms.update(normalize(w) for w in _label_words(measure.name))
        for article in kb.articles.values():
            terms.update(normalize(w) for w in _label_words(article.title))
        for term in terms:
            # A high frequency keeps the term whole; cut_for_search still yields its parts.
            self._tokenizer.add_word(term, freq=50_000)
        synonyms: dict[str, set[str]] = {}
        for names in groups:
            for name in names:
                synonyms.setdefault(name, set()).update(names - {name})
        return {word: frozenset(others) for word, others in synonyms.items()}

    def tokens(self, text: str) -> list[str]:
        """Search tokens of ``text``: jieba's words and the dictionary words inside them
        (技工院校毕业生生活补贴 also gives 技工院校, 毕业生, 补贴), without stopwords and punctuation."""
        return [
            t
            for t in (w.strip() for w in self._words(normalize(text)))
            if t and t not in STOPWORDS and _WORD.search(t) and (len(t) > 1 or t.isdigit())
        ]

    def _words(self, text: str) -> Iterator[str]:
        # Like jieba's cut_for_search, which only looks for words of 2 and 3 characters
        # inside a long one; the policy's names need every length.
        freq = self._tokenizer.FREQ
        for word in self._tokenizer.cut(text):
            for length in range(2, len(word)):
                for start in range(len(word) - length + 1):
                    if freq.get(word[start : start + length]):
                        yield word[start : start + length]
            yield word

    def query_terms(self, query: str) -> dict[str, float]:
        """Weighted terms of a query: its own tokens (1.0) and their vocabulary synonyms."""
        terms: dict[str, float] = {}
        for token in self.tokens(query):
            terms[token] = 1.0
        known = [t for t in terms if t in self._synonyms]
        for token in known:
            # The longest vocabulary term wins: 省赛铜牌 expands to the bronze medal's
            # names, not also to 省赛's other meaning (hosting the provincial contest).
            if any(token != longer and token in longer for longer in known):
                continue
            for synonym in self._synonyms[token]:
                for expanded in self.tokens(synonym):
                    if expanded in self._vocabulary and expanded not in terms:
                        terms[expanded] = EXPANSION_WEIGHT
        return terms

    def search(self, query: str, k: int = 5) -> list[Hit]:
        """The ``k`` best articles for ``query``, best first; [] when nothing matches."""
        terms = self.query_terms(query[:MAX_QUERY_CHARS])
        if not terms or k < 1:
            return []
        scores = [0.0] * len(self._sentences)
        for term, weight in terms.items():
            for i, s in enumerate(self._bm25.get_scores([term])):
                scores[i] += weight * float(s)
        best: dict[int, int] = {}  # article -> index of its best sentence
        for i, sentence in enumerate(self._sentences):
            if scores[i] > 0 and (sentence.article not in best or scores[i] > scores[best[sentence.article]]):
                best[sentence.article] = i
        ranked = sorted(best.items(), key=lambda item: (-scores[item[1]], item[0]))[:k]
        if not ranked:
            return []
        top = scores[ranked[0][1]]
        return [
            Hit(
                article=article,
                title=self._titles[article],
                snippet=self._sentences[i].text,
                score=round(scores[i] / top, 3),
                raw_score=round(scores[i], 3),
                highlights=tuple(_spans(self._sentences[i].text, terms)),
                amounts=tuple(dict.fromkeys(_AMOUNT.findall(self._sentences[i].text))),
            )
            for article, i in ranked
        ]


def _overlaps(quote: str, sentence: str) -> bool:
    quote, sentence = quote.strip("。；， "), sentence.strip("。；， ")
    return bool(quote) and (quote in sentence or sentence in quote)


def _spans(text: str, terms: Iterable[str]) -> Iterator[tuple[int, int]]:
    """Merged [start, end) spans where any of ``terms`` occurs in ``text``."""
    lowered = normalize(text)
    if len(lowered) != len(text):  # NFKC changed the length: offsets would not line up
        lowered = text.lower()
    marks = [False] * len(text)
    for term in terms:
        start = lowered.find(term)
        while start != -1:
            for j in range(start, start + len(term)):
                marks[j] = True
            start = lowered.find(term, start + 1)
    opened: int | None = None
    for j, marked in enumerate([*marks, False]):
        if marked and opened is None:
            opened = j
        elif not marked and opened is not None:
            yield (opened, j)
            opened = None


@lru_cache(maxsize=1)
def search_index() -> SearchIndex:
    """The process-wide index over ``knowledge()``, built on first use (about a second)."""
    return SearchIndex(knowledge())
