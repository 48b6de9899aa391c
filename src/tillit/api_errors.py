"""The refusals every operation of the API may answer, documented in one place.

Every refusal has one shape, `ErrorOut` (`{"detail": …, "errors": {field: [messages]}}`), and
the OpenAPI document lists, for each operation, the ones it can give: 401 without a valid token,
403 when the role may not, 404 when a path names something missing or outside the reach (the
same answer for both), 409 when an idempotency key is reused with another body, 413 when a body
is over the size limit, 422 when the input is refused, and 429 when the client address has sent
too many unknown keys in the last hour.

A leaf module (it imports no app): the API app assembles the routers, and the apps that own a
router (kundval/api.py) describe their refusals with `ErrorOut` without importing the API app.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    """A refusal: 401 no valid token, 403 the role may not, 404 missing or outside the reach
    (the same answer), 409 an idempotency key reused, 413 too large, 422 bad input (with
    `errors` by field), 429 too many unknown keys from the address."""

    detail: str
    errors: dict[str, list[str]] | None = None


DESCRIPTIONS = {
    401: "Ingen giltig API-nyckel.",
    403: "Rollen ger inte tillgång.",
    404: "Finns inte, eller ligger utanför behörigheten (samma svar).",
    409: "Idempotensnyckeln har redan använts med ett annat innehåll.",
    413: "Anropet är för stort.",
    422: "Uppgifterna behöver rättas.",
    429: "För många okända API-nycklar från adressen den senaste timmen.",
}


def refusals(path: str, method: str) -> list[int]:
    """The refusals an operation can give, from its path and method."""
    codes = [401, 403, 422, 429]
    if "{" in path:
        codes.append(404)
    if method in {"post", "put", "patch"}:
        codes += [409, 413] if path.rstrip("/").endswith("/reports") else [413]
    return sorted(codes)


def document_refusals(schema: dict[str, Any]) -> dict[str, Any]:
    """Adds the refusals (with `ErrorOut`) to every operation that does not document them."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorOut", ErrorOut.model_json_schema())
    reference = {"$ref": "#/components/schemas/ErrorOut"}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code in refusals(path, method):
                if str(code) in responses:
                    continue
                responses.setdefault(
                    code,
                    {
                        "description": DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return schema
