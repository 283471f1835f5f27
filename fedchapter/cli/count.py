"""`fedchapter count FILE.blt...`: count ballot files and print the results.

Text mode prints, for each file, the elected in order of election and the
stage-by-stage table. `--json` prints one JSON object per file, one per line.
A file that cannot be read or counted gives an error (a JSON line with
"error", or one line on stderr) and the exit status 1, after the other files
have been counted.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from fedchapter.counting import METHODS, BltError, CountResult, count, read_blt, render_text

DEFAULT_METHOD = "scottish-stv"


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "count",
        help="count ranked ballots in BLT files",
        description="Count BLT ballot files by Scottish STV (the default), Meek STV or instant runoff.",
    )
    parser.add_argument("files", metavar="FILE.blt", nargs="+", type=Path, help="ballot files in BLT format")
    parser.add_argument(
        "--method", choices=sorted(METHODS), default=DEFAULT_METHOD, help=f"counting rule (default {DEFAULT_METHOD})"
    )
    parser.add_argument("--seats", type=_positive, help="seats to fill (default: as the file says; irv: 1)")
    parser.add_argument("--seed", help="seed for drawing lots in unbreakable ties (default: the election title)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per file, one per line")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Count every file named in `args`; 0 if all were counted, else 1."""
    method: str = getattr(args, "method", DEFAULT_METHOD)
    seats: int | None = getattr(args, "seats", None)
    seed: str | None = getattr(args, "seed", None)
    as_json: bool = getattr(args, "json", False)
    failed = False
    first = True
    for path in args.files:
        try:
            result = _count_file(Path(path), method, seats, seed)
        except (OSError, BltError, ValueError) as error:
            failed = True
            message = _describe(error)
            if as_json:
                _print_json({"file": str(path), "error": message})
            else:
                print(f"{path}: error: {message}", file=sys.stderr)
            continue
        if as_json:
            _print_json({"file": str(path), **result.to_dict()})
        else:
            if not first:
                print()
            print(f"== {path}")
            sys.stdout.write(render_text(result))
        first = False
    return 1 if failed else 0


def _count_file(path: Path, method: str, seats: int | None, seed: str | None) -> CountResult:
    election = read_blt(path)
    if seats is None and method == "irv":
        seats = 1  # instant runoff fills one seat whatever the file was counted for
    if seats is not None and seats != election.seats:
        election = election.with_seats(seats)
    return count(election, method, seed)


def _describe(error: Exception) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)


def _print_json(data: dict[str, Any]) -> None:
    print(json.dumps(data, ensure_ascii=False))


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value
