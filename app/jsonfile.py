"""The one way a command reads a JSON file someone handed it (a catalogue, a hall file).

Strict, so that a bad file is one clear line and never a traceback or a half-read value:
the size is checked before anything is read; the text must be UTF-8 (a BOM is tolerated);
NaN and Infinity, integers of more than 15 digits, numbers beyond 1e15, duplicate keys,
nesting deeper than `MAX_DEPTH`, strings longer than `MAX_TEXT`, lone surrogates and control
characters (NUL included; tab, line feed and carriage return allowed) are all refused, and
the top level must be an object. Numbers with a fraction are read as Decimal, exactly.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from app.errors import UserError

MAX_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 32
MAX_TEXT = 10_000
MAX_INT_DIGITS = 15

# Escapes in the JSON text, one token each (so an escaped backslash is never misread).
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.S)
# Raw control characters JSON lets through inside strings: DEL and the C1 block.
_RAW_CONTROL = re.compile("[\x7f-\x9f]")
_ALLOWED_CONTROLS = {0x09, 0x0A, 0x0D}

_JSON_MESSAGES = {
    "Expecting value": "此处应有一个值",
    "Expecting property name enclosed in double quotes": "此处应有用双引号括起的键名",
    "Expecting ',' delimiter": "此处缺少逗号",
    "Expecting ':' delimiter": "此处缺少冒号",
    "Extra data": "JSON 结束后还有多余内容",
    "Unterminated string starting at": "字符串没有结束的引号",
    "Invalid control character at": "字符串中有控制字符",
    "Invalid \\escape": "无效的转义序列",
    "Invalid \\uXXXX escape": "无效的 \\u 转义序列",
}


class JsonFileError(UserError):
    """The file cannot be used; the message is one line that names the file."""


class _Refused(ValueError):
    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _Refused(f"整数位数过多（{len(text.lstrip('-'))} 位，最多 {MAX_INT_DIGITS} 位）")
    return int(text)


def _parse_float(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the scanner only hands numbers
        raise _Refused(f"无效的数字 {text[:20]}") from exc
    if not value.is_finite() or (value != 0 and not -15 <= value.adjusted() < 15):
        raise _Refused(f"数字超出范围：{text[:20]}")
    return value


def _parse_constant(name: str) -> Any:
    raise _Refused(f"不允许使用 {name}")


def _line_of_offset(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def location(path: Any) -> str:
    """`matters[12].materials[3].form` from a JSON path (keys and indexes)."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(root)"


