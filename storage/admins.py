"""Admin accounts: who may sign in to /admin, with which role, and the lockout after wrong passwords."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Admin, Contact

ROLES = ("admin", "viewer")


async def add_admin(
    *, session: AsyncSession, email: str, name: str, role: str, password_hash: str, now: datetime
) -> Admin:
    """Adds an active account; the caller has checked that the email is free."""
    admin = Admin(email=email, name=name, role=role, password_hash=password_hash, created_at=now)
    session.add(admin)
    await session.flush()
    return admin


async def admin_by_email(*, session: AsyncSession, email: str, for_update: bool = False) -> Admin | None:
    """Finds an account by its (lower-case) email."""
    query = select(Admin).where(Admin.email == email)
    if for_update:
        query = query.with_for_update()
    return (await session.exec(query)).first()


async def admin_by_id(*, session: AsyncSession, admin_id: int) -> Admin | None:
    """Loads an account by id."""
    return await session.get(Admin, admin_id)


async def list_admins(*, session: AsyncSession) -> list[Admin]:
    """Every account, by id."""
    return list((await session.exec(select(Admin).order_by(Admin.id))).all())


async def set_active(*, session: AsyncSession, admin: Admin, active: bool) -> None:
    """Enables or disables an account (a disabled one cannot sign in and its sessions stop working)."""
    admin.active = active
    session.add(admin)


async def login_failed(
    *, session: AsyncSession, admin: Admin, now: datetime, limit: int, lock_for: timedelta
) -> None:
    """Counts a wrong password; the `limit`-th in a row locks the account for `lock_for`."""
    admin.failed_logins += 1
    if admin.failed_logins >= limit:
        admin.locked_until, admin.failed_logins = now + lock_for, 0
    session.add(admin)


async def login_succeeded(*, session: AsyncSession, admin: Admin, now: datetime) -> None:
    """Clears the failure count and records the sign-in time."""
    admin.failed_logins, admin.locked_until, admin.last_login_at = 0, None, now
    session.add(admin)


async def set_password_hash(*, session: AsyncSession, admin: Admin, password_hash: str) -> None:
    """Replaces an account's password hash (e.g. an argon2 rehash with newer parameters)."""
    admin.password_hash = password_hash
    session.add(admin)


async def set_link_code(*, session: AsyncSession, admin: Admin, code: str) -> None:
    """Gives the account a fresh one-time code to link a chat (an older code stops working)."""
    admin.link_code = code
    session.add(admin)
    await session.flush()


async def link_chat(*, session: AsyncSession, code: str, contact: Contact) -> Admin | None:
    """Links a chat to the active account holding `code` and clears the code; None for an unknown code.

    For an account with the admin role the chat's contact becomes an "admin" contact (an owner's chat only; a
    consultant stays a consultant), as the bookings' admin side knows it; a viewer's chat keeps its role. Another
    account linked to this chat lets it go, and the chat this account had before goes back to "owner"."""
    query = select(Admin).where(Admin.link_code == code, col(Admin.active)).with_for_update()
    admin = (await session.exec(query)).first()
    if admin is None:
        return None
    await session.exec(
        update(Admin)
        .where(col(Admin.contact_id) == contact.id, col(Admin.id) != admin.id)
        .values(contact_id=None)
    )
    if admin.contact_id not in (None, contact.id):
        await session.exec(
            update(Contact)
            .where(col(Contact.id) == admin.contact_id, col(Contact.role) == "admin")
            .values(role="owner")
        )
    admin.contact_id, admin.link_code = contact.id, None
    if contact.role == "owner" and admin.role == "admin":
        contact.role = "admin"
    session.add_all([admin, contact])
    await session.flush()
    return admin
