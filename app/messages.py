"""Every text the core produces for people, by a stable code: ONE table of Chinese templates.

The core never builds a sentence for people with an f-string: it makes a `Message(code,
**params)`. A Message is the Chinese line itself (a `str`, so the command line, the logs and
the printed papers use it as it is) and also carries its `code` and `params`, so the desk's
UI can show it in the desk's language instead (`ui/messages.py` holds the same table marked
for Qt's translator; tests/test_messages.py checks the two agree).

Parameters hold data (names, numbers, dates), never prose: a parameter that is itself text
for people is a Message (translated with the rest), and a list or tuple parameter is an
enumeration, joined with "、" here (and with the desk language's separator in the UI).
Placeholders are `str.format` fields, `{name}`; a date is written `{name}` (2026-12-03) or
`{name:long}` (2026年12月03日, in the desk's language in the UI: `LONG_DATE`).
"""

from __future__ import annotations

import functools
import string
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Union

from db.messages import STORE_MESSAGES

Param = Union[str, int, date, "Message", Sequence["Param"], None]

# Between the items of an enumeration parameter, and between several problems in one error.
LIST_SEPARATOR = "、"
PROBLEM_SEPARATOR = "；"
# A date's long form ({name:long}), as strftime.
LONG_DATE = "%Y年%m月%d日"

