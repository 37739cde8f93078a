"""An app with the admin workspace on the test database, accounts, and a signed-in client."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

import httpx
import pytest

from bot.admin.accounts import create
from bot.app import create_app
from bot.cli import main
from bot.settings import Settings
from storage.db import transaction
from tests.fake_twilio import FakeTwilio

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    match = CSRF.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


@asynccontextmanager
async def app_client(settings: Settings, clock, **app_options) -> AsyncIterator[httpx.AsyncClient]:  # noqa: ANN001
    """An HTTP client on the app with its lifespan running."""
    app = create_app(settings, clock=clock, **app_options)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            client.app = app  # type: ignore[attr-defined]
            yield client


@pytest.fixture
def settings(db_url: str) -> Settings:
    """Dev settings on the test database, with a bearer token for the JSON API."""
    return Settings(_env_file=None, database_url=db_url, umkm_env="dev", admin_token="script-token-123")


@pytest.fixture
async def client(settings: Settings, clock) -> AsyncIterator[httpx.AsyncClient]:  # noqa: ANN001
    """A client on the app (no worker: nothing is delivered unless a test runs the dispatcher)."""
    async with app_client(settings, clock, worker=False) as client:
        yield client


async def add_account(sessions, clock, email: str, role: str = "admin") -> str:  # noqa: ANN001
    """Adds an account and returns its one-time password."""
    async with transaction(sessions) as session:
        _admin, password = await create(
            session=session,
            email=email,
            name=email.split("@")[0].title(),
            role=role,
            now=clock.now(),
            by="test",
        )
    return password


async def sign_in(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    """Fills in the login form like a browser: GET for the token, then POST."""
    form = await client.get("/admin/login")
    data = {"email": email, "password": password, "csrf": csrf_of(form.text)}
    return await client.post("/admin/login", data=data)


@pytest.fixture
async def admin_client(client: httpx.AsyncClient, sessions, clock) -> httpx.AsyncClient:  # noqa: ANN001
    """The client signed in as an admin (rina@dinas.test)."""
    password = await add_account(sessions, clock, "rina@dinas.test")
    response = await sign_in(client, "rina@dinas.test", password)
    assert response.status_code == 303 and response.headers["location"] == "/admin"
    return client


async def csrf(client: httpx.AsyncClient, path: str = "/admin") -> str:
    """The CSRF token of the signed-in session, read from a page."""
    return csrf_of((await client.get(path)).text)


@pytest.fixture(scope="session")
def twilio_server() -> Iterator[tuple[FakeTwilio, str]]:
    """The Twilio stand-in on a loopback port for the session (it stops itself after 30 minutes)."""
    fake = FakeTwilio()
    with fake.serve(seconds=1800) as url:
        yield fake, url


@pytest.fixture
async def world(db_url: str, clock, twilio_server: tuple[FakeTwilio, str]):  # noqa: ANN001, ANN201
    """The broadcast world: both channels, an admin signed in (see tests/admin/broadcast_world.py)."""
    from tests.admin.broadcast_world import running

    fake, url = twilio_server
    fake.reset()
    async with running(db_url, clock, fake, url) as world:
        yield world


@pytest.fixture
def umkm(db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Runs `umkm ...` on the test database and returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.delenv("UMKM_ENV", raising=False)

    def run(*argv: str) -> tuple[int, str, str]:
        """Runs one command (in a thread when a test's event loop is running: the CLI runs its own)."""
        with ThreadPoolExecutor(1) as pool:
            code = pool.submit(main, list(argv)).result()
        out, err = capsys.readouterr()
        return code, out, err

    return run
