"""Read ballots in the BLT format (as used by OpenSTV, Droop and eSTV).

    3 2                 candidates, seats
    -2                  optional: withdrawn candidates, negated
    12 1 0              a ballot line: weight, preferences (1-based), 0
    88 1 3 2 0
    0                   end of the ballots
    "Ann ALLAN"         one quoted name per candidate, in number order
    "Bob BROWN"
    "Cat CRAIG"
    "Ward 1"            the election's title

Blank lines are ignored. Anything else that does not fit (comments, equal
rankings written `1=2`, a candidate ranked twice, names without quotes,
text after the title) is refused with a `BltError` naming the line.
"""

from __future__ import annotations

import json
from pathlib import Path

from fedchapter.counting.ballots import BallotLine, Election


class BltError(ValueError):
    """A BLT text that cannot be read; the message names the line at fault."""

    def __init__(self, line_number: int | None, message: str) -> None:
        where = f"line {line_number}: " if line_number is not None else ""
        super().__init__(f"{where}{message}")
        self.line_number = line_number
        self.message = message


def read_blt(path: str | Path) -> Election:
    """Parse the BLT file at `path` (UTF-8, a leading BOM tolerated)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise BltError(None, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    return parse_blt(text)


def parse_blt(text: str) -> Election:
    """Parse BLT `text` into an `Election`."""
    lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1)]
    lines = [(number, line) for number, line in lines if line]
    for number, line in lines:
        if line.startswith("#"):
            raise BltError(number, "comments ('#') are not part of the BLT format")
    if not lines:
        raise BltError(None, "empty file: expected 'candidates seats' on the first line")
    position = 0

    number, line = lines[position]
    candidate_count, seats = _header(number, line)
    position += 1

    withdrawn: set[int] = set()
    if position < len(lines) and lines[position][1].startswith("-"):
        number, line = lines[position]
        withdrawn = _withdrawn(number, line, candidate_count)
        position += 1

    texts = [line for _, line in lines]
    try:
        end = texts.index("0", position)
    except ValueError:
        for number, line in lines[position:]:
            _ballot(number, line, candidate_count)  # names the first line that is no ballot
        raise BltError(None, "unexpected end of file: the ballots must end with a line '0'") from None
    ballots = _fast_ballots(texts[position:end], candidate_count)
    if ballots is None:
        ballots = [_ballot(number, line, candidate_count) for number, line in lines[position:end]]
    position = end + 1

    names: list[str] = []
    for index in range(candidate_count):
        if position >= len(lines):
            raise BltError(
                None, f"unexpected end of file: expected {candidate_count} candidate names, found {index}"
            )
        number, line = lines[position]
        position += 1
        names.append(_quoted(number, line, f"name of candidate {index + 1}"))
    if len(set(names)) != len(names):
        duplicate = next(name for name in names if names.count(name) > 1)
        raise BltError(None, f"candidate name {duplicate!r} appears twice")

    if position >= len(lines):
        raise BltError(None, "unexpected end of file: expected the election title after the names")
    number, line = lines[position]
    position += 1
    title = _quoted(number, line, "election title")
    if position < len(lines):
        number, line = lines[position]
        raise BltError(number, f"unexpected text after the election title: {_clip(line)}")

    return Election(title, tuple(names), seats, tuple(ballots), frozenset(withdrawn))


def _integers(number: int, line: str, what: str) -> list[int]:
    values: list[int] = []
    for token in line.split():
        try:
            values.append(int(token))
        except ValueError:
            raise BltError(number, f"{what}: expected whole numbers, found {_clip(token)}") from None
    return values


def _header(number: int, line: str) -> tuple[int, int]:
    values = _integers(number, line, "header")
    if len(values) != 2:
        raise BltError(number, f"header: expected 'candidates seats', found {_clip(line)}")
    candidates, seats = values
    if candidates < 1:
        raise BltError(number, f"header: the number of candidates must be at least 1, not {candidates}")
    if seats < 1:
        raise BltError(number, f"header: the number of seats must be at least 1, not {seats}")
    return candidates, seats


def _withdrawn(number: int, line: str, candidate_count: int) -> set[int]:
    withdrawn: set[int] = set()
    for value in _integers(number, line, "withdrawn candidates"):
        if value >= 0:
            raise BltError(number, f"withdrawn candidates must all be negative, found {value}")
        if -value > candidate_count:
            raise BltError(number, f"withdrawn candidate {-value} is not a candidate (there are {candidate_count})")
        withdrawn.add(-value - 1)
    return withdrawn


def _fast_ballots(block: list[str], candidate_count: int) -> list[BallotLine] | None:
    """All ballot lines at once, or None if any line needs a closer look.

    Real files hold up to a million ballot lines, and converting them one by
    one dominates the time to count a corpus. Plain lines ("w p p ... 0",
    single spaces) are turned into one JSON array and read at C speed; any
    line that is not plain makes this return None, and `_ballot` then reads
    the lines one at a time and names the line at fault.
    """
    if not block:
        return []
    joined = "\n".join(block) + "\n"
    if joined.strip("0123456789 \n") or "  " in joined:
        return None
    array = "[[" + joined.replace(" 0\n", "],[")[:-2].replace(" ", ",") + "]"
    try:
        rows = json.loads(array)
    except ValueError:
        return None
    if len(rows) != len(block):
        return None
    known = set(range(1, candidate_count + 1))
    to_index = (-1).__add__  # BLT numbers candidates from 1, the Election from 0
    ballots: list[BallotLine] = []
    for row in rows:
        preferences = row[1:]
        ranked = set(preferences)
        if row[0] < 1 or len(ranked) != len(preferences) or not ranked <= known:
            return None
        ballots.append((row[0], tuple(map(to_index, preferences))))
    return ballots


def _ballot(number: int, line: str, candidate_count: int) -> BallotLine:
    """One ballot line, checked token by token."""
    if line.startswith('"'):
        raise BltError(number, "expected a ballot line or the '0' that ends the ballots, found a name")
    if "=" in line:
        raise BltError(number, "equal rankings ('=') are not supported")
    values = _integers(number, line, "ballot")
    weight = values[0]
    if weight < 1:
        raise BltError(number, f"ballot weight must be a positive whole number, not {weight}")
    if len(values) < 2 or values[-1] != 0:
        raise BltError(number, "ballot line must end with 0")
    preferences = values[1:-1]
    for preference in preferences:
        if not 1 <= preference <= candidate_count:
            raise BltError(number, f"ballot ranks candidate {preference}, but candidates are 1 to {candidate_count}")
        if preferences.count(preference) > 1:
            raise BltError(number, f"ballot ranks candidate {preference} twice")
    return weight, tuple(preference - 1 for preference in preferences)


def _quoted(number: int, line: str, what: str) -> str:
    """One double-quoted string filling the line; `""` inside stands for `"`."""
    if len(line) < 2 or not line.startswith('"') or not line.endswith('"'):
        raise BltError(number, f"{what}: expected a double-quoted string, found {_clip(line)}")
    inner = line[1:-1]
    if inner.replace('""', "").count('"'):
        raise BltError(number, f"{what}: stray quote in {_clip(line)}")
    value = inner.replace('""', '"').strip()
    if not value and what != "election title":
        raise BltError(number, f"{what}: empty name")
    return value


def _clip(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
