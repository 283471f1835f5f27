"""`fedchapter count`: run() directly, and the subcommand through a real process."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from fedchapter.cli import count as count_command
from fedchapter.counting import count, parse_blt, render_text

REPO = Path(__file__).resolve().parents[3]
FOOD_BLT = """\
5 3
4 1 0
2 2 1 0
8 3 4 0
4 3 5 0
1 4 0
1 5 0
0
"Oranges"
"Pears"
"Chocolate"
"Strawberries"
"Hamburgers"
"Party food"
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    good = tmp_path / "food.blt"
    good.write_text(FOOD_BLT, encoding="utf-8")
    bad = tmp_path / "bad.blt"
    bad.write_text('2 1\n1 3 0\n0\n"A"\n"B"\n"T"\n', encoding="utf-8")
    return {"good": good, "bad": bad, "missing": tmp_path / "missing.blt"}


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="fedchapter")
    subparsers = parser.add_subparsers(dest="command", required=True)
    count_command.register(subparsers)
    return parser.parse_args(list(argv))


def test_register_adds_count_with_its_handler() -> None:
    args = parse("count", "a.blt", "b.blt")
    assert args.handler is count_command.run
    assert args.method == "scottish-stv"
    assert args.seats is None and args.json is False
    assert [str(path) for path in args.files] == ["a.blt", "b.blt"]


def test_register_refuses_unknown_method_and_bad_seats() -> None:
    with pytest.raises(SystemExit):
        parse("count", "a.blt", "--method", "borda")
    with pytest.raises(SystemExit):
        parse("count", "a.blt", "--seats", "0")


def test_text_output(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert count_command.run(parse("count", str(files["good"]))) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith(f"== {files['good']}\n")
    assert "Elected in order: 1. Chocolate, 2. Oranges, 3. Strawberries" in out
    assert out.endswith(render_text(count(parse_blt(FOOD_BLT))))


def test_json_output_one_object_per_line(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert count_command.run(parse("count", str(files["good"]), str(files["good"]), "--json")) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    data = json.loads(lines[0])
    assert data["file"] == str(files["good"])
    assert data["method"] == "scottish-stv"
    assert data["seats"] == 3
    assert data["quota"] == 6
    assert data["elected"] == ["Chocolate", "Oranges", "Strawberries"]
    assert data["stages"][1]["tallies"]["Strawberries"] == 5
    assert data["stages"][1]["action"] == "surplus of Chocolate"


def test_seats_and_method_options(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert count_command.run(parse("count", str(files["good"]), "--seats", "1", "--json")) == 0
    assert json.loads(capsys.readouterr().out)["elected"] == ["Chocolate"]
    assert count_command.run(parse("count", str(files["good"]), "--method", "irv", "--json")) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["method"], data["seats"], data["elected"]) == ("irv", 1, ["Chocolate"])
    assert count_command.run(parse("count", str(files["good"]), "--method", "meek-stv", "--json")) == 0
    assert set(json.loads(capsys.readouterr().out)["elected"]) == {"Chocolate", "Oranges", "Strawberries"}


def test_bad_files_report_errors_after_counting_the_others(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [str(files["bad"]), str(files["missing"]), str(files["good"])]
    assert count_command.run(parse("count", *argv, "--json")) == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    bad_line = "line 2: ballot ranks candidate 3, but candidates are 1 to 2"
    assert lines[0] == {"file": str(files["bad"]), "error": bad_line}
    assert lines[1]["file"] == str(files["missing"]) and "No such file" in lines[1]["error"]
    assert lines[2]["elected"] == ["Chocolate", "Oranges", "Strawberries"]

    assert count_command.run(parse("count", *argv)) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"{files['bad']}: error: {bad_line}",
        f"{files['missing']}: error: No such file or directory",
    ]
    assert "Elected in order: 1. Chocolate" in out


def test_irv_with_several_seats_is_an_error_line(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert count_command.run(parse("count", str(files["good"]), "--method", "irv", "--seats", "2", "--json")) == 1
    assert "one seat" in json.loads(capsys.readouterr().out)["error"]


ENTRY = """\
import argparse, sys
from fedchapter.cli import count
parser = argparse.ArgumentParser(prog="fedchapter")
count.register(parser.add_subparsers(dest="command", required=True))
args = parser.parse_args()
sys.exit(args.handler(args))
"""


def test_real_process_prints_only_the_requested_output(files: dict[str, Path], tmp_path: Path) -> None:
    entry = tmp_path / "count_entry.py"
    entry.write_text(ENTRY, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, str(entry), "count", str(files["good"]), str(files["bad"]), "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert completed.returncode == 1
    assert completed.stderr == ""
    first, second = (json.loads(line) for line in completed.stdout.splitlines())
    assert first["elected"] == ["Chocolate", "Oranges", "Strawberries"]
    assert "error" in second
