"""Every API error is JSON: ``{"detail": ..., "errors": [{"field": ..., "message": ...}]}``.

The detail and the messages are in the caller's language (``Accept-Language``, activated by
``setu.api.auth``); ``field`` names where the input was wrong: ``body.answers``,
``query.limit``, ``path.id``. Nothing is written when an error is answered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI

# What every writing operation calls its body parameter (left out of the field names).
BODY_PARAMETER = "data"

# The statuses an operation may answer with an ErrorOut body (documented in the schema).
ERROR_STATUSES = frozenset({400, 401, 403, 404, 413, 422, 429})


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


class ApiError(Exception):
    """An answer other than success, raised anywhere below an operation."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: list[tuple[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}


def _body(detail: str, errors: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    return {
        "detail": str(detail),
        "errors": [{"field": field, "message": str(message)} for field, message in errors or []],
    }


def _message(error: dict[str, Any]) -> str:
    """Pydantic's error, said in the caller's language (pydantic speaks English only)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field: remove it.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Enter a whole number.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Enter true or false.")
    if kind in ("string_type",):
        return _("Enter text.")
    if kind in ("string_too_long", "too_long"):
        return _("Too long: at most %(max)s.") % {"max": ctx.get("max_length", "?")}
    if kind in ("greater_than_equal", "greater_than"):
        return _("Enter a value of at least %(min)s.") % {"min": ctx.get("ge", ctx.get("gt", "?"))}
    if kind in ("less_than_equal", "less_than"):
        return _("Enter a value of at most %(max)s.") % {"max": ctx.get("le", ctx.get("lt", "?"))}
    if kind in ("literal_error", "enum"):
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("Enter an object.")
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("Enter a list.")
    if kind.startswith(("datetime", "date")):
        return _("Enter a date and time in ISO 8601 format.")
    return _("This value is not valid.")


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    """``body.event``, ``query.limit``: the body's parameter name (``data``) left out."""
    parts = [str(part) for part in loc]
    if parts[:2] == ["body", BODY_PARAMETER]:
        del parts[1]
    return ".".join(parts) or "body"


def validation_errors(exc: NinjaValidationError) -> list[tuple[str, str]]:
    return [(_field(error.get("loc", ())), _message(error)) for error in exc.errors]


def service_errors(exc: DjangoValidationError, *, prefix: str = "body") -> list[tuple[str, str]]:
    """A service's ValidationError, its fields named as in the request body."""
    if hasattr(exc, "error_dict"):
        return [
            (f"{prefix}.{field}" if field != "__all__" else prefix, message)
            for field, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    return [(prefix, message) for message in exc.messages]


def install(api: NinjaAPI) -> None:
    """Replace ninja's default answers with ours."""

    def respond(
        request: HttpRequest,
        status: int,
        detail: str,
        errors: list[tuple[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> HttpResponse:
        response = api.create_response(request, _body(detail, errors), status=status)
        for key, value in (headers or {}).items():
            response[key] = value
        return response

    def on_api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, exc.status, exc.detail, exc.errors, exc.headers)

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(
            request, 422, _("The request has errors: see each field."), validation_errors(exc)
        )

    def on_service_refusal(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = service_errors(exc)
        return respond(request, 400, errors[0][1] if errors else _("Refused."), errors)

    def on_authentication(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(
            request,
            401,
            _("Sign in first: send the header Authorization: Bearer <your token>."),
            headers={"WWW-Authenticate": 'Bearer realm="setu"'},
        )

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if exc.status_code == 400:  # ninja could not parse the body
            return respond(
                request,
                400,
                _("The request body is not valid JSON."),
                [("body", _("Send a JSON object."))],
            )
        if exc.status_code == 429:
            return respond(request, 429, _("Too many requests: wait and try again."))
        return respond(request, exc.status_code, exc.message)

    def on_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 404, _("Not found."))

    def on_forbidden(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 403, _("You may not do this."))

    def on_too_big(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 413, _("The request body is too large."))

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(NinjaValidationError, on_validation)
    api.add_exception_handler(DjangoValidationError, on_service_refusal)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_forbidden)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
