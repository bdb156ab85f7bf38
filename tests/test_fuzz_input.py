"""Bad input, fuzzed: a catalogue file of random or mutated JSON is one clear line, never a
traceback, and leaves the catalogue as it was (no partial import); search text with SQL, FTS
or format characters is harmless in the matter search and the case search."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from app.catalogue.search import MatterIndex, box_results, normalise_query
from app.cli import main
from app.services.applicant import ApplicantData
from app.services.case_queries import find_cases
from app.services.intake import save_case
from app.startup import open_desk
from db.engine import DB_FILE_NAME, Database
from tests.test_catalogue_samples import small_catalogue
from tests.test_ui_case_list import ALL_IN, ID_RENEWAL

CATALOGUE_TABLES = (
    "catalogue_version",
    "department",
    "matter",
    "material",
    "bundle",
    "bundle_matter",
    "holiday",
)
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def desk() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="onewindow-fuzz-") as tmp:
        data = Path(tmp) / "desk"
        setup = open_desk(data)
        try:
            with setup.database.write() as s:
                for i, (name, ident) in enumerate(
                    (("王䶮", "11010519491231002X"), ("李四", "110101199003074477"))
                ):
                    save_case(
                        s,
                        setup.ctx,
                        applicant=ApplicantData("person", name, ident, f"1391234567{i}"),
                        matter_codes=[ID_RENEWAL],
                        entries=ALL_IN,
                        commitment_signed=False,
                        now=datetime.now(UTC),
                    )
        finally:
            setup.database.close()
        yield data


def _catalogue(path: Path) -> list[tuple[str, list[Any]]]:
    conn = sqlite3.connect(path)
    try:
        return [
            (t, sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr))
            for t in CATALOGUE_TABLES
        ]
    finally:
        conn.close()


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated_catalogues(draw: st.DrawFn) -> bytes:
    """The small valid catalogue with one to three places replaced, removed or retyped."""
    doc = small_catalogue()
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        path = draw(st.sampled_from(paths))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(json_values)
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


files = (
    mutated_catalogues()
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.binary(max_size=200)
    | mutated_catalogues().flatmap(lambda b: st.integers(0, len(b)).map(lambda n: b[:n]))
)


@SETTINGS
@given(content=files)
def test_a_fuzzed_catalogue_import_is_refused_whole_or_imported_whole(
    desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    path = tmp_path / "fuzz.json"
    path.write_bytes(content)
    before = _catalogue(desk / DB_FILE_NAME)
    code = main(["catalogue", "import", str(path), "--data-dir", str(desk)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if code != 0:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and any("\u4e00" <= c <= "\u9fff" for c in lines[0]), err
        assert _catalogue(desk / DB_FILE_NAME) == before
    else:
        # A mutation that is still a valid catalogue: imported whole, as its version.
        version = json.loads(content)["version"]
        after = dict(_catalogue(desk / DB_FILE_NAME))
        assert any(row[0] == version for row in after["catalogue_version"])


HOSTILE = st.sampled_from(
    [
        "'",
        '"',
        "%",
        "_",
        "*",
        "NEAR",
        "AND",
        "OR",
        "NOT",
        "{",
        "}",
        "\x00",
        ":",
        "^",
        "(",
        ")",
        "-",
        "+",
        ";",
        "--",
        "/*",
        "\\",
        "{0}",
        "%s",
        "DROP TABLE case;",
        "case_search",
        "MATCH",
        "\u3000",
        "１",
        "X",
    ]
)
queries = st.lists(HOSTILE | st.text(max_size=4), min_size=1, max_size=6).map("".join)


@pytest.fixture(scope="module")
def found_in(desk: Path) -> Iterator[Database]:
    from db.engine import open_database

    database = open_database(desk / DB_FILE_NAME)
    yield database
    database.close()


def _fields(summary: Any) -> str:
    return "|".join(
        (
            summary.case_no,
            summary.applicant_name,
            summary.applicant_id_number,
            summary.applicant_phone,
        )
    )


@SETTINGS
@given(query=queries)
@example(query="''\x00")  # a NUL ended the FTS5 phrase early: "unterminated string"
@example(query="王\x00䶮")
@example(query="%")
@example(query='"NEAR(a b)" OR *')
def test_hostile_text_in_the_case_search_is_harmless(found_in: Database, query: str) -> None:
    before = None
    with found_in.read() as s:
        before = s.connection().exec_driver_sql('SELECT count(*) FROM "case"').scalar()
        results = find_cases(s, query)
    typed = "".join(c for c in query if c.isprintable() or c.isspace())  # control chars go
    for r in results:  # only cases that really contain what was typed
        compact = "".join(typed.split()).upper()
        assert compact in _fields(r).upper() or typed.strip() in r.applicant_name
    with found_in.read() as s:
        assert s.connection().exec_driver_sql('SELECT count(*) FROM "case"').scalar() == before


@pytest.fixture(scope="module")
def index(found_in: Database) -> MatterIndex:
    with found_in.read() as s:
        return MatterIndex.load(s)


@SETTINGS
@given(query=queries)
def test_hostile_text_in_the_matter_search_is_harmless(index: MatterIndex, query: str) -> None:
    tokens = normalise_query(query)
    assume(tokens)
    hits = index.search(query)
    assert len(hits) <= 50
    codes = {h.code for h in hits}
    naive = {item.hit.code for item in index._all.items if all(t in item.hay for t in tokens)}
    assert codes <= naive
    box_results(index, query)  # bundles too: no error
