"""What each KPI means, in the hall's words (Chinese; the UI translates them). One table, so the
desk, the reports and the central store's API say the same thing."""

from __future__ import annotations

#: key -> (name, definition)
KPI_TEXTS: dict[str, tuple[str, str]] = {
    "tickets": ("取号数", "所选时段内各日取号的张数（按大厅所在时区的日期计）；转移的号只算一张。"),
    "served": ("办结数", "状态为已办结的号数。"),
    "no_show": ("过号数", "叫号后未到窗口、当日也未再办理的号数。"),
    "no_show_rate": ("过号率", "过号数 ÷ 取号数。"),
    "unserved": ("未叫号数", "从取号到当日结束一直未被叫到的号数（含仍在等候的号）。"),
    "wait_mean": ("平均等候时长", "取号到首次叫号的时长（分钟）的平均值，只计已叫号的号。"),
    "wait_median": ("等候时长中位数", "取号到首次叫号时长的中位数（分钟）。"),
    "wait_p90": (
        "等候时长90%分位",
        "90% 的号在此时长（分钟）内被叫到：把已叫号的等候时长从小到大排，第 ⌈0.9n⌉ 个。",
    ),
    "walk_mean": ("平均走到窗口时长", "叫号到开始办理的时长（分钟）的平均值；转移过的号不计。"),
    "service_mean": ("平均办理时长", "开始办理到办结的时长（分钟）的平均值。"),
    "service_median": ("办理时长中位数", "开始办理到办结时长的中位数（分钟）。"),
    "service_p90": ("办理时长90%分位", "办理时长从小到大排，第 ⌈0.9n⌉ 个（分钟）。"),
    "over_target_share": (
        "超时等候占比",
        "等候超过大厅目标时长的号 ÷ 取号数；未叫到的号按取号到当日结束（或现在）计算等候。",
    ),
    "gap_cases": ("容缺受理件数", "所选时段内受理、决定为容缺受理的办件数。"),
    "gap_overdue": (
        "容缺逾期件数",
        "这些办件中，有容缺材料过了补齐期限仍未补齐、或逾期才补齐的件数。",
    ),
    "gap_open_overdue": ("逾期未补齐件数", "容缺材料已过期限、至今仍未补齐的办件数。"),
    "ratings": ("评价数", "所选时段内的号收到的好差评数。"),
    "rating_mean": ("平均评分", "非常满意=5 … 非常不满意=1 的平均分。"),
    "bad_ratings": ("差评数", "不满意和非常不满意的评价数。"),
    "follow_up_pending": ("待回访差评", "标记为需要回访的差评数。"),
    "applications": (
        "办件（申请）数",
        "所选时段内首次受理的申请数：补正后重新提交的办件与原办件算同一申请。",
    ),
    "visits_per_case": (
        "每件跑动次数",
        "每件申请（含补正、补齐）来大厅的次数（取号次数）的平均值。",
    ),
    "one_visit_rate": (
        "只跑一次率",
        "已办结（受理、容缺受理或不予受理）的申请中，最多来一次大厅就办成的比例。",
    ),
    "windows_open": ("开放窗口数", "该小时内叫过号的窗口数（按日平均）。"),
    "windows_needed": (
        "建议窗口数",
        "按 Erlang C 排队模型，以该小时的平均到达数和平均办理时长，使平均等候不超过目标所需的最少窗口数。",
    ),
    "arrivals": ("到达数", "该小时内取号的张数（按日平均或合计）。"),
}


def kpi_name(key: str) -> str:
    return KPI_TEXTS[key][0]


def kpi_definition(key: str) -> str:
    return KPI_TEXTS[key][1]
