"""The JSON API (/api/), with an OpenAPI document at /api/openapi.json.

The same authorisation and access logging as the pages: every read goes through
tillit.access.reading.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as ValidationError_
from ninja.security import HttpBearer

from tillit.access.presentation import PersonCard
from tillit.access.reading import read_individual, read_list, viewer_for
from tillit.accounts.limits import api_key_failures_exceeded
from tillit.api.children import FieldError, field_errors_response
from tillit.api.children import router as children_router
from tillit.api.models import ApiToken, hash_token
from tillit.api_errors import document_refusals
from tillit.audit.models import AccessAction
from tillit.directory.search import search_individuals
from tillit.kundval.api import router as kundval_router
from tillit.organisation.models import Unit


class TokenAuth(HttpBearer):
    """A valid, unrevoked, unexpired key of an active user. Unknown keys are counted per client
    address; past TILLIT_API_KEY_FAILURES_PER_ADDRESS an hour the address is refused (429)
    before any key is looked up, so keys cannot be guessed at speed."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if api_key_failures_exceeded(request, add=False):
            raise HttpError(
                429,
                _(
                    "För många okända API-nycklar från den här adressen den senaste timmen. "
                    "Vänta och försök igen."
                ),
            )
        found = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=hash_token(token), revoked=False, expires_at__gt=timezone.now())
            .first()
        )
        if found is None or not found.user.is_active:
            api_key_failures_exceeded(request, add=True)
            return None
        request.user = found.user
        return found.user


class TillitAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return document_refusals(super().get_openapi_schema(*args, **kwargs))


api = TillitAPI(
    title="Tillit API",
    version="1",
    description="Tillits API. Samma behörighetsregler och loggning som webbsidorna.",
    auth=TokenAuth(),
    docs_url=None,
    urls_namespace="api",
)


class PersonOut(Schema):
    id: int
    name: str
    personal_number: str
    date_of_birth: dt.date
    address: str
    protection: str
    identity_masked: bool


class UnitOut(Schema):
    id: int
    name: str
    process: str


class MeOut(Schema):
    username: str
    roles: list[str]


def _person(card: PersonCard) -> PersonOut:
    return PersonOut(
        id=card.id,
        name=card.name,
        personal_number=card.personal_number,
        date_of_birth=card.date_of_birth,
        address=card.address,
        protection=card.protection,
        identity_masked=card.identity_masked,
    )


# Kundval (issue 4): /api/kundval/...
api.add_router("/kundval/", kundval_router)


@api.get("/me", response=MeOut, summary="Den inloggade användaren och dess roller")
def me(request: HttpRequest) -> MeOut:
    viewer = viewer_for(request)
    return MeOut(username=request.user.get_username(), roles=sorted(viewer.roles))


@api.get("/individuals", response=list[PersonOut], summary="Sök personer inom behörigheten")
def individuals(request: HttpRequest, q: str) -> list[PersonOut]:
    viewer = viewer_for(request)
    if not viewer.may_search_individuals:
        raise HttpError(403, "Rollen ger inte tillgång till personuppgifter.")
    if len(q.strip()) < 2:
        raise HttpError(422, "Skriv minst två tecken.")
    try:
        hits = search_individuals(viewer, q)
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from error
    return [_person(card) for card in read_list(request, hits, AccessAction.API)]


@api.get("/individuals/{individual_id}", response=PersonOut, summary="En person")
def individual(request: HttpRequest, individual_id: int) -> PersonOut:
    try:
        _individual, _reach, card = read_individual(request, individual_id, AccessAction.API)
    except Http404 as error:
        raise HttpError(404, "Finns inte.") from error
    return _person(card)


@api.get("/units", response=list[UnitOut], summary="Kommunens enheter")
def units(request: HttpRequest) -> list[UnitOut]:
    if not viewer_for(request).is_municipal_staff:
        raise HttpError(403, "Rollen ger inte tillgång till organisationen.")
    return [
        UnitOut(id=u.pk, name=u.name, process=u.process.name)
        for u in Unit.objects.select_related("process").order_by("name")
    ]


def _swedish(error: dict[str, Any]) -> str:
    """Pydantic's refusal in Swedish, with the bound it names (see tillit.bounds)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("Uppgiften saknas.")
    if kind == "string_too_long":
        return _("Högst %(n)s tecken.") % {"n": ctx.get("max_length")}
    if kind == "too_long":
        return _("Högst %(n)s stycken.") % {"n": ctx.get("max_length")}
    if kind in {"less_than_equal", "less_than"}:
        return _("Värdet får vara högst %(n)s.") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Värdet får vara minst %(n)s.") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind == "decimal_max_digits":
        return _("Högst %(n)s siffror.") % {"n": ctx.get("max_digits")}
    if kind == "decimal_max_places":
        return _("Högst %(n)s decimaler.") % {"n": ctx.get("decimal_places")}
    if kind == "decimal_whole_digits":
        return _("Högst %(n)s siffror före decimaltecknet.") % {"n": ctx.get("whole_digits")}
    return _("Ogiltigt värde.")


def _swedish_validation_errors(request: HttpRequest, exc: ValidationError_) -> HttpResponse:
    """Input of the wrong type: the same shape as the other refusals, with Swedish messages."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        # ("body", "payload", "group_id") -> "group_id"; ("query", "q") -> "q"
        field = ".".join(location[2:] if location[:1] == ["body"] else location[1:]) or "__all__"
        errors.setdefault(field, []).append(_swedish(error))
    return api.create_response(
        request, {"detail": _("Uppgifterna behöver rättas."), "errors": errors}, status=422
    )


def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": _("Anropet är för stort: bilagorna får tillsammans vara högst %(mb)s MB.")
            % {"mb": settings.TILLIT_ATTACHMENT_MAX_MB}
        },
        status=413,
    )


api.add_exception_handler(RequestDataTooBig, _too_big)  # type: ignore[arg-type]
api.add_exception_handler(ValidationError_, _swedish_validation_errors)  # type: ignore[arg-type]
api.add_exception_handler(FieldError, field_errors_response)  # type: ignore[arg-type]
api.add_router("/", children_router)
