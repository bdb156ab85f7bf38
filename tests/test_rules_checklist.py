"""Building a checklist from one matter or a bundle: shared materials asked once, strictest
requirement wins."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules.checklist import (
    FORM_STRICTNESS,
    NECESSITY_STRICTNESS,
    ChecklistLine,
    MaterialSpec,
    MatterSpec,
    build_checklist,
)

ID_CARD = MaterialSpec("M001", "居民身份证", "original_checked", tolerable=False, obtain="本人携带")
LICENCE = MaterialSpec(
    "M002", "营业执照", "copy", copies=1, source="e_licence", obtain="市场监管部门"
)
LEASE = MaterialSpec("M003", "房屋租赁合同", "copy", copies=1, tolerable=True, obtain="出租方提供")
FLOOR_PLAN = MaterialSpec("M004", "经营场所平面图", "original_kept", necessity="optional")


def matter(
    code: str, *materials: MaterialSpec, allows_gap: bool = True, promised: int = 5
) -> MatterSpec:
    return MatterSpec(
        code,
        f"事项{code}",
        promised_days=promised,
        legal_days=20,
        allows_gap=allows_gap,
        materials=materials,
    )


def by_code(lines: list[ChecklistLine]) -> dict[str, ChecklistLine]:
    return {line.code: line for line in lines}


def test_one_matter_keeps_its_materials_in_order() -> None:
    lines = build_checklist([matter("A", ID_CARD, LICENCE, LEASE)])
    assert [line.code for line in lines] == ["M001", "M002", "M003"]
    assert all(line.matter_codes == ("A",) for line in lines)
    assert by_code(lines)["M003"].tolerable
    assert by_code(lines)["M001"].required


def test_bundle_asks_shared_material_once() -> None:
    lines = build_checklist([matter("A", ID_CARD, LICENCE), matter("B", LEASE, ID_CARD)])
    assert [line.code for line in lines] == ["M001", "M002", "M003"]
    assert by_code(lines)["M001"].matter_codes == ("A", "B")
    assert by_code(lines)["M003"].matter_codes == ("B",)


@pytest.mark.parametrize(
    ("a", "b", "field", "expected"),
    [
        (replace(LEASE, necessity="optional"), LEASE, "necessity", "required"),
        (
            replace(LEASE, necessity="conditional", condition="租赁场所"),
            replace(LEASE, necessity="optional"),
            "necessity",
            "conditional",
        ),
        (replace(LEASE, copies=1), replace(LEASE, copies=3), "copies", 3),
        (
            replace(LEASE, form="copy"),
            replace(LEASE, form="original_checked"),
            "form",
            "original_checked",
        ),
        (
            replace(LEASE, form="original_kept"),
            replace(LEASE, form="original_checked"),
            "form",
            "original_kept",
        ),
        (replace(LEASE, form="electronic", copies=0), replace(LEASE, form="copy"), "form", "copy"),
        (LEASE, replace(LEASE, tolerable=False), "tolerable", False),
        (LEASE, LEASE, "tolerable", True),
        (
            replace(LEASE, source="e_licence"),
            replace(LEASE, source="applicant"),
            "source",
            "applicant",
        ),
        (replace(LEASE, obtain="甲"), replace(LEASE, obtain="甲"), "obtain", "甲"),
    ],
)
def test_strictest_requirement_wins(
    a: MaterialSpec, b: MaterialSpec, field: str, expected: object
) -> None:
    for order in ([matter("A", a), matter("B", b)], [matter("B", b), matter("A", a)]):
        (line,) = build_checklist(order)
        assert getattr(line, field) == expected


def test_different_ways_to_obtain_are_all_told_in_matter_order() -> None:
    a, b = replace(LEASE, obtain="甲"), replace(LEASE, obtain=" 乙 ")
    assert build_checklist([matter("A", a), matter("B", b)])[0].obtain == "甲；乙"
    assert build_checklist([matter("B", b), matter("A", a)])[0].obtain == "乙；甲"


def test_tolerable_only_if_every_matter_allows_gaps() -> None:
    (line,) = build_checklist([matter("A", LEASE), matter("B", LEASE, allows_gap=False)])
    assert not line.tolerable
    (line,) = build_checklist([matter("B", LEASE, allows_gap=False)])
    assert not line.tolerable


def test_gap_limit_is_the_smallest_promised_limit_of_the_matters_needing_it() -> None:
    """Less the working day each matter keeps to decide once the gap is in (by default)."""
    lines = by_code(
        build_checklist(
            [matter("A", ID_CARD, promised=10), matter("B", ID_CARD, LEASE, promised=3)]
        )
    )
    assert lines["M001"].gap_limit_days == 2
    assert lines["M003"].gap_limit_days == 2


@pytest.mark.parametrize(
    ("spec", "tolerable"),
    [
        (LEASE, True),
        (replace(LEASE, core=True), False),
        (replace(LEASE, role="application_form"), False),
        (replace(LEASE, role="applicant_identity"), False),
        (replace(LEASE, role="authorisation"), True),
    ],
)
def test_core_materials_application_form_and_identity_are_never_tolerable(
    spec: MaterialSpec, tolerable: bool
) -> None:
    """Even when a catalogue marks them tolerable by mistake."""
    (line,) = build_checklist([matter("A", spec)])
    assert line.tolerable is tolerable
    assert line.never_gap is not tolerable


def test_condition_kept_only_while_conditional() -> None:
    cond = replace(LEASE, necessity="conditional", condition="经营场所为租赁的")
    (line,) = build_checklist([matter("A", cond)])
    assert line.condition == "经营场所为租赁的"
    (line,) = build_checklist([matter("A", cond), matter("B", LEASE)])
    assert line.necessity == "required" and line.condition == ""


def test_copy_line_asks_for_at_least_one_copy() -> None:
    (line,) = build_checklist([matter("A", replace(LEASE, copies=0))])
    assert line.copies == 1
    assert line.requirement_text() == "复印件1份"


@pytest.mark.parametrize(
    ("spec", "text"),
    [
        (ID_CARD, "原件（核验后退还）"),
        (replace(ID_CARD, copies=2), "原件（核验后退还），另交复印件2份"),
        (replace(LEASE, copies=3), "复印件3份"),
        (FLOOR_PLAN, "原件1份（收取）"),
        (replace(FLOOR_PLAN, copies=1, role="application_form"), "填写完整的原件1份"),
        (replace(FLOOR_PLAN, copies=2, role="photo"), "2张"),
        (replace(LEASE, form="electronic", copies=0), "电子材料"),
    ],
)
def test_requirement_text(spec: MaterialSpec, text: str) -> None:
    (line,) = build_checklist([matter("A", spec)])
    assert line.requirement_text() == text


@pytest.mark.parametrize("matters", [[], [matter("A", ID_CARD), matter("A", LEASE)]])
def test_bad_matter_lists_refused(matters: list[MatterSpec]) -> None:
    with pytest.raises(ValueError):
        build_checklist(matters)


_materials = st.builds(
    MaterialSpec,
    code=st.sampled_from(["M1", "M2", "M3", "M4", "M5"]),
    name=st.just("材料"),
    form=st.sampled_from(list(FORM_STRICTNESS)),
    copies=st.integers(0, 4),
    necessity=st.sampled_from(list(NECESSITY_STRICTNESS)),
    tolerable=st.booleans(),
)


@st.composite
def bundles(draw: st.DrawFn) -> list[MatterSpec]:
    n = draw(st.integers(1, 6))
    result = []
    for i in range(n):
        mats = draw(st.lists(_materials, max_size=5, unique_by=lambda m: m.code))
        result.append(
            MatterSpec(
                f"X{i}",
                "事项",
                draw(st.integers(0, 30)),
                30,
                allows_gap=draw(st.booleans()),
                materials=tuple(mats),
            )
        )
    return result


@given(bundles())
def test_every_material_appears_once_and_no_requirement_is_weakened(
    matters: list[MatterSpec],
) -> None:
    lines = by_code(build_checklist(matters))
    codes = {m.code for mt in matters for m in mt.materials}
    assert set(lines) == codes
    for mt in matters:
        for m in mt.materials:
            line = lines[m.code]
            assert mt.code in line.matter_codes
            assert FORM_STRICTNESS[line.form] >= FORM_STRICTNESS[m.form]
            assert NECESSITY_STRICTNESS[line.necessity] >= NECESSITY_STRICTNESS[m.necessity]
            assert line.copies >= m.copies
            assert line.gap_limit_days <= mt.promised_days
            if line.tolerable:
                assert m.tolerable and mt.allows_gap
