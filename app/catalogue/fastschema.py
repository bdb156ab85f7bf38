"""A fast yes/unsure check of a document against the catalogue schema.

jsonschema takes about 25 s on a 20,000-matter catalogue, far too slow for an import that must
take a few seconds. This compiles the schema into Python source (one function per `$defs`
entry, keywords inlined) that answers "certainly valid" or "not sure"; validation runs
jsonschema itself whenever the answer is "not sure", so its located messages stay the
reference. The check is conservative: a keyword it does not implement makes compilation fail
(then jsonschema always runs), and a value it is unsure about (an int subclass, a non-string
enum) counts as "not sure", never as valid."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

Check = Callable[[Any], bool]

# Keywords that never affect validity.
_ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "title", "description", "$defs"})
_HANDLED_WITH_PROPERTIES = frozenset({"additionalProperties"})

# Exact types only (type(x) is ...): bool is not a number, and subclasses are "not sure".
_TYPE_TESTS = {
    "object": "type({v}) is dict",
    "array": "type({v}) is list",
    "string": "type({v}) is str",
    "integer": "(type({v}) is int or (type({v}) is float and {v}.is_integer()))",
    "number": "type({v}) in _NUMBER_TYPES",
    "boolean": "type({v}) is bool",
    "null": "{v} is None",
}


class UnsupportedSchema(ValueError):
    """The schema uses something this checker does not implement."""


class _Generator:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.consts: dict[str, Any] = {"_NUMBER_TYPES": (int, float, Decimal)}
        self.functions: dict[str, list[str]] = {}
        self.counter = 0

    def const(self, value: Any) -> str:
        name = f"_c{len(self.consts)}"
        self.consts[name] = value
        return name

    def var(self) -> str:
        self.counter += 1
        return f"x{self.counter}"

    def function_for(self, pointer: str) -> str:
        prefix = "#/$defs/"
        name = pointer[len(prefix) :]
        if not pointer.startswith(prefix) or not name.isidentifier():
            raise UnsupportedSchema(f"$ref {pointer}")
        fname = f"def_{name}"
        if fname not in self.functions:
            self.functions[fname] = []  # reserved first: a recursive $ref just calls it
            body = self.checks(self.root["$defs"][name], "v", 1)
            self.functions[fname] = [f"def {fname}(v):", *body, "    return True"]
        return fname

    def checks(self, schema: Mapping[str, Any], v: str, depth: int) -> list[str]:
        """Lines (indented to `depth`) that `return False` unless `v` certainly satisfies
        `schema`."""
        pad = "    " * depth
        out: list[str] = []
        if "additionalProperties" in schema and "properties" not in schema:
            raise UnsupportedSchema("additionalProperties without properties")
        for key, arg in schema.items():
            if key in _ANNOTATIONS or key in _HANDLED_WITH_PROPERTIES:
                continue
            if key == "$ref":
                out.append(f"{pad}if not {self.function_for(arg)}({v}): return False")
            elif key == "type":
                names = [arg] if isinstance(arg, str) else list(arg)
                test = " or ".join(_TYPE_TESTS[n].format(v=v) for n in names)
                out.append(f"{pad}if not ({test}): return False")
            elif key in ("const", "enum"):
                values = [arg] if key == "const" else list(arg)
                if not all(isinstance(a, str) for a in values):
                    raise UnsupportedSchema(f"non-string {key}")
                allowed = self.const(frozenset(values))
                out.append(f"{pad}if type({v}) is not str or {v} not in {allowed}: return False")
            elif key == "pattern":
                search = self.const(re.compile(arg).search)
                out.append(f"{pad}if type({v}) is str and {search}({v}) is None: return False")
            elif key in ("minLength", "maxLength", "minItems"):
                kind = "list" if key == "minItems" else "str"
                op = "<" if key.startswith("min") else ">"
                out.append(
                    f"{pad}if type({v}) is {kind} and len({v}) {op} {int(arg)}: return False"
                )
            elif key in ("minimum", "maximum"):
                op = "<" if key == "minimum" else ">"
                bound = self.const(arg)
                out.append(f"{pad}if type({v}) in _NUMBER_TYPES and {v} {op} {bound}: return False")
            elif key == "uniqueItems":
                if arg:
                    # Judged for lists of strings only; anything else is "not sure".
                    out.append(
                        f"{pad}if type({v}) is list and (any(type(i) is not str for i in {v})"
                        f" or len(set({v})) != len({v})): return False"
                    )
            elif key == "required":
                required = self.const(tuple(arg))
                out.append(f"{pad}if type({v}) is dict:")
                out.append(f"{pad}    for k in {required}:")
                out.append(f"{pad}        if k not in {v}: return False")
            elif key == "properties":
                out += self.properties(schema, v, depth)
            elif key == "items":
                item = self.var()
                out.append(f"{pad}if type({v}) is list:")
                out.append(f"{pad}    for {item} in {v}:")
                inner = self.checks(arg, item, depth + 2)
                out += inner or [f"{pad}        pass"]
            else:
                raise UnsupportedSchema(key)
        return out

    def properties(self, schema: Mapping[str, Any], v: str, depth: int) -> list[str]:
        pad = "    " * depth
        extra = schema.get("additionalProperties", None)
        if extra not in (None, False):
            raise UnsupportedSchema("additionalProperties other than false")
        props: Mapping[str, Any] = schema["properties"]
        out = [f"{pad}if type({v}) is dict:"]
        if extra is False:
            known = self.const(frozenset(props))
            out.append(f"{pad}    for k in {v}:")
            out.append(f"{pad}        if k not in {known}: return False")
        for name, sub in props.items():
            value = self.var()
            body = self.checks(sub, value, depth + 2)
            if body:
                out.append(f"{pad}    if {name!r} in {v}:")
                out.append(f"{pad}        {value} = {v}[{name!r}]")
                out += body
        return out


def compile_schema(schema: Mapping[str, Any]) -> Check:
    """A predicate that is True only for documents the schema certainly accepts. Raises
    UnsupportedSchema for a schema outside the implemented keywords. The generated source
    holds no text of the schema except dictionary keys written with repr(); patterns, enums
    and bounds are passed as objects. Meant for the bundled schema, not for untrusted ones."""
    gen = _Generator(schema)
    body = gen.checks(schema, "v", 1)
    lines = [src for fn in gen.functions.values() for src in fn]
    lines += ["def check(v):", *body, "    return True"]
    namespace: dict[str, Any] = dict(gen.consts)
    exec(compile("\n".join(lines), "<catalogue-schema>", "exec"), namespace)
    check: Check = namespace["check"]
    return check
