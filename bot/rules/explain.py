"""Plain Chinese for a citizen, built from the same checks that decided the result.

Every measure is cited as 第N条 and every amount comes from the evaluation (which
took it from ``knowledge/``); nothing here invents a figure.
"""

from __future__ import annotations

from bot.rules.amounts import yuan
from bot.rules.engine import Evaluation, MeasureResult
from bot.rules.model import Knowledge

DISCLAIMER = "以上为政策咨询参考，是否享受、具体金额以主管部门审核认定为准。"


def _line(r: MeasureResult) -> str:
    m = r.measure
    parts = [f"{m.citation} {m.name}"]
    if m.kind == "non_monetary":
        return f"{m.citation} {m.name}：{m.summary}"
    if r.amount is not None and r.amount.text:
        parts.append(f"：{r.amount.text}")
    parts.append(f"，发给{m.beneficiary}")
    if m.funding and len(m.funding) > 1:
        shares = "、".join(f"{f.payer}{f.share * 100:g}%" for f in m.funding)
        parts.append(f"（{shares}）")
    parts.append("。")
    return "".join(parts)


def is_general_provision(r: MeasureResult) -> bool:
    """No conditions and no money (publicity, funding rules): not news to a user unless asked."""
    return not r.measure.conditions and r.measure.kind == "non_monetary"


def explain(knowledge: Knowledge, evaluation: Evaluation, *, asked: set[int] | None = None,
            include_undecided: bool = True, monetary_undecided_only: bool = False) -> str:
    """The citizen-facing explanation of an evaluation.

    ``asked``: articles the user asked about; for those, measures that do not apply are
    explained too (otherwise they are left out to keep the answer short).
    """
    asked = asked or set()
    results = [r for r in evaluation.results
               if (not is_general_provision(r) or r.measure.article in asked)
               and (not asked or r.measure.article in asked or r.status in ("applies", "may_apply"))]
    applies = [r for r in results if r.status == "applies"]
    may = [r for r in results if r.status == "may_apply"]
    undecided = [r for r in results if r.status == "undecided"
                 and not (monetary_undecided_only and r.measure.kind == "non_monetary")]
    refused = [r for r in results if r.status == "not_applicable" and r.measure.article in asked]

    d = evaluation.as_of
    lines = [f"根据您提供的情况（按{d.year}年{d.month}月{d.day}日计算）："]
    if applies:
        lines.append("【可以享受】")
        for r in applies:
            line = "· " + _line(r)
            if not r.cumulative:
                line += "（不重复享受，不计入合计）"
            lines.append(line)
            if r.reading:
                lines.append(f"  说明：{r.reading}")
        money = [r for r in applies if r.cumulative and r.amount is not None and r.amount.total_yuan]
        if len(money) > 1 or (money and any(not r.cumulative for r in applies)):
            lines.append(f"  合计：{yuan(evaluation.total_yuan)}")
    if may:
        lines.append("【可以申报（需经选拔、认定或核实）】")
        for r in may:
            line = "· " + _line(r)
            if r.reading:
                line += f" {r.reading}"
            lines.append(line)
            lines.append(f"  申报：{r.measure.how_to_apply}")
    if include_undecided and undecided:
        lines.append("【还需确认】")
        for r in undecided[:6]:
            lines.append(f"· {r.measure.citation} {r.measure.name}：{r.reason.removeprefix('还需确认：')}")
        if len(undecided) > 6:
            lines.append(f"· 另有{len(undecided) - 6}项需要更多信息。")
    if refused:
        lines.append("【不适用】")
        for r in refused:
            lines.append(f"· {r.measure.citation} {r.measure.name}：{r.reason}")
    notes = list(dict.fromkeys(n for r in applies + may for n in r.notes))
    if notes:
        lines.append("【注意】")
        lines.extend(f"· {n}" for n in notes)
    units = list(dict.fromkeys(u for r in applies + may for u in r.measure.responsible_units))
    if units:
        lines.append(f"咨询和申请：{'、'.join(units)}；人社服务热线{knowledge.hotline}。")
    if not (applies or may or undecided or refused):
        lines.append("按目前的情况，没有找到适用的措施。您可以补充证书、毕业、工作单位或获奖情况，"
                     f"也可以拨打人社服务热线{knowledge.hotline}咨询。")
    lines.append(DISCLAIMER)
    return "\n".join(lines)
