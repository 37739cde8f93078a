"""The web chat over HTTP: the page, a conversation through the API, validation, and the off switch."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from sqlmodel import select

from bot.app import create_app
from bot.settings import Settings
from storage.db import make_engine, session_maker
from storage.models import Contact

SESSION = "test-session-0001"


@asynccontextmanager
async def _client(settings: Settings, clock) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the app, with its lifespan running."""
    app = create_app(settings, clock=clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


@pytest.fixture
async def client(db_url: str, clock) -> AsyncIterator[httpx.AsyncClient]:
    """A client on an app with the web chat on, on the test database."""
    settings = Settings(_env_file=None, database_url=db_url, umkm_env="dev", webchat_enabled=True)
    async with _client(settings, clock) as client:
        yield client


async def _send(client: httpx.AsyncClient, text: str = "", choice: str | None = None) -> list[dict]:
    """Posts one message and returns the replies."""
    response = await client.post(
        "/chat/api/messages", json={"session": SESSION, "text": text, "choice": choice}
    )
    assert response.status_code == 200, response.text
    return response.json()["replies"]


async def test_page_is_served_without_external_resources(client: httpx.AsyncClient) -> None:
    """GET /chat serves the page, its script and style, with no external resources."""
    response = await client.get("/chat")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "<title>Rumah UMKM</title>" in html and 'placeholder="Ketik pesan…"' in html and ">Kirim<" in html
    assert "http://" not in html and "https://" not in html
    assert "default-src 'none'" in response.headers["content-security-policy"]
    script = await client.get("/chat/chat.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "innerHTML" not in script.text and "localStorage" in script.text
    style = await client.get("/chat/chat.css")
    assert style.status_code == 200 and style.headers["content-type"].startswith("text/css")


async def test_a_conversation_over_the_api(client: httpx.AsyncClient, db_url: str) -> None:
    """A newcomer gets welcome and menu, then options work by id, as a web contact."""
    replies = await _send(client, "menu")
    assert "Selamat datang di Rumah UMKM" in replies[0]["text"]
    menu = replies[-1]
    assert "Menu utama" in menu["text"]
    ids = {option["id"]: option["label"] for option in menu["options"]}
    assert ids["global:help"] == "Bantuan" and ids["go:privacy"] == "Privasi & data"

    replies = await _send(client, choice="go:privacy")
    assert "Data Anda di Rumah UMKM" in replies[-1]["text"]
    assert [option["label"] for option in replies[-1]["options"]][-1] == "Menu"

    replies = await _send(client, choice="global:help")
    assert "TIDAK PERNAH meminta kode OTP" in replies[0]["text"]

    replies = await _send(client, "menu")
    assert "Menu utama" in replies[-1]["text"] and "Selamat datang" not in replies[0]["text"]

    engine = make_engine(db_url)
    async with session_maker(engine)() as session:
        contact = (await session.exec(select(Contact))).one()
    await engine.dispose()
    assert (contact.channel, contact.external_id) == ("web", SESSION)


async def test_stale_button_is_answered_kindly(client: httpx.AsyncClient) -> None:
    """A button id the bot did not offer gets the engine's kind answer."""
    await _send(client, "menu")
    replies = await _send(client, choice="confirm")
    assert "sudah tidak berlaku" in replies[0]["text"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"session": "short", "text": "halo"}, "session"),
        ({"session": "../../etc/passwd", "text": "halo"}, "session"),
        ({"session": "a" * 65, "text": "halo"}, "session"),
        ({"session": "<script>alert(1)</script>", "text": "halo"}, "session"),
        ({"session": SESSION, "text": "x" * 4001}, "text"),
        ({"session": SESSION, "text": "", "choice": "c" * 65}, "choice"),
        ({"text": "halo"}, "session"),
    ],
    ids=["short", "path", "long", "html", "long-text", "long-choice", "missing"],
)
async def test_bad_requests_are_refused(client: httpx.AsyncClient, body: dict, field: str) -> None:
    """An unsafe session, too long text or choice get 422 naming the field."""
    response = await client.post("/chat/api/messages", json=body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert any(field in error["loc"] for error in detail), detail
    if field != "session" or "session" in body:
        assert any(field in error["msg"] for error in detail), detail


async def test_text_of_exactly_4000_characters_is_accepted(client: httpx.AsyncClient) -> None:
    """A text of exactly the maximum length is accepted."""
    replies = await _send(client, "x" * 4000)
    assert replies


async def test_disabled_web_chat_answers_404(db_url: str, clock) -> None:
    """With the web chat off every /chat route answers 404, health still works."""
    settings = Settings(_env_file=None, database_url=db_url, umkm_env="dev", webchat_enabled=False)
    async with _client(settings, clock) as client:
        assert (await client.get("/chat")).status_code == 404
        assert (await client.get("/chat/chat.js")).status_code == 404
        response = await client.post("/chat/api/messages", json={"session": SESSION, "text": "menu"})
        assert response.status_code == 404
        assert (await client.get("/healthz")).status_code == 200


def test_web_chat_is_on_in_dev_and_off_in_prod_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """The web chat defaults to on in dev and off in prod unless WEBCHAT_ENABLED is set."""
    monkeypatch.delenv("WEBCHAT_ENABLED", raising=False)
    assert Settings(_env_file=None, umkm_env="dev").webchat_enabled
    prod = {"umkm_env": "prod", "admin_token": "a-real-admin-token", "admin_session_secret": "a-real-secret"}
    assert not Settings(_env_file=None, **prod).webchat_enabled
    monkeypatch.setenv("WEBCHAT_ENABLED", "true")
    assert Settings(_env_file=None, **prod).webchat_enabled