def read_bytes(path: str | Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes; refused (JsonFileError) if missing, not a file, unreadable or over
    `max_bytes` (checked before reading, and again while reading)."""
    p = Path(path)
    try:
        if not p.exists():
            raise JsonFileError(f"{p}: 文件不存在")
        if not p.is_file():
            raise JsonFileError(f"{p}: 不是文件")
        if p.stat().st_size > max_bytes:
            raise JsonFileError(f"{p}: 文件过大（超过 {max_bytes // (1024 * 1024)} MB）")
        with p.open("rb") as f:
            raw = f.read(max_bytes + 1)
    except OSError as exc:
        raise JsonFileError(f"{p}: 无法读取：{exc.strerror or exc}") from exc
    if len(raw) > max_bytes:
        raise JsonFileError(f"{p}: 文件过大（超过 {max_bytes // (1024 * 1024)} MB）")
    return raw


def _decode(raw: bytes, label: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = _line_of_offset(raw, exc.start)
        hint = ""
        try:
            raw.decode("gb18030")
            hint = "看起来是 GBK/GB18030 编码，"
        except UnicodeDecodeError:
            pass
        raise JsonFileError(
            f"{label}:{line}: 文件不是 UTF-8 编码（第 {exc.start} 字节处无法解码），"
            f"{hint}请用 UTF-8 编码另存后再试"
        ) from None


def _check_text(text: str, label: str) -> None:
    """Control characters and lone surrogates, raw or escaped, anywhere in the text."""
    raw_control = _RAW_CONTROL.search(text)
    if raw_control:
        line = text.count("\n", 0, raw_control.start()) + 1
        raise JsonFileError(f"{label}:{line}: 文件中有控制字符 U+{ord(raw_control[0]):04X}")
    pending_high: int | None = None
    for m in _ESCAPE.finditer(text):
        token = m[1]
        code = int(token[1:], 16) if token.startswith("u") and len(token) == 5 else None
        line = text.count("\n", 0, m.start()) + 1
        if pending_high is not None and (
            code is None or not 0xDC00 <= code <= 0xDFFF or m.start() != pending_high
        ):
            raise JsonFileError(f"{label}:{line}: 文件中有不成对的代理字符（\\u 转义）")
        if pending_high is not None:
            pending_high = None
            continue
        if code is None:
            continue
        if 0xD800 <= code <= 0xDBFF:
            pending_high = m.end()
        elif 0xDC00 <= code <= 0xDFFF:
            raise JsonFileError(f"{label}:{line}: 文件中有不成对的代理字符（\\u 转义）")
        elif (code < 0x20 and code not in _ALLOWED_CONTROLS) or 0x7F <= code <= 0x9F:
            raise JsonFileError(f"{label}:{line}: 文件中有控制字符 U+{code:04X}")
    if pending_high is not None:
        line = text.count("\n", 0, pending_high) + 1
        raise JsonFileError(f"{label}:{line}: 文件中有不成对的代理字符（\\u 转义）")


def _check_shape(data: Any, label: str) -> None:
    """Depth and string lengths, walking containers without recursion."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if len(path) >= MAX_DEPTH:
            raise JsonFileError(f"{label}: 嵌套过深（超过 {MAX_DEPTH} 层）：{location(path)}")
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, child in items:
            if isinstance(child, str):
                if len(child) > MAX_TEXT:
                    raise JsonFileError(
                        f"{label}: {location((*path, key))} 文字过长（{len(child)} 字，"
                        f"最多 {MAX_TEXT} 字）"
                    )
            elif isinstance(child, dict | list):
                stack.append((child, (*path, key)))
            if isinstance(key, str) and len(key) > MAX_TEXT:
                raise JsonFileError(f"{label}: {location(path)} 中的键过长")


def parse_bytes(raw: bytes, label: str) -> dict[str, Any]:
    """Decode and parse strictly; `label` names the source in the message."""
    text = _decode(raw, label)
    duplicates: list[tuple[int, str]] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    duplicates.append((id(obj), key))
                seen.add(key)
        return obj

    try:
        data = json.loads(
            text,
            parse_float=_parse_float,
            parse_int=_parse_int,
            parse_constant=_parse_constant,
            object_pairs_hook=pairs_hook,
        )
    except json.JSONDecodeError as exc:
        msg = _JSON_MESSAGES.get(exc.msg, exc.msg)
        raise JsonFileError(f"{label}:{exc.lineno}:{exc.colno}: 不是合法的 JSON：{msg}") from None
    except _Refused as exc:
        raise JsonFileError(f"{label}: 不是合法的 JSON：{exc.why}") from None
    except RecursionError:
        raise JsonFileError(f"{label}: 嵌套过深（超过 {MAX_DEPTH} 层）") from None
    except ValueError as exc:  # e.g. Python's own limit on integer digits
        raise JsonFileError(f"{label}: 不是合法的 JSON：{exc}") from None
    if not isinstance(data, dict):
        kind = {list: "数组", str: "字符串", bool: "布尔值", type(None): "null"}.get(
            type(data), "数字"
        )
        raise JsonFileError(f"{label}: 文件的最外层应是一个对象（{{…}}），而不是{kind}")
    _check_shape(data, label)
    if duplicates:
        where = {id(obj): path for path, obj in _objects(data, ())}
        shown = [f"{location((*where.get(i, ()), key))}" for i, key in duplicates[:5]]
        raise JsonFileError(
            f"{label}: 重复的键（同一对象中出现多次，后面的会覆盖前面的）：{'，'.join(shown)}"
        )
    _check_text(text, label)
    return data


def _objects(value: Any, path: tuple[Any, ...]) -> Any:
    stack = [(value, path)]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            yield path, value
            stack.extend((child, (*path, key)) for key, child in value.items())
        elif isinstance(value, list):
            stack.extend((child, (*path, i)) for i, child in enumerate(value))


def load(path: str | Path, max_bytes: int = MAX_BYTES) -> tuple[bytes, dict[str, Any]]:
    """Read and parse `path` strictly: (raw bytes, the top-level object)."""
    raw = read_bytes(path, max_bytes)
    return raw, parse_bytes(raw, str(path))
