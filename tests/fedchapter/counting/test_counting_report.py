from __future__ import annotations

from fedchapter.counting import count_irv, count_scottish_stv, render_table, render_text
from tests.fedchapter.counting.counting_helpers import election


def test_table_has_a_row_per_candidate_and_a_column_per_stage() -> None:
    result = count_scottish_stv(election(2, (7, "AB"), (3, "B"), (5, "C")))
    header, rule, *rows = render_table(result)
    assert [cell.strip() for cell in header.split("|")] == ["Stage", "1", "2", "3"]
    assert set(rule) == {"-"}
    table = {row.split("|")[0].strip(): [cell.strip() for cell in row.split("|")[1:]] for row in rows}
    assert table["A"] == ["7*", "6", "6"]
    assert table["B"] == ["3", "3.99995", "0x"]
    assert table["C"] == ["5", "5", "5*"]
    assert table["Non-transferable"] == ["0", "0", "3.99995"]
    assert table["Lost to rounding"] == ["0", "0.00005", "0.00005"]


def test_excluded_candidates_leave_blank_cells_and_notes_are_listed() -> None:
    result = count_scottish_stv(election(2, (6, "AB"), (2, "AC"), (3, "B"), (4, "C"), (1, "D")))
    text = render_text(result)
    assert "Method: scottish-stv   Seats: 2   Valid ballots: 16   Quota: 6" in text
    assert "Stage 3: exclusion of D" in text
    d_row = next(line for line in text.splitlines() if line.startswith("D "))
    assert [cell.strip() for cell in d_row.split("|")[1:]] == ["1", "1", "0x", ""]
    assert "Notes:" in text and "rule 52" in text


def test_whole_number_counts_print_without_decimals() -> None:
    text = render_text(count_irv(election(1, (5, "A"), (4, "B"), (3, "C"))))
    assert "Lost to rounding" not in text
    assert "Elected in order: 1. A" in text
    a_row = next(line for line in text.splitlines() if line.startswith("A "))
    assert [cell.strip() for cell in a_row.split("|")[1:]] == ["5", "5*"]
