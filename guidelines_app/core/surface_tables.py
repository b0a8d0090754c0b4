"""A table edited on the surface, written back as a pipe table in the
table's own style: rows whose cells are unchanged keep their bytes, a
changed cell is rewritten in place (the row's pipes and padding stay), new
rows and columns follow the header row's pipes and spacing."""

from __future__ import annotations

from guidelines_app.core.inline_markup import Fmt
from guidelines_app.core.surface_text import Unit, display_runs, table_rows
from guidelines_app.core.surface_write import Style, edit_source, write_runs

Cell = tuple[str, list[Fmt]]  # shown text and formats


def cell_display(unit: Unit) -> list[list[list[tuple[str, Fmt]]]]:
    """What each cell of a table block shows, as runs of one format
    (header row first)."""
    rows, _sep = table_rows(unit)
    return [[display_runs(text, cells=True) for text in row.texts()] for row in rows]


def _new_row(cells: list[str], outer: bool) -> str:
    inner = " | ".join(cells)
    return f"| {inner} |" if outer else inner


def write_table(unit: Unit | None, cells: list[list[Cell]]) -> list[str]:
    """The lines of a table that now shows *cells*; *unit* is the table it
    was made from (None for a new table)."""
    style = Style(cells=True)
    width = max((len(r) for r in cells), default=1)
    if unit is None:
        header = [write_runs(list(zip(t, f)), style) or " " for t, f in cells[0]] if cells else ["Column"]
        lines = [_new_row(header, True), _new_row(["---"] * width, True)]
        return lines + [_new_row([write_runs(list(zip(t, f)), style) for t, f in row], True) for row in cells[1:]]
    rows, sep = table_rows(unit)
    outer = unit.lines[0].lstrip().startswith("|")
    same_width = all(len(r.cells) == width for r in rows)
    out: list[str] = []
    for n, row_cells in enumerate(cells):
        if n < len(rows) and same_width:
            row = rows[n]
            line = row.line
            for (a, b), (text, fmts) in sorted(zip(row.cells, row_cells), reverse=True):
                src = line[a:b]
                new = edit_source(src, text, fmts, style)
                if new != src:
                    line = line[:a] + (new if new else "") + line[b:]
            out.append(line)
        else:
            texts = [write_runs(list(zip(t, f)), style) for t, f in row_cells]
            if n < len(rows):
                texts = [edit_source(src, t, f, style) if k < len(rows[n].cells) else write_runs(list(zip(t, f)), style)
                         for k, ((t, f), src) in enumerate(zip(row_cells, rows[n].texts() + [""] * width))]
            out.append(_new_row(texts, outer))
        if n == 0:
            out.append(unit.lines[sep] if same_width else _new_row(["---"] * width, outer))
    return out
