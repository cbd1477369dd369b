"""Writing CSV downloads: one place for the format, the headers and the injection guard."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV
# injection"): a narrative typed as "=HYPERLINK(...)" would run when a manager opens the
# file. A leading single quote makes the spreadsheet show the text as it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The value as CSV text that no spreadsheet will evaluate."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The whole file: a header line, then one line per row, every cell guarded."""
    buffer = io.StringIO()
    # "\r\n" is what RFC 4180 and spreadsheets expect; the csv module quotes any cell
    # holding a comma, a quote or a line break (narratives often do).
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in header])
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def csv_response(text: str, filename: str) -> HttpResponse:
    """A download: UTF-8 CSV, saved under `filename` rather than shown in the browser."""
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
