"""Who is asking: the signed session cookie, the roles, CSRF tokens and the bearer token for scripts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from fastapi import Request
from starlette.middleware.sessions import SessionMiddleware

from bot.services import services_of
from bot.settings import Settings
from storage.admins import admin_by_id
from storage.models import Admin
from storage.notices import unread_count

COOKIE = "umkm_admin"
SESSION_HOURS = 8


class LoginRequired(Exception):
    """No valid session: pages send the browser to the login form, the JSON API answers 401."""


class NotAllowed(Exception):
    """A signed-in viewer tried something only an admin may do."""


class BadCsrf(Exception):
    """A changing form came without the session's CSRF token (forged, or from an old page)."""


@dataclass(frozen=True)
class Actor:
    """The signed-in account as the pages need it."""

    id: int
    email: str
    name: str
    role: str
    unread: int = 0  # notices not read yet, counted in the header of every page

    @property
    def can_change(self) -> bool:
        """Admins change things; viewers only read."""
        return self.role == "admin"


def session_middleware(settings: Settings) -> dict:
    """SessionMiddleware's options: a signed HttpOnly cookie on /admin, SameSite=Lax, Secure behind https."""
    secret = settings.admin_session_secret
    return {
        "secret_key": secret.get_secret_value() if secret else secrets.token_urlsafe(32),
        "session_cookie": COOKIE,
        "max_age": SESSION_HOURS * 3600,
        "path": "/admin",
        "same_site": "lax",
        "https_only": str(settings.public_base_url or "").startswith("https://"),
    }


def install(app, settings: Settings) -> None:  # noqa: ANN001
    """Adds the session middleware to the app."""
    app.add_middleware(SessionMiddleware, **session_middleware(settings))


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use (also before sign-in, for the login form)."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(24)
    return token


def check_csrf(request: Request, sent: str | None) -> None:
    """Refuses a changing request whose token does not match the session's."""
    expected = request.session.get("csrf")
    if not expected or not sent or not secrets.compare_digest(expected, sent):
        raise BadCsrf


def start_session(request: Request, admin: Admin) -> None:
    """Signs the account in with a fresh session (new CSRF token, so a token seen before sign-in is useless)."""
    request.session.clear()
    request.session.update({"admin_id": admin.id, "csrf": secrets.token_urlsafe(24)})


async def signed_in(request: Request) -> Actor:
    """The signed-in, still active account; raises LoginRequired otherwise."""
    admin_id = request.session.get("admin_id")
    if not isinstance(admin_id, int):
        raise LoginRequired
    async with services_of(request).sessions() as session:
        admin = await admin_by_id(session=session, admin_id=admin_id)
        if admin is None or not admin.active:
            request.session.clear()
            raise LoginRequired
        assert admin.id is not None
        unread = await unread_count(session=session, admin_id=admin.id)
    return Actor(admin.id, admin.email, admin.name, admin.role, unread)


async def admin_only(request: Request) -> Actor:
    """The signed-in account when it has the admin role; raises NotAllowed for a viewer."""
    actor = await signed_in(request)
    if not actor.can_change:
        raise NotAllowed
    return actor


async def token_or_session(request: Request) -> str:
    """For the JSON API: ADMIN_TOKEN as a bearer token (scripts), or a signed-in session; returns who."""
    token = services_of(request).settings.admin_token
    header = request.headers.get("authorization", "")
    if token is not None and header.startswith("Bearer "):
        if secrets.compare_digest(header.removeprefix("Bearer ").encode(), token.get_secret_value().encode()):
            return "token"
        raise LoginRequired
    return (await signed_in(request)).email
