"""Each pattern family of the fact extractor, as a hotline worker would hear it.

Dates are resolved as of 2026-11-25.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.nlu.extract import default_extractor
from bot.nlu.normalise import normalise_text
from bot.nlu.vocabulary import load_vocabulary

TODAY = date(2026, 11, 25)
DATES = ("graduation_date", "employment_start_date", "certificate_date", "year")


def facts(text: str) -> list[tuple[str, str]]:
    found = default_extractor().extract(normalise_text(text), TODAY)
    return [(e.entity, e.value) for e in found if e.entity != "in_zibo"]


def entity(text: str, name: str) -> list[str]:
    return [e.value for e in default_extractor().extract(normalise_text(text), TODAY)
            if e.entity == name]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("我是初级工", "junior"),
        ("考了个五级", "junior"),
        ("有中级工证", "intermediate"),
        ("四级证书", "intermediate"),
        ("去年考了个三级", "senior"),
        ("职业技能等级证书三级", "senior"),
        ("我有高级工证", "senior"),
        ("预备技师", "preparatory_technician"),
        ("考了个技师", "technician"),
        ("二级技师", "technician"),
        ("我是高级技师", "senior_technician"),
        ("一级", "senior_technician"),
        ("还没有证书", "none"),
    ],
)
def test_certificate_levels(text: str, level: str) -> None:
    assert entity(text, "certificate_level") == [level]


@pytest.mark.parametrize(
    "text", ["英语四级过了", "我在技师工作站", "计算机二级", "技师学院毕业", "首席技师"]
)
def test_words_containing_a_level_are_not_levels(text: str) -> None:
    assert entity(text, "certificate_level") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年毕业", [("graduation_date", "2024")]),
        ("24年毕业的", [("graduation_date", "2024")]),
        ("二〇二四年毕业", [("graduation_date", "2024")]),
        ("二零二二年入职", [("employment_start_date", "2022")]),
        ("去年毕业", [("graduation_date", "2025")]),
        ("前年进的厂", [("employment_start_date", "2024"), ("employer_type", "enterprise")]),
        ("三年前毕业的", [("graduation_date", "2023")]),
        ("两年前考的证", [("certificate_date", "2024")]),
        ("2021年6月毕业", [("graduation_date", "2021-06")]),
        ("2022.8入职", [("employment_start_date", "2022-08")]),
        ("今年七月份毕业", [("graduation_date", "2026-07")]),
        ("上个月刚入职", [("employment_start_date", "2026-10")]),
        ("2020届毕业生", [("graduation_date", "2020"), ("asker", "person")]),
        # A future date stated as a plan is no fact (see test_planned_dates_are_not_facts).
        ("明年考技师", [("certificate_level", "technician")]),
        ("就2019年", [("year", "2019")]),
    ],
)
def test_years_and_their_roles(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


def test_each_year_takes_the_nearest_cue() -> None:
    assert facts("2018年毕业2020年入职") == [
        ("graduation_date", "2018"),
        ("employment_start_date", "2020"),
    ]
    assert facts("19年毕业，21年考的技师，22年来淄博工作") == [
        ("graduation_date", "2019"),
        ("certificate_date", "2021"),
        ("certificate_level", "technician"),
        ("employment_start_date", "2022"),
        ("place", "淄博"),
    ]


@pytest.mark.parametrize(
    "text", ["干了15年", "工作10年了", "我今年25岁", "5000元", "2000块", "3个月"]
)
def test_durations_ages_and_amounts_are_not_years(text: str) -> None:
    assert [f for f in facts(text) if f[0].endswith("date") or f[0] == "year"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019年，哦不对，2023年", [("year", "2023")]),
        ("二〇二三年毕业，哦不对，二〇二二年", [("graduation_date", "2022")]),
        ("2019年毕业，说错了，是2020年", [("graduation_date", "2020")]),
        ("不是2019年毕业的，是2020年", [("graduation_date", "2020")]),
        ("三级，不对，四级", [("certificate_level", "intermediate")]),
        ("不是张店，是临淄", [("place", "临淄")]),
        ("我不是技工院校毕业的，是职业学院", [("school_type", "vocational_college")]),
    ],
)
def test_self_corrections_keep_only_the_correction(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "school"),
    [
        ("技工院校", "technical_school"),
        ("技师学院毕业", "technical_school"),
        ("去年技校毕业的", "technical_school"),
        ("高级技工学校", "technical_school"),
        ("职业学院", "vocational_college"),
        ("大专", "vocational_college"),
        ("本科毕业", "university"),
        ("大学", "university"),
        ("中专", "secondary_vocational"),
    ],
)
def test_school_types(text: str, school: str) -> None:
    assert entity(text, "school_type") == [school]


@pytest.mark.parametrize(
    ("text", "study"),
    [("全日制", "true"), ("非全日制", "false"), ("不是全日制的", "false"), ("函授的", "false")],
)
def test_study_mode(text: str, study: str) -> None:
    assert entity(text, "full_time_study") == [study]


@pytest.mark.parametrize(
    ("text", "employer"),
    [
        ("在一家公司上班", "enterprise"),
        ("工厂里", "enterprise"),
        ("我是个体户", "individual_business"),
        ("个体工商户", "individual_business"),
        ("在张店一个合作社干活", "new_agricultural_entity"),
        ("家庭农场", "new_agricultural_entity"),
        ("新型农业经营主体", "new_agricultural_entity"),
        ("事业单位", "public_institution"),
        ("在机关工作", "government"),
        ("没工作", "not_employed"),
    ],
)
def test_employers(text: str, employer: str) -> None:
    assert entity(text, "employer_type") == [employer]


@pytest.mark.parametrize(
    ("text", "job"),
    [("全职", "true"), ("签了劳动合同", "true"), ("兼职", "false"), ("没签劳动合同", "false")],
)
def test_full_time_job(text: str, job: str) -> None:
    assert entity(text, "full_time_job") == [job]


@pytest.mark.parametrize(
    ("text", "place", "in_zibo"),
    [
        ("淄博", "淄博", "true"),
        ("淄博市", "淄博", "true"),
        ("张店区", "张店", "true"),
        ("淄川", "淄川", "true"),
        ("博山", "博山", "true"),
        ("临淄", "临淄", "true"),
        ("周村", "周村", "true"),
        ("桓台县", "桓台", "true"),
        ("高青", "高青", "true"),
        ("沂源", "沂源", "true"),
        ("高新区", "高新区", "true"),
        ("经开区", "经济开发区", "true"),
        ("文昌湖", "文昌湖", "true"),
        ("济南", "济南", "false"),
    ],
)
def test_places(text: str, place: str, in_zibo: str) -> None:
    assert entity(text, "place") == [place]
    assert entity(text, "in_zibo") == [in_zibo]


def test_not_working_in_zibo() -> None:
    found = default_extractor().extract("我不在淄博工作", TODAY)
    assert [(e.entity, e.value) for e in found] == [("in_zibo", "false")]


@pytest.mark.parametrize(
    ("text", "awards"),
    [
        ("全国技能大赛金牌", ["national_gold"]),
        ("国赛银牌", ["national_silver"]),
        ("全国技能大赛上拿了铜牌", ["national_bronze"]),
        ("省赛金牌", ["provincial_gold"]),
        ("省里比赛拿过银奖", ["provincial_silver"]),
        ("市赛铜牌", ["city_bronze"]),
        ("市级一类竞赛决赛第二名", ["city_class1_second"]),
        ("一类赛第三", ["city_class1_third"]),
        ("二类竞赛第一名", ["city_class2_first"]),
        ("拿了国赛金牌和省赛银牌，还有市级一类竞赛第二名",
         ["national_gold", "provincial_silver", "city_class1_second"]),
        ("国赛金牌和银牌都拿过", ["national_gold", "national_silver"]),
        ("二类竞赛第三名", []),
        ("拿过金牌", []),
    ],
)
def test_awards(text: str, awards: list[str]) -> None:
    assert entity(text, "award") == awards


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("我是首席技师", "chief_technician"),
        ("淄博市首席技师", "chief_technician"),
        ("有突出贡献的技师", "outstanding_technician"),
        ("技术技能大师", "skill_master"),
        ("高技能领军人才", "provincial_skill_leader"),
        ("入选英才计划", "zibo_talent_plan"),
        ("企业首席技师", "enterprise_chief_technician"),
    ],
)
def test_talent_titles(text: str, title: str) -> None:
    assert entity(text, "talent_title") == [title]


@pytest.mark.parametrize(
    ("text", "value"),
    [("有高级职称", "true"), ("高级工程师", "true"), ("没有高级职称", "false"),
     ("中级职称", "false"), ("高级专业技术职称", "true")],
)
def test_senior_professional_title(text: str, value: str) -> None:
    assert entity(text, "senior_professional_title") == [value]


@pytest.mark.parametrize(
    ("text", "competition"),
    [
        ("我们公司去年承办了市级技能大赛", ["city"]),
        ("承办过全国职业技能大赛", ["national"]),
        ("今年举办了省赛", ["provincial"]),
        ("我们主办过一次全省技能大赛", ["provincial"]),
        ("单位承办的是国赛", ["national"]),
        ("没有承办", ["none"]),
        ("我们没承办过省赛", ["none"]),
        # Award sentences and competitions nobody hosted are not hosted_competition.
        ("我拿过省赛二等奖", []),
        ("参加过全国技能大赛", []),
        ("省赛银牌", []),
        ("全国技能大赛上拿了铜牌", []),
        ("市级一类竞赛第二名", []),
        ("我去年参加了市级技能大赛，承办单位是技师学院", []),
    ],
)
def test_hosted_competition_needs_a_hosting_word(text: str, competition: list[str]) -> None:
    assert entity(text, "hosted_competition") == competition


def test_a_hosting_sentence_keeps_the_award_apart() -> None:
    assert facts("承办了市赛，还拿了省赛金牌") == [
        ("hosted_competition", "city"),
        ("award", "provincial_gold"),
    ]


@pytest.mark.parametrize(
    ("text", "platforms"),
    [
        ("学校获评国家级高技能人才培训基地", ["national_training_base"]),
        ("我们有国家级技能大师工作室和省技师工作站",
         ["national_master_studio", "provincial_technician_station"]),
        ("建成了齐鲁技能大师特色工作站", ["qilu_master_station"]),
        ("去年认定为淄博市技师工作站", ["city_technician_station"]),
        ("市级公共实训基地", ["city_public_training_base"]),
        ("我们没有国家级培训基地", []),
        # No such value in facts.yml: nothing, and not the national studio or a title.
        ("建了一个省级技能大师工作室", []),
    ],
)
def test_platforms(text: str, platforms: list[str]) -> None:
    assert entity(text, "platforms") == platforms
    assert entity(text, "talent_title") == []
    assert entity(text, "certificate_level") == []


@pytest.mark.parametrize(
    ("text", "achievements"),
    [
        ("学校是省级优质校，还有国家级世赛集训基地",
         ["provincial_quality_school", "national_worldskills_base"]),
        ("我校入选全国技工教育集团试点", ["national_group_pilot"]),
        ("有两个国家级优质专业", ["national_quality_major"]),
        ("获批省工学一体化试点", ["provincial_integration_pilot"]),
    ],
)
def test_school_achievements(text: str, achievements: list[str]) -> None:
    assert entity(text, "school_achievements") == achievements


@pytest.mark.parametrize(
    ("text", "mode", "measure"),
    [
        ("柔性引进了一位省级领军人才", ["flexible"], []),
        ("我们柔性引才来的两位专家", ["flexible"], []),
        ("全职引进了一名高技能领军人才", ["full_time_hired"], []),
        ("是自己培养的", ["newly_trained"], []),
        ("本单位培养", ["newly_trained"], []),
        # Without a cue 柔性引才 (the short name of 柔性引才汇智计划) names the measure; 柔性引进 is
        # always the hiring mode (annotation guide), the measure needs its programme word.
        ("柔性引才是什么", [], ["flexible_leader_salary_subsidy"]),
        ("柔性引进的薪酬补贴最多多少", [], ["flexible_leader_salary_subsidy"]),
        ("柔性引进补贴怎么申请", [], ["flexible_leader_salary_subsidy"]),
    ],
)
def test_leader_hiring_mode(text: str, mode: list[str], measure: list[str]) -> None:
    assert entity(text, "leader_hiring_mode") == mode
    assert entity(text, "measure") == measure


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("签了5年协议", ["5"]),
        ("协议期三年", ["3"]),
        ("为期两年的协议", ["2"]),
        ("协议年薪30万，签了3年", ["3"]),
        ("签了10年协议", ["10"]),
        ("签了3年，不对，5年协议", ["5"]),
        # No agreement word, a salary per year, a date: not the agreement's years.
        ("干了5年", []),
        ("协议一年给30万", []),
        ("2023年签的协议", []),
        ("协议是三年前签的", []),
    ],
)
def test_agreement_years(text: str, years: list[str]) -> None:
    assert entity(text, "agreement_years") == years


@pytest.mark.parametrize(
    ("text", "asker"),
    [
        ("我是企业的人事", ["enterprise"]),
        ("我是公司HR", ["enterprise"]),
        ("我是做人事的", ["enterprise"]),
        ("我们学校想问", ["school"]),
        ("我校想咨询一下", ["school"]),
        ("我们技师学院", ["school"]),
        # Where one works or studied is not who is asking.
        ("我在一家公司上班", []),
        ("技师学院毕业", []),
        ("我是学生", []),
    ],
)
def test_asker(text: str, asker: list[str]) -> None:
    assert entity(text, "asker") == asker


@pytest.mark.parametrize(
    ("text", "money"),
    [("每年30万", "300000"), ("三十万元", "300000"), ("300000元", "300000"),
     ("1.5万", "15000"), ("两千块", "2000"), ("5千元", "5000"), ("每月500块钱", "500")],
)
def test_money(text: str, money: str) -> None:
    assert entity(text, "money") == [money]


@pytest.mark.parametrize(
    ("text", "counts"),
    [("5名职工", ["5"]), ("有三名技师", ["3"]), ("20人", ["20"]), ("10个学徒", ["10"]),
     ("我是一名高级技师", []), ("第一名", []), ("前3名", []), ("3个学期", [])],
)
def test_head_counts(text: str, counts: list[str]) -> None:
    assert entity(text, "count") == counts


@pytest.mark.parametrize(
    ("text", "article"),
    [("第22条讲什么", ["22"]), ("第二十二条", ["22"]), ("第4条", ["4"]), ("22条说啥", ["22"]),
     ("26条措施", [])],
)
def test_articles(text: str, article: list[str]) -> None:
    assert entity(text, "article") == article


@pytest.mark.parametrize(
    ("text", "measure"),
    [("首席技师津贴", "chief_technician_allowance"), ("金蓝领", "jinlanling_training_subsidy"),
     ("生活补贴", "graduate_living_allowance"), ("新型学徒制", "new_apprenticeship_subsidy"),
     ("顶岗实习补贴", "internship_subsidy")],
)
def test_measures(text: str, measure: str) -> None:
    assert entity(text, "measure") == [measure]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("職業技能等級證書三級", [("certificate_level", "senior")]),
        ("淄博市張店區", [("place", "淄博"), ("place", "张店")]),
        ("２０２１年畢業", [("graduation_date", "2021")]),
        ("技師學院，全日制", [("school_type", "technical_school"), ("full_time_study", "true")]),
    ],
)
def test_traditional_and_full_width_text(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


def test_normalising_keeps_the_length() -> None:
    for text in ["職業技能等級證書", "２０２１年６月", "ＡＢＣ　１２３，。", "后来的後", "🙂👍"]:
        assert len(normalise_text(text)) == len(text)
    assert normalise_text("２０２１，ＨＲ") == "2021,HR"


def test_every_value_is_a_fact_value() -> None:
    import yaml

    from bot.nlu.vocabulary import FACT_ENTITIES, FACTS_PATH

    facts_yml = yaml.safe_load(FACTS_PATH.read_text(encoding="utf-8"))["facts"]
    allowed = {
        entity: set(facts_yml[fact]["values"]) for fact, entity in FACT_ENTITIES.items()
    }
    for name in ("full_time_study", "full_time_job", "senior_professional_title"):
        allowed[name] = {"true", "false"}
    vocabulary = load_vocabulary()
    allowed["measure"] = vocabulary.measure_ids
    for term in [*vocabulary.terms, *vocabulary.cued_terms]:
        if term.entity in allowed:
            assert term.value in allowed[term.entity], term
    assert {t.entity for t in vocabulary.cued_terms} == set(vocabulary.cues)


def test_no_word_means_two_different_things() -> None:
    meanings: dict[str, set[tuple[str, str]]] = {}
    for term in load_vocabulary().terms:
        meanings.setdefault(term.text, set()).add((term.entity, term.value))
    clashes = {word: m for word, m in meanings.items() if len(m) > 1}
    assert clashes == {}


def test_a_cued_word_means_one_thing_with_its_cue() -> None:
    vocabulary = load_vocabulary()
    meanings: dict[str, set[tuple[str, str]]] = {}
    for term in vocabulary.cued_terms:
        meanings.setdefault(term.text, set()).add((term.entity, term.value))
    assert {word: m for word, m in meanings.items() if len(m) > 1} == {}
    # Without the cue a cued word is a measure or nothing, never another fact.
    plain = {t.text: t.entity for t in vocabulary.terms}
    assert {plain[w] for w in meanings if w in plain} <= {"measure"}


# ---------------------------------------------------------------- team conventions (issue #4)
# Written against the failure families of tests/nlu/independent.yml, in new wording.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21年3月到的单位", [("employment_start_date", "2021-03")]),
        ("我是前年来的公司", [("employment_start_date", "2024"), ("employer_type", "enterprise")]),
        ("两年前进的这家单位", [("employment_start_date", "2024")]),
        ("要是二〇一九年到单位的话", [("employment_start_date", "2019")]),
        ("更新一下入职时间，二〇二一年", [("employment_start_date", "2021")]),
        ("就2019年", [("year", "2019")]),
    ],
)
def test_employment_cues_and_a_bare_year_after_its_cue(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("年薪四十万", [("agreed_annual_salary", "400000")]),
        ("签的协议年薪是18万元", [("agreed_annual_salary", "180000")]),
        ("工资一年二十万", [("agreed_annual_salary", "200000")]),
        ("中央资金给了300万", [("national_subsidy", "3000000")]),
        ("国家补助资金有80万元", [("national_subsidy", "800000")]),
        ("补了5000元", [("money", "5000")]),
    ],
)
def test_money_gets_the_fact_its_cue_names(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "entity", "span"),
    [
        # docs/nlu-annotation.md: a salary is the amount, not 年薪 ...
        ("年薪是40万", "agreed_annual_salary", "40万"),
        ("柔性引进那位年薪三十万元", "agreed_annual_salary", "三十万元"),
        # ... a level is the level word without 证/证书; 没证 keeps it ...
        ("俺有个技师证", "certificate_level", "技师"),
        ("前年拿的三级证书", "certificate_level", "三级"),
        ("木有证", "certificate_level", "木有证"),
        # ... a head count is the number only.
        ("车间招了十五名技校生", "count", "十五"),
        ("今年新考出8个技师", "new_technician_count", "8"),
        # An asking unit keeps its 我们 / 咱 even where the unit word alone is in the vocabulary.
        ("俺们实训基地想问下补贴", "asker", "俺们实训基地"),
        ("咱技师学院能申请啥", "asker", "咱技师学院"),
    ],
)
def test_spans_follow_the_annotation_guide(text: str, entity: str, span: str) -> None:
    found = {e.entity: e.text for e in default_extractor().extract(normalise_text(text), TODAY)}
    assert found.get(entity) == span


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们厂今年有4名职工新拿了技师证", [("asker", "enterprise"), ("new_technician_count", "4")]),
        ("单位里新晋了3个高级技师", [("new_senior_technician_count", "3")]),
        ("今年新评上技师的有6人，新评上高级技师的有1人",
         [("new_technician_count", "6"), ("new_senior_technician_count", "1")]),
        ("金蓝领项目结业有22人考下技师，5人考下高级技师",
         [("jinlanling_technician_count", "22"), ("jinlanling_senior_technician_count", "5")]),
        ("学徒里面中级工有9人，高级工有4人",
         [("apprentice_intermediate_count", "9"), ("apprentice_senior_count", "4")]),
        ("高级工学徒一共7个", [("apprentice_senior_count", "7")]),
        ("订单培养的学生有15人毕业后全职留在了厂里", [("order_training_hires", "15")]),
        ("全年公共实训了800人", [("public_training_trainees", "800")]),
        ("实习学生合计60人·学期", [("intern_semesters", "60")]),
        ("有15名学徒", [("count", "15")]),
        ("是4个人不是6个", [("count", "4")]),
        ("我就一个高级工", [("certificate_level", "senior")]),
    ],
)
def test_an_organization_s_head_counts(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


def test_a_head_count_span_is_the_number() -> None:
    found = default_extractor().extract("新考了技师的有12名员工", TODAY)
    assert [(e.entity, e.text) for e in found] == [("new_technician_count", "12")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("首席技师评选怎么报名", [("measure", "chief_technician_allowance")]),
        ("给我介绍下技术技能大师", [("measure", "skill_master_allowance")]),
        ("英才计划一年给多少", [("measure", "zibo_talent_plan")]),
        ("我去年入选了英才计划", [("year", "2025"), ("talent_title", "zibo_talent_plan")]),
        ("我是首席技师，能拿多少", [("talent_title", "chief_technician")]),
        ("技术技能大师", [("talent_title", "skill_master")]),
        ("公共实训一人补多少", [("measure", "public_training_subsidy")]),
        ("技能大师工作室有什么支持", [("measure", "skill_platform_construction_funds")]),
        ("我大前年被评为有突出贡献的技师", [("year", "2023"), ("talent_title", "outstanding_technician")]),
    ],
)
def test_a_title_asked_about_is_its_measure(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们厂柔性引进了一名泰山产业领军人才", [
            ("asker", "enterprise"), ("leader_hiring_mode", "flexible"),
            ("flexible_hire_is_provincial_leader", "true")]),
        ("要是柔性引进的呢", [("leader_hiring_mode", "flexible")]),
        # Guide (session 4): bare 柔性引进 names the hiring mode, never the measure.
        ("柔性引进是什么政策", [("leader_hiring_mode", "flexible")]),
    ],
)
def test_flexible_hires(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("实习协议已经签了", [("internship_agreement", "true")]),
        ("还没签三方协议", [("internship_agreement", "false")]),
        ("三方协议是什么", []),
        ("我们属于自主评价的企业", [("self_evaluation_enterprise", "true")]),
        ("学校是市属的", [("municipal_school", "true")]),
        ("我们是一所技师学院", [("asker", "school")]),
        # where the unit is, between 我们是 and the unit: still the unit asking
        ("我们是周村的一家纺织公司", [("place", "周村"), ("asker", "enterprise")]),
        ("我们是高青一家食品厂", [("place", "高青"), ("asker", "enterprise")]),
        ("本人来问问", [("asker", "person")]),
    ],
)
def test_organization_facts_and_the_asker(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("企业该怎么申报", []),
        ("技师学院有什么扶持政策", []),
        ("我在一家纺织厂上班", [("employer_type", "enterprise")]),
        ("在临淄的合作社干活的能领吗", [("place", "临淄"), ("employer_type", "new_agricultural_entity")]),
        ("技校毕业的能领吗", [("school_type", "technical_school")]),
        ("如果换成个体户呢", [("employer_type", "individual_business")]),
    ],
)
def test_employer_and_school_only_as_the_asker_s_own(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("后天张店会不会下雪", []),
        ("临淄到高青有没有公交", []),
        ("之前在烟台干过两年", []),
        ("在潍坊念的技校，现在回淄博上班", [("school_type", "technical_school"), ("place", "淄博")]),
        ("我在济南上班，淄博的补贴能领吗", [("place", "济南")]),
        ("我在外省工作", [("in_zibo", "false")]),
    ],
)
def test_places_only_where_the_asker_works(text: str, expected: list[tuple[str, str]]) -> None:
    found = default_extractor().extract(normalise_text(text), TODAY)
    assert [(e.entity, e.value) for e in found if e.entity != "in_zibo" or (e.value == "false"
            and not any(p.entity == "place" for p in found))] == expected


def test_the_interview_records_the_specific_head_counts() -> None:
    from bot.interview import State, Turn, facts_from_turn
    from bot.rules.loader import knowledge

    text = "我们公司今年有7名员工新获得技师证书，2名新获得高级技师，年薪三十万柔性引进了一位齐鲁首席技师"
    entities = [e.as_rasa() for e in default_extractor().extract(normalise_text(text), TODAY)]
    updates, unused = facts_from_turn(knowledge(), State(), Turn("inform", entities, text))
    assert updates == {
        "asker": "enterprise",
        "new_technician_count": 7,
        "new_senior_technician_count": 2,
        "agreed_annual_salary": 300000,
        "leader_hiring_mode": "flexible",
        "flexible_hire_is_provincial_leader": True,
    }
    assert unused == []


# ---------------------------------------------------------------- from the sealed set's failures
# (new wording; each a defect that could change an answer about money)

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("基地今年公共实训做了一千五百人", [("public_training_trainees", "1500")]),
        ("公共实训全年完成三千零四十人", [("public_training_trainees", "3040")]),
        ("我们厂有十二个工人", [("asker", "enterprise"), ("count", "12")]),
        ("单位有三十个人", [("count", "30")]),  # "三十来个人" is a lower bound: no count (below)
        ("单位一共两百名职工", [("count", "200")]),
    ],
)
def test_chinese_numerals_in_head_counts(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize("n", [2, 9, 10, 12, 20, 35, 100, 105, 230, 1500, 2300, 4080])
def test_chinese_head_counts_round_trip(n: int) -> None:
    import cn2an

    written = cn2an.an2cn(n).replace("二千", "两千").replace("二百", "两百")
    assert entity(f"公共实训完成了{written}人", "public_training_trainees") == [str(n)]
    assert entity(f"公共实训完成了{n}人", "public_training_trainees") == [str(n)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the denied number of a correction is dropped, the affirmed one kept
        ("改一下 我们厂新拿技师证的是六个 不是五个", [("asker", "enterprise"), ("new_technician_count", "6")]),
        ("新获得高级技师的员工是2名 不是3名", [("new_senior_technician_count", "2")]),
        # two counts for two levels: each takes the level of its own part of the sentence
        ("今年新考下技师的工人有八个 高级技师两个",
         [("new_technician_count", "8"), ("new_senior_technician_count", "2")]),
        ("新获得的高级技师四个 技师十个", [("new_senior_technician_count", "4"), ("new_technician_count", "10")]),
        # 考下 / 考出 / 拿到 say who the count is
        ("公司这一年有5名职工考出了技师", [("new_technician_count", "5")]),
        ("厂里拿到高级技师证的有3个 一共能补多少", [("new_senior_technician_count", "3")]),
    ],
)
def test_head_counts_with_denials_and_two_levels(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("搞反了 我19年毕的业 20年上的班", [("graduation_date", "2019"), ("employment_start_date", "2020")]),
        ("前年技校出来 今年进了临淄的一个厂",
         [("graduation_date", "2024"), ("school_type", "technical_school"), ("employment_start_date", "2026"),
          ("place", "临淄"),
          ("employer_type", "enterprise")]),
        ("我2018年毕业 今年还算不算新毕业的", [("graduation_date", "2018")]),
        ("两年前来的这个厂", [("employment_start_date", "2024"), ("employer_type", "enterprise")]),
        ("四年前进的厂 噢不是 是三年前", [("employment_start_date", "2023"), ("employer_type", "enterprise")]),
    ],
)
def test_two_years_two_roles_and_a_year_in_a_question(text: str, expected: list[tuple[str, str]]) -> None:
    assert sorted(facts(text)) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a negated place beside an affirmed one says "not there", not "not in Zibo"
        ("改一下 我们公司在临淄不在周村", [("asker", "enterprise"), ("place", "临淄"), ("in_zibo", "true")]),
        ("单位不在淄川 在高青", [("place", "高青"), ("in_zibo", "true")]),
        ("我不在淄博上班", [("in_zibo", "false")]),
        # home, household registration: not the work place
        ("人在烟台打工 老家在沂源", [("place", "烟台"), ("in_zibo", "false")]),
        ("户籍是桓台的 在青岛干活", [("place", "青岛"), ("in_zibo", "false")]),
        # where one used to work, in its own part of the sentence
        ("原来在滨州上班 现在到了张店", [("place", "张店"), ("in_zibo", "true")]),
        # food named after a place
        ("博山烧烤和周村烧饼哪个好吃", []),
    ],
)
def test_places_negated_home_and_former(text: str, expected: list[tuple[str, str]]) -> None:
    found = default_extractor().extract(normalise_text(text), TODAY)
    assert [(e.entity, e.value) for e in found] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("年薪三十万 一年最多补多少", [("agreed_annual_salary", "300000")]),
        ("协议签了两年", [("agreement_years", "2")]),
        ("厂里评的首席技师", [("talent_title", "enterprise_chief_technician")]),
        ("我是企业评聘的首席技师", [("talent_title", "enterprise_chief_technician")]),
        ("我是淄博市首席技师", [("talent_title", "chief_technician")]),
    ],
)
def test_agreement_years_and_enterprise_titles(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 一次性补贴 names no single measure; the level sets the figure (annotation guide)
        ("高级技师一次性补贴怎么申请", [("certificate_level", "senior_technician")]),
        ("市级技师工作站有啥扶持 讲讲", [("measure", "city_technician_station_funds")]),
        ("我们建成了市级技师工作站", [("platforms", "city_technician_station")]),
        ("我有技师证 能报英才计划吗", [("certificate_level", "technician"), ("measure", "zibo_talent_plan")]),
        ("我是首席技师 可以申请技能大师吗",
         [("talent_title", "chief_technician"), ("measure", "skill_master_allowance")]),
        ("毕业生生活补帖啥时候发", [("measure", "graduate_living_allowance")]),
        ("柔性引进的要是市级人才 不是省级领军人才呢",
         [("leader_hiring_mode", "flexible"), ("flexible_hire_is_provincial_leader", "false")]),
        ("柔性引进的是省级领军人才",
         [("leader_hiring_mode", "flexible"), ("flexible_hire_is_provincial_leader", "true")]),
    ],
)
def test_measures_asked_about(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("临淄烧烤哪家地道", []),
        ("这得去问公司人事", []),
        ("换个人来问 从头开始", []),
        ("解除劳动合同能要赔偿吗", []),
        ("劳动合同到期了不给续", []),
        ("签了合同 干了两年", [("full_time_job", "true")]),
        ("我在沂源一个化工厂干活", [("place", "沂源"), ("employer_type", "enterprise")]),
        ("去年进的厂", [("employment_start_date", "2025"), ("employer_type", "enterprise")]),
        ("本人高级工 想问问补贴", [("asker", "person"), ("certificate_level", "senior")]),
        ("要本人去办吗", []),
    ],
)
def test_spurious_and_missed_mentions(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


def test_an_amount_span_stops_before_a_space() -> None:
    text = "国家拨了200万 地方配套多少"
    found = [e for e in default_extractor().extract(text, TODAY) if e.entity == "national_subsidy"]
    assert [(e.value, e.text) for e in found] == [("2000000", "200万")]


# ---------------------------------------------------------------- sealed2 value defects (new wording)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "X 不是 Y" keeps X for every single-valued kind
        ("对不住 协议年薪五十万 不是四十万", [("agreed_annual_salary", "500000")]),
        ("不是2万 是3万块", [("money", "30000")]),
        ("签的不是三年 是五年协议", [("agreement_years", "5")]),
        ("公司今年新考技师的 有6个 不是5个", [("new_technician_count", "6")]),
        ("我们举办的是市级技能大赛 不是省赛", [("hosted_competition", "city")]),
        ("举办过的不是省赛 是全国技能大赛", [("hosted_competition", "national")]),
        ("我说错了 不是博山 是高青", [("place", "高青")]),
        # spoken self-corrections: 呃不是, 啊不, 哦不, 不不
        ("中级工 呃不是 高级工", [("certificate_level", "senior")]),
        ("高级技师 不不 技师", [("certificate_level", "technician")]),
        ("在淄川 啊不 在周村干活", [("place", "周村")]),
        ("2021年 哦不 2022年毕业的", [("graduation_date", "2022")]),
    ],
)
def test_denied_alternatives_and_spoken_corrections(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "place"),
    [("以前在外地打工 去年才回到张店上班", "张店"), ("在外省拿的证书 如今在桓台工作", "桓台")],
)
def test_a_past_elsewhere_is_not_the_current_workplace(text: str, place: str) -> None:
    assert entity(text, "place") == [place]
    assert entity(text, "in_zibo") == ["true"]


def test_elsewhere_alone_is_not_zibo() -> None:
    assert entity("我在外地上班", "in_zibo") == ["false"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("俺前年8月进的这个厂", [("employment_start_date", "2024-08"), ("employer_type", "enterprise")]),
        ("国家给的补助资金有三百万", [("national_subsidy", "3000000")]),
        ("我们厂去年5个人考了技师", [("asker", "enterprise"), ("new_technician_count", "5")]),
        ("今年有12个订单班学员留下来干了", [("order_training_hires", "12")]),
        ("假如公共实训人数达到1500呢", [("public_training_trainees", "1500")]),
        ("我现在待业", [("employer_type", "not_employed")]),
        ("有没有工作人员", []),
        ("俺没证", [("certificate_level", "none")]),
        ("俺木有证书", [("certificate_level", "none")]),
        ("没证明材料咋办", []),
        ("实习生们都没签三方", [("internship_agreement", "false")]),
        ("俺那年领过2000", [("money", "2000")]),
        ("单位发了三千块奖励", [("money", "3000")]),
        ("柔性引进专家 年薪60万", [("leader_hiring_mode", "flexible"), ("agreed_annual_salary", "600000")]),
    ],
)
def test_missed_facts(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("考了个高级技帅", [("certificate_level", "senior_technician")]),
        ("前年毕叶于一所技工学效", [("graduation_date", "2024"), ("school_type", "technical_school")]),
        ("技能提生补贴怎么申亲", [("measure", "skill_upgrade_subsidy")]),
    ],
)
def test_same_length_typos_are_mended(text: str, expected: list[tuple[str, str]]) -> None:
    assert len(normalise_text(text)) == len(text)
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们单位已经开展自主评价三年了",
         [("asker", "enterprise"), ("self_evaluation_enterprise", "true")]),
        ("公司从来没搞过自主评价", [("self_evaluation_enterprise", "false")]),
        ("自主评价怎么开展", [("measure", "self_evaluation_support")]),
        ("做自主评价的企业能补多少", [("measure", "self_evaluation_support")]),
    ],
)
def test_self_evaluation_is_what_the_organization_does(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("电话给一个", []),
        ("你明年多大了", []),
        ("周村哪里有租房的", []),
        ("老家博山的 现在在济南干", [("place", "济南")]),
        ("学徒补贴是给企业还是给个人", [("measure", "new_apprenticeship_subsidy")]),
        # The class named as the subject of the question is annotated (docs/nlu-annotation.md).
        ("技师班毕业按大专对待吗", [("graduation_class", "technician_class"),
                                   ("measure", "technical_graduate_equal_treatment")]),
        # a workplace that moves is still the employer named (sealed2, sealed8)
        ("要是厂子迁到外地了呢", [("employer_type", "enterprise")]),
        ("从临淄技工学校毕业的 在张店上班", [("school_type", "technical_school"), ("place", "张店")]),
        ("金蓝领考出一个技师奖多少", [("measure", "jinlanling_training_subsidy")]),
    ],
)
def test_spurious_group_and_small_talk_mentions(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("单位为员工申请技师补贴要啥材料", [("measure", "new_technician_bonus_enterprise")]),
        ("啥是柔性引进", [("leader_hiring_mode", "flexible")]),
        ("我们请的专家算不上省级领军人才", [("flexible_hire_is_provincial_leader", "false")]),
    ],
)
def test_measures_of_the_firm_and_definitions(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(("text", "technicians", "seniors"), [
    ("我们厂今年有4个职工新考了技师，3个新考了高级技师", ["4"], ["3"]),
    ("两个刚拿到高级技师证，一个员工新考了技师", ["1"], ["2"]),
    ("今年6个考下了技师", ["6"], []),
])
def test_a_head_count_whose_people_are_left_out(text: str, technicians: list[str], seniors: list[str]) -> None:
    """"2个新考了高级技师": the number is a head count even without 员工/人 after 个."""
    assert entity(text, "new_technician_count") == technicians
    assert entity(text, "new_senior_technician_count") == seniors


def test_one_new_thing_is_not_a_head_count() -> None:
    assert entity("有一个新政策想问问", "count") == []


# Value fixes from the sealed3.yml review (new wordings, not the set's sentences).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the year something was won is `year`, not a certificate date
        ("国赛银牌 我是前年拿到的", [("award", "national_silver"), ("year", "2024")]),
        ("去年评上的市技师工作站", [("year", "2025"), ("platforms", "city_technician_station")]),
        ("前年拿的技师证", [("certificate_date", "2024"), ("certificate_level", "technician")]),
        # 入的厂 is joining; 工作 inside 工作站 is no employment cue
        ("22年入的厂 高级工", [("employment_start_date", "2022"), ("employer_type", "enterprise"),
                               ("certificate_level", "senior")]),
        # 进厂 / 入厂 is joining a factory: the employer is an enterprise (docs/nlu-annotation.md)
        ("入厂那会儿是21年3月", [("employer_type", "enterprise"), ("employment_start_date", "2021-03")]),
        ("他19年就进厂干了", [("employment_start_date", "2019"), ("employer_type", "enterprise")]),
        # a filler between the payer and the payment word
        ("国家那边拨了150万", [("national_subsidy", "1500000")]),
        # a rate per head with an object between the verb and 多少
        ("带一个徒弟补给厂里多少钱", []),
    ],
)
def test_sealed3_dates_money_and_counts(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("俺是临淄人 现在在青岛干", [("place", "青岛")]),
        ("我是外地人 在高青打工", [("place", "高青")]),
        ("技师证在博山考的 人在潍坊上班", [("certificate_level", "technician"), ("place", "潍坊")]),
        ("我是淄博英才计划入选者", [("talent_title", "zibo_talent_plan")]),
        ("潍坊有啥人才政策", []),
        ("东营那边的技师补贴多少", []),
        ("工资跟张店比差不多吧 我在济南", [("place", "济南")]),
        ("我在张店上班 技师补贴能领吗", [("place", "张店"), ("measure", "new_technician_bonus")]),
        ("一开始写成博山了 实际上是周村", [("place", "周村")]),
        ("在张点上班 周村人", [("place", "张店")]),
    ],
)
def test_sealed3_places_hometowns_and_other_cities(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("咱们单位能申请啥", [("asker", "enterprise")]),
        ("俺们技工学校想问问", [("asker", "school")]),
        ("她是技工学校的老师", []),
        ("我帮公司咨询一下", [("asker", "enterprise")]),
        ("我自己开了个店", [("employer_type", "individual_business")]),
        ("我自己咨询", [("asker", "person")]),
        ("谢谢 比我们单位人事说得明白", []),
    ],
)
def test_sealed3_askers(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("国家级优质校能补多少", [("measure", "quality_school_funds")]),
        ("我们学校评上了国家级优质校 能补多少",
         [("asker", "school"), ("school_achievements", "national_quality_school")]),
        ("首席技师每年评几个", [("measure", "chief_technician_allowance")]),
        ("首席技师那一千块每月都发吗", [("measure", "chief_technician_allowance")]),
        ("我有一千块补贴 还能再领吗", [("money", "1000")]),
        ("省级技能大赛几年办一届", [("measure", "competition_system")]),
        ("讲讲十九条", [("article", "19")]),
        ("二十条措施都有啥", []),
        ("今年报名什么时候截止", []),
        ("劳动合同原件要带吗", []),
        ("签了劳动合同", [("full_time_job", "true")]),
        ("号码发我一个", []),
        ("金兰领培训的申报材料有哪些", [("measure", "jinlanling_training_subsidy")]),
        ("全日至中专毕业", [("full_time_study", "true"), ("school_type", "secondary_vocational")]),
    ],
)
def test_sealed3_questions_figures_and_documents(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


# ---------------------------------------------------------------- sealed4 extractor fixes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我这个算不上全职", [("full_time_job", "false")]),
        ("我那活不算全职的", [("full_time_job", "false")]),
        ("俺这种够不上全日制", [("full_time_study", "false")]),
        ("学历不算技工院校", []),
    ],
)
def test_denying_words_before_booleans_and_values(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    "text", ["我干的这个算不算全职", "也不知道算不算技师学院", "他们学校是不是市属的我也不清楚"]
)
def test_a_not_a_question_names_no_fact(text: str) -> None:
    assert facts(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("俺今年四十六了 技师证是2020年考下来的", [("certificate_level", "technician"), ("certificate_date", "2020")]),
        ("我今年35了 去年拿的高级工证", [("certificate_date", "2025"), ("certificate_level", "senior")]),
    ],
)
def test_an_age_is_not_a_date(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("证还没拿 后年准备去考", []),
        # A planned move names no place either (guide: plans are not annotated).
        ("下个月打算调到济南", []),
        ("明年想去一家民企", [("employer_type", "enterprise")]),
        ("技师证前年拿的 万一后年我搬家了呢", [("certificate_level", "technician"), ("certificate_date", "2024")]),
        # Hypothetical facts keep their value (what_if), and a bare future answer stays a year.
        ("假设俺后年才考下技师呢", [("certificate_date", "2028"), ("certificate_level", "technician")]),
        ("要是孩子明年毕业呢", [("graduation_date", "2027")]),
        ("明年", [("year", "2027")]),
        ("下个月入职", []),
    ],
)
def test_planned_dates_are_not_facts(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


def test_the_cue_in_the_years_own_part_wins() -> None:
    assert facts("有中级工证 21年技师学院毕业") == [
        ("certificate_level", "intermediate"),
        ("graduation_date", "2021"),
        ("school_type", "technical_school"),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [("19年3月底进的公司", "2019-03"), ("二三年五月初毕业", "2023-05"), ("21年底入职", None)],
)
def test_a_month_with_a_part_of_it_keeps_the_month(text: str, value: str | None) -> None:
    dates = [v for e, v in facts(text) if e.endswith("_date")]
    assert dates == ([value] if value else [])


@pytest.mark.parametrize(
    ("text", "entity_name", "value"),
    [
        ("在林淄上班", "place", "临淄"),
        ("考了个技市", "certificate_level", "technician"),
    ],
)
def test_unambiguous_typos(text: str, entity_name: str, value: str) -> None:
    assert entity(text, entity_name) == [value]


def test_a_typo_only_where_unambiguous() -> None:
    assert normalise_text("科技市场") == "科技市场"


@pytest.mark.parametrize(("text", "value"), [("二〇二一", "2021"), ("嗯 二零一九", "2019")])
def test_a_bare_chinese_numeral_year(text: str, value: str) -> None:
    assert facts(text) == [("year", value)]


def test_a_chinese_numeral_inside_a_sentence_is_no_bare_year() -> None:
    assert entity("编号二〇二一的那个", "year") == []


@pytest.mark.parametrize(
    ("text", "noun"),
    [
        ("在桓台的造纸厂当班长", "造纸厂"),
        ("我媳妇在沂源食品厂上班", "食品厂"),
        ("他在淄川的轮胎厂干", "轮胎厂"),
    ],
)
def test_a_workplace_named_by_its_trade(text: str, noun: str) -> None:
    found = default_extractor().extract(normalise_text(text), TODAY)
    assert [(e.value, e.text) for e in found if e.entity == "employer_type"] == [("enterprise", noun)]


@pytest.mark.parametrize(
    "text", ["工资拖到期末厂里不给发 能投诉吗", "厂里建了个市级技师工作站", "啤酒厂的补贴有哪些"]
)
def test_a_factory_that_is_not_the_speakers_workplace(text: str) -> None:
    assert entity(text, "employer_type") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我是首席技师 前年评上的", [("talent_title", "chief_technician"), ("year", "2024")]),
        ("去年入选了技能大师", [("year", "2025"), ("talent_title", "skill_master")]),
    ],
)
def test_the_year_a_title_was_won_is_a_year(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("不对 不是个人咨询 是替单位问", [("asker", "enterprise")]),
        ("更正 是民营企业 前面写成事业单位了", [("employer_type", "enterprise")]),
    ],
)
def test_denied_and_mistyped_values_are_dropped(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize("text", ["一年最多是不是三万", "每人到底给五千还是八千"])
def test_figures_offered_for_confirmation_are_no_amounts(text: str) -> None:
    assert entity(text, "money") == []


@pytest.mark.parametrize(
    ("text", "measure"),
    [
        ("首席技师几年评一次", "chief_technician_allowance"),
        ("世赛集训基地是干嘛的", "worldskills_training_base_matching"),
        ("技校教师招聘是哪一条", "technical_school_teacher_recruitment"),
    ],
)
def test_questions_without_a_usual_question_word(text: str, measure: str) -> None:
    assert entity(text, "measure") == [measure]


# ---------------------------------------------------------------- session 4 guide (docs/nlu-annotation.md, "Entities")
# Programmes against facts, places that are no workplace, plans, corrections (new wording).


def spans(text: str) -> list[tuple[str, str, str]]:
    found = default_extractor().extract(normalise_text(text), TODAY)
    return [(e.entity, e.value, e.text) for e in found if e.entity != "in_zibo"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("市赛铜牌奖金一般多少", [("award", "city_bronze", "市赛铜牌")]),
        ("二类赛第一名的奖励啥时候发", [("award", "city_class2_first", "二类赛第一名")]),
        ("全国大赛银牌的奖金找谁领", [("award", "national_silver", "全国大赛银牌")]),
        ("一类竞赛第三名奖励咋申报", [("award", "city_class1_third", "一类竞赛第三名")]),
    ],
)
def test_an_award_s_prize_asked_about_is_the_award(text: str, expected: list[tuple[str, str, str]]) -> None:
    """The result decides the measure (第22条) and its figure; the measure alone would not
    (docs/nlu-annotation.md)."""
    assert spans(text) == expected


@pytest.mark.parametrize(
    ("text", "award"),
    [
        ("俺闺女得了省赛银牌 奖金多少", "provincial_silver"),  # won, in its own part
        ("我拿过市赛金牌奖励还没发", "city_gold"),  # a win stated before it
        ("省赛金牌奖金多少 我去年拿的", "provincial_gold"),  # ...or after it
        ("要是拿了国赛银牌奖金有多少", "national_silver"),  # a hypothetical win (what_if)
        ("二类赛第一名奖几千", "city_class2_first"),  # 奖 as a verb names no programme
    ],
)
def test_an_award_won_stays_an_award(text: str, award: str) -> None:
    assert entity(text, "award") == [award]
    assert entity(text, "measure") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a selection word in a general question: the title's programme
        ("选上淄博英才计划每年补多少", [("measure", "zibo_talent_plan")]),
        ("评为首席技师每个月给多少", [("measure", "chief_technician_allowance")]),
        # someone selected, a selection that happened, a hypothesis: the title
        ("俺媳妇评上了首席技师 每月给多少", [("talent_title", "chief_technician")]),
        ("已经评为技术技能大师 给多少", [("talent_title", "skill_master")]),
        ("假如评上技术技能大师的话一个月多少", [("talent_title", "skill_master")]),
        ("要是当选有突出贡献的技师能拿多少", [("talent_title", "outstanding_technician")]),
        ("如果是技术技能大师呢", [("talent_title", "skill_master")]),
    ],
)
def test_a_selection_in_a_general_question_names_the_programme(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("齐鲁首席技师有没有政治待遇",
         [("talent_title", "provincial_skill_leader"), ("measure", "high_skill_leader_recognition")]),
        ("技术技能大师能不能出国研修",
         [("talent_title", "skill_master"), ("measure", "young_talent_overseas_training")]),
        # two programmes listed are both asked about
        ("英才计划跟首席技师津贴能一起领吗",
         [("measure", "zibo_talent_plan"), ("measure", "chief_technician_allowance")]),
    ],
)
def test_a_title_as_the_subject_of_another_programme_is_the_title(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("淄博市级技师工作站建设资金怎么申请",
         [("measure", "city_technician_station_funds", "淄博市级技师工作站建设资金")]),
        ("市技师工作站建设资金给几万", [("measure", "city_technician_station_funds", "市技师工作站建设资金")]),
        ("省级技师工作站建设资金有多少", [("measure", "skill_platform_construction_funds", "技师工作站建设资金")]),
    ],
)
def test_city_station_funds_are_article_9(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert spans(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们厂柔性引进的那个专家年薪二十万 能补吗",
         [("asker", "enterprise"), ("leader_hiring_mode", "flexible"), ("agreed_annual_salary", "200000")]),
        ("柔性引进到底啥意思", [("leader_hiring_mode", "flexible")]),
        # the measure needs its programme word
        ("柔性引进的薪酬补贴找谁报", [("measure", "flexible_leader_salary_subsidy")]),
        ("柔性引进人才补贴有多少", [("measure", "flexible_leader_salary_subsidy")]),
    ],
)
def test_bare_flexible_hiring_is_the_hiring_mode(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("要是我们学校建成国家级优质专业能给多少",
         [("asker", "school"), ("school_achievements", "national_quality_major")]),
        ("学校获批省级优质校的话给多少钱", [("school_achievements", "provincial_quality_school")]),
        ("学校创成省级优质校了 能补多少", [("school_achievements", "provincial_quality_school")]),
        # asked about as a programme
        ("国家优质校能给多少钱", [("measure", "quality_school_funds")]),
        ("省级优质校资金咋申请", [("measure", "quality_school_funds")]),
    ],
)
def test_a_school_achievement_built_or_supposed_is_the_fact(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("淄川区人社局几点上班", []),
        ("桓台县人社局电话多少", []),
        ("青岛那边的高技能人才补贴怎么领", []),
        ("东营的技能人才政策有哪些", []),
        # a person located there, or someone working in that office
        ("潍坊技师能领啥", [("place", "潍坊"), ("certificate_level", "technician")]),
        ("我在淄川人社局上班", [("place", "淄川")]),
        ("淄博的技师有啥补贴", [("place", "淄博"), ("certificate_level", "technician")]),
    ],
)
def test_an_office_or_another_city_s_policy_is_no_place(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("平台绩效评估每几年搞一回", [("measure", "city_platform_excellence_award", "平台绩效评估")]),
        ("淄博市技师工作站的绩效评估怎么搞",
         [("measure", "city_platform_excellence_award", "淄博市技师工作站的绩效评估")]),
        # rated 优秀: the platform fact
        ("我们的市级平台绩效评估优秀 能奖多少", [("platforms", "city_platform_excellent", "绩效评估优秀")]),
    ],
)
def test_the_city_platforms_evaluation(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert spans(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the programme the counted people passed their exams through, in a money question
        ("金蓝领培训今年考下了8个技师 能补多少钱",
         [("measure", "jinlanling_training_subsidy"), ("jinlanling_technician_count", "8")]),
        # a programme in the statement part of a money question is asked about (annotation guide)
        ("全年公共实训搞了1200人 能补助多少钱",
         [("measure", "public_training_subsidy"), ("public_training_trainees", "1200")]),
        ("金蓝领考出高级技师7个", [("jinlanling_senior_technician_count", "7")]),
    ],
)
def test_a_programme_beside_a_head_count(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("人数打错了 应该是27", [("count", "27")]),
        ("刚才写错了 改成9", [("count", "9")]),
        ("数错了 是十二", [("count", "12")]),
        # other readings of a corrected number
        ("年份不对 应该是2021", [("year", "2021")]),
        ("说错了 应该是30万", [("money", "300000")]),
        ("不对 年薪应该是30", []),
        ("我们厂是12", [("asker", "enterprise")]),
    ],
)
def test_a_bare_corrected_number_is_a_count(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们单位前年柔性引进了一名泰山产业领军人才",
         [("asker", "enterprise"), ("year", "2024"), ("leader_hiring_mode", "flexible"),
          ("flexible_hire_is_provincial_leader", "true")]),
        ("去年引进了一位全职的领军人才", [("year", "2025"), ("count", "1"), ("full_time_job", "true")]),
    ],
)
def test_the_year_of_a_hire_is_a_year(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("俺打算回博山干活 有啥补贴", []),
        ("准备去外地打工", []),
        ("计划明年到张店找活 能领补贴吗", []),
        ("下个月我打算辞职回潍坊老家", []),
        # stated, hypothetical or decided moves keep the place
        ("前年回的博山上班", [("employment_start_date", "2024"), ("place", "博山")]),
        ("假如我回博山上班呢", [("place", "博山")]),
        ("下礼拜就要去临淄了 补贴咋办", [("place", "临淄")]),
        ("我想问下在周村上班的能领吗", [("place", "周村")]),
    ],
)
def test_a_planned_move_names_no_place(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


# ---------------------------------------------------------------- sealed5 as a development set


@pytest.mark.parametrize(
    ("text", "money"),
    [
        # 一块 / 一块儿 as "together"
        ("这几个局是一块下的文件吧", []),
        ("咱俩在一块儿报名行不", []),
        ("两个补贴能一块申请不", []),
        # one yuan only with a money word before it
        ("就少给了一块", ["1"]),
        ("补一块钱也是补", ["1"]),
        # a vague amount is no figure
        ("十几万块", []),
        ("能批下来好几十万吧", []),
    ],
)
def test_together_and_vague_amounts_are_no_money(text: str, money: list[str]) -> None:
    assert entity(text, "money") == money


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("齐鲁技能大师特色工作站建设资金大概几十万",
         [("measure", "skill_platform_construction_funds", "齐鲁技能大师特色工作站建设资金")]),
        ("评上省技师工作站能给几万", [("measure", "skill_platform_construction_funds", "省技师工作站")]),
    ],
)
def test_a_platform_s_construction_funds_asked_about(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert spans(text) == expected


def test_a_second_figure_offered_for_confirmation_is_no_subsidy() -> None:
    assert facts("要是国家补助资金有两百万 市里是不是也给一百万") == [("national_subsidy", "2000000")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("不对 我们厂新考技师的是5个不是4个", [("asker", "enterprise"), ("new_technician_count", "5")]),
        ("新考高级技师的不是3个 是4个", [("new_senior_technician_count", "4")]),
        ("今年新出了12个技师", [("new_technician_count", "12")]),
        # listed awards summed with a bare 个 are no head count
        ("要是拿了国赛银牌和省赛金牌这两个 奖金能叠加吗",
         [("award", "national_silver"), ("award", "provincial_gold")]),
    ],
)
def test_head_counts_in_corrections_and_sums(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


def test_the_years_signed_before_a_money_question_are_the_agreement() -> None:
    assert facts("协议要是签三年 总共补多少") == [("agreement_years", "3")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("在桓台一家造纸企业当质检员 前年5月进去的",
         [("place", "桓台"), ("employer_type", "enterprise"), ("employment_start_date", "2024-05")]),
        # without a workplace 进去的 is no employment cue
        ("统招进去的", [("full_time_study", "true")]),
        # 全职调入 is the person's own move
        ("今年全职调入博山一家陶瓷企业",
         [("employment_start_date", "2026"), ("leader_hiring_mode", "full_time_hired"), ("place", "博山"),
          ("employer_type", "enterprise")]),
        ("引领计划咋申请", [("measure", "high_skill_leader_support")]),
    ],
)
def test_joining_a_workplace(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我准备考个技师 有啥补贴", []),
        ("准备后年考高级技师", []),
        ("要是技师没考上 只有高级工呢", [("certificate_level", "senior")]),
        # a hypothesis keeps its level and the year something is won in
        ("要是我明年考下技师呢", [("certificate_date", "2027"), ("certificate_level", "technician")]),
        ("要是学校后年创成国家优质校呢", [("year", "2028"), ("school_achievements", "national_quality_school")]),
    ],
)
def test_planned_and_failed_levels(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("万一进的是合作社呢", [("employer_type", "new_agricultural_entity")]),
        ("这个体户呢", [("employer_type", "individual_business")]),
        # whose school or employer, also in a question or an organization's sentence
        ("我们厂有职业学院来的实习生 能补吗", [("asker", "enterprise"), ("school_type", "vocational_college")]),
        ("我们单位今年招了三个技工院校毕业生 有啥补贴", [("asker", "enterprise"), ("school_type", "technical_school")]),
        ("去年进的厂 能领技师补贴不",
         [("employment_start_date", "2025"), ("employer_type", "enterprise"), ("measure", "new_technician_bonus")]),
        # the applicant of a general question stays dropped
        ("新型学徒制补贴对企业有什么条件", [("measure", "new_apprenticeship_subsidy")]),
        ("技工院校毕业生的生活补贴是啥", [("measure", "graduate_living_allowance")]),
    ],
)
def test_a_school_or_employer_describing_people_in_a_question(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们学院省级优质专业建成了 能拿多少",
         [("asker", "school"), ("school_achievements", "provincial_quality_major")]),
        ("俺有技师证加副高 够不够格评首席技师",
         [("certificate_level", "technician"), ("senior_professional_title", "true"),
          ("measure", "chief_technician_allowance")]),
        ("平台绩效评估评上优秀给多少钱", [("measure", "city_platform_excellence_award")]),
        ("实训基地评估优秀能奖多少", [("measure", "public_training_base_excellence")]),
        # a rating the unit holds stays the platform fact
        ("我们基地今年评估优秀",
         [("asker", "training_base"), ("year", "2026"), ("platforms", "city_platform_excellent")]),
        ("俺们单位柔性引进的齐鲁首席技师 柔性引才汇智计划能申请不",
         [("asker", "enterprise"), ("leader_hiring_mode", "flexible"), ("flexible_hire_is_provincial_leader", "true"),
          ("measure", "flexible_leader_salary_subsidy")]),
    ],
)
def test_programmes_against_facts_held(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("补贴是打给职工本人吗", []),
        ("能叫公司人事帮我问问吗", []),
        ("济南有没有相关的补贴", []),
        ("我在高新区上班 这算在淄博吗", [("place", "高新区")]),
        ("技工学校今年招生多少人", []),
        ("咱公司想问问", [("asker", "enterprise")]),
    ],
)
def test_someone_else_another_city_and_admissions(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("俺在恒台县上班", [("place", "桓台")]),
        ("在高清的企业上班", [("place", "高青"), ("employer_type", "enterprise")]),
        ("高清视频在哪下载", []),
        ("考了个技狮", [("certificate_level", "technician")]),
        ("技工院效毕业的", [("school_type", "technical_school")]),
    ],
)
def test_more_typos(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A figure right before a correction word is replaced by the next one of its kind.
        ("刚才那个四千块写错了 前年到手的是3800元", [("year", "2024"), ("money", "3800")]),
        # "一个徒弟一年": a rate per head and period, no head count.
        ("学徒补贴带一个徒弟一年给多少", [("measure", "new_apprenticeship_subsidy")]),
        ("我们有一个学徒 一年补多少", [("count", "1")]),
        # Joining a workplace named by its place.
        ("前年进的高新区一家化工厂 做操作工",
         [("employment_start_date", "2024"), ("place", "高新区"), ("employer_type", "enterprise")]),
        ("去年5月来的周村这家公司",
         [("employment_start_date", "2025-05"), ("place", "周村"), ("employer_type", "enterprise")]),
        # A recruitment exam is no certificate; "今年…啥时候" asks when, it dates nothing.
        ("公务员招录考试几月份报名", []),
        ("今年技能大赛啥时候报名", []),
        ("去年考的技师", [("certificate_date", "2025"), ("certificate_level", "technician")]),
    ],
)
def test_corrections_rates_joining_and_recruitment_exams(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A training base's people trained out are its 金蓝领 head count (a firm's: new technicians).
        ("假如我们基地培训出12个高级技师呢",
         [("asker", "training_base"), ("jinlanling_senior_technician_count", "12")]),
        ("我们公司考出3个高级技师", [("asker", "enterprise"), ("new_senior_technician_count", "3")]),
        # ...and the programme they passed through is asked about when money is asked elsewhere.
        ("我们基地金蓝领培训出8个技师 能给多少",
         [("asker", "training_base"), ("measure", "jinlanling_training_subsidy"),
          ("jinlanling_technician_count", "8")]),
        # The rank belongs to the nearer class.
        ("不是一类赛第三 是二类赛第一", [("award", "city_class2_first")]),
        ("一类赛和二类赛第一哪个多", [("award", "city_class2_first")]),
        # 要是 + 不是: a denied hypothesis, not an A-not-A question.
        ("若是不是全职呢", [("full_time_job", "false")]),
        ("你看是不是全职", []),
    ],
)
def test_training_base_counts_class_ranks_and_denied_hypotheses(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A described hukou is where one is from; 在 + place after it is where one works.
        ("外省户口在临淄上班能领吗", [("place", "临淄")]),
        ("户口在淄博 人在济南上班", [("place", "济南")]),
        # Another city's programmes for a group of workers in general.
        ("烟台的技能人才有什么补贴", []),
        ("青岛的技师有什么政策", [("place", "青岛"), ("certificate_level", "technician")]),
        # A frequency asked to be confirmed: the title is its programme.
        ("首席技师是不是隔三年才选一次", [("measure", "chief_technician_allowance")]),
        # A platform's matching funds asked about; the platform built stays the fact.
        ("国家级培训基地的配套资金怎么算", [("measure", "national_training_base_matching")]),
        ("我们有国家级培训基地 能配套多少", [("platforms", "national_training_base")]),
        # The money of self-evaluation asked about, not a firm that does it.
        ("开展自主评价的补助一年能给多少", [("measure", "self_evaluation_support")]),
        ("我们厂搞了自主评价", [("asker", "enterprise"), ("self_evaluation_enterprise", "true")]),
    ],
)
def test_hukou_other_city_groups_and_programmes_asked(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The unit opening its own part asks whether it may apply, whatever the hypothesis before.
        ("要是学徒中途走了 公司还能申请吗", []),
        ("如果我在企业上班 还能领吗", [("employer_type", "enterprise")]),
        # The speaker's employer acting on the speaker is kept.
        ("厂里劳动合同到期不续了 有补偿吗", [("employer_type", "enterprise")]),
        ("我们行业协会办了一场市赛 有补助吗", [("asker", "other_unit"), ("hosted_competition", "city")]),
    ],
)
def test_applicant_employer_acting_and_association_asker(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A competition's prize named without a result is that level's prize measure.
        ("国赛奖金一般多少", "national_competition_prize"),
        ("省赛的奖金啥时候发", "provincial_competition_prize"),
        ("一类赛奖金咋算的", "city_class1_competition_prize"),
        # A programme named in the statement part of a money question is asked about.
        ("俺们基地这期金蓝领考下来技师十来个 能领多少", "jinlanling_training_subsidy"),
    ],
)
def test_a_programme_whose_money_is_asked_is_the_measure(text: str, expected: str) -> None:
    found = default_extractor().extract(normalise_text(text), TODAY)
    assert [e.value for e in found if e.entity == "measure"] == [expected]


@pytest.mark.parametrize(
    ("text", "asker"),
    [
        ("我是技校的应届毕业生 想问问生活补贴", ["person"]),
        ("俺就是个技术工人 能领点啥", ["person"]),
        # A kind of person a question is about is not who asks.
        ("订单班每个毕业生给企业补多少", []),
        ("技术工人考了高级工有补贴吗", []),
    ],
)
def test_a_kind_of_person_is_the_asker_only_said_of_oneself(text: str, asker: list[str]) -> None:
    found = default_extractor().extract(normalise_text(text), TODAY)
    assert [e.value for e in found if e.entity == "asker"] == asker


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 第8条/第17条 match the state's or the province's grant (国家（省级）补助资金) ...
        ("上面下达的国家补助资金有120万", ("national_subsidy", "1200000")),
        ("集训基地建成后省里拨了六十万的补助资金", ("national_subsidy", "600000")),
        ("国家下达的经费是200万", ("national_subsidy", "2000000")),
        # ... not the city's own money.
        ("市里给了30万补助资金", ("money", "300000")),
    ],
)
def test_the_state_or_provincial_grant(text: str, expected: tuple[str, str]) -> None:
    found = default_extractor().extract(normalise_text(text), TODAY)
    assert [(e.entity, e.value) for e in found if e.entity in ("money", "national_subsidy")] == [expected]


@pytest.mark.parametrize(
    ("text", "entity", "span"),
    [
        # Spans the guide draws wider than the word read: a negated boolean with its negation ...
        ("他不算全职 算外包", "full_time_job", "不算全职"),
        ("没评上高级职称", "senior_professional_title", "没评上高级职称"),
        # ... a date with its season ...
        ("孩子是大前年秋天毕的业", "graduation_date", "大前年秋天"),
        # ... a programme with its attached 补贴 / 补助 ...
        ("优质专业补助一般啥时候批", "measure", "优质专业补助"),
        # ... an employer with its trade.
        ("我在周村一家纺织公司上班", "employer_type", "纺织公司"),
        ("在沂源苹果合作社打工", "employer_type", "苹果合作社"),
        ("张店区电机厂的钳工 有高级工证", "employer_type", "电机厂"),
    ],
)
def test_wider_spans_of_the_guide(text: str, entity: str, span: str) -> None:
    found = {e.entity: e.text for e in default_extractor().extract(normalise_text(text), TODAY)}
    assert found.get(entity) == span


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A year keeps the cue of its own part, not one across a pause next to another year.
        ("2020年技工学校毕业 2023年3月入职淄川一家厂",
         [("graduation_date", "2020"), ("employment_start_date", "2023-03")]),
        # An HR officer's 招了: the date the people hired joined.
        ("我们前年招了一批技校生 能领啥", [("employment_start_date", "2024")]),
    ],
)
def test_date_roles_across_pauses_and_hiring(text: str, expected: list[tuple[str, str]]) -> None:
    found = default_extractor().extract(normalise_text(text), TODAY)
    assert [(e.entity, e.value) for e in found if e.entity in DATES] == expected


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("博士学历能领生活补贴不", "school_type", "university"),
        ("事业编的能享受这个不", "employer_type", "public_institution"),
        ("俺一个证也没有", "certificate_level", "none"),
        ("我徒弟是齐鲁首席技师 他能拿啥", "talent_title", "provincial_skill_leader"),
    ],
)
def test_kinds_of_people_and_titles_held(text: str, entity: str, value: str) -> None:
    found = default_extractor().extract(normalise_text(text), TODAY)
    assert (entity, value) in [(e.entity, e.value) for e in found]


@pytest.mark.parametrize(
    "text",
    [
        "评上以后能领到那5万吗",  # a figure pointed at
        "这回新考出来的技师补贴会不会超过10万",  # a limit asked about
        "给我个人社局的号码",  # 个 + 人社局, not 我个人
        "学徒制中高级工一年补多少",  # a kind of apprentice
    ],
)
def test_no_fact_from_words_that_only_look_like_one(text: str) -> None:
    found = default_extractor().extract(normalise_text(text), TODAY)
    assert not [e for e in found if e.entity in ("money", "asker", "certificate_level")]


# ---------------------------------------------------------------- sealed7 / sealed8 rules (new wording)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a diploma (毕业证) is graduation, not a skill certificate
        ("我是2021年7月领的毕业证", [("graduation_date", "2021-07")]),
        ("毕业证是前年拿到的", [("graduation_date", "2024")]),
        # joining a workplace named by its place and trade, or a place in Zibo
        ("俺前年进的周村纺织厂",
         [("employment_start_date", "2024"), ("place", "周村"), ("employer_type", "enterprise")]),
        ("我今年3月才到的临淄", [("employment_start_date", "2026-03"), ("place", "临淄")]),
        # joining said right after the year, a workplace named before (a level in another part)
        ("在高新区一家药厂当质检员 技师 去年来的",
         [("place", "高新区"), ("employer_type", "enterprise"), ("certificate_level", "technician"),
          ("employment_start_date", "2025")]),
        # an intended move is no joining ("明年去民企" in a hypothesis)
        ("假设我明年去民企呢", [("employer_type", "enterprise")]),
        # a graduation to come is scheduled, not a plan
        ("我孙子在技师学院读高级工班 明年7月毕业",
         [("school_type", "technical_school"), ("graduation_class", "senior_class"), ("graduation_date", "2027-07")]),
        # a year something is won in, hypothetically (搞成 is a winning word)
        ("要是明年搞成国家级优质校呢", [("year", "2027"), ("school_achievements", "national_quality_school")]),
    ],
)
def test_date_roles_of_diplomas_joining_and_graduations_to_come(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a figure after 能领到 in a yes-no question is asked about
        ("算下来高级工能领到两万不", [("certificate_level", "senior")]),
        # a value said to be wrong is dropped
        ("刚才说的中级工是错的 我是高级工", [("certificate_level", "senior")]),
        # 一次性补贴 names no measure: the level (or levels) set the figure
        ("技师一次性补贴能给多少", [("certificate_level", "technician")]),
        ("一级和二级一次性补贴差几千",
         [("certificate_level", "senior_technician"), ("certificate_level", "technician")]),
        # titles of articles with several measures name none
        ("技能新星集聚计划都有啥", []),
        ("技能英才支持计划是干嘛的", []),
        # 了解 / 打听 ask about a programme named by its title
        ("想打听一下首席技师", [("measure", "chief_technician_allowance")]),
        ("了解下英才计划", [("measure", "zibo_talent_plan")]),
        # 大专待遇 is the equal treatment, not a school
        ("享受大专待遇要啥条件", [("measure", "technical_graduate_equal_treatment")]),
        # a programme in the statement part of a money question is asked about; the count stays
        ("公共实训今年搞了450人 能拿多少补助",
         [("measure", "public_training_subsidy"), ("public_training_trainees", "450")]),
        ("订单培养今年来厂里上班的有5个 补助多少",
         [("measure", "order_training_subsidy"), ("order_training_hires", "5")]),
        # a platform the unit built, said after its name; "建成了奖多少" (once built) asks about the programme
        ("市技师工作站我们前年就建成了 能补多少", [("platforms", "city_technician_station"), ("year", "2024")]),
        ("国家级技能大师工作室建成了奖多少", [("measure", "skill_platform_construction_funds")]),
    ],
)
def test_figures_corrections_levels_and_programmes_asked_about(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("俩补贴能不能同时享受", [("measure", "funding_rules", "能不能同时享受")]),
        ("有突出贡献技师补贴咋申请", [("measure", "outstanding_technician_allowance", "有突出贡献技师补贴")]),
        ("分级分类管理是啥意思", [("measure", "competition_system", "分级分类管理")]),
        ("在新能源公司上班", [("employer_type", "enterprise", "新能源公司")]),
        ("进了新公司", [("employer_type", "enterprise", "公司")]),
        # a school's proper name is one span; the city in it is no place
        ("我闺女在淄博市技师学院上学", [("school_type", "technical_school", "淄博市技师学院")]),
        ("从山东理工大学毕业的", [("school_type", "university", "山东理工大学")]),
        ("孩子技师学院毕业", [("school_type", "technical_school", "技师学院")]),
    ],
)
def test_spans_of_programmes_employers_and_school_names(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert spans(text) == expected


@pytest.mark.parametrize(
    ("text", "name", "value"),
    [
        ("在章店上班", "place", "张店"),
        ("周存的厂子", "place", "周村"),
        ("在紫川干活", "place", "淄川"),
        ("在沂原县打工", "place", "沂源"),
        ("在环台县上班", "place", "桓台"),
        ("在博三一家厂", "place", "博山"),
        ("高轻县的合作社", "place", "高青"),
        ("预被技师证", "certificate_level", "preparatory_technician"),
        ("我有预背技师证书", "certificate_level", "preparatory_technician"),
        ("考了个高积工", "certificate_level", "senior"),
        ("高级攻", "certificate_level", "senior"),
        ("中极工证", "certificate_level", "intermediate"),
        ("生活不贴咋领", "measure", "graduate_living_allowance"),
        ("技式学院出来的", "school_type", "technical_school"),
    ],
)
def test_typos_carry_the_intended_value(text: str, name: str, value: str) -> None:
    assert entity(text, name) == [value]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a title as the subject of a question about another programme (or its own, named apart)
        ("特级技师能申请英才计划吗",
         [("talent_title", "enterprise_chief_technician"), ("measure", "zibo_talent_plan")]),
        # selected, in a money question of the same part, said of nobody: the programme
        ("选上了首席技师每月给多少", [("measure", "chief_technician_allowance")]),
        # the title of someone trained or hired so
        ("新培养的齐鲁首席技师能补多少",
         [("leader_hiring_mode", "newly_trained"), ("talent_title", "provincial_skill_leader")]),
        ("既是首席技师又是技术技能大师 两个津贴能同时享受吗",
         [("talent_title", "chief_technician"), ("talent_title", "skill_master"), ("measure", "funding_rules")]),
        # 认定 said of nobody asks about the programme
        ("每年认定几家公共实训基地", [("measure", "public_training_base_recognition")]),
        ("全市技能大赛是每年都办吗", [("measure", "competition_system")]),
        # the kind of employer the unit is, named
        ("我们单位是民企", [("asker", "enterprise"), ("employer_type", "enterprise")]),
        # a prize of someone in the unit
        ("我们厂有个徒弟拿了省赛金牌 厂里能得啥", [("asker", "enterprise"), ("award", "provincial_gold")]),
        ("咱是市属技工院校", [("municipal_school", "true"), ("asker", "school")]),
        ("我是学校管就业的老师", [("asker", "school")]),
    ],
)
def test_titles_units_and_prizes_in_context(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("劳动合同可以只交扫描件吗", []),  # a document to hand in
        ("实训人数写错了 应为1800", [("public_training_trainees", "1800")]),  # 应为 gives the corrected number
        ("今年社保还补吗", []),  # now, in a question naming nothing of the asker's
        ("今年在岗培训了80人", [("count", "80")]),  # the 今年 of a head count
        ("外地调来的高级工能领吗", [("certificate_level", "senior")]),  # where people came from
        ("在青岛干了三年 现在调回博山了", [("place", "博山")]),  # the place before 现在 is the past
        ("公办培训学校能申请公共实训补助吗", [("measure", "public_training_subsidy")]),  # the applicant only
        ("顶岗实习的三方协议找谁签", []),  # the kind of agreement
        ("如果今年实训做到900人 能补多少", [("public_training_trainees", "900")]),
        ("订单班的学生来了6个 全都留下了", [("order_training_hires", "6")]),  # the counted, not the asker
        ("国赛银牌和省赛金牌各拿了一个", [("award", "national_silver"), ("award", "provincial_gold")]),
        ("淄川 陶瓷厂 全职", [("place", "淄川"), ("employer_type", "enterprise"), ("full_time_job", "true")]),
        ("灵活就业的社保今年咋交", []),  # 灵活就业 is no employment cue
    ],
)
def test_words_that_are_no_fact_of_the_asker(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A misspelt 高级技师 is never the 高级 (senior) inside it: the figure differs.
        ("去年考下了高级技士证", [("certificate_level", "senior_technician")]),
        # "多说了一级": a step between levels, not the level 一级.
        ("我是四级 刚才打多了一级", [("certificate_level", "intermediate")]),
        ("俺一本证书都没有", [("certificate_level", "none")]),
        # Two months back.
        ("上上个月才进的厂", [("employment_start_date", "2026-09")]),
        # The state's or the province's grant, named by its verb.
        ("国家拨款八十万", [("national_subsidy", "800000")]),
    ],
)
def test_levels_dates_and_grants_seen_in_sealed9(text: str, expected: list[tuple[str, str]]) -> None:
    found = default_extractor().extract(normalise_text(text), TODAY)
    kinds = {kind for kind, _ in expected}
    assert [(e.entity, e.value) for e in found if e.entity in kinds] == expected


@pytest.mark.parametrize(
    "text",
    [
        "市赛金牌的奖金是五千吗",  # a figure offered for a yes or no
        "第三条那五十万是一次给吗",  # a figure pointed at
        "国赛铜牌跟省赛金牌放一块能领多少",  # 一块 = together
    ],
)
def test_figures_in_questions_are_no_facts(text: str) -> None:
    found = default_extractor().extract(normalise_text(text), TODAY)
    assert not [e for e in found if e.entity == "money"]


@pytest.mark.parametrize(
    ("text", "entity", "present"),
    [
        ("在文昌湖那边一家旅游集团上班", "place", True),  # a firm's trade, not a trip
        ("我在淄博技师学院任教 想问问自己的事", "school_type", False),  # where one teaches
        ("青岛的人才公寓好申请吗", "place", False),  # another city's policy
    ],
)
def test_places_and_schools_in_context(text: str, entity: str, present: bool) -> None:
    found = default_extractor().extract(normalise_text(text), TODAY)
    assert any(e.entity == entity for e in found) is present


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the city naming the programme is not the workplace
        ("我在青岛上班 淄博这个补贴我能领不", [("place", "青岛"), ("in_zibo", "false")]),
        ("人在东营的技师 能拿淄博的这些补贴吗", [("place", "东营"), ("in_zibo", "false")]),
        # a past workplace (刚开始 / 起初 在X干) is no place; only the current one
        ("刚开始在潍坊干了两年 后来到张店上班", [("place", "张店"), ("in_zibo", "true")]),
        ("起初在青岛打工 去年才来淄博", [("place", "淄博"), ("in_zibo", "true")]),
        # where hired people came from (从外地 / 从省外) is not where the unit is
        ("我们厂在桓台 去年从省外招来高级技师3名", [("place", "桓台"), ("in_zibo", "true")]),
        # counties and county-level cities around Zibo are elsewhere; a hometown is no place
        ("老家是桓台的 在青州打工", [("place", "青州"), ("in_zibo", "false")]),
        ("在章丘上班", [("place", "章丘"), ("in_zibo", "false")]),
    ],
)
def test_places_seen_in_sealed10(text: str, expected: list[tuple[str, str]]) -> None:
    found = default_extractor().extract(normalise_text(text), TODAY)
    assert [(e.entity, e.value) for e in found if e.entity in ("place", "in_zibo")] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a negated school (没念过 / 没上过 技校) is no school
        ("俺没念过技工学校", []),
        ("没上过技校 初中毕业就工作了", [("school_type", "other")]),
        # people holding a level counted (仨 / 俩 = 3 / 2): a head count, not the speaker's level
        ("别的厂挖过来的技师今年有俩", [("new_technician_count", "2")]),
        ("车间里高级技师有5名 能申报啥", [("count", "5")]),
        ("要是俺家那口子也考下技师 俩人能一起领不", [("certificate_level", "technician")]),
        # N年后 / N年以后 from today; a duration after an event is no date
        ("要是两年以后考下技师呢", [("certificate_date", "2028"), ("certificate_level", "technician")]),
        ("如果五年後拿到高級技師證", [("certificate_date", "2031"), ("certificate_level", "senior_technician")]),
        ("毕业两年后还能领吗", []),
        # the province's grant said before its amount, no 补助资金 after it
        ("假如省级优质校建成了 省里给200万 市里还配套吗",
         [("school_achievements", "provincial_quality_school"), ("national_subsidy", "2000000")]),
        # 从A改成B: only B
        ("要是由兼职改成全职呢", [("full_time_job", "true")]),
        ("若是从新培养改为全职引进", [("leader_hiring_mode", "full_time_hired")]),
        # a programme's payment offered for confirmation: no money, the programme asked about
        ("省技师工作站是补20万吧", [("measure", "skill_platform_construction_funds")]),
    ],
)
def test_levels_dates_and_changes_seen_in_sealed10(text: str, expected: list[tuple[str, str]]) -> None:
    found = default_extractor().extract(normalise_text(text), TODAY)
    assert [(e.entity, e.value) for e in found if e.entity not in ("place", "in_zibo")] == expected


@pytest.mark.parametrize(
    ("text", "entity", "values"),
    [
        # a hotel or restaurant counted as a firm; one opened by the speaker is not
        ("在高新区那家宾馆当服务员", "employer_type", ["enterprise"]),
        ("开了一家小餐馆", "employer_type", []),
        # a trade firm named before a pause, the speaker's job after it
        ("张店的汽车配件厂 俺当电工", "employer_type", ["enterprise"]),
        # the kind of the speaker's employer stated before a question
        ("单位是国企 这算企业吗 我能报不", "employer_type", ["enterprise"]),
        # the agreement denied with words between; asked whether signed: nothing
        ("顶岗实习的三方协议学校那边还没签", "internship_agreement", ["false"]),
        ("三方协议签没签有影响吗", "internship_agreement", []),
        # 我们 + a trade firm is the asker
        ("我们陶瓷厂去年有3个人新考了高级技师", "asker", ["enterprise"]),
        ("俺们物流公司想问问", "asker", ["enterprise"]),
        # a typo carries the intended value
        ("金篮领补贴怎么申请", "measure", ["jinlanling_training_subsidy"]),
    ],
)
def test_employers_and_askers_seen_in_sealed10(text: str, entity: str, values: list[str]) -> None:
    found = default_extractor().extract(normalise_text(text), TODAY)
    assert [e.value for e in found if e.entity == entity] == values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A level not (yet) passed says nothing about the certificates one has: its 还没考 is no
        # "no certificate" (which would make 第4条 not apply to a 高级工).
        ("电工技师证还没考下来呢", []),
        ("我是中级工，高级工还没考", [("certificate_level", "intermediate")]),
        ("高级技师没考试过", []),
        # ...while a certificate not taken at all still is none.
        ("我一直没考证", [("certificate_level", "none")]),
        ("啥证都没有，技师更没考", [("certificate_level", "none")]),
    ],
)
def test_a_level_not_passed_is_no_certificate_level(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The level held before, beside the one held now, is not a second value of the fact
        # (two values make the interview ask again instead of recording either).
        ("焊工技师是前年拿的，原来是高级工", [("certificate_level", "technician"), ("certificate_date", "2024")]),
        ("早先是四级，今年考到三级了", [("certificate_date", "2026"), ("certificate_level", "senior")]),
        ("我现在高级技师，过去是技师", [("certificate_level", "senior_technician")]),
        # Alone, an earlier level is the only level said.
        ("我以前考过中级工", [("certificate_level", "intermediate")]),
    ],
)
def test_an_earlier_level_beside_the_current_one(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A head count said as a lower bound is no figure to multiply a subsidy by; its
        # sentence is still about the people counted, not the asker's own certificate.
        ("今年厂里考出技师的有三十来个", []),
        ("公共实训今年做了五百多人", []),
        ("新取得高级技师的20余名", []),
        ("新取得高级技师的有21名", [("new_senior_technician_count", "21")]),
    ],
)
def test_a_rough_head_count_is_no_count(text: str, expected: list[tuple[str, str]]) -> None:
    assert facts(text) == expected
