"""The store's refusals for people, by code: the Chinese templates of db/engine.py's errors.

db/ may not import app/, so these live here; app/messages.py takes them into its one table
(`MESSAGES`), where the UI translates them like any other code (ui/messages.py)."""

from __future__ import annotations

#: What to do with a damaged database file: part of the lines that refuse one.
_RESTORE = (
    "请联系信息中心从备份恢复（先关闭所有 OneWindow 窗口，再运行 python -m app restore 备份文件）"
)

STORE_MESSAGES: dict[str, str] = {
    "store.busy": "另一个窗口正在保存，数据库暂时忙；本次操作未保存，请稍后重试",
    "store.locked": "数据库文件被其他程序占用：{path}（请关闭另一个 OneWindow 后重试）",
    "store.damaged": f"数据库文件已损坏：{{path}}（{{detail}}）。文件未作任何改动；{_RESTORE}。",
    "store.damaged_in_use": f"数据库文件已损坏；{_RESTORE}",
    "store.read_only_file": (
        "数据库文件是只读的：{path}（请让信息中心恢复该文件的写权限）；文件未作任何改动。"
    ),
    "store.read_only": "数据库是只读的，无法保存（请让信息中心恢复数据目录和数据库文件的写权限）",
    "store.disk_full": (
        "磁盘已满：{path} 所在的磁盘没有剩余空间；请清理磁盘后重试，已保存的数据未受影响。"
    ),
    "store.disk_full_data_dir": (
        "磁盘已满：数据目录所在的磁盘没有剩余空间；请清理磁盘后重试，已保存的数据未受影响。"
    ),
    "store.not_ours": (
        "{path} 中已有表但没有版本记录，不是 OneWindow 创建的数据库；文件未作任何改动。"
    ),
    "store.newer": (
        "数据库来自更新版本的 OneWindow（版本 {revision}），本程序无法使用它；"
        "文件未作任何改动，请升级本程序。"
    ),
    "store.cannot_create": "无法创建数据库 {path}：{error}",
    "store.cannot_open": "无法打开数据库 {path}：{error}",
    "store.cannot_read": "无法读取数据库 {path}：{error}",
    "store.wrong_key": (
        "数据库密钥不对：{path} 无法用这个口令或密钥打开（口令输错，或密钥环中的密钥不属于这个数据库）；文件未作任何改动。"
    ),
    "store.missing": "这里还没有数据库：{path}（首次启动工作台时创建）",
}
