"""The compiled schema check may only ever say "valid" when jsonschema agrees."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.catalogue import validate
from app.catalogue.fastschema import UnsupportedSchema, compile_schema
from app.catalogue.generate import generate_catalogue
from app.catalogue.validate import SCHEMA_PATH
from tests.test_catalogue_samples import small_catalogue

SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
FAST = compile_schema(SCHEMA)
SLOW = jsonschema.Draft202012Validator(SCHEMA)

# Values at the edges of the schema's limits, drawn half of the time.
edge_values: st.SearchStrategy[Any] = st.sampled_from(
    ["", " ", "x" * 61, "x" * 201, "x" * 1001, -1, 0, 100000, 3.5, [], {}, None, ["a"], ["a", "a"]]
)
_any_json: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-5, max_value=5000)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.decimals(min_value=-10, max_value=10, places=3)
    | st.sampled_from(["", " ", "copy", "scan", "A4", "零上门", "2026-02-30", "SCJG", "x" * 300])
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["code", "name", "x"]), children, max_size=3)
    ),
    max_leaves=6,
)
# Sampled lists and dicts are shared between draws: the mutations must not touch them.
json_values = (edge_values | _any_json).map(copy.deepcopy)


def _containers(doc: Any, out: list[Any]) -> list[Any]:
    if isinstance(doc, dict | list):
        out.append(doc)
        for child in doc.values() if isinstance(doc, dict) else doc:
            _containers(child, out)
    return out


@st.composite
def mutated_catalogues(draw: st.DrawFn) -> Any:
    doc: Any = small_catalogue()
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        containers = _containers(doc, [])
        target = draw(st.sampled_from(containers))
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if isinstance(target, dict):
            if action == "add" or not target:
                target[draw(st.sampled_from(["extra", "code", "name", "condition"]))] = draw(
                    json_values
                )
            else:
                key = draw(st.sampled_from(sorted(target)))
                if action == "delete":
                    del target[key]
                else:
                    target[key] = draw(json_values)
        elif action == "add" or not target:
            target.append(draw(json_values))
        else:
            i = draw(st.integers(min_value=0, max_value=len(target) - 1))
            if action == "delete":
                del target[i]
            else:
                target[i] = draw(json_values)
    if draw(st.booleans()):
        doc = draw(json_values) if draw(st.integers(0, 9)) == 0 else doc
    return doc


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_catalogues())
def test_fast_check_never_accepts_what_jsonschema_rejects(doc: Any) -> None:
    if FAST(doc):
        assert list(SLOW.iter_errors(doc)) == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_catalogues())
def test_item_by_item_validation_reports_what_jsonschema_reports(doc: Any) -> None:
    assert sorted(validate._schema_problems(doc)) == sorted(
        validate._slow_problems(validate._validator(), doc)
    )


def test_one_bad_item_in_a_big_catalogue_is_found_exactly() -> None:
    """At scale the fast path must still name exactly the bad items (its speed is measured by
    `python -m app bench`, not asserted here)."""
    doc = generate_catalogue(matters=5000, seed=4)
    doc["matters"][4321]["materials"][2]["form"] = "scan"
    doc["matters"][12]["visit_class"] = "两次"
    problems = validate.validate_data(doc).problems
    assert problems == [
        'matters[12].visit_class: "两次" 不是允许的值（可用：零上门、只跑一次、其他）',
        'matters[4321].materials[2].form: "scan" 不是允许的值'
        "（可用：original_checked、original_kept、copy、electronic）",
    ]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fast_check_accepts_valid_catalogues(seed: int) -> None:
    doc = generate_catalogue(matters=300, seed=seed)
    assert list(SLOW.iter_errors(doc)) == []
    assert FAST(doc)
    assert FAST(small_catalogue())


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        (3, True),
        (3.0, True),  # jsonschema: a float without fraction is an integer
        (True, False),
        (Decimal("3"), False),  # not an integer to jsonschema either
        (-1, False),
        ("3", False),
    ],
)
def test_integer_semantics_follow_jsonschema(value: Any, valid: bool) -> None:
    doc = small_catalogue()
    doc["matters"][0]["legal_days"] = value
    assert FAST(doc) is valid
    assert (list(SLOW.iter_errors(doc)) == []) is valid


@pytest.mark.parametrize(
    "schema",
    [
        {"oneOf": [{"type": "string"}]},
        {"type": "object", "additionalProperties": {"type": "string"}, "properties": {}},
        {"type": "object", "additionalProperties": False},
        {"enum": [1, 2]},
        {"$ref": "https://example.org/other.json"},
    ],
)
def test_unknown_keywords_refuse_to_compile(schema: dict[str, Any]) -> None:
    with pytest.raises(UnsupportedSchema):
        compile_schema(schema)


def test_validation_falls_back_to_jsonschema_without_the_fast_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.catalogue import validate

    monkeypatch.setattr(validate, "_fast_check", lambda: None)
    doc = small_catalogue()
    assert validate.validate_data(doc).ok
    doc["matters"][0]["visit_class"] = "两次"
    assert validate.validate_data(doc).problems == [
        'matters[0].visit_class: "两次" 不是允许的值（可用：零上门、只跑一次、其他）'
    ]
