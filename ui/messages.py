"""The one place where the core's texts become text for the person at the desk.

Every widget and operation shows a refused action through `describe()`, never `str(exc)` and
never a traceback; a text the core made (a label, a decision's reason, a field problem: an
`app.messages.Message`) is shown through `localise()`. `TEMPLATES` holds app.messages.MESSAGES'
Chinese templates marked for lupdate, so the English build translates them through the .ts
(tests/test_messages.py checks every code is here, identical, and translated)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.errors import UserError
from app.messages import Message, TemplateFormatter
from db.engine import StoreError, store_error
from ui.messages_office import OFFICE_TEMPLATES

# Between the items of an enumeration, between several problems, and a date's long form.
_LIST_SEPARATOR = str(QT_TRANSLATE_NOOP("Messages", "、"))
_PROBLEM_SEPARATOR = str(QT_TRANSLATE_NOOP("Messages", "；"))
_LONG_DATE = str(QT_TRANSLATE_NOOP("Messages", "%Y年%m月%d日"))

TEMPLATES: dict[str, str] = {
    "value.unset": str(QT_TRANSLATE_NOOP("Messages", "（未填）")),
    "value.empty": str(QT_TRANSLATE_NOOP("Messages", "（空）")),
    "ticket.status.waiting": str(QT_TRANSLATE_NOOP("Messages", "等候中")),
    "ticket.status.called": str(QT_TRANSLATE_NOOP("Messages", "已叫号")),
    "ticket.status.serving": str(QT_TRANSLATE_NOOP("Messages", "办理中")),
    "ticket.status.passed": str(QT_TRANSLATE_NOOP("Messages", "已过号")),
    "ticket.status.done": str(QT_TRANSLATE_NOOP("Messages", "已办结")),
    "ticket.status.closed": str(QT_TRANSLATE_NOOP("Messages", "已关闭")),
    "ticket.kind.normal": str(QT_TRANSLATE_NOOP("Messages", "普通")),
    "ticket.kind.priority": str(QT_TRANSLATE_NOOP("Messages", "优先")),
    "ticket.kind.appointment": str(QT_TRANSLATE_NOOP("Messages", "预约")),
    "ticket.group.elderly": str(QT_TRANSLATE_NOOP("Messages", "老年人")),
    "ticket.group.pregnant": str(QT_TRANSLATE_NOOP("Messages", "孕妇")),
    "ticket.group.disability": str(QT_TRANSLATE_NOOP("Messages", "残疾人")),
    "ticket.group.service_member": str(QT_TRANSLATE_NOOP("Messages", "军人")),
    "decision.kind.accept": str(QT_TRANSLATE_NOOP("Messages", "受理")),
    "decision.kind.accept_with_gap": str(QT_TRANSLATE_NOOP("Messages", "容缺受理")),
    "decision.kind.notify": str(QT_TRANSLATE_NOOP("Messages", "一次性告知")),
    "decision.kind.reject": str(QT_TRANSLATE_NOOP("Messages", "不予受理")),
    "material.status.received_original_checked": str(QT_TRANSLATE_NOOP("Messages", "原件已核验")),
    "material.status.received_original_kept": str(QT_TRANSLATE_NOOP("Messages", "原件已收取")),
    "material.status.received_copies": str(QT_TRANSLATE_NOOP("Messages", "已收复印件")),
    "material.status.electronic": str(QT_TRANSLATE_NOOP("Messages", "电子材料已获取")),
    "material.status.missing": str(QT_TRANSLATE_NOOP("Messages", "缺少")),
    "material.status.tolerated": str(QT_TRANSLATE_NOOP("Messages", "容缺")),
    "material.status.defective": str(QT_TRANSLATE_NOOP("Messages", "有瑕疵")),
    "material.status.not_applicable": str(QT_TRANSLATE_NOOP("Messages", "不适用")),
    "case.status.received": str(QT_TRANSLATE_NOOP("Messages", "已收件")),
    "case.status.accepted": str(QT_TRANSLATE_NOOP("Messages", "已受理")),
    "case.status.accepted_with_gap": str(QT_TRANSLATE_NOOP("Messages", "容缺受理")),
    "case.status.awaiting_supplement": str(QT_TRANSLATE_NOOP("Messages", "待补齐")),
    "case.status.supplemented": str(QT_TRANSLATE_NOOP("Messages", "已补齐")),
    "case.status.notified": str(QT_TRANSLATE_NOOP("Messages", "已一次性告知")),
    "case.status.rejected": str(QT_TRANSLATE_NOOP("Messages", "不予受理")),
    "case.status.withdrawn": str(QT_TRANSLATE_NOOP("Messages", "已撤回")),
    "case.status.in_review": str(QT_TRANSLATE_NOOP("Messages", "部门审查中")),
    "case.status.decided": str(QT_TRANSLATE_NOOP("Messages", "已办结")),
    "case.status.delivered": str(QT_TRANSLATE_NOOP("Messages", "已送达")),
    "deadline.normal": str(QT_TRANSLATE_NOOP("Messages", "正常")),
    "deadline.warning": str(QT_TRANSLATE_NOOP("Messages", "临期")),
    "deadline.overdue": str(QT_TRANSLATE_NOOP("Messages", "超期")),
    "document.receipt": str(QT_TRANSLATE_NOOP("Messages", "受理通知书")),
    "document.commitment": str(QT_TRANSLATE_NOOP("Messages", "容缺受理承诺书")),
    "document.notice": str(QT_TRANSLATE_NOOP("Messages", "一次性告知书")),
    "document.rejection": str(QT_TRANSLATE_NOOP("Messages", "不予受理通知书")),
    "document.ticket": str(QT_TRANSLATE_NOOP("Messages", "排队票")),
    "field.name": str(QT_TRANSLATE_NOOP("Messages", "姓名")),
    "field.applicant_name": str(QT_TRANSLATE_NOOP("Messages", "申请人姓名")),
    "field.org_name": str(QT_TRANSLATE_NOOP("Messages", "单位名称")),
    "field.agent_name": str(QT_TRANSLATE_NOOP("Messages", "代理人姓名")),
    "field.id_number": str(QT_TRANSLATE_NOOP("Messages", "身份证号码")),
    "field.agent_id_number": str(QT_TRANSLATE_NOOP("Messages", "代理人身份证号码")),
    "field.phone": str(QT_TRANSLATE_NOOP("Messages", "联系电话")),
    "field.agent_phone": str(QT_TRANSLATE_NOOP("Messages", "代理人联系电话")),
    "field.handler_name": str(QT_TRANSLATE_NOOP("Messages", "经办人姓名")),
    "field.handler_id_number": str(QT_TRANSLATE_NOOP("Messages", "经办人身份证号码")),
    "field.handler_phone": str(QT_TRANSLATE_NOOP("Messages", "经办人联系电话")),
    "field.empty": str(QT_TRANSLATE_NOOP("Messages", "请填写{what}")),
    "identity.id_length": str(QT_TRANSLATE_NOOP("Messages", "{what}应为18位，现为{length}位")),
    "identity.id_body_digits": str(QT_TRANSLATE_NOOP("Messages", "{what}前17位应全为数字")),
    "identity.id_check_char": str(QT_TRANSLATE_NOOP("Messages", "{what}最后一位应为数字或X")),
    "identity.id_region": str(QT_TRANSLATE_NOOP("Messages", "{what}的地区码{region}无效")),
    "identity.id_birth": str(QT_TRANSLATE_NOOP("Messages", "{what}中的出生日期{birth}无效")),
    "identity.id_checksum": str(QT_TRANSLATE_NOOP("Messages", "{what}校验位不正确，请核对号码")),
    "identity.uscc_empty": str(QT_TRANSLATE_NOOP("Messages", "请填写统一社会信用代码")),
    "identity.uscc_length": str(
        QT_TRANSLATE_NOOP("Messages", "统一社会信用代码应为18位，现为{length}位")
    ),
    "identity.uscc_chars": str(
        QT_TRANSLATE_NOOP(
            "Messages", "统一社会信用代码含有不允许的字符：{chars}（不使用I、O、Z、S、V）"
        )
    ),
    "identity.uscc_region": str(
        QT_TRANSLATE_NOOP("Messages", "统一社会信用代码第3至8位（登记管理机关行政区划码）应为数字")
    ),
    "identity.uscc_checksum": str(
        QT_TRANSLATE_NOOP("Messages", "统一社会信用代码校验位不正确，请核对代码")
    ),
    "identity.mobile_length": str(
        QT_TRANSLATE_NOOP("Messages", "手机号码应为1开头的11位数字，现为{length}位")
    ),
    "identity.phone_format": str(
        QT_TRANSLATE_NOOP(
            "Messages", "{what}格式不正确：手机号码为11位数字，固定电话如0436-6123456"
        )
    ),
    "identity.name_too_long": str(
        QT_TRANSLATE_NOOP("Messages", "{what}过长：最多{limit}个字，现为{length}个字")
    ),
    "identity.name_control": str(
        QT_TRANSLATE_NOOP("Messages", "{what}中含有不可见的控制字符，请重新输入")
    ),
    "identity.name_unprintable": str(
        QT_TRANSLATE_NOOP(
            "Messages", "{what}中的「{chars}」无法打印（字库中没有这个字），请核对后重新输入"
        )
    ),
    "applicant.kind": str(QT_TRANSLATE_NOOP("Messages", "请选择申请人类型（个人或单位）")),
    "entry.negative_copies": str(QT_TRANSLATE_NOOP("Messages", "「{material}」的份数不能为负数")),
    "entry.must_keep_original": str(
        QT_TRANSLATE_NOOP("Messages", "「{material}」须收取原件，不能核验后退还")
    ),
    "entry.needs_copies_too": str(
        QT_TRANSLATE_NOOP("Messages", "「{material}」须另收复印件{needed}份，现为{copies}份")
    ),
    "entry.needs_original": str(
        QT_TRANSLATE_NOOP("Messages", "「{material}」须提供原件，复印件不能代替")
    ),
    "entry.needs_copies": str(
        QT_TRANSLATE_NOOP("Messages", "「{material}」须提供复印件{needed}份，现为{copies}份")
    ),
    "entry.needs_paper": str(
        QT_TRANSLATE_NOOP("Messages", "「{material}」须提供纸质材料：{requirement}，不接受电子材料")
    ),
    "entry.not_tolerable": str(QT_TRANSLATE_NOOP("Messages", "「{material}」不可容缺")),
    "entry.defect_reason": str(
        QT_TRANSLATE_NOOP("Messages", "请填写「{material}」不符合要求的原因")
    ),
    "entry.required": str(
        QT_TRANSLATE_NOOP("Messages", "「{material}」为必需材料，不能标记为不适用")
    ),
    "decision.unknown_materials": str(QT_TRANSLATE_NOOP("Messages", "清单中没有这些材料：{codes}")),
    "received.copies": str(QT_TRANSLATE_NOOP("Messages", "{status}{copies}份")),
    "received.with_copies": str(QT_TRANSLATE_NOOP("Messages", "{status}，另收复印件{copies}份")),
    "why.missing": str(QT_TRANSLATE_NOOP("Messages", "未提供")),
    "why.missing_conditional": str(
        QT_TRANSLATE_NOOP("Messages", "未提供（适用情形：{condition}）")
    ),
    "why.not_applicable": str(QT_TRANSLATE_NOOP("Messages", "不适用")),
    "why.optional_missing": str(QT_TRANSLATE_NOOP("Messages", "可选材料，未提供")),
    "why.optional_defective": str(QT_TRANSLATE_NOOP("Messages", "可选材料，不符合要求：{defect}")),
    "why.defective": str(QT_TRANSLATE_NOOP("Messages", "不符合要求：{defect}")),
    "why.gap_no_deadline": str(
        QT_TRANSLATE_NOOP("Messages", "未提供（可容缺，但承诺时限内无法安排补正期限）")
    ),
    "why.gap_unsigned": str(
        QT_TRANSLATE_NOOP("Messages", "未提供（可容缺，但申请人未签署容缺承诺书）")
    ),
    "why.gap": str(QT_TRANSLATE_NOOP("Messages", "未提供（可容缺）")),
    "reason.not_this_hall": str(QT_TRANSLATE_NOOP("Messages", "不属于本大厅受理范围：{reason}")),
    "reason.notify": str(
        QT_TRANSLATE_NOOP(
            "Messages", "申请材料不齐全或不符合法定形式，一次性告知需要补正的全部内容"
        )
    ),
    "reason.material": str(QT_TRANSLATE_NOOP("Messages", "「{material}」{why}")),
    "reason.accept_with_gap": str(
        QT_TRANSLATE_NOOP(
            "Messages", "主要材料齐全，其余材料可容缺，申请人已签署容缺承诺书，予以容缺受理"
        )
    ),
    "reason.gap_deadline": str(
        QT_TRANSLATE_NOOP("Messages", "「{material}」容缺，须于{deadline:long}前补齐")
    ),
    "reason.accept": str(QT_TRANSLATE_NOOP("Messages", "申请材料齐全、符合法定形式，予以受理")),
    "reason.override": str(
        QT_TRANSLATE_NOOP("Messages", "经{manager}批准，改为{decision}：{reason}")
    ),
    "override.no_reason": str(QT_TRANSLATE_NOOP("Messages", "改变规则的决定须填写理由")),
    "override.no_manager": str(QT_TRANSLATE_NOOP("Messages", "改变规则的决定须经大厅负责人批准")),
    "override.same_decision": str(
        QT_TRANSLATE_NOOP("Messages", "规则的决定已是{decision}，无需改变")
    ),
    "override.gap_unsigned": str(QT_TRANSLATE_NOOP("Messages", "容缺受理须由申请人签署容缺承诺书")),
    "override.gap_no_deadline": str(
        QT_TRANSLATE_NOOP("Messages", "「{material}」在承诺时限内无法安排补正期限，不能容缺受理")
    ),
    "override.nothing_missing": str(QT_TRANSLATE_NOOP("Messages", "没有缺少的材料，无需容缺受理")),
    "decision.unconfirmed_conditional": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "请先确认这些视情形材料是否适用（适用的标记收取或缺少，不适用的标记不适用）：{materials}",
        )
    ),
    "override.gap_core": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "主要材料、申请书和申请人身份证明不能容缺，负责人也不能改为容缺受理：{materials}",
        )
    ),
    "case.reject_needs_reason": str(QT_TRANSLATE_NOOP("Messages", "不予受理须写明理由")),
    "case.reject_bad_ground": str(QT_TRANSLATE_NOOP("Messages", "未知的不予受理情形：{ground}")),
    "case.reject_needs_referral": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "申请事项不属于本机关职权范围的，须告知申请人向哪个机关申请（《行政许可法》第三十二条第一款第（二）项），请填写受理机关",
        )
    ),
    "case.reject_needs_matter": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "请选择申请事项；目录中没有的，请写明申请人要办理的事项",
        )
    ),
    "override.not_manager": str(
        QT_TRANSLATE_NOOP("Messages", "{manager}不是在岗的大厅负责人，不能批准改变规则的决定")
    ),
    "calendar.year_unknown": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "{year}年的法定节假日尚未收录：该年按周末和目录中的节假日调整计算工作日，期限可能不准确，请更新目录的节假日表",
        )
    ),
    "case.unknown_status": str(QT_TRANSLATE_NOOP("Messages", "未知的办件状态：{status}")),
    "case.final_status": str(
        QT_TRANSLATE_NOOP("Messages", "办件状态为「{current}」，不能再变为「{wanted}」")
    ),
    "case.bad_transition": str(
        QT_TRANSLATE_NOOP(
            "Messages", "办件状态不能从「{current}」变为「{wanted}」（可变为：{allowed}）"
        )
    ),
    "case.choose_matter": str(
        QT_TRANSLATE_NOOP("Messages", "请选择事项，或选择一件事（二者选一）")
    ),
    "case.no_bundle": str(QT_TRANSLATE_NOOP("Messages", "一件事不存在：{bundle}")),
    "case.duplicate_matters": str(QT_TRANSLATE_NOOP("Messages", "事项重复选择：{matters}")),
    "case.no_matters": str(QT_TRANSLATE_NOOP("Messages", "事项不存在：{matters}")),
    "case.numbers_used_up": str(
        QT_TRANSLATE_NOOP("Messages", "{window}号窗口今日的办件编号已用完（每日最多{limit}件）")
    ),
    "case.no_window": str(QT_TRANSLATE_NOOP("Messages", "本机未设置窗口号（1–99），不能受理办件")),
    "case.no_division": str(
        QT_TRANSLATE_NOOP("Messages", "未设置大厅的6位行政区划代码，不能生成办件编号")
    ),
    "case.not_found": str(QT_TRANSLATE_NOOP("Messages", "办件不存在：{case}")),
    "case.gaps_still_open": str(
        QT_TRANSLATE_NOOP("Messages", "容缺材料尚未补齐，不能办结：{materials}")
    ),
    "case.no_open_gaps": str(
        QT_TRANSLATE_NOOP("Messages", "办件状态为「{status}」，没有待补齐的容缺材料")
    ),
    "case.choose_supplied": str(QT_TRANSLATE_NOOP("Messages", "请选择补齐的材料")),
    "supplement.not_a_gap": str(
        QT_TRANSLATE_NOOP("Messages", "「{material}」不是本办件的容缺材料")
    ),
    "supplement.already": str(QT_TRANSLATE_NOOP("Messages", "「{material}」已于{day}补齐")),
    "supplement.too_late": str(
        QT_TRANSLATE_NOOP("Messages", "「{material}」的补齐期限{deadline}已过，容缺办件应终止办理")
    ),
    "supplement.must_receive": str(
        QT_TRANSLATE_NOOP("Messages", "「{material}」补齐时须登记为已收取")
    ),
    "case.resubmit_not_notified": str(
        QT_TRANSLATE_NOOP(
            "Messages", "办件{case}的状态为「{status}」，只有已一次性告知的办件才能补正后重新受理"
        )
    ),
    "case.already_resubmitted": str(
        QT_TRANSLATE_NOOP("Messages", "办件{case}已补正重新受理为{follower}")
    ),
    "case.status_automatic": str(
        QT_TRANSLATE_NOOP("Messages", "「{status}」由受理或补齐自动设置，不能手工变更")
    ),
    "case.status_reason": str(QT_TRANSLATE_NOOP("Messages", "撤回或终止办理须填写原因")),
    "document.file_numbers_used_up": str(
        QT_TRANSLATE_NOOP("Messages", "{window}号窗口今年「{code}」的文号已用完")
    ),
    "document.numbers_used_up": str(
        QT_TRANSLATE_NOOP("Messages", "{window}号窗口今日的文书编号已用完（每类每日最多{limit}份）")
    ),
    "document.unknown_kind": str(QT_TRANSLATE_NOOP("Messages", "未知的文书类型：{kind}")),
    "document.bad_division": str(
        QT_TRANSLATE_NOOP("Messages", "行政区划代码应为6位数字：{division}")
    ),
    "document.ticket_needs_ticket": str(QT_TRANSLATE_NOOP("Messages", "排队票必须对应一个排队号")),
    "document.needs_case": str(QT_TRANSLATE_NOOP("Messages", "受理类文书必须对应一个办件")),
    "document.not_pdf": str(QT_TRANSLATE_NOOP("Messages", "文书内容不是PDF，未能出具")),
    "document.not_found": str(QT_TRANSLATE_NOOP("Messages", "文书不存在，无法记录打印")),
    "document.never_printed": str(
        QT_TRANSLATE_NOOP("Messages", "文书{doc_no}尚未打印过，不能补打")
    ),
    "document.already_printed": str(
        QT_TRANSLATE_NOOP("Messages", "文书{doc_no}已打印，再次打印请使用补打")
    ),
    "document.print_not_pdf": str(QT_TRANSLATE_NOOP("Messages", "打印内容不是PDF")),
    "print.no_server": str(QT_TRANSLATE_NOOP("Messages", "无法连接打印服务（{error}）")),
    "print.server_refused": str(QT_TRANSLATE_NOOP("Messages", "打印服务拒绝了请求（{error}）")),
    "print.no_such_printer": str(QT_TRANSLATE_NOOP("Messages", "找不到打印机“{printer}”")),
    "print.queue_rejecting": str(
        QT_TRANSLATE_NOOP("Messages", "打印机“{printer}”当前拒绝接收打印任务")
    ),
    "print.queue_paused": str(QT_TRANSLATE_NOOP("Messages", "打印机“{printer}”已暂停")),
    "print.device_unreachable": str(QT_TRANSLATE_NOOP("Messages", "打印机“{printer}”无法连接")),
    "print.job_stuck": str(QT_TRANSLATE_NOOP("Messages", "打印机“{printer}”迟迟未完成打印")),
    "print.job_aborted": str(QT_TRANSLATE_NOOP("Messages", "打印机“{printer}”打印失败（{error}）")),
    "print.job_cancelled": str(
        QT_TRANSLATE_NOOP("Messages", "打印机“{printer}”上的打印任务已被取消")
    ),
    "print.job_lost": str(QT_TRANSLATE_NOOP("Messages", "打印任务{job}已找不到")),
    "print.cancelled_waiting": str(
        QT_TRANSLATE_NOOP("Messages", "{reason}，打印任务已取消，未打印")
    ),
    "print.submit_failed": str(
        QT_TRANSLATE_NOOP("Messages", "打印机“{printer}”未接收打印任务（{error}）")
    ),
    "print.paper_mismatch": str(
        QT_TRANSLATE_NOOP("Messages", "文书纸张为{page}，打印机“{printer}”只有{papers}纸张，未打印")
    ),
    "print.not_a_file": str(QT_TRANSLATE_NOOP("Messages", "无法读取文件{path}（{error}）")),
    "print.printed": str(QT_TRANSLATE_NOOP("Messages", "已打印：打印机{printer}，任务{job}")),
    "document.bad_number": str(QT_TRANSLATE_NOOP("Messages", "文书编号格式不正确：{doc_no}")),
    "document.no_data_dir": str(
        QT_TRANSLATE_NOOP("Messages", "数据库不在数据目录中，无法确定文书的保存位置")
    ),
    "document.outside_data_dir": str(
        QT_TRANSLATE_NOOP("Messages", "文书文件路径不在数据目录内：{path}")
    ),
    "document.case_not_accepted": str(
        QT_TRANSLATE_NOOP("Messages", "办件{case}未受理，不能出具受理通知书")
    ),
    "document.no_gaps": str(
        QT_TRANSLATE_NOOP("Messages", "办件{case}没有容缺材料，无需容缺承诺书")
    ),
    "document.nothing_needed": str(
        QT_TRANSLATE_NOOP("Messages", "办件{case}没有需要补正的材料，不能出具一次性告知书")
    ),
    "hall.not_configured": str(QT_TRANSLATE_NOOP("Messages", "本机尚未配置大厅")),
    "hall.no_such_window": str(QT_TRANSLATE_NOOP("Messages", "大厅没有 {window} 号窗口")),
    "hall.no_such_clerk": str(QT_TRANSLATE_NOOP("Messages", "没有工号为 {clerk} 的在岗工作人员")),
    "hall.name_empty": str(QT_TRANSLATE_NOOP("Messages", "大厅名称不能为空")),
    "hall.name_too_long": str(QT_TRANSLATE_NOOP("Messages", "大厅名称不能超过 {limit} 个字")),
    "hall.bad_division": str(
        QT_TRANSLATE_NOOP("Messages", "行政区划代码应为 6 位数字（如白城市 220800）")
    ),
    "hall.bad_target_wait": str(
        QT_TRANSLATE_NOOP("Messages", "目标等候时间应在 1 到 480 分钟之间")
    ),
    "hall.query_url_no_case_no": str(
        QT_TRANSLATE_NOOP("Messages", "进度查询链接中须含有 {{case_no}}，用于填入办件编号")
    ),
    "hall.query_url_scheme": str(
        QT_TRANSLATE_NOOP("Messages", "进度查询链接须以 http:// 或 https:// 开头")
    ),
    "hall.bad_priority_policy": str(QT_TRANSLATE_NOOP("Messages", "优先叫号规则只能是 {policies}")),
    "hall.bad_every_n": str(
        QT_TRANSLATE_NOOP("Messages", "“每 N 个普通号插一个优先号”中的 N 应在 1 到 50 之间")
    ),
    "hall.line_unnamed": str(
        QT_TRANSLATE_NOOP("Messages", "{where}: 业务类别的代码和名称不能为空")
    ),
    "hall.bad_prefix": str(
        QT_TRANSLATE_NOOP(
            "Messages", "{where}: 号码前缀应为一个大写字母（不用 I、O、Y，Y 留给预约号）"
        )
    ),
    "hall.duplicate_line_codes": str(QT_TRANSLATE_NOOP("Messages", "{where}: 业务类别代码重复")),
    "hall.duplicate_prefixes": str(QT_TRANSLATE_NOOP("Messages", "{where}: 号码前缀重复")),
    "hall.several_defaults": str(QT_TRANSLATE_NOOP("Messages", "{where}: 只能有一个默认业务类别")),
    "hall.duplicate_windows": str(QT_TRANSLATE_NOOP("Messages", "{where}: 窗口号重复")),
    "hall.bad_window_number": str(
        QT_TRANSLATE_NOOP("Messages", "{where}: 窗口号应在 1 到 99 之间")
    ),
    "hall.window_without_lines": str(
        QT_TRANSLATE_NOOP("Messages", "{where}: 窗口至少要办理一个业务类别")
    ),
    "hall.window_unknown_line": str(
        QT_TRANSLATE_NOOP("Messages", "{where}: 未知的业务类别 {line}")
    ),
    "hall.duplicate_clerks": str(QT_TRANSLATE_NOOP("Messages", "{where}: 工号重复")),
    "hall.bad_role": str(QT_TRANSLATE_NOOP("Messages", "{where}: 角色只能是 {roles}")),
    "hall.bad_doc_code": str(
        QT_TRANSLATE_NOOP("Messages", "{where}: 机关代字应为 1 至 12 个汉字（如 白市监受）")
    ),
    "hall.duplicate_organ": str(
        QT_TRANSLATE_NOOP("Messages", "{where}: 部门 {code} 的机关代字重复")
    ),
    "hall.organ_no_department": str(QT_TRANSLATE_NOOP("Messages", "{where}: 缺少部门编码")),
    "hall.clerk_unnamed": str(QT_TRANSLATE_NOOP("Messages", "{where}: 工号和姓名不能为空")),
    "hall.window_in_use": str(
        QT_TRANSLATE_NOOP("Messages", "{window} 号窗口还有 {number} 号在叫号或办理，不能删除")
    ),
    "hall.desk_window_removed": str(
        QT_TRANSLATE_NOOP(
            "Messages", "本机设为 {window} 号窗口，不能删除它；请先在“本机”页改选窗口"
        )
    ),
    "hall.desk_clerk_removed": str(
        QT_TRANSLATE_NOOP("Messages", "本机的工作人员 {clerk} 不能删除；请先在“本机”页改选工作人员")
    ),
    "hall.window_left_out": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "窗口 {window} 不在文件中，导入后将没有可办理的业务类别；请在文件中列出 {window} 号窗口及其业务类别",
        )
    ),
    "hall.line_has_tickets": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "业务类别 {code}（{name}）已有取号记录，不能删除；可以改名，或不再让任何窗口办理它",
        )
    ),
    "hall_file.problems": str(QT_TRANSLATE_NOOP("Messages", "大厅配置有误：{problem}")),
    "hall_file.top_not_object": str(
        QT_TRANSLATE_NOOP("Messages", "大厅配置文件的最外层应是一个对象")
    ),
    "hall_file.bad_format": str(
        QT_TRANSLATE_NOOP("Messages", "大厅配置文件格式不对（应为 {format}）")
    ),
    "hall_file.missing_field": str(
        QT_TRANSLATE_NOOP("Messages", "大厅配置有误：{where} 缺少此字段")
    ),
    "hall_file.not_text": str(
        QT_TRANSLATE_NOOP("Messages", "大厅配置有误：{where} 应为文字，而不是 {value}")
    ),
    "hall_file.too_long": str(
        QT_TRANSLATE_NOOP("Messages", "大厅配置有误：{where} 过长（最多 {limit} 个字）")
    ),
    "hall_file.markup": str(
        QT_TRANSLATE_NOOP("Messages", "大厅配置有误：{where} 名称中不能有 < 或 >")
    ),
    "hall_file.not_whole": str(
        QT_TRANSLATE_NOOP("Messages", "大厅配置有误：{where} 应为整数，而不是 {value}")
    ),
    "hall_file.not_flag": str(
        QT_TRANSLATE_NOOP("Messages", "大厅配置有误：{where} 应为 true 或 false，而不是 {value}")
    ),
    "hall_file.not_array": str(QT_TRANSLATE_NOOP("Messages", "大厅配置有误：{where} 应为数组")),
    "hall_file.too_many": str(
        QT_TRANSLATE_NOOP("Messages", "大厅配置有误：{where} 最多 {limit} 项")
    ),
    "hall_file.not_object": str(QT_TRANSLATE_NOOP("Messages", "大厅配置有误：{where} 应为对象")),
    "hall_file.not_codes": str(
        QT_TRANSLATE_NOOP("Messages", "大厅配置有误：{where} 应为编码（文字）的数组")
    ),
    "hall_file.unknown_field": str(
        QT_TRANSLATE_NOOP("Messages", "大厅配置有误：{where} 中有不认识的字段 {field}")
    ),
    "queue.announcement": str(QT_TRANSLATE_NOOP("Messages", "请{number}号到{window}号窗口办理")),
    "queue.bad_id_number": str(QT_TRANSLATE_NOOP("Messages", "证件号码格式不正确")),
    "queue.no_line": str(QT_TRANSLATE_NOOP("Messages", "没有业务类别“{line}”")),
    "queue.no_desk_window": str(QT_TRANSLATE_NOOP("Messages", "本机未设置窗口号，不能叫号")),
    "queue.no_window": str(QT_TRANSLATE_NOOP("Messages", "没有{window}号窗口")),
    "queue.no_ticket": str(QT_TRANSLATE_NOOP("Messages", "没有这张号票")),
    "queue.wrong_status": str(
        QT_TRANSLATE_NOOP("Messages", "{number}号当前{status}，只有{wanted}的号才能这样操作")
    ),
    "queue.other_window": str(
        QT_TRANSLATE_NOOP("Messages", "{number}号不在本窗口（在{window}号窗口）")
    ),
    "queue.unknown_kind": str(QT_TRANSLATE_NOOP("Messages", "未知的号票类型“{kind}”")),
    "queue.choose_group": str(
        QT_TRANSLATE_NOOP("Messages", "优先号需选择优先对象（老年人、孕妇、残疾人或军人）")
    ),
    "queue.group_not_priority": str(QT_TRANSLATE_NOOP("Messages", "只有优先号才有优先对象")),
    "queue.already_holding": str(
        QT_TRANSLATE_NOOP(
            "Messages", "该证件今天已在“{line}”排队，同一业务不能重复取号；忘记号码请到咨询台"
        )
    ),
    "queue.offline_needs_window": str(QT_TRANSLATE_NOOP("Messages", "离线取号需要本机的窗口号")),
    "queue.kiosk_no_offline": str(QT_TRANSLATE_NOOP("Messages", "中心库未连接：本机无离线号段")),
    "queue.window_paused": str(QT_TRANSLATE_NOOP("Messages", "{window}号窗口已暂停，请先恢复叫号")),
    "queue.window_busy": str(
        QT_TRANSLATE_NOOP("Messages", "{number}号仍在本窗口（{status}），请先结束办理、过号或转移")
    ),
    "queue.request_other_window": str(QT_TRANSLATE_NOOP("Messages", "该叫号请求属于其他窗口")),
    "queue.call_conflicts": str(QT_TRANSLATE_NOOP("Messages", "叫号冲突过多，请重试")),
    "queue.not_today": str(QT_TRANSLATE_NOOP("Messages", "{number}号不是今天的号")),
    "queue.cannot_call": str(QT_TRANSLATE_NOOP("Messages", "{number}号当前{status}，不能叫号")),
    "queue.transferred_to": str(QT_TRANSLATE_NOOP("Messages", "{number}号已转给{window}号窗口")),
    "queue.taken": str(QT_TRANSLATE_NOOP("Messages", "{number}号刚被其他窗口叫走")),
    "queue.no_window_set": str(QT_TRANSLATE_NOOP("Messages", "本机未设置窗口号")),
    "queue.no_show_reason": str(QT_TRANSLATE_NOOP("Messages", "过号需填写原因")),
    "queue.cannot_reactivate": str(
        QT_TRANSLATE_NOOP("Messages", "{number}号当前{status}，只有过号的号能恢复")
    ),
    "queue.reactivate_not_today": str(
        QT_TRANSLATE_NOOP("Messages", "{number}号不是今天的号，不能恢复")
    ),
    "queue.choose_transfer": str(QT_TRANSLATE_NOOP("Messages", "请选择转移到的业务或窗口")),
    "queue.same_line": str(QT_TRANSLATE_NOOP("Messages", "{number}号已在“{line}”")),
    "queue.same_window": str(QT_TRANSLATE_NOOP("Messages", "不能转移到本窗口")),
    "queue.not_serving": str(QT_TRANSLATE_NOOP("Messages", "{number}号尚未开始办理，不能结束")),
    "queue.already_paused": str(QT_TRANSLATE_NOOP("Messages", "{window}号窗口已暂停")),
    "queue.already_calling": str(QT_TRANSLATE_NOOP("Messages", "{window}号窗口已在叫号")),
    "queue.close_reason": str(QT_TRANSLATE_NOOP("Messages", "日终关闭需填写原因")),
    "queue.left_over": str(QT_TRANSLATE_NOOP("Messages", "日终未办理（次日开机自动关闭）")),
    "queue.unknown_purpose": str(QT_TRANSLATE_NOOP("Messages", "未知的来访目的“{purpose}”")),
    "queue.visit_needs_case": str(QT_TRANSLATE_NOOP("Messages", "缺少办件")),
    "queue.bad_rating": str(QT_TRANSLATE_NOOP("Messages", "评价需在非常满意到非常不满意之间选择")),
    "queue.rate_not_done": str(QT_TRANSLATE_NOOP("Messages", "{number}号尚未办结，不能评价")),
    "queue.already_rated": str(QT_TRANSLATE_NOOP("Messages", "{number}号已评价")),
    "queue.rating_not_awaited": str(
        QT_TRANSLATE_NOOP("Messages", "{number}号的评价已结束，不能再评价")
    ),
    "queue.slip_not_waiting": str(QT_TRANSLATE_NOOP("Messages", "{number}号已不在等候，不再出票")),
    "startup.data_dir_unwritable": str(
        QT_TRANSLATE_NOOP("Messages", "数据目录不可写：{path}（{error}）")
    ),
    "startup.data_dir_empty": str(
        QT_TRANSLATE_NOOP(
            "Messages", "数据目录不能为空：请给 --data-dir 一个目录，或不写这个选项用默认目录"
        )
    ),
    "startup.disk_full": str(
        QT_TRANSLATE_NOOP("Messages", "磁盘已满：{path}（请清理磁盘后重试；未作任何改动）")
    ),
    "startup.data_dir_read_only": str(
        QT_TRANSLATE_NOOP("Messages", "数据目录不可写（只读或没有权限）：{path}")
    ),
    "queue.central_refused": str(QT_TRANSLATE_NOOP("Messages", "中心库未执行此操作：{detail}")),
    "sync.bad_ca": str(
        QT_TRANSLATE_NOOP("Messages", "{path} 不是可用的 CA 证书文件（PEM）；中心库设置未作改动")
    ),
    "cli.out_dir": str(QT_TRANSLATE_NOOP("Messages", "无法创建输出目录 {path}：{error}")),
    "cli.no_display": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "没有可用的显示器（未设置 DISPLAY 或 WAYLAND_DISPLAY）；请在桌面环境中启动，或设置 QT_QPA_PLATFORM=offscreen",
        )
    ),
    **OFFICE_TEMPLATES,
    "store.busy": str(
        QT_TRANSLATE_NOOP(
            "Messages", "另一个窗口正在保存，数据库暂时忙；本次操作未保存，请稍后重试"
        )
    ),
    "store.locked": str(
        QT_TRANSLATE_NOOP(
            "Messages", "数据库文件被其他程序占用：{path}（请关闭另一个 OneWindow 后重试）"
        )
    ),
    "store.damaged": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "数据库文件已损坏：{path}（{detail}）。文件未作任何改动；请联系信息中心从备份恢复（先关闭所有 OneWindow 窗口，再运行 python -m app restore 备份文件）。",
        )
    ),
    "store.damaged_in_use": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "数据库文件已损坏；请联系信息中心从备份恢复（先关闭所有 OneWindow 窗口，再运行 python -m app restore 备份文件）",
        )
    ),
    "store.read_only_file": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "数据库文件是只读的：{path}（请让信息中心恢复该文件的写权限）；文件未作任何改动。",
        )
    ),
    "store.read_only": str(
        QT_TRANSLATE_NOOP(
            "Messages", "数据库是只读的，无法保存（请让信息中心恢复数据目录和数据库文件的写权限）"
        )
    ),
    "store.disk_full": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "磁盘已满：{path} 所在的磁盘没有剩余空间；请清理磁盘后重试，已保存的数据未受影响。",
        )
    ),
    "store.disk_full_data_dir": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "磁盘已满：数据目录所在的磁盘没有剩余空间；请清理磁盘后重试，已保存的数据未受影响。",
        )
    ),
    "store.not_ours": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "{path} 中已有表但没有版本记录，不是 OneWindow 创建的数据库；文件未作任何改动。",
        )
    ),
    "store.newer": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "数据库来自更新版本的 OneWindow（版本 {revision}），本程序无法使用它；文件未作任何改动，请升级本程序。",
        )
    ),
    "encryption.marker_bad": str(
        QT_TRANSLATE_NOOP("Messages", "数据库加密设置文件无法读取：{path}（{error}）；未作任何改动")
    ),
    "encryption.keyring_error": str(
        QT_TRANSLATE_NOOP("Messages", "无法使用系统密钥环：{error}；未作任何改动")
    ),
    "encryption.keyring_missing": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "系统密钥环中没有本数据目录的数据库密钥（{key_id}）：请以加密时的系统用户登录后再启动；未作任何改动",
        )
    ),
    "encryption.passphrase_empty": str(QT_TRANSLATE_NOOP("Messages", "没有输入口令；未作任何改动")),
    "encryption.passphrase_short": str(
        QT_TRANSLATE_NOOP("Messages", "口令至少 {min} 个字符；未作任何改动")
    ),
    "encryption.passphrases_differ": str(
        QT_TRANSLATE_NOOP("Messages", "两次输入的口令不一致；未作任何改动")
    ),
    "encryption.unfinished": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "数据库加密没有完成：{path}；请关闭所有 OneWindow 窗口后再运行 python -m app encrypt",
        )
    ),
    "encryption.already": str(
        QT_TRANSLATE_NOOP("Messages", "数据库已经加密：{path}；未作任何改动")
    ),
    "encryption.in_use": str(
        QT_TRANSLATE_NOOP(
            "Messages", "另一个 OneWindow 窗口正在使用数据库；请关闭所有窗口后再加密，未作任何改动"
        )
    ),
    "encryption.verify_failed": str(
        QT_TRANSLATE_NOOP(
            "Messages", "加密后的数据库未通过校验（{detail}）；原数据库保持不变，加密未开启"
        )
    ),
    "encryption.done": str(
        QT_TRANSLATE_NOOP("Messages", "已加密数据库 {path}，密钥{where}；未加密的副本已校验并删除")
    ),
    "encryption.in_keyring": str(QT_TRANSLATE_NOOP("Messages", "保存在系统密钥环中")),
    "encryption.in_head": str(QT_TRANSLATE_NOOP("Messages", "由管理员口令生成（每次启动时输入）")),
    "store.wrong_key": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "数据库密钥不对：{path} 无法用这个口令或密钥打开（口令输错，或密钥环中的密钥不属于这个数据库）；文件未作任何改动。",
        )
    ),
    "store.cannot_create": str(QT_TRANSLATE_NOOP("Messages", "无法创建数据库 {path}：{error}")),
    "store.cannot_open": str(QT_TRANSLATE_NOOP("Messages", "无法打开数据库 {path}：{error}")),
    "store.cannot_read": str(QT_TRANSLATE_NOOP("Messages", "无法读取数据库 {path}：{error}")),
    "store.missing": str(
        QT_TRANSLATE_NOOP("Messages", "这里还没有数据库：{path}（首次启动工作台时创建）")
    ),
}


def _tr(source: str) -> str:
    return QCoreApplication.translate("Messages", source)


def _param(value: Any) -> Any:
    if isinstance(value, Message):
        return localise(value)
    if isinstance(value, list | tuple):
        return _tr(_LIST_SEPARATOR).join(str(_param(v)) for v in value)
    return value


def localise(message: str) -> str:
    """`message` in the desk's language: a Message is translated by its code and formatted with
    its parameters (themselves translated); any other text is data and shown as it is."""
    if not isinstance(message, Message):
        return message
    template = _tr(TEMPLATES[message.code])
    params: Mapping[str, Any] = {k: _param(v) for k, v in message.params.items()}
    return TemplateFormatter(_tr(_LONG_DATE)).format(template, **params)


def join(messages: Sequence[str], separator: str | None = None) -> str:
    """Several texts in one line (with the language's "；"), or with `separator`."""
    sep = _tr(_PROBLEM_SEPARATOR) if separator is None else separator
    return sep.join(localise(m) for m in messages)


def describe(exc: BaseException, separator: str | None = None) -> str:
    """The message for `exc`, in the desk's language. Several problems in one refusal are
    joined with the language's "；", or with `separator` (e.g. "\n" for one a line)."""
    if isinstance(exc, StoreError):
        return localise(Message(exc.code, **exc.params))
    if isinstance(exc, UserError) and exc.messages:
        return join(exc.messages, separator)
    if isinstance(exc, UserError):
        return str(exc)
    if isinstance(exc, OSError):
        return QCoreApplication.translate("Messages", "文件操作失败：{0}").format(
            exc.strerror or exc
        )
    store = store_error(exc)  # the machine's trouble met mid-operation (a full disk, …)
    if store is not None:
        return localise(Message(store.code, **store.params))
    return QCoreApplication.translate("Messages", "操作失败：{0}").format(type(exc).__name__)
