"""The creating admin hears when a broadcast finishes: a notice on the workspace, and one chat message once linked."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from core.admin_link import PREFIX, new_code, read_code
from core.booking import LINK_ALPHABET, LINK_LENGTH
from storage.models import Admin, AdminNotice, Contact
from tests.admin.broadcast_world import World
from tests.admin.conftest import add_account
from tests.telegram.factories import text

SECRET = {"X-Telegram-Bot-Api-Secret-Token": "test-webhook-secret_0123"}
ADMIN_CHAT = 2001
FINISHED = 'Siaran "Pelatihan pengemasan" selesai.'


def _unread(html: str) -> int:
    """The count in the header's notices link."""
    return int(re.search(r'id="notice-count"[^>]*>[^<]*<span class="pill">(\d+)<', html).group(1))


def _code(out: str) -> str:
    """The link code `umkm admin link` printed."""
    return re.search(rf"{PREFIX}-\w{{{LINK_LENGTH}}}", out).group(0)


async def _notices(world: World) -> list[AdminNotice]:
    """Every notice row."""
    async with world.services.sessions() as session:
        return list((await session.exec(select(AdminNotice))).all())


async def _say(world: World, words: str, chat_id: int = ADMIN_CHAT) -> str:
    """A Telegram message from a chat; returns the bot's last answer to it."""
    response = await world.client.post(
        "/webhooks/telegram", json=text(words, chat_id=chat_id), headers=SECRET
    )
    assert response.status_code == 200
    await world.telegram.idle()
    return world.fake.texts(chat_id)[-1]


async def _finish(world: World, **compose: str) -> None:
    """Composes, sends now, fans out, delivers everything and lets the job close the broadcast."""
    assert (await world.compose(**compose)).status_code == 303
    assert (await world.act(1, "send", when="now")).status_code == 303
    await world.work()
    await world.deliver()
    await world.work()


async def test_finished_broadcast_notifies_on_the_workspace_and_in_the_linked_chat(
    world: World, umkm
) -> None:  # noqa: ANN001
    await world.owner("telegram", "1001")
    await world.owner("whatsapp", "+6281200000001", hours_ago=2)  # and chat 2002 below, an owner by then
    code, out, _ = umkm("admin", "link", "--email", "rina@dinas.test")
    link_code = _code(out)
    assert code == 0 and "Kode tautan untuk rina@dinas.test" in out
    assert "Chat ini sekarang tertaut ke akun admin Anda" in await _say(world, f"/start {link_code}")
    assert "tidak berlaku atau sudah dipakai" in await _say(world, link_code, chat_id=2002)  # used once only

    compose = await world.client.get("/admin/broadcasts/new")
    assert re.search(r'name="notify" value="1" checked', compose.text)  # ticked by default
    home = await world.client.get("/admin")
    assert _unread(home.text) == 0 and "Belum ada pemberitahuan" in home.text

    await _finish(world, notify="1")
    [notice] = await _notices(world)
    assert notice.outcome == "done" and notice.read_at is None
    assert (
        'Siaran Anda "Pelatihan pengemasan" selesai: 3 terkirim, 0 gagal, 0 dikecualikan'
        in ([row.body for row in await world.outbox() if row.kind == "admin_notice"][0])
    )
    await world.deliver()
    await world.telegram.idle()
    chat = world.fake.texts(ADMIN_CHAT)[-1]
    assert not any("gratis, Senin" in said for said in world.fake.texts(ADMIN_CHAT))  # staff, not owner
    assert "selesai: 3 terkirim" in chat and "https://umkm.example.id/admin/broadcasts/1" in chat

    await world.work()  # the job again, as after a restart: nothing is written twice
    assert len(await _notices(world)) == 1
    assert [row.send_key for row in await world.outbox() if row.kind == "admin_notice"] == [
        "admin-notice:broadcast:1"
    ]

    home = await world.client.get("/admin")
    assert _unread(home.text) == 1 and FINISHED in home.text and "Baru" in home.text
    other = await world.client.get("/admin/consultants")
    assert _unread(other.text) == 1  # the count is in every page's header
    assert (
        _unread((await world.client.get("/admin/broadcasts/1")).text) == 1
    )  # the page alone is not the notice
    link = re.search(r'href="(/admin/notices/\d+)"', home.text).group(1)
    opened = await world.client.get(link, follow_redirects=True)
    assert opened.url.path == "/admin/broadcasts/1" and _unread(opened.text) == 0
    assert (await world.client.get("/admin/notices/999")).status_code == 404
    home = await world.client.get("/admin")
    assert _unread(home.text) == 0 and FINISHED in home.text and "Baru" not in home.text
    [notice] = await _notices(world)
    assert notice.read_at == world.clock.now()


