"""How the OpenAPI document describes an answer that is a file (a PDF, a CSV, an
iCalendar feed) rather than JSON: ninja would say JSON, so each such operation passes
`file_answer(...)` as its `openapi_extra`.

Each says its one media type, the body as a string (binary for a PDF, UTF-8 text
otherwise; the media type again as `contentMediaType`, as OpenAPI 3.1 has it) and
the `Content-Disposition` header that makes it a download, so that a generated client
returns bytes or text, not a parsed object, and knows the file's name.
"""

from __future__ import annotations

from typing import Any


def file_answer(media_type: str, description: str, *, binary: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "contentMediaType": media_type}
    if binary:
        schema["format"] = "binary"  # for OpenAPI 3.0 tools, which read `format`
    disposition = {
        "description": 'attachment; filename="…": the name to save the file under.',
        "schema": {"type": "string"},
    }
    return {
        "responses": {
            200: {
                "description": description,
                "headers": {"Content-Disposition": disposition},
                "content": {media_type: {"schema": schema}},
            }
        }
    }
