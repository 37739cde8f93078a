"""Admin accounts as the CLI and the login form use them: one-time passwords, argon2 checks, lockout."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlmodel.ext.asyncio.session import AsyncSession

from core.i18n import _
from storage import admins, audit
from storage.models import Admin

HASHER = PasswordHash((Argon2Hasher(),))
MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)


class AccountError(ValueError):
    """A refused account change; the message is friendly Indonesian."""


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the account when it worked, else why not ("wrong", "locked", "disabled")."""

    admin: Admin | None
    problem: str | None = None
    locked_until: datetime | None = None


@cache
def _dummy_hash() -> str:
    """Checked against when the email is unknown, so a wrong email costs as much time as a wrong password."""
    return HASHER.hash(secrets.token_urlsafe(16))


def normal_email(email: str) -> str:
    """Emails compare without case or surrounding spaces."""
    return email.strip().casefold()


def one_time_password() -> str:
    """A fresh random password to hand over once (about 96 bits)."""
    return secrets.token_urlsafe(12)


async def create(
    *, session: AsyncSession, email: str, name: str, role: str, now: datetime, by: str
) -> tuple[Admin, str]:
    """Adds an account with a one-time password; returns it with the password (shown once, never stored)."""
    email = normal_email(email)
    if "@" not in email or not name.strip():
        raise AccountError(_("Give a name and a valid email address."))
    if role not in admins.ROLES:
        raise AccountError(_("The role must be admin or viewer."))
    if await admins.admin_by_email(session=session, email=email) is not None:
        raise AccountError(_("There is already an account for {email}.").format(email=email))
    password = one_time_password()
    admin = await admins.add_admin(
        session=session,
        email=email,
        name=name.strip(),
        role=role,
        password_hash=HASHER.hash(password),
        now=now,
    )
    await audit.record(
        session=session, actor=by, action="admin.add", now=now, detail={"email": email, "role": role}
    )
    return admin, password


async def sign_in(*, session: AsyncSession, email: str, password: str, now: datetime) -> SignIn:
    """Checks a password, counting failures; the fifth wrong one in a row locks the account for 15 minutes."""
    admin = await admins.admin_by_email(session=session, email=normal_email(email), for_update=True)
    if admin is None:
        HASHER.verify(password, _dummy_hash())
        return SignIn(None, "wrong")
    if not admin.active:
        return SignIn(None, "disabled")
    if admin.locked_until is not None and admin.locked_until > now:
        return SignIn(None, "locked", admin.locked_until)
    valid, new_hash = HASHER.verify_and_update(password, admin.password_hash)
    if not valid:
        await admins.login_failed(
            session=session, admin=admin, now=now, limit=MAX_FAILURES, lock_for=LOCK_FOR
        )
        locked = admin.locked_until if admin.locked_until and admin.locked_until > now else None
        return SignIn(None, "locked" if locked else "wrong", locked)
    if new_hash is not None:
        await admins.set_password_hash(session=session, admin=admin, password_hash=new_hash)
    await admins.login_succeeded(session=session, admin=admin, now=now)
    return SignIn(admin)