async def test_cancelled_broadcast_notifies_on_the_workspace_only_without_a_chat(world: World) -> None:
    for n in range(3):
        await world.owner("telegram", str(1001 + n))
    assert (await world.compose(notify="1")).status_code == 303
    await world.act(1, "send", when="now")
    await world.work()
    await world.deliver(batch=1)
    assert (await world.act(1, "cancel")).status_code == 303
    [notice] = await _notices(world)
    assert notice.outcome == "cancelled"
    assert [row for row in await world.outbox() if row.kind == "admin_notice"] == []  # no linked chat
    assert 'Siaran "Pelatihan pengemasan" dibatalkan.' in (await world.client.get("/admin")).text


async def test_no_notice_when_unticked_or_for_a_cancelled_draft(world: World) -> None:
    await world.owner("telegram", "1001")
    await _finish(world)  # the form without the ticked box
    assert (await world.compose(notify="1", title="Draf saja")).status_code == 303
    assert (await world.act(2, "cancel")).status_code == 303
    assert await _notices(world) == []
    async with world.services.sessions() as session:
        assert (await session.exec(select(Admin))).one().contact_id is None


async def test_linking_a_chat_makes_it_an_admin_chat_and_frees_the_old_one(world: World, umkm) -> None:  # noqa: ANN001
    for chat_id in (ADMIN_CHAT, 2002):
        out = umkm("admin", "link", "--email", "rina@dinas.test")[1]
        await _say(world, f"kode saya {_code(out)}", chat_id=chat_id)
    async with world.services.sessions() as session:
        roles = {c.external_id: c.role for c in (await session.exec(select(Contact))).all()}
        admin = (await session.exec(select(Admin))).one()
    assert roles == {str(ADMIN_CHAT): "owner", "2002": "admin"} and admin.link_code is None
    assert umkm("admin", "link", "--email", "nobody@dinas.test")[0] != 0

    await add_account(world.services.sessions, world.clock, "vina@dinas.test", role="viewer")
    out = umkm("admin", "link", "--email", "vina@dinas.test")[1]
    assert "tertaut ke akun admin Anda (vina@dinas.test)" in await _say(world, _code(out), chat_id=2003)
    async with world.services.sessions() as session:
        viewer_chat = (await session.exec(select(Contact).where(Contact.external_id == "2003"))).one()
    assert viewer_chat.role == "owner"  # a viewer's chat gets no say over bookings


@given(
    body=st.text(alphabet=LINK_ALPHABET, min_size=LINK_LENGTH, max_size=LINK_LENGTH),
    form=st.sampled_from(["{p}-{b}", "{p} {b}", "/start {p}-{b}", "{p}{b}", "kode saya {p}-{b} ya"]),
    lower=st.booleans(),
)
def test_an_admin_code_is_read_back_in_any_form(body: str, form: str, lower: bool) -> None:
    written = form.format(p=PREFIX, b=body)
    assert read_code(written.lower() if lower else written) == f"{PREFIX}-{body}"


def test_new_codes_read_back_and_other_codes_do_not() -> None:
    assert read_code(code := new_code()) == code
    assert read_code("KKMB-7Q2M9X") is None and read_code("halo admin") is None and read_code(None) is None
