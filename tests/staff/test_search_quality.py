"""The staff search finds the article a hotline caller's question is about.

The questions and their articles are in search_questions.yml; the thresholds are the
issue's: the right article first for at least 90%, among the first three for 98%.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest
import yaml

from bot.rules import knowledge
from bot.staff.search import SearchIndex, search_index, split_sentences

QUESTIONS = yaml.safe_load((Path(__file__).parent / "search_questions.yml").read_text(encoding="utf-8"))["questions"]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return search_index()


def test_there_are_at_least_40_questions_over_most_articles() -> None:
    assert len(QUESTIONS) >= 40
    assert len({q["q"] for q in QUESTIONS}) == len(QUESTIONS)
    assert len({q["article"] for q in QUESTIONS}) >= 24


def test_the_right_article_comes_first_for_90_percent_and_in_the_top_3_for_98(index: SearchIndex) -> None:
    ranks = {}
    for question in QUESTIONS:
        articles = [hit.article for hit in index.search(question["q"], 5)]
        ranks[question["q"]] = (question["article"], articles)
    top1 = sum(articles[:1] == [expected] for expected, articles in ranks.values()) / len(ranks)
    top3 = sum(expected in articles[:3] for expected, articles in ranks.values()) / len(ranks)
    misses = "\n".join(f"  {q}: expected {e}, got {a}" for q, (e, a) in ranks.items() if a[:1] != [e])
    assert top1 >= 0.90, f"top-1 {top1:.0%}\n{misses}"
    assert top3 >= 0.98, f"top-3 {top3:.0%}\n{misses}"


def test_the_snippet_is_a_sentence_of_the_article_with_its_amounts(index: SearchIndex) -> None:
    hit = index.search("全国技能大赛银牌奖励多少")[0]

    assert hit.article == 22 and hit.title == "完善获奖选手奖励机制" and hit.score == 1.0
    assert hit.snippet in split_sentences(knowledge().articles[22].text)
    assert "8万元" in hit.amounts
    marked = [hit.snippet[start:end] for start, end in hit.highlights]
    assert "全国技能大赛" in marked and "银牌" in marked


def test_vocabulary_synonyms_find_the_policy_words(index: SearchIndex) -> None:
    # 三级 is how callers say 高级工; 国赛 is the 全国技能大赛; 技校 is a 技工院校.
    assert index.query_terms("三级")["高级工"] < 1.0
    assert any(term.startswith("全国技能大赛") for term in index.query_terms("国赛金牌"))
    assert index.search("技校毕业三级证每月补贴")[0].article == 4


def test_policy_terms_stay_whole_words(index: SearchIndex) -> None:
    # A measure name is one token, and the vocabulary's words inside it are tokens too.
    tokens = index.tokens("技工院校毕业生生活补贴，三级工")
    assert {"技工院校毕业生生活补贴", "技工院校", "毕业生", "补贴", "三级工"} <= set(tokens)


def test_scores_are_relative_and_descending(index: SearchIndex) -> None:
    hits = index.search("技师补贴", 10)
    assert hits[0].score == 1.0
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len({h.article for h in hits}) == len(hits)


@pytest.mark.parametrize("query", ["", "   ", "！？。，", "😀😀", "\x00\x01", "的了吗", "x" * 5000])
def test_nothing_to_search_gives_no_hits(index: SearchIndex, query: str) -> None:
    assert index.search(query) == [] or query.startswith("x")


def test_an_answer_takes_well_under_50_ms(index: SearchIndex) -> None:
    timings = []
    for question in QUESTIONS:
        start = time.perf_counter()
        index.search(question["q"], 5)
        timings.append(time.perf_counter() - start)
    assert statistics.median(timings) < 0.010
    assert max(timings) < 0.050
