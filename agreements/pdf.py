"""PDF reports with WeasyPrint: tagged (PDF/UA-1), fonts from static/fonts, page numbers.

Rendering takes the HTML of a Django template; the CSS and fonts are read from the
project's static folder through a file base URL, so nothing is fetched from a network.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    # Imported here: WeasyPrint loads Pango at import time, which pages do not need.
    from weasyprint import HTML

    html = render_to_string(template, context)
    base_url = (settings.BASE_DIR / "static").as_uri() + "/"
    document = HTML(string=html, base_url=base_url)
    pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1")
    return pdf
