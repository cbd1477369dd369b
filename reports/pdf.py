"""PDF reports with WeasyPrint: tagged (PDF/UA-1), fonts from static/fonts, page numbers.

Rendering takes the HTML of a Django template; the CSS and fonts are read from the
project's static folder through a file base URL, so nothing is fetched from a network.
The report is written in the active language, and the PDF says which (its /Lang).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def pdf_language() -> str:
    """The active language as a BCP 47 tag, as PDF readers and screen readers expect it
    ("en-CA", "fr-CA")."""
    language, _sep, region = (translation.get_language() or settings.LANGUAGE_CODE).partition("-")
    return f"{language}-{region.upper()}" if region else language


def report_markup(template: str, context: dict[str, Any]) -> str:
    """The HTML of a report, as WeasyPrint reads it."""
    # Reports are rendered without a request, so the context processors that give pages
    # their language do not run: the templates get it here.
    return render_to_string(template, {"LANGUAGE_CODE": pdf_language(), **context})


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    # Imported here: WeasyPrint loads Pango at import time, which pages do not need.
    from weasyprint import HTML

    language = pdf_language()
    html = report_markup(template, context)
    base_url = (settings.BASE_DIR / "static").as_uri() + "/"
    document = HTML(string=html, base_url=base_url).render()
    document.metadata.lang = language
    pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1")
    return pdf
