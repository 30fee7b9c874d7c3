"""The REST API: one NinjaAPI under /api/v1 that mounts each app's router.

Authentication: ``Authorization: Bearer <token>`` (personal tokens, see ``ampwork token
create``) or the web session (with CSRF). Errors are JSON: 401/403/404 as
``{"detail": "…"}``, 422 as ``{"detail": [{"loc": [...], "msg": "…", "type": "…"}]}``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from ampwork.core import languages, selectors, services
from ampwork.core.errors import NotAllowed, NotFound, ValidationFailed
from ampwork.core.permissions import Actor


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        row = services.authenticate_token(token)
        if row is None:
            return None
        actor = selectors.actor_for(row.user, row.organisation)
        request.actor = actor  # type: ignore[attr-defined]
        # the token's person reads errors in their own language (core/languages.py)
        if actor is not None:
            languages.use_person(request, actor.person)
        return actor


class ActorSession(SessionAuth):
    """The web session's current organisation (CSRF checked for writes)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        return getattr(request, "actor", None)


api = NinjaAPI(
    title="ampwork API",
    version="1",
    description=__doc__ or "",
    urls_namespace="api",
    auth=[TokenAuth(), ActorSession()],
)


def _detail(exc: Exception) -> dict[str, Any]:
    return {"detail": str(exc)}


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return api.create_response(request, _detail(exc), status=404)


@api.exception_handler(NotAllowed)
def _not_allowed(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
    return api.create_response(request, _detail(exc), status=403)


@api.exception_handler(ValidationFailed)
def _invalid(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
    detail = [
        {
            "loc": [
                "body",
                *([e.file] if e.file else []),
                *([f"line {e.line}"] if e.line is not None else []),
                e.field,
            ],
            "msg": e.message,
            "type": "value_error",
        }
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(NinjaValidationError)
def _schema_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    detail = [
        {
            "loc": [str(p) if not isinstance(p, int) else p for p in e.get("loc", [])],
            "msg": str(e.get("msg", "invalid")),
            "type": str(e.get("type", "value_error")),
        }
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


from ampwork.advisor.api import router as advisor_router  # noqa: E402
from ampwork.autonomy.api import router as autonomy_router  # noqa: E402
from ampwork.classroom.api import router as classroom_router  # noqa: E402
from ampwork.conversations.api import router as conversations_router  # noqa: E402
from ampwork.conversations.feedback_api import router as feedback_360_router  # noqa: E402
from ampwork.core.api import router as core_router  # noqa: E402
from ampwork.fairness.api import router as fairness_router  # noqa: E402
from ampwork.feeds.api import router as feeds_router  # noqa: E402
from ampwork.integrations.api import router as webhooks_router  # noqa: E402
from ampwork.mastery.api import router as mastery_router  # noqa: E402
from ampwork.notifications.api import router as notifications_router  # noqa: E402
from ampwork.okrs.api import router as okrs_router  # noqa: E402
from ampwork.pulse.api import router as pulse_router  # noqa: E402
from ampwork.purpose.api import router as purpose_router  # noqa: E402

api.add_router("", core_router)
api.add_router("", okrs_router)
api.add_router("", fairness_router)
api.add_router("", pulse_router)
api.add_router("", purpose_router)
api.add_router("", autonomy_router)
api.add_router("", mastery_router)
api.add_router("", advisor_router)
api.add_router("", conversations_router)
api.add_router("", classroom_router)
api.add_router("", feedback_360_router)
api.add_router("", feeds_router)
api.add_router("", webhooks_router)
api.add_router("", notifications_router)
