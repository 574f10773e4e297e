"""Column fitting (agent_console/column_fit.py), without a terminal."""

from __future__ import annotations

from agent_console.column_fit import Give, fit_widths, natural_widths


def test_natural_widths_count_cells_and_headers() -> None:
    assert natural_widths(["Match", "单位"], [["name", "城发供热公司"], ["x"]]) == [5, 12]


def test_columns_that_fit_keep_their_width() -> None:
    assert fit_widths([5, 12], room=40, gives=[Give(1, 4)]) == [5, 12]


def test_columns_give_way_in_order_down_to_their_minimum() -> None:
    # 10 + 20 + 30 + 3*2 = 66 cells in a room of 40: 26 too many.
    gives = [Give(2, 8), Give(1, 10)]
    assert fit_widths([10, 20, 30], room=40, gives=gives) == [10, 16, 8]


def test_minimums_win_over_the_room() -> None:
    assert fit_widths([10, 20], room=10, gives=[Give(1, 6)]) == [10, 6]
