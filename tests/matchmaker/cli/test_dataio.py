"""``matchmaker import`` and ``export`` through Flask's CLI runner."""
import json

import pytest
from sqlalchemy import func, select

from matchmaker.models import Supplier


def write(tmp_path, *records, name="in.jsonl"):
    path = tmp_path / name
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n"
                            for r in records), encoding="utf-8")
    return str(path)


GOOD = {"external_id": "S1", "name": "대성정밀", "description": "CNC", "industry": "machinery"}


def test_import_reports_counts(db, runner, tmp_path):
    result = runner.invoke(args=["import", "suppliers", write(tmp_path, GOOD, {**GOOD, "external_id": "S2"})])
    assert result.exit_code == 0, result.output
    assert "suppliers: 2 created, 0 updated" in result.output


def test_bad_file_exits_non_zero_with_line_and_field_and_imports_nothing(db, runner, tmp_path):
    path = write(tmp_path, GOOD, {**GOOD, "external_id": "S2", "industry": "toys"}, "{oops")
    result = runner.invoke(args=["import", "suppliers", path])
    assert result.exit_code == 1
    assert "line 2, field 'industry'" in result.output
    assert "line 3: is not valid JSON" in result.output
    assert "nothing was imported" in result.output
    assert db.session.scalar(select(func.count(Supplier.id))) == 0


def test_skip_invalid_flag(db, runner, tmp_path):
    path = write(tmp_path, GOOD, {**GOOD, "external_id": "S2", "industry": "toys"})
    result = runner.invoke(args=["import", "suppliers", path, "--skip-invalid"])
    assert result.exit_code == 0
    assert "1 created" in result.output and "1 bad line(s) skipped" in result.output
    assert "skipped: line 2, field 'industry'" in result.output


def test_missing_file_and_unknown_kind_are_usage_errors(db, runner, tmp_path):
    assert runner.invoke(args=["import", "suppliers", str(tmp_path / "nope.jsonl")]).exit_code == 2
    result = runner.invoke(args=["import", "widgets", write(tmp_path, GOOD)])
    assert result.exit_code == 2 and "suppliers" in result.output


def test_no_progress_bar_when_not_on_a_terminal(db, runner, tmp_path):
    result = runner.invoke(args=["import", "suppliers", write(tmp_path, GOOD)])
    assert "Importing" not in result.output


def test_help_explains_the_all_or_nothing_rule(runner):
    result = runner.invoke(args=["import", "--help"])
    assert "all or" in result.output and "--skip-invalid" in result.output


def test_progress_bar_on_a_terminal(tmp_path):
    """Run the real command with stderr on a pseudo-terminal, as a person at a shell would."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from tests.conftest import run_on_terminal

    records = [{**GOOD, "external_id": f"S{i}"} for i in range(50)]
    path = write(tmp_path, *records)
    env = dict(os.environ, MATCHMAKER_INSTANCE_PATH=str(tmp_path / "instance"))
    env.pop("MATCHMAKER_DATABASE_URL", None)
    matchmaker = str(Path(sys.executable).parent / "matchmaker")
    subprocess.run([matchmaker, "db", "upgrade"], env=env, capture_output=True, check=True)
    result, terminal = run_on_terminal([matchmaker, "import", "suppliers", path], env, timeout=60)
    assert result.returncode == 0
    assert "suppliers: 50 created" in result.stdout
    assert "Importing suppliers" in terminal and "50/50" in terminal


@pytest.mark.parametrize("content", [b"", b"\n\n   \n"])
@pytest.mark.parametrize("flags", [[], ["--skip-invalid"]])
def test_an_empty_file_is_an_error_that_says_so(db, runner, tmp_path, content, flags):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(content)
    result = runner.invoke(args=["import", "suppliers", str(path), *flags])
    assert result.exit_code == 1 and "the file has no records" in result.output


@pytest.mark.parametrize("line, words", [
    (b'{"external_id": "S9", "x": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "line 2: nests lists and objects"),
    (b'{"external_id": "S9", "x": NaN}', "line 2, field 'x': NaN is not a JSON number"),
    (b'{"external_id": "S9", "external_id": "S10"}', "line 2, field 'external_id': is given more than once"),
])
def test_hostile_lines_are_reported_not_tracebacks(db, runner, tmp_path, line, words):
    path = tmp_path / "in.jsonl"
    path.write_bytes(json.dumps(GOOD).encode() + b"\n" + line + b"\n")
    result = runner.invoke(args=["import", "suppliers", str(path)])
    assert result.exit_code == 1 and words in result.output and "Traceback" not in result.output
    assert db.session.scalar(select(func.count(Supplier.id))) == 0
