"""The central store's refusals: one Chinese line each (the server's and its commands' own,
apart from the desk's message catalogue)."""

from __future__ import annotations

CENTRAL_MESSAGES: dict[str, str] = {
    "hall.no_code": "大厅文件缺少大厅编码 code（格式：行政区划代码-三位序号，如 220800-001）",
    "hall.bad_code": "大厅编码 {code} 格式不对（应为 行政区划代码-三位序号，如 220800-001）",
    "hall.code_division": "大厅编码 {code} 与行政区划代码 {division} 不一致",
    "hall.unknown": "中心库中没有大厅 {code}（先用 central add-hall 添加）",
    "hall.bad_file": "大厅文件不能使用：{why}",
    "desk.bad_window": "窗口号 {window} 不在大厅 {code} 的配置中",
    "desk.window_taken": "大厅 {code} 的 {window} 号窗口已有工作台（先用 central revoke 收回其凭据）",
    "token.unknown": "没有这个凭据：{what}",
    "catalogue.bad": "目录文件不能发布：{why}",
    "catalogue.changed": "目录版本 {version} 已发布过，内容不同；请使用新的版本号",
    "queue.no_line": "大厅没有业务类别 {line}",
    "queue.no_ticket": "没有这张号：{ticket}",
    "queue.bad_action": "{ticket} 号当前状态为 {status}，不能执行此操作",
    "account.bad_id": "工号不能为空，且不超过 40 个字符",
    "account.bad_role": "角色 {role} 不对（应为 {roles} 之一）",
    "account.weak_secret": "密码至少 8 个字符，或PIN至少 6 位数字；未作任何改动",
    "account.needs_name": "大厅 {code} 的配置中没有工号 {clerk}，请用 --name 给出姓名",
    "account.unknown": "大厅 {code} 没有工号 {clerk} 的账号",
    "account.secrets_differ": "两次输入的密码不一致；未作任何改动",
    "account.no_secret": "没有读到密码：在终端输入，或从标准输入给出一行（不要写在命令行上）",
    "queue.choose_transfer": "请选择转到的业务类别或窗口",
    "queue.same_line": "{ticket} 号已在业务类别 {line}",
    "queue.same_window": "不能转给本窗口",
    "queue.rate_not_done": "{ticket} 号尚未办结，不能评价",
    "queue.already_rated": "{ticket} 号已评价过",
    "queue.close_reason": "请填写日终关闭原因",
    "queue.request_reused": "请求号 {request} 已用于另一操作",
    "kiosk.bad_number": "取号机编号 {kiosk} 不对（应为 1 到 {most}）",
    "kiosk.taken": "大厅 {code} 的 {kiosk} 号取号机已有凭据（先用 central revoke 收回）",
    "queue.bad_priority": "优先对象只用于优先号",
    "mirror.preparing": "大厅 {code} 的统计数据正在准备中（中心库正在复制大厅的历史记录），请稍后再试",
    "serve.tls_pair": "--certfile 与 --keyfile 须同时给出",
}


class CentralError(Exception):
    """A refusal: nothing was changed. `str(exc)` is the one line."""

    def __init__(self, code: str, /, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(CENTRAL_MESSAGES[code].format(**params))
