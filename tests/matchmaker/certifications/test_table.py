"""The table is checked as it loads: a contradiction stops the load instead of mis-reading text."""
import tomllib
from importlib.resources import files

import pytest

from matchmaker.certifications.table import TABLE_FILE, TableError, build, table


def row(cert_id: str, *aliases: str, **fields):
    """A minimal valid row."""
    return {"id": cert_id, "name": f"{cert_id} name", "industries": ["food"], "aliases": list(aliases), **fields}


def test_the_packaged_table_loads_once():
    assert table() is table()
    assert len(table().entries) == len(table().by_id)


def test_the_packaged_file_is_plain_toml_with_unique_ids():
    rows = tomllib.loads(files("matchmaker.certifications").joinpath(TABLE_FILE).read_text("utf-8"))["certification"]
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))


def test_a_valid_table_builds():
    built = build([row("FOO", "Foo mark", "푸"), row("BAR", "Bar-1")])
    assert built.by_key["foo"] == "FOO" and built.by_key["bar1"] == "BAR"
    assert [e.id for e in built.entries] == ["FOO", "BAR"]


@pytest.mark.parametrize("rows, fragment", [
    ([], "no entries"),
    ([row("FOO"), row("FOO")], "appears twice"),
    ([row("FOO", "BAR"), row("BAR")], "reads as 'FOO'"),
    ([row("FOO", "Baz cert"), row("BAR", "BAZ")], "reads as 'FOO'"),
    ([row("FOO", "Qux 2019"), row("BAR", "qux")], "reads as 'FOO'"),
    ([row("FOO", "Foo (planned)")], "pending or lapsed"),
    ([row("FOO", "Foo 진행중")], "pending or lapsed"),
    ([row("FOO", "인증")], "noise"),
    ([row("FOO", "---")], "no letters or digits"),
    ([row("FOO", industries=["toys"])], "industries"),
    ([row("FOO", industries=[])], "industries"),
    ([row("FOO", scheme="vibes")], "scheme"),
    ([row("FOO", colour="blue")], "unknown fields"),
    ([row("FOO", name_ko="")], "name_ko"),
    ([row(" FOO")], "id must be"),
    ([{**row("FOO"), "aliases": "Foo"}], "aliases"),
    ([{**row("FOO"), "aliases": ["Foo", 3]}], "aliases"),
])
def test_a_contradictory_table_is_refused(rows, fragment):
    with pytest.raises(TableError, match=fragment.replace("(", r"\(")):
        build(rows)


def test_table_error_is_a_value_error():
    assert issubclass(TableError, ValueError)
