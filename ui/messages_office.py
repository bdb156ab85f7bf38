"""The back office's texts (the hall manager's reports and simulations, the audit trail,
backups, restores and purges): app.messages.MESSAGES' templates marked for lupdate, part of
ui.messages.TEMPLATES."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

OFFICE_TEMPLATES: dict[str, str] = {
    "manager.no_hall": str(QT_TRANSLATE_NOOP("Messages", "本机尚未配置大厅")),
    "manager.sim_days": str(QT_TRANSLATE_NOOP("Messages", "模拟天数须在 1 到 {most} 之间")),
    "manager.sim_per_day": str(QT_TRANSLATE_NOOP("Messages", "每日取号数须在 1 到 20000 之间")),
    "manager.sim_taken": str(
        QT_TRANSLATE_NOOP("Messages", "{first} 至 {last} 已有取号或办件记录，未写入模拟数据")
    ),
    "manager.bad_day": str(
        QT_TRANSLATE_NOOP("Messages", "日期格式不对：{text}（应为 2026-11-26 这样的日期）")
    ),
    "manager.bad_range": str(QT_TRANSLATE_NOOP("Messages", "开始日期 {start} 晚于结束日期 {end}")),
    "manager.central_unreachable": str(
        QT_TRANSLATE_NOOP("Messages", "连不上中心库（{url}）：{error}")
    ),
    "manager.central_refused": str(QT_TRANSLATE_NOOP("Messages", "中心库拒绝了请求：{detail}")),
    "manager.central_preparing": str(
        QT_TRANSLATE_NOOP("Messages", "中心库还给不出全大厅的数据：{detail}")
    ),
    "manager.central_token": str(
        QT_TRANSLATE_NOOP("Messages", "请用 --token 给出大厅管理员的中心库令牌")
    ),
    "manager.out_file": str(QT_TRANSLATE_NOOP("Messages", "无法写入 {path}：{error}")),
    "manager.bad_format": str(
        QT_TRANSLATE_NOOP("Messages", "不支持的格式：{format}（可用 pdf、csv、xlsx）")
    ),
    "audit.ok": str(QT_TRANSLATE_NOOP("Messages", "审计记录完整：共 {count} 条事件，哈希链无断裂")),
    "audit.altered": str(
        QT_TRANSLATE_NOOP("Messages", "审计记录被改动：事件 {event} 与哈希链不符")
    ),
    "audit.removed": str(
        QT_TRANSLATE_NOOP("Messages", "审计记录被删除：序号 {seq} 的事件缺失（其后是事件 {event}）")
    ),
    "audit.inserted": str(
        QT_TRANSLATE_NOOP(
            "Messages", "审计记录被插入：事件 {event}（序号 {seq}）不在哈希链的位置上"
        )
    ),
    "audit.unchained": str(
        QT_TRANSLATE_NOOP("Messages", "审计记录被插入：事件 {event} 不在哈希链中")
    ),
    "audit.legacy_changed": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "审计记录被改动：哈希链建立前的事件（现有 {count} 条）与建立时记下的摘要不符",
        )
    ),
    "audit.broken": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "本机审计记录校验未通过：{problem}。请联系信息中心（python -m app audit verify）",
        )
    ),
    "backup.done": str(
        QT_TRANSLATE_NOOP("Messages", "已备份到 {path}（数据库及 {files} 个文书 PDF）")
    ),
    "backup.exists": str(
        QT_TRANSLATE_NOOP("Messages", "备份文件已存在：{path}（请换一个文件名；未作任何改动）")
    ),
    "backup.cannot_write": str(QT_TRANSLATE_NOOP("Messages", "无法写入备份 {path}：{error}")),
    "restore.not_backup": str(
        QT_TRANSLATE_NOOP("Messages", "{path} 不是 OneWindow 的备份文件（{error}）；未作任何改动")
    ),
    "restore.damaged": str(
        QT_TRANSLATE_NOOP("Messages", "备份中的数据库已损坏：{path}（{detail}）；未作任何改动")
    ),
    "restore.wrong_version": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "备份的数据库版本为 {revision}，本程序不认识它（本程序最新为 {head}）；未作任何改动",
        )
    ),
    "restore.audit_broken": str(
        QT_TRANSLATE_NOOP("Messages", "备份中的审计记录校验未通过：{problem}；未作任何改动")
    ),
    "restore.done": str(
        QT_TRANSLATE_NOOP("Messages", "已从 {path} 恢复；原数据库已另存为 {aside}")
    ),
    "purge.done": str(
        QT_TRANSLATE_NOOP("Messages", "已清除 {count} 件办结超过 {days} 天且已送达中心库的办件")
    ),
    "purge.bad_days": str(QT_TRANSLATE_NOOP("Messages", "保留天数须为正整数：{days}")),
    "account.unknown": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "没有在岗的工作人员：{clerk}（工作人员来自大厅配置：工作台 → 大厅设置，或 python -m app hall import FILE）",
        )
    ),
    "account.no_credential": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "{clerk} 尚未设置密码或PIN，请管理员设置（python -m app account set-password --clerk {clerk}）",
        )
    ),
    "account.bad_credential": str(QT_TRANSLATE_NOOP("Messages", "{clerk} 的密码或PIN不对")),
    "account.wait": str(QT_TRANSLATE_NOOP("Messages", "密码连续输错，请 {seconds} 秒后再试")),
    "account.locked": str(
        QT_TRANSLATE_NOOP("Messages", "{clerk} 连续输错密码，账号已锁定，{until} 后可再试")
    ),
    "account.weak_secret": str(
        QT_TRANSLATE_NOOP("Messages", "密码至少 8 个字符，或PIN至少 6 位数字")
    ),
    "account.id_and_name": str(QT_TRANSLATE_NOOP("Messages", "请填写工号和姓名")),
    "account.exists": str(QT_TRANSLATE_NOOP("Messages", "工号 {clerk} 已存在")),
    "account.role_needed": str(
        QT_TRANSLATE_NOOP("Messages", "此操作须由{role}进行，{clerk} 不是{role}")
    ),
    "account.not_signed_in": str(QT_TRANSLATE_NOOP("Messages", "此操作须由{role}登录后进行")),
    "account.role_admin": str(QT_TRANSLATE_NOOP("Messages", "管理员")),
    "account.role_manager": str(QT_TRANSLATE_NOOP("Messages", "大厅负责人")),
    "account.role_staff": str(QT_TRANSLATE_NOOP("Messages", "工作人员")),
    "account.secret_set": str(QT_TRANSLATE_NOOP("Messages", "已为 {clerk} 设置密码")),
    "account.added": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "已添加 {clerk}（{role}）；请再为其设置密码：python -m app account set-password --clerk {clerk}",
        )
    ),
    "account.secrets_differ": str(
        QT_TRANSLATE_NOOP("Messages", "两次输入的密码不一致；未作任何改动")
    ),
    "account.cli_user_needed": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "此操作须由{role}登录后进行：用 {option} 工号 给出，密码或PIN从终端或标准输入读取",
        )
    ),
    "account.disabled": str(
        QT_TRANSLATE_NOOP("Messages", "{clerk} 的账号已在中心库停用，不能登录")
    ),
    "account.central_held": str(
        QT_TRANSLATE_NOOP(
            "Messages",
            "{clerk} 的账号由中心库管理，请在中心库修改（python -m app central add-account）；"
            "未作任何改动",
        )
    ),
    "override.no_credential": str(
        QT_TRANSLATE_NOOP("Messages", "请负责人 {manager} 输入本人的密码或PIN以批准")
    ),
}