MESSAGES: dict[str, str] = {
    # --- generic ------------------------------------------------------------------------
    "value.unset": "（未填）",
    "value.empty": "（空）",
    # --- names of things (labels) ------------------------------------------------------
    "ticket.status.waiting": "等候中",
    "ticket.status.called": "已叫号",
    "ticket.status.serving": "办理中",
    "ticket.status.passed": "已过号",
    "ticket.status.done": "已办结",
    "ticket.status.closed": "已关闭",
    "ticket.kind.normal": "普通",
    "ticket.kind.priority": "优先",
    "ticket.kind.appointment": "预约",
    "ticket.group.elderly": "老年人",
    "ticket.group.pregnant": "孕妇",
    "ticket.group.disability": "残疾人",
    "ticket.group.service_member": "军人",
    "decision.kind.accept": "受理",
    "decision.kind.accept_with_gap": "容缺受理",
    "decision.kind.notify": "一次性告知",
    "decision.kind.reject": "不予受理",
    "material.status.received_original_checked": "原件已核验",
    "material.status.received_original_kept": "原件已收取",
    "material.status.received_copies": "已收复印件",
    "material.status.electronic": "电子材料已获取",
    "material.status.missing": "缺少",
    "material.status.tolerated": "容缺",
    "material.status.defective": "有瑕疵",
    "material.status.not_applicable": "不适用",
    "case.status.received": "已收件",
    "case.status.accepted": "已受理",
    "case.status.accepted_with_gap": "容缺受理",
    "case.status.awaiting_supplement": "待补齐",
    "case.status.supplemented": "已补齐",
    "case.status.notified": "已一次性告知",
    "case.status.rejected": "不予受理",
    "case.status.withdrawn": "已撤回",
    "case.status.in_review": "部门审查中",
    "case.status.decided": "已办结",
    "case.status.delivered": "已送达",
    "deadline.normal": "正常",
    "deadline.warning": "临期",
    "deadline.overdue": "超期",
    "document.receipt": "受理通知书",
    "document.commitment": "容缺受理承诺书",
    "document.notice": "一次性告知书",
    "document.rejection": "不予受理通知书",
    "document.ticket": "排队票",
    "field.name": "姓名",
    "field.applicant_name": "申请人姓名",
    "field.org_name": "单位名称",
    "field.agent_name": "代理人姓名",
    "field.id_number": "身份证号码",
    "field.agent_id_number": "代理人身份证号码",
    "field.phone": "联系电话",
    "field.agent_phone": "代理人联系电话",
    # An organisation acts through its 经办人: the same fields, named so.
    "field.handler_name": "经办人姓名",
    "field.handler_id_number": "经办人身份证号码",
    "field.handler_phone": "经办人联系电话",
    # --- the rules: identity fields --------------------------------------------------------
    "field.empty": "请填写{what}",
    "identity.id_length": "{what}应为18位，现为{length}位",
    "identity.id_body_digits": "{what}前17位应全为数字",
    "identity.id_check_char": "{what}最后一位应为数字或X",
    "identity.id_region": "{what}的地区码{region}无效",
    "identity.id_birth": "{what}中的出生日期{birth}无效",
    "identity.id_checksum": "{what}校验位不正确，请核对号码",
    "identity.uscc_empty": "请填写统一社会信用代码",
    "identity.uscc_length": "统一社会信用代码应为18位，现为{length}位",
    "identity.uscc_chars": "统一社会信用代码含有不允许的字符：{chars}（不使用I、O、Z、S、V）",
    "identity.uscc_region": "统一社会信用代码第3至8位（登记管理机关行政区划码）应为数字",
    "identity.uscc_checksum": "统一社会信用代码校验位不正确，请核对代码",
    "identity.mobile_length": "手机号码应为1开头的11位数字，现为{length}位",
    "identity.phone_format": "{what}格式不正确：手机号码为11位数字，固定电话如0436-6123456",
    "identity.name_too_long": "{what}过长：最多{limit}个字，现为{length}个字",
    "identity.name_control": "{what}中含有不可见的控制字符，请重新输入",
    "identity.name_unprintable": "{what}中的「{chars}」无法打印（字库中没有这个字），请核对后重新输入",
    "applicant.kind": "请选择申请人类型（个人或单位）",
    # --- the rules: materials and the decision -------------------------------------------
    "entry.negative_copies": "「{material}」的份数不能为负数",
    "entry.must_keep_original": "「{material}」须收取原件，不能核验后退还",
    "entry.needs_copies_too": "「{material}」须另收复印件{needed}份，现为{copies}份",
    "entry.needs_original": "「{material}」须提供原件，复印件不能代替",
    "entry.needs_copies": "「{material}」须提供复印件{needed}份，现为{copies}份",
    "entry.needs_paper": "「{material}」须提供纸质材料：{requirement}，不接受电子材料",
    "entry.not_tolerable": "「{material}」不可容缺",
    "entry.defect_reason": "请填写「{material}」不符合要求的原因",
    "entry.required": "「{material}」为必需材料，不能标记为不适用",
    "decision.unknown_materials": "清单中没有这些材料：{codes}",
    "received.copies": "{status}{copies}份",
    "received.with_copies": "{status}，另收复印件{copies}份",
    "why.missing": "未提供",
    "why.missing_conditional": "未提供（适用情形：{condition}）",
    "why.not_applicable": "不适用",
    "why.optional_missing": "可选材料，未提供",
    "why.optional_defective": "可选材料，不符合要求：{defect}",
    "why.defective": "不符合要求：{defect}",
    "why.gap_no_deadline": "未提供（可容缺，但承诺时限内无法安排补正期限）",
    "why.gap_unsigned": "未提供（可容缺，但申请人未签署容缺承诺书）",
    "why.gap": "未提供（可容缺）",
    "reason.not_this_hall": "不属于本大厅受理范围：{reason}",
    "reason.notify": "申请材料不齐全或不符合法定形式，一次性告知需要补正的全部内容",
    "reason.material": "「{material}」{why}",
    "reason.accept_with_gap": "主要材料齐全，其余材料可容缺，申请人已签署容缺承诺书，予以容缺受理",
    "reason.gap_deadline": "「{material}」容缺，须于{deadline:long}前补齐",
    "reason.accept": "申请材料齐全、符合法定形式，予以受理",
    "reason.override": "经{manager}批准，改为{decision}：{reason}",
    "override.no_reason": "改变规则的决定须填写理由",
    "override.no_manager": "改变规则的决定须经大厅负责人批准",
    "override.same_decision": "规则的决定已是{decision}，无需改变",
    "override.gap_unsigned": "容缺受理须由申请人签署容缺承诺书",
    "override.gap_no_deadline": "「{material}」在承诺时限内无法安排补正期限，不能容缺受理",
    "override.nothing_missing": "没有缺少的材料，无需容缺受理",
    "decision.unconfirmed_conditional": "请先确认这些视情形材料是否适用（适用的标记收取或缺少，不适用的标记不适用）：{materials}",
    "override.gap_core": "主要材料、申请书和申请人身份证明不能容缺，负责人也不能改为容缺受理：{materials}",
    "case.reject_needs_reason": "不予受理须写明理由",
    "case.reject_bad_ground": "未知的不予受理情形：{ground}",
    "case.reject_needs_referral": "申请事项不属于本机关职权范围的，须告知申请人向哪个机关申请（《行政许可法》第三十二条第一款第（二）项），请填写受理机关",
    "case.reject_needs_matter": "请选择申请事项；目录中没有的，请写明申请人要办理的事项",
    "override.not_manager": "{manager}不是在岗的大厅负责人，不能批准改变规则的决定",
    "calendar.year_unknown": (
        "{year}年的法定节假日尚未收录：该年按周末和目录中的节假日调整计算工作日，"
        "期限可能不准确，请更新目录的节假日表"
    ),
    # --- the rules: case lifecycle ---------------------------------------------------------
    "case.unknown_status": "未知的办件状态：{status}",
    "case.final_status": "办件状态为「{current}」，不能再变为「{wanted}」",
    "case.bad_transition": "办件状态不能从「{current}」变为「{wanted}」（可变为：{allowed}）",
    # --- cases ----------------------------------------------------------------------------
    "case.choose_matter": "请选择事项，或选择一件事（二者选一）",
    "case.no_bundle": "一件事不存在：{bundle}",
    "case.duplicate_matters": "事项重复选择：{matters}",
    "case.no_matters": "事项不存在：{matters}",
    "case.numbers_used_up": "{window}号窗口今日的办件编号已用完（每日最多{limit}件）",
    "case.no_window": "本机未设置窗口号（1–99），不能受理办件",
    "case.no_division": "未设置大厅的6位行政区划代码，不能生成办件编号",
    "case.not_found": "办件不存在：{case}",
    "case.gaps_still_open": "容缺材料尚未补齐，不能办结：{materials}",
    "case.no_open_gaps": "办件状态为「{status}」，没有待补齐的容缺材料",
    "case.choose_supplied": "请选择补齐的材料",
    "supplement.not_a_gap": "「{material}」不是本办件的容缺材料",
    "supplement.already": "「{material}」已于{day}补齐",
    "supplement.too_late": "「{material}」的补齐期限{deadline}已过，容缺办件应终止办理",
    "supplement.must_receive": "「{material}」补齐时须登记为已收取",
    "case.resubmit_not_notified": (
        "办件{case}的状态为「{status}」，只有已一次性告知的办件才能补正后重新受理"
    ),
    "case.already_resubmitted": "办件{case}已补正重新受理为{follower}",
    "case.status_automatic": "「{status}」由受理或补齐自动设置，不能手工变更",
    "case.status_reason": "撤回或终止办理须填写原因",
    # --- documents ------------------------------------------------------------------------
    "document.numbers_used_up": "{window}号窗口今日的文书编号已用完（每类每日最多{limit}份）",
    "document.file_numbers_used_up": "{window}号窗口今年「{code}」的文号已用完",
    "document.unknown_kind": "未知的文书类型：{kind}",
    "document.bad_division": "行政区划代码应为6位数字：{division}",
    "document.ticket_needs_ticket": "排队票必须对应一个排队号",
    "document.needs_case": "受理类文书必须对应一个办件",
    "document.not_pdf": "文书内容不是PDF，未能出具",
    "document.not_found": "文书不存在，无法记录打印",
    "document.never_printed": "文书{doc_no}尚未打印过，不能补打",
    "document.already_printed": "文书{doc_no}已打印，再次打印请使用补打",
    "document.print_not_pdf": "打印内容不是PDF",
    "print.no_server": "无法连接打印服务（{error}）",
    "print.server_refused": "打印服务拒绝了请求（{error}）",
    "print.no_such_printer": "找不到打印机“{printer}”",
    "print.queue_rejecting": "打印机“{printer}”当前拒绝接收打印任务",
    "print.queue_paused": "打印机“{printer}”已暂停",
    "print.device_unreachable": "打印机“{printer}”无法连接",
    "print.job_stuck": "打印机“{printer}”迟迟未完成打印",
    "print.job_aborted": "打印机“{printer}”打印失败（{error}）",
    "print.job_cancelled": "打印机“{printer}”上的打印任务已被取消",
    "print.job_lost": "打印任务{job}已找不到",
    "print.cancelled_waiting": "{reason}，打印任务已取消，未打印",
    "print.submit_failed": "打印机“{printer}”未接收打印任务（{error}）",
    "print.paper_mismatch": "文书纸张为{page}，打印机“{printer}”只有{papers}纸张，未打印",
    "print.not_a_file": "无法读取文件{path}（{error}）",
    "print.printed": "已打印：打印机{printer}，任务{job}",
    "document.bad_number": "文书编号格式不正确：{doc_no}",
    "document.no_data_dir": "数据库不在数据目录中，无法确定文书的保存位置",
    "document.outside_data_dir": "文书文件路径不在数据目录内：{path}",
    "document.case_not_accepted": "办件{case}未受理，不能出具受理通知书",
    "document.no_gaps": "办件{case}没有容缺材料，无需容缺承诺书",
    "document.nothing_needed": "办件{case}没有需要补正的材料，不能出具一次性告知书",
    # --- the hall and the desk --------------------------------------------------------------
    "hall.not_configured": "本机尚未配置大厅",
    "hall.no_such_window": "大厅没有 {window} 号窗口",
    "hall.no_such_clerk": "没有工号为 {clerk} 的在岗工作人员",
    # The hall's configuration (the settings dialog and the hall file); {where} is a place in
    # the file's form, e.g. lines[2].ticket_prefix (data, not translated).
    "hall.name_empty": "大厅名称不能为空",
    "hall.name_too_long": "大厅名称不能超过 {limit} 个字",
    "hall.bad_division": "行政区划代码应为 6 位数字（如白城市 220800）",
    "hall.bad_target_wait": "目标等候时间应在 1 到 480 分钟之间",
    "hall.query_url_no_case_no": "进度查询链接中须含有 {{case_no}}，用于填入办件编号",
    "hall.query_url_scheme": "进度查询链接须以 http:// 或 https:// 开头",
    "hall.bad_priority_policy": "优先叫号规则只能是 {policies}",
    "hall.bad_every_n": "“每 N 个普通号插一个优先号”中的 N 应在 1 到 50 之间",
    "hall.line_unnamed": "{where}: 业务类别的代码和名称不能为空",
    "hall.bad_prefix": "{where}: 号码前缀应为一个大写字母（不用 I、O、Y，Y 留给预约号）",
    "hall.duplicate_line_codes": "{where}: 业务类别代码重复",
    "hall.duplicate_prefixes": "{where}: 号码前缀重复",
    "hall.several_defaults": "{where}: 只能有一个默认业务类别",
    "hall.duplicate_windows": "{where}: 窗口号重复",
    "hall.bad_window_number": "{where}: 窗口号应在 1 到 99 之间",
    "hall.window_without_lines": "{where}: 窗口至少要办理一个业务类别",
    "hall.window_unknown_line": "{where}: 未知的业务类别 {line}",
    "hall.duplicate_clerks": "{where}: 工号重复",
    "hall.bad_role": "{where}: 角色只能是 {roles}",
    "hall.bad_doc_code": "{where}: 机关代字应为 1 至 12 个汉字（如 白市监受）",
    "hall.duplicate_organ": "{where}: 部门 {code} 的机关代字重复",
    "hall.organ_no_department": "{where}: 缺少部门编码",
    "hall.clerk_unnamed": "{where}: 工号和姓名不能为空",
    "hall.window_in_use": "{window} 号窗口还有 {number} 号在叫号或办理，不能删除",
    "hall.desk_window_removed": "本机设为 {window} 号窗口，不能删除它；请先在“本机”页改选窗口",
    "hall.desk_clerk_removed": "本机的工作人员 {clerk} 不能删除；请先在“本机”页改选工作人员",
    "hall.window_left_out": (
        "窗口 {window} 不在文件中，导入后将没有可办理的业务类别；请在文件中列出 {window} 号窗口及其业务类别"
    ),
    "hall.line_has_tickets": (
        "业务类别 {code}（{name}）已有取号记录，不能删除；可以改名，或不再让任何窗口办理它"
    ),
    # The hall file's own checks; {value} is what the file holds there, as written.
    "hall_file.problems": "大厅配置有误：{problem}",
    "hall_file.top_not_object": "大厅配置文件的最外层应是一个对象",
    "hall_file.bad_format": "大厅配置文件格式不对（应为 {format}）",
    "hall_file.missing_field": "大厅配置有误：{where} 缺少此字段",
    "hall_file.not_text": "大厅配置有误：{where} 应为文字，而不是 {value}",
    "hall_file.too_long": "大厅配置有误：{where} 过长（最多 {limit} 个字）",
    "hall_file.markup": "大厅配置有误：{where} 名称中不能有 < 或 >",
    "hall_file.not_whole": "大厅配置有误：{where} 应为整数，而不是 {value}",
    "hall_file.not_flag": "大厅配置有误：{where} 应为 true 或 false，而不是 {value}",
    "hall_file.not_array": "大厅配置有误：{where} 应为数组",
    "hall_file.too_many": "大厅配置有误：{where} 最多 {limit} 项",
    "hall_file.not_object": "大厅配置有误：{where} 应为对象",
    "hall_file.not_codes": "大厅配置有误：{where} 应为编码（文字）的数组",
    "hall_file.unknown_field": "大厅配置有误：{where} 中有不认识的字段 {field}",
    # --- the queue ------------------------------------------------------------------------
    "queue.announcement": "请{number}号到{window}号窗口办理",
    "queue.bad_id_number": "证件号码格式不正确",
    "queue.no_line": "没有业务类别“{line}”",
    "queue.no_desk_window": "本机未设置窗口号，不能叫号",
    "queue.no_window": "没有{window}号窗口",
    "queue.no_ticket": "没有这张号票",
    "queue.wrong_status": "{number}号当前{status}，只有{wanted}的号才能这样操作",
    "queue.other_window": "{number}号不在本窗口（在{window}号窗口）",
    "queue.unknown_kind": "未知的号票类型“{kind}”",
    "queue.choose_group": "优先号需选择优先对象（老年人、孕妇、残疾人或军人）",
    "queue.group_not_priority": "只有优先号才有优先对象",
    "queue.already_holding": "该证件今天已在“{line}”排队，同一业务不能重复取号；忘记号码请到咨询台",
    "queue.offline_needs_window": "离线取号需要本机的窗口号",
    "queue.kiosk_no_offline": "中心库未连接：本机无离线号段",
    "queue.window_paused": "{window}号窗口已暂停，请先恢复叫号",
    "queue.window_busy": "{number}号仍在本窗口（{status}），请先结束办理、过号或转移",
    "queue.request_other_window": "该叫号请求属于其他窗口",
    "queue.call_conflicts": "叫号冲突过多，请重试",
    "queue.not_today": "{number}号不是今天的号",
    "queue.cannot_call": "{number}号当前{status}，不能叫号",
    "queue.transferred_to": "{number}号已转给{window}号窗口",
    "queue.taken": "{number}号刚被其他窗口叫走",
    "queue.no_window_set": "本机未设置窗口号",
    "queue.no_show_reason": "过号需填写原因",
    "queue.cannot_reactivate": "{number}号当前{status}，只有过号的号能恢复",
    "queue.reactivate_not_today": "{number}号不是今天的号，不能恢复",
    "queue.choose_transfer": "请选择转移到的业务或窗口",
    "queue.same_line": "{number}号已在“{line}”",
    "queue.same_window": "不能转移到本窗口",
    "queue.not_serving": "{number}号尚未开始办理，不能结束",
    "queue.already_paused": "{window}号窗口已暂停",
    "queue.already_calling": "{window}号窗口已在叫号",
    "queue.close_reason": "日终关闭需填写原因",
    "queue.left_over": "日终未办理（次日开机自动关闭）",
    "queue.unknown_purpose": "未知的来访目的“{purpose}”",
    "queue.visit_needs_case": "缺少办件",
    "queue.bad_rating": "评价需在非常满意到非常不满意之间选择",
    "queue.rate_not_done": "{number}号尚未办结，不能评价",
    "queue.already_rated": "{number}号已评价",
    "queue.rating_not_awaited": "{number}号的评价已结束，不能再评价",
    "queue.slip_not_waiting": "{number}号已不在等候，不再出票",
    "queue.central_refused": "中心库未执行此操作：{detail}",
    # --- the command line and start-up ------------------------------------------------------
    "startup.data_dir_unwritable": "数据目录不可写：{path}（{error}）",
    "startup.data_dir_empty": "数据目录不能为空：请给 --data-dir 一个目录，或不写这个选项用默认目录",
    "startup.disk_full": "磁盘已满：{path}（请清理磁盘后重试；未作任何改动）",
    "startup.data_dir_read_only": "数据目录不可写（只读或没有权限）：{path}",
    "sync.bad_ca": "{path} 不是可用的 CA 证书文件（PEM）；中心库设置未作改动",
    "cli.out_dir": "无法创建输出目录 {path}：{error}",
    "cli.no_display": (
        "没有可用的显示器（未设置 DISPLAY 或 WAYLAND_DISPLAY）；"
        "请在桌面环境中启动，或设置 QT_QPA_PLATFORM=offscreen"
    ),
    # --- the hall manager (app/manager) ----------------------------------------------------
    "manager.no_hall": "本机尚未配置大厅",
    "manager.sim_days": "模拟天数须在 1 到 {most} 之间",
    "manager.sim_per_day": "每日取号数须在 1 到 20000 之间",
    "manager.sim_taken": "{first} 至 {last} 已有取号或办件记录，未写入模拟数据",
    "manager.bad_day": "日期格式不对：{text}（应为 2026-11-26 这样的日期）",
    "manager.bad_range": "开始日期 {start} 晚于结束日期 {end}",
    "manager.central_unreachable": "连不上中心库（{url}）：{error}",
    "manager.central_refused": "中心库拒绝了请求：{detail}",
    "manager.central_preparing": "中心库还给不出全大厅的数据：{detail}",
    "manager.central_token": "请用 --token 给出大厅管理员的中心库令牌",
    "manager.out_file": "无法写入 {path}：{error}",
    "manager.bad_format": "不支持的格式：{format}（可用 pdf、csv、xlsx）",
    # --- the audit trail, backups, retention -------------------------------------------------
    "audit.ok": "审计记录完整：共 {count} 条事件，哈希链无断裂",
    "audit.altered": "审计记录被改动：事件 {event} 与哈希链不符",
    "audit.removed": "审计记录被删除：序号 {seq} 的事件缺失（其后是事件 {event}）",
    "audit.inserted": "审计记录被插入：事件 {event}（序号 {seq}）不在哈希链的位置上",
    "audit.unchained": "审计记录被插入：事件 {event} 不在哈希链中",
    "audit.legacy_changed": "审计记录被改动：哈希链建立前的事件（现有 {count} 条）与建立时记下的摘要不符",
    "audit.broken": "本机审计记录校验未通过：{problem}。请联系信息中心（python -m app audit verify）",
    "backup.done": "已备份到 {path}（数据库及 {files} 个文书 PDF）",
    "backup.exists": "备份文件已存在：{path}（请换一个文件名；未作任何改动）",
    "backup.cannot_write": "无法写入备份 {path}：{error}",
    "restore.not_backup": "{path} 不是 OneWindow 的备份文件（{error}）；未作任何改动",
    "restore.damaged": "备份中的数据库已损坏：{path}（{detail}）；未作任何改动",
    "restore.wrong_version": "备份的数据库版本为 {revision}，本程序不认识它（本程序最新为 {head}）；未作任何改动",
    "restore.audit_broken": "备份中的审计记录校验未通过：{problem}；未作任何改动",
    "restore.done": "已从 {path} 恢复；原数据库已另存为 {aside}",
    "purge.done": "已清除 {count} 件办结超过 {days} 天且已送达中心库的办件",
    "purge.bad_days": "保留天数须为正整数：{days}",
    # --- sign-in and roles (app/accounts.py) -------------------------------------------------
    "account.unknown": "没有在岗的工作人员：{clerk}（工作人员来自大厅配置：工作台 → 大厅设置，或 python -m app hall import FILE）",
    "account.no_credential": "{clerk} 尚未设置密码或PIN，请管理员设置（python -m app account set-password --clerk {clerk}）",
    "account.bad_credential": "{clerk} 的密码或PIN不对",
    "account.wait": "密码连续输错，请 {seconds} 秒后再试",
    "account.locked": "{clerk} 连续输错密码，账号已锁定，{until} 后可再试",
    "account.weak_secret": "密码至少 8 个字符，或PIN至少 6 位数字",
    "account.id_and_name": "请填写工号和姓名",
    "account.exists": "工号 {clerk} 已存在",
    "account.role_needed": "此操作须由{role}进行，{clerk} 不是{role}",
    "account.not_signed_in": "此操作须由{role}登录后进行",
    "account.role_admin": "管理员",
    "account.role_manager": "大厅负责人",
    "account.role_staff": "工作人员",
    "account.secret_set": "已为 {clerk} 设置密码",
    "account.added": "已添加 {clerk}（{role}）；请再为其设置密码：python -m app account set-password --clerk {clerk}",
    "account.cli_user_needed": "此操作须由{role}登录后进行：用 {option} 工号 给出，密码或PIN从终端或标准输入读取",
    "account.disabled": "{clerk} 的账号已在中心库停用，不能登录",
    "account.central_held": "{clerk} 的账号由中心库管理，请在中心库修改（python -m app central add-account）；未作任何改动",
    "account.secrets_differ": "两次输入的密码不一致；未作任何改动",
    "override.no_credential": "请负责人 {manager} 输入本人的密码或PIN以批准",
    # --- encryption at rest (app/encryption.py) ---------------------------------------------
    "encryption.marker_bad": "数据库加密设置文件无法读取：{path}（{error}）；未作任何改动",
    "encryption.keyring_error": "无法使用系统密钥环：{error}；未作任何改动",
    "encryption.keyring_missing": "系统密钥环中没有本数据目录的数据库密钥（{key_id}）：请以加密时的系统用户登录后再启动；未作任何改动",
    "encryption.passphrase_empty": "没有输入口令；未作任何改动",
    "encryption.passphrase_short": "口令至少 {min} 个字符；未作任何改动",
    "encryption.passphrases_differ": "两次输入的口令不一致；未作任何改动",
    "encryption.unfinished": "数据库加密没有完成：{path}；请关闭所有 OneWindow 窗口后再运行 python -m app encrypt",
    "encryption.already": "数据库已经加密：{path}；未作任何改动",
    "encryption.in_use": "另一个 OneWindow 窗口正在使用数据库；请关闭所有窗口后再加密，未作任何改动",
    "encryption.verify_failed": "加密后的数据库未通过校验（{detail}）；原数据库保持不变，加密未开启",
    "encryption.done": "已加密数据库 {path}，密钥{where}；未加密的副本已校验并删除",
    "encryption.in_keyring": "保存在系统密钥环中",
    "encryption.in_head": "由管理员口令生成（每次启动时输入）",
    # --- the store (db/messages.py: db/ cannot import this module) ----------------------------
    **STORE_MESSAGES,
}


