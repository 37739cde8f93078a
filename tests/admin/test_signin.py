"""Sign-in through the real app: sessions, roles, CSRF, lockout, audit rows, and /admin closed without a session."""

from __future__ import annotations

import httpx
from sqlmodel import select

from bot.settings import Settings
from storage.models import Admin, AuditLog
from tests.admin.conftest import add_account, app_client, csrf_of, sign_in


async def _audit(sessions) -> list[tuple[str, str]]:  # noqa: ANN001
    async with sessions() as session:
        rows = (await session.exec(select(AuditLog).order_by(AuditLog.id))).all()
    return [(row.actor, row.action) for row in rows]


async def test_pages_need_a_session(client: httpx.AsyncClient) -> None:
    """Without a session every page redirects to the login form and the JSON API answers 401."""
    for path in (
        "/admin",
        "/admin/audit",
        "/admin/consultants",
        "/admin/consultants/1",
        "/admin/broadcasts",
        "/admin/broadcasts/new",
        "/admin/broadcasts/1",
        "/admin/broadcasts/1/progress",
        "/admin/broadcasts/1/answers.csv",
    ):
        response = await client.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/admin/login", path
    assert (await client.get("/admin/api/broadcasts")).status_code == 401
    login = await client.get("/admin/login")
    assert login.status_code == 200 and "Kata sandi" in login.text and "https://" not in login.text


async def test_sign_in_sets_a_safe_cookie_and_logs(client: httpx.AsyncClient, sessions, clock) -> None:  # noqa: ANN001
    """A right password opens /admin with an HttpOnly, SameSite=Lax cookie on /admin; logout ends it."""
    password = await add_account(sessions, clock, "Rina@Dinas.test")
    response = await sign_in(client, "  rina@dinas.TEST ", password)
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/admin" in cookie
    assert "secure" not in cookie  # plain http in dev
    home = await client.get("/admin")
    assert home.status_code == 200 and "Selamat datang, Rina" in home.text
    token = csrf_of(home.text)
    out = await client.post("/admin/logout", data={"csrf": token})
    assert out.status_code == 303 and (await client.get("/admin")).status_code == 303
    assert await _audit(sessions) == [
        ("test", "admin.add"),
        ("rina@dinas.test", "login"),
        ("rina@dinas.test", "logout"),
    ]
    async with sessions() as session:
        stored = (await session.exec(select(Admin))).one()
    assert stored.password_hash.startswith("$argon2id$") and password not in stored.password_hash


async def test_cookie_is_secure_behind_https(db_url: str, sessions, clock) -> None:  # noqa: ANN001
    """With an https PUBLIC_BASE_URL the session cookie is Secure."""
    settings = Settings(_env_file=None, database_url=db_url, public_base_url="https://umkm.example.go.id")
    password = await add_account(sessions, clock, "rina@dinas.test")
    async with app_client(settings, clock, worker=False) as client:
        response = await sign_in(client, "rina@dinas.test", password)
    assert "secure" in response.headers["set-cookie"].lower()


async def test_csrf_is_required(client: httpx.AsyncClient, sessions, clock) -> None:  # noqa: ANN001
    """A login or logout without the form's token changes nothing."""
    password = await add_account(sessions, clock, "rina@dinas.test")
    forged = await client.post(
        "/admin/login", data={"email": "rina@dinas.test", "password": password, "csrf": "x"}
    )
    assert forged.status_code == 403 and "Formulir kedaluwarsa" in forged.text
    assert (await client.get("/admin")).status_code == 303
    await sign_in(client, "rina@dinas.test", password)
    assert (await client.post("/admin/logout", data={})).status_code == 403
    assert (await client.get("/admin")).status_code == 200  # still signed in


async def test_wrong_passwords_lock_the_account(client: httpx.AsyncClient, sessions, clock) -> None:  # noqa: ANN001
    """Five wrong passwords lock the account for 15 minutes, even against the right one; then it opens."""
    password = await add_account(sessions, clock, "rina@dinas.test")
    for _ in range(4):
        wrong = await sign_in(client, "rina@dinas.test", "not-it")
        assert wrong.status_code == 400 and "Email atau kata sandi salah" in wrong.text
    locked = await sign_in(client, "rina@dinas.test", "not-it")
    assert "Akun dikunci sampai 21 November 2026 10.15 WIB" in locked.text
    assert "dikunci" in (await sign_in(client, "rina@dinas.test", password)).text
    clock.advance(minutes=15, seconds=1)
    assert (await sign_in(client, "rina@dinas.test", password)).status_code == 303
    actions = [action for _actor, action in await _audit(sessions)]
    assert actions.count("login.wrong") == 4 and actions.count("login.locked") == 2 and actions[-1] == "login"
    client.cookies.clear()
    unknown = await sign_in(client, "nobody@dinas.test", "x")
    assert unknown.status_code == 400 and "Email atau kata sandi salah" in unknown.text


async def test_disabled_account_loses_its_session(admin_client: httpx.AsyncClient, sessions) -> None:  # noqa: ANN001
    """Disabling an account ends its open session at the next request."""
    async with sessions() as session, session.begin():
        admin = (await session.exec(select(Admin))).one()
        admin.active = False
        session.add(admin)
    assert (await admin_client.get("/admin")).status_code == 303


async def test_audit_page_lists_actions(admin_client: httpx.AsyncClient) -> None:
    """The audit page shows who signed in and when, in the kabupaten's zone."""
    page = await admin_client.get("/admin/audit")
    assert (
        page.status_code == 200
        and "rina@dinas.test" in page.text
        and "21 November 2026 10.00 WIB" in page.text
    )


async def test_prod_answers_nothing_without_a_session(db_url: str, clock) -> None:  # noqa: ANN001
    """In prod the same holds, and the bearer token opens only the JSON API."""
    settings = Settings(
        _env_file=None,
        database_url=db_url,
        umkm_env="prod",
        admin_token="script-token-123",
        admin_session_secret="session-secret-abc",
    )
    async with app_client(settings, clock, worker=False) as client:
        assert (await client.get("/admin")).status_code == 303
        assert (await client.get("/admin/api/broadcasts")).status_code == 401
        wrong = {"Authorization": "Bearer nope"}
        assert (await client.get("/admin/api/broadcasts", headers=wrong)).status_code == 401
        right = {"Authorization": "Bearer script-token-123"}
        assert (await client.get("/admin/api/broadcasts", headers=right)).json() == []
        assert (await client.get("/admin", headers=right)).status_code == 303
