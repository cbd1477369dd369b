"""Writing CSV downloads: one place for the format, the headers and the injection guard."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV
# injection"): a narrative typed as "=HYPERLINK(...)" would run when a manager opens the
# file. A leading single quote makes the spreadsheet show the text as it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Where a spreadsheet may start a cell: the start of ours, and inside it, after the
# separator of another locale (fr-CA Excel splits on ";", which the csv module does not
# quote), a tab or a line break (some importers ignore quoting). A formula start there,
# even behind spaces or a double quote (which opens a quoted field), gets the single
# quote: "=1" is written "'=1", and "x;=1+1" "x;'=1+1". Zero-width on both sides, so
# that a tab or a carriage return counts both as a separator and as a formula start
# ("a;\t=1" becomes "a;'\t'=1").
_FORMULA_START = re.compile(r"(?:^|(?<=[,;\t\r\n]))([ \"]*)(?=[=+\-@\t\r])")


def safe_cell(value: object) -> str:
    """The value as CSV text that no spreadsheet will evaluate, whatever separator it
    splits cells on."""
    text = "" if value is None else str(value)
    return _FORMULA_START.sub(r"\1'", text)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The whole file: a header line, then one line per row, every cell guarded."""
    buffer = io.StringIO()
    # "\r\n" is what RFC 4180 and spreadsheets expect; the csv module quotes any cell
    # holding a comma, a quote or a line break (narratives often do).
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in header])
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


# Excel reads a CSV file without a byte-order mark in the system's legacy code page
# (Windows-1252 in a French Windows): "Rivière" would show as "RiviÃ¨re". With the mark
# it reads UTF-8; pandas, Python's csv (with "utf-8-sig") and LibreOffice skip it.
BOM = "\ufeff"


def csv_response(text: str, filename: str) -> HttpResponse:
    """A download: UTF-8 CSV with a byte-order mark, saved under `filename` rather than
    shown in the browser."""
    body = (BOM + text).encode("utf-8")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
