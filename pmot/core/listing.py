"""Long tables in PDFs as fixed-pitch listings: each row is one block of preformatted text whose
columns are padded to a width in characters.

WeasyPrint lays out a plain block of text many times faster than a row of boxes (a `<table>`,
flex or grid rows, or rows of inline-block cells: tests/bench/RESULTS.md as of commit 07eddea),
and in a monospaced font padded text lines up as well as a table does. A cell longer than its
column wraps onto the row's next lines; figures are right-aligned, so their digits line up.
"""

import itertools
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

GAP = "  "


@dataclass(frozen=True)
class Column:
    heading: str
    width: int  # in characters
    right: bool = False  # figures: right-aligned


@dataclass(frozen=True)
class Row:
    """A row's first column on its first line (`lead`, to be shown in bold) and the rest of
    its text (`rest`), so a template need not cut the text itself."""

    lead: str
    rest: str

    @property
    def text(self) -> str:
        return self.lead + self.rest


def _lines(value: str | Sequence[str], width: int) -> list[str]:
    parts = [value] if isinstance(value, str) else list(value)
    lines = []
    for part in parts:
        # An empty part keeps its line; a long word with no space is cut rather than let
        # it push the columns to its right.
        lines.extend(textwrap.wrap(part, width, break_on_hyphens=False) or [""])
    return lines


def _pad(text: str, column: Column) -> str:
    return text.rjust(column.width) if column.right else text.ljust(column.width)


def layout(columns: Sequence[Column], cells: Sequence[str | Sequence[str]]) -> Row:
    """One row: each cell (a text, or several texts each starting a line) wrapped to its
    column's width, and the columns set side by side."""
    if len(cells) != len(columns):
        raise ValueError(f"{len(cells)} cells for {len(columns)} columns")
    wrapped = [_lines(cell, column.width) for cell, column in zip(cells, columns, strict=True)]
    lines = [
        GAP.join(_pad(text, column) for text, column in zip(line, columns, strict=True)).rstrip()
        for line in itertools.zip_longest(*wrapped, fillvalue="")
    ]
    first = lines[0]
    lead = first[: columns[0].width]
    return Row(lead=lead, rest=first[len(lead) :] + "".join(f"\n{line}" for line in lines[1:]))


def heading(columns: Sequence[Column]) -> Row:
    return layout(columns, [column.heading for column in columns])


def width(columns: Iterable[Column]) -> int:
    """Characters in a full line: what the page and font size must hold."""
    columns = list(columns)
    return sum(column.width for column in columns) + len(GAP) * (len(columns) - 1)