def placeholders(template: str) -> set[str]:
    """The parameter names a template uses (format specs aside)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@functools.cache
def _placeholders(code: str) -> set[str]:
    return placeholders(MESSAGES[code])


class TemplateFormatter(string.Formatter):
    """str.format with the `long` spec for dates (`long_date`, a strftime pattern)."""

    def __init__(self, long_date: str = LONG_DATE) -> None:
        self.long_date = long_date

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, date) and format_spec == "long":
            return value.strftime(self.long_date)
        return str(super().format_field(value, format_spec))


_FORMATTER = TemplateFormatter()


def _chinese(value: Any) -> Any:
    if isinstance(value, Message):
        return str.__str__(value)
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(_chinese(v)) for v in value)
    return value


class Message(str):
    """A text for people: its value is the Chinese line; `code` and `params` let a UI render
    it in another language. Raises KeyError for a code not in MESSAGES."""

    code: str
    params: Mapping[str, Param]

    def __new__(cls, code: str, /, **params: Param) -> Message:
        template = MESSAGES[code]
        if set(params) != _placeholders(code):
            raise TypeError(
                f"message {code!r} takes {sorted(_placeholders(code))}, not {sorted(params)}"
            )
        text = _FORMATTER.format(template, **{k: _chinese(v) for k, v in params.items()})
        self = super().__new__(cls, text)
        self.code = code
        self.params = params
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.code, dict(self.params)))

    def __repr__(self) -> str:
        return f"Message({self.code!r}, {str.__repr__(self)})"


def _rebuild(code: str, params: dict[str, Param]) -> Message:
    return Message(code, **params)


def label(prefix: str, value: str) -> Message:
    """The name of a state or kind, e.g. label("ticket.status", "waiting")."""
    return Message(f"{prefix}.{value}")


# --- texts kept in the database ------------------------------------------------------------------
#
# A text the core stores for later (a case's decision reasons, why a material is still needed)
# is kept as its code and parameters, so the desk shows it in its own language whenever it is
# read: {"code": ..., "params": {...}, "text": the Chinese line}. The Chinese text is kept too:
# what other readers of the database (the central store, a report) see, and what is shown if a
# later version no longer knows the code or its parameters. Rows written before codes were
# stored hold the Chinese text alone (a JSON string): shown as it is.


def _param_to_stored(value: Param) -> Any:
    if isinstance(value, Message):
        return {"code": value.code, "params": _params_to_stored(value.params)}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, list | tuple):
        return [_param_to_stored(v) for v in value]
    return value


def _params_to_stored(params: Mapping[str, Param]) -> dict[str, Any]:
    return {k: _param_to_stored(v) for k, v in params.items()}


def to_stored(text: str) -> Any:
    """The JSON form of a text to keep: a Message as its code, parameters and Chinese line;
    any other text (data, e.g. what a clerk typed) as it is."""
    if isinstance(text, Message):
        return {
            "code": text.code,
            "params": _params_to_stored(text.params),
            "text": str.__str__(text),
        }
    return str(text)


def _param_from_stored(value: Any) -> Param:
    if isinstance(value, dict):
        if "date" in value:
            return date.fromisoformat(value["date"])
        return Message(
            value["code"], **{k: _param_from_stored(v) for k, v in value.get("params", {}).items()}
        )
    if isinstance(value, list):
        return [_param_from_stored(v) for v in value]
    if value is None or isinstance(value, str | int):
        return value
    raise ValueError(f"not a stored parameter: {value!r}")


def from_stored(value: Any) -> str:
    """The text `to_stored` kept: a Message again (so the UI can translate it), or the plain
    text of an older row. A code or parameters this version does not know give the stored
    Chinese line as plain text."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("code"), str):
        try:
            return Message(
                value["code"],
                **{k: _param_from_stored(v) for k, v in (value.get("params") or {}).items()},
            )
        except (KeyError, TypeError, ValueError):
            return str(value.get("text", ""))
    return "" if value is None else str(value)
