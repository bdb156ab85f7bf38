"""The manager's texts that come from the core (app/manager: KPI names and definitions,
table titles and headings, chart titles), marked for Qt's translator. tests/test_manager_ui.py
checks that every text the core offers is here."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CORE_TEXTS = (
    QT_TRANSLATE_NOOP("Kpi", "取号数"),
    QT_TRANSLATE_NOOP(
        "Kpi", "所选时段内各日取号的张数（按大厅所在时区的日期计）；转移的号只算一张。"
    ),
    QT_TRANSLATE_NOOP("Kpi", "办结数"),
    QT_TRANSLATE_NOOP("Kpi", "状态为已办结的号数。"),
    QT_TRANSLATE_NOOP("Kpi", "过号数"),
    QT_TRANSLATE_NOOP("Kpi", "叫号后未到窗口、当日也未再办理的号数。"),
    QT_TRANSLATE_NOOP("Kpi", "过号率"),
    QT_TRANSLATE_NOOP("Kpi", "过号数 ÷ 取号数。"),
    QT_TRANSLATE_NOOP("Kpi", "未叫号数"),
    QT_TRANSLATE_NOOP("Kpi", "从取号到当日结束一直未被叫到的号数（含仍在等候的号）。"),
    QT_TRANSLATE_NOOP("Kpi", "平均等候时长"),
    QT_TRANSLATE_NOOP("Kpi", "取号到首次叫号的时长（分钟）的平均值，只计已叫号的号。"),
    QT_TRANSLATE_NOOP("Kpi", "等候时长中位数"),
    QT_TRANSLATE_NOOP("Kpi", "取号到首次叫号时长的中位数（分钟）。"),
    QT_TRANSLATE_NOOP("Kpi", "等候时长90%分位"),
    QT_TRANSLATE_NOOP(
        "Kpi", "90% 的号在此时长（分钟）内被叫到：把已叫号的等候时长从小到大排，第 ⌈0.9n⌉ 个。"
    ),
    QT_TRANSLATE_NOOP("Kpi", "平均走到窗口时长"),
    QT_TRANSLATE_NOOP("Kpi", "叫号到开始办理的时长（分钟）的平均值；转移过的号不计。"),
    QT_TRANSLATE_NOOP("Kpi", "平均办理时长"),
    QT_TRANSLATE_NOOP("Kpi", "开始办理到办结的时长（分钟）的平均值。"),
    QT_TRANSLATE_NOOP("Kpi", "办理时长中位数"),
    QT_TRANSLATE_NOOP("Kpi", "开始办理到办结时长的中位数（分钟）。"),
    QT_TRANSLATE_NOOP("Kpi", "办理时长90%分位"),
    QT_TRANSLATE_NOOP("Kpi", "办理时长从小到大排，第 ⌈0.9n⌉ 个（分钟）。"),
    QT_TRANSLATE_NOOP("Kpi", "超时等候占比"),
    QT_TRANSLATE_NOOP(
        "Kpi", "等候超过大厅目标时长的号 ÷ 取号数；未叫到的号按取号到当日结束（或现在）计算等候。"
    ),
    QT_TRANSLATE_NOOP("Kpi", "容缺受理件数"),
    QT_TRANSLATE_NOOP("Kpi", "所选时段内受理、决定为容缺受理的办件数。"),
    QT_TRANSLATE_NOOP("Kpi", "容缺逾期件数"),
    QT_TRANSLATE_NOOP("Kpi", "这些办件中，有容缺材料过了补齐期限仍未补齐、或逾期才补齐的件数。"),
    QT_TRANSLATE_NOOP("Kpi", "逾期未补齐件数"),
    QT_TRANSLATE_NOOP("Kpi", "容缺材料已过期限、至今仍未补齐的办件数。"),
    QT_TRANSLATE_NOOP("Kpi", "评价数"),
    QT_TRANSLATE_NOOP("Kpi", "所选时段内的号收到的好差评数。"),
    QT_TRANSLATE_NOOP("Kpi", "平均评分"),
    QT_TRANSLATE_NOOP("Kpi", "非常满意=5 … 非常不满意=1 的平均分。"),
    QT_TRANSLATE_NOOP("Kpi", "差评数"),
    QT_TRANSLATE_NOOP("Kpi", "不满意和非常不满意的评价数。"),
    QT_TRANSLATE_NOOP("Kpi", "待回访差评"),
    QT_TRANSLATE_NOOP("Kpi", "标记为需要回访的差评数。"),
    QT_TRANSLATE_NOOP("Kpi", "办件（申请）数"),
    QT_TRANSLATE_NOOP(
        "Kpi", "所选时段内首次受理的申请数：补正后重新提交的办件与原办件算同一申请。"
    ),
    QT_TRANSLATE_NOOP("Kpi", "每件跑动次数"),
    QT_TRANSLATE_NOOP("Kpi", "每件申请（含补正、补齐）来大厅的次数（取号次数）的平均值。"),
    QT_TRANSLATE_NOOP("Kpi", "只跑一次率"),
    QT_TRANSLATE_NOOP(
        "Kpi", "已办结（受理、容缺受理或不予受理）的申请中，最多来一次大厅就办成的比例。"
    ),
    QT_TRANSLATE_NOOP("Kpi", "开放窗口数"),
    QT_TRANSLATE_NOOP("Kpi", "该小时内叫过号的窗口数（按日平均）。"),
    QT_TRANSLATE_NOOP("Kpi", "建议窗口数"),
    QT_TRANSLATE_NOOP(
        "Kpi",
        "按 Erlang C 排队模型，以该小时的平均到达数和平均办理时长，使平均等候不超过目标所需的最少窗口数。",
    ),
    QT_TRANSLATE_NOOP("Kpi", "到达数"),
    QT_TRANSLATE_NOOP("Kpi", "该小时内取号的张数（按日平均或合计）。"),
    QT_TRANSLATE_NOOP("Kpi", "平均等候（分钟）"),
    QT_TRANSLATE_NOOP("Kpi", "等候90%分位（分钟）"),
    QT_TRANSLATE_NOOP("Kpi", "平均办理（分钟）"),
    QT_TRANSLATE_NOOP("Kpi", "超时等候数"),
    QT_TRANSLATE_NOOP("Kpi", "（转移后未再叫号）"),
    QT_TRANSLATE_NOOP("Kpi", "全厅"),
    QT_TRANSLATE_NOOP("Kpi", "各窗口"),
    QT_TRANSLATE_NOOP("Kpi", "窗口"),
    QT_TRANSLATE_NOOP("Kpi", "名称"),
    QT_TRANSLATE_NOOP("Kpi", "指标"),
    QT_TRANSLATE_NOOP("Kpi", "指标代码"),
    QT_TRANSLATE_NOOP("Kpi", "数值"),
    QT_TRANSLATE_NOOP("Kpi", "各时段与窗口建议"),
    QT_TRANSLATE_NOOP("Kpi", "时段"),
    QT_TRANSLATE_NOOP("Kpi", "到达数（日均）"),
    QT_TRANSLATE_NOOP("Kpi", "办结数（日均）"),
    QT_TRANSLATE_NOOP("Kpi", "事项办件量"),
    QT_TRANSLATE_NOOP("Kpi", "事项编码"),
    QT_TRANSLATE_NOOP("Kpi", "事项"),
    QT_TRANSLATE_NOOP("Kpi", "各工作人员"),
    QT_TRANSLATE_NOOP("Kpi", "工号"),
    QT_TRANSLATE_NOOP("Kpi", "各业务类别"),
    QT_TRANSLATE_NOOP("Kpi", "业务类别"),
    QT_TRANSLATE_NOOP("Kpi", "每小时到达与办结"),
    QT_TRANSLATE_NOOP("Kpi", "到达"),
    QT_TRANSLATE_NOOP("Kpi", "办结"),
    QT_TRANSLATE_NOOP("Kpi", "等候时长分布（分钟）"),
    QT_TRANSLATE_NOOP("Kpi", "各窗口办结数与平均等候（分钟）"),
    QT_TRANSLATE_NOOP("Kpi", "平均等候"),
)


def kpi_tr(text: str) -> str:
    """A core text in the desk's language (as it is, if the catalogue lacks it)."""
    return QCoreApplication.translate("Kpi", text)
