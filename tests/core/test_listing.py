"""Fixed-pitch listings (long tables in PDFs): each cell wraps inside its column, figures are
right-aligned so their digits line up, and no line is wider than the columns."""

import pytest

from pmot.core import listing

COLUMNS = [
    listing.Column("Clave", 6),
    listing.Column("Acción", 12),
    listing.Column("Monto", 10, right=True),
]


def test_a_long_text_wraps_inside_its_column_and_the_figures_line_up():
    row = listing.layout(COLUMNS, ["A-1", "Pavimentación de la calle Juárez", "$1,250.00"])
    lines = row.text.split("\n")
    # A word longer than its column is cut rather than let it push the columns to its right.
    assert lines == [
        "A-1     Pavimentació   $1,250.00",
        "        n de la",
        "        calle Juárez",
    ]


def test_several_texts_each_start_a_line():
    row = listing.layout(COLUMNS, ["B-2", ["Pozo", "SOP · pmot:1.1"], ["$10.00", "$2.00"]])
    lines = row.text.split("\n")
    assert lines == [
        "B-2     Pozo" + " " * 14 + "$10.00",
        "        SOP ·" + " " * 14 + "$2.00",
        "        pmot:1.1",
    ]


def test_the_first_column_is_the_lead():
    row = listing.layout(COLUMNS, ["C-300", "Bacheo", "$5.00"])
    assert row.lead == "C-300 "
    assert row.lead + row.rest == row.text


def test_every_line_fits_the_columns_even_with_a_word_longer_than_its_column():
    row = listing.layout(COLUMNS, ["CLAVE-MUY-LARGA", "Supercalifragilístico", "$999,999,999.99"])
    assert all(len(line) <= listing.width(COLUMNS) for line in row.text.split("\n"))
    lines = row.text.split("\n")
    assert "".join(line[:6].strip() for line in lines) == "CLAVE-MUY-LARGA"


def test_a_row_needs_a_cell_per_column():
    with pytest.raises(ValueError, match="2 cells for 3 columns"):
        listing.layout(COLUMNS, ["A-1", "Sin monto"])
