"""`umkm admin add|list|disable` and the dev demo admin of `umkm seed-demo`, against the test database."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlmodel import select

from storage.models import Admin, AuditLog
from tests.admin.conftest import sign_in


async def test_add_sign_in_list_disable(umkm, client: httpx.AsyncClient, sessions) -> None:  # noqa: ANN001
    """The printed one-time password signs in; list shows the account; disable stops it."""
    code, out, _ = umkm("admin", "add", "--name", "Rina Marlina", "--email", "Rina@Dinas.test")
    assert code == 0 and "Kata sandi sekali pakai:" in out
    password = re.search(r"Kata sandi sekali pakai: (\S+)", out).group(1)
    assert (await sign_in(client, "rina@dinas.test", password)).status_code == 303
    code, out, _ = umkm("admin", "list")
    assert code == 0 and "1. rina@dinas.test (Rina Marlina), admin, aktif" in out
    assert umkm("admin", "add", "--name", "Lagi", "--email", "rina@dinas.test")[2].startswith(
        "Sudah ada akun"
    )
    assert umkm("admin", "add", "--name", "V", "--email", "v@dinas.test", "--role", "boss")[0] == 2
    code, out, _ = umkm("admin", "disable", "--email", "rina@dinas.test")
    assert code == 0 and "dinonaktifkan" in out
    assert (await client.get("/admin")).status_code == 303
    assert umkm("admin", "disable", "--email", "nobody@dinas.test")[0] == 2
    async with sessions() as session:
        actions = (await session.exec(select(AuditLog.action).order_by(AuditLog.id))).all()
        stored = (await session.exec(select(Admin))).all()
    assert actions == ["admin.add", "login", "admin.disable"]
    assert all(password not in admin.password_hash for admin in stored)


def test_seed_demo_prints_a_demo_admin_in_dev_only(umkm, monkeypatch: pytest.MonkeyPatch) -> None:
    """In dev seed-demo makes admin@demo.local once and prints its password; a second run prints none."""
    code, out, _ = umkm("seed-demo")
    assert code == 0 and re.search(r"Admin demo \(hanya dev\): admin@demo.local / \S+", out)
    assert "admin@demo.local" not in umkm("seed-demo")[1]


async def test_broadcast_cli_twins(umkm, sessions, clock) -> None:  # noqa: ANN001
    """create, preview, send, status and cancel from the command line, with clear refusals."""
    from storage.contacts import get_or_create_contact

    async with sessions.begin() as session:
        contact = await get_or_create_contact(
            session=session, channel="telegram", external_id="4001", now=clock.now()
        )
        contact.display_name = "Budi Santoso"
        session.add(contact)
    assert umkm("broadcast", "create", "--title", "Kemasan")[2].startswith("Kurang: --title dan --message")
    code, out, _ = umkm(
        "broadcast",
        "create",
        "--title",
        "Kemasan",
        "--message",
        "Pelatihan gratis.",
        "--option",
        "Ya",
        "--option",
        "Tidak",
    )
    assert code == 0 and "Siaran 1 disimpan sebagai draf" in out
    code, out, _ = umkm("broadcast", "preview", "1")
    assert (
        code == 0 and "Pelatihan gratis.\n1. Ya\n2. Tidak" in out and "Penerima: 1; dikecualikan: 0." in out
    )
    assert "Bu** Sa***** (telegram)" in out
    assert "sudah lewat" in umkm("broadcast", "send", "1", "--at", "2020-01-01 09:00")[2]
    code, out, _ = umkm("broadcast", "send", "1", "--at", "2099-12-01 09:00")
    assert code == 0 and "akan dikirim ke 1 pelaku usaha mulai 2099-12-01 09:00" in out
    code, out, _ = umkm("broadcast", "status", "1")
    assert code == 0 and "Kemasan: terjadwal" in out and "antre 0" in out and "  Ya: 0" in out
    code, out, _ = umkm("broadcast", "cancel", "1")
    assert code == 0 and "Siaran 1 dibatalkan" in out
    assert "sudah dibatalkan" in umkm("broadcast", "send", "1")[2]
    assert umkm("broadcast", "status", "9")[2].startswith("Tidak ada siaran 9")
