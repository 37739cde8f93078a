"""The Telegram translation as tables: updates to Inbound, replies to HTML pieces and keyboards, errors to verdicts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from telegram import Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)

from bot.delivery import PermanentFailure, RecipientUnreachable, RetryLater
from bot.handlers import telegram_render as render
from bot.messages import Option
from tests.telegram import factories as f

NOW = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)
# PTB 22 warns about RetryAfter.retry_after becoming a timedelta while it builds the error itself.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def _inbound(data: dict):
    return render.inbound(Update.de_json(data, None), NOW)


@pytest.mark.parametrize(
    ("update", "expected"),
    [
        pytest.param(f.text("Halo"), {"text": "Halo"}, id="text"),
        pytest.param(f.command("start"), {"text": "mulai"}, id="bare-start-is-mulai"),
        pytest.param(f.text("/start@RumahUmkmBot"), {"text": "mulai"}, id="start-addressed"),
        pytest.param(f.command("start", "kkmb-AB12"), {"text": "/start kkmb-AB12"}, id="deep-link-kept"),
        pytest.param(f.command("menu"), {"text": "/menu"}, id="menu-command"),
        pytest.param(f.command("bantuan"), {"text": "/bantuan"}, id="help-command"),
        pytest.param(f.text("1234"), {"text": "1234"}, id="digits-stay-text"),
        pytest.param(f.press("go:simulation"), {"choice_id": "go:simulation", "text": ""}, id="button"),
        pytest.param(f.contact("6281234567890"), {"phone": "+6281234567890"}, id="own-contact-e164"),
        pytest.param(f.contact("+6285711112222"), {"phone": "+6285711112222"}, id="own-contact-plus"),
        pytest.param(f.contact("15551234567"), {"phone": "+15551234567"}, id="foreign-contact-kept"),
        pytest.param(
            f.contact("6281234567890", own=False), {"unsupported": "contact"}, id="someone-elses-card"
        ),
        pytest.param(f.sticker(), {"unsupported": "sticker"}, id="sticker"),
        pytest.param(
            f.photo(caption="ini KTP saya"),
            {
                "unsupported": "photo",
                "photo": "AgACAgUAAxk2",
            },  # the largest size, for a step that takes photos
            id="photo-with-caption",
        ),
        pytest.param(f.voice(), {"unsupported": "voice"}, id="voice"),
        pytest.param(f.document(), {"unsupported": "document"}, id="document"),
        pytest.param(f.location(), {"unsupported": "location"}, id="location"),
    ],
)
def test_private_updates_become_inbound(update: dict, expected: dict) -> None:
    inbound = _inbound(update)
    assert inbound is not None
    assert (inbound.channel, inbound.sender_id, inbound.display_name) == ("telegram", str(f.CHAT), "Siti")
    assert inbound.message_id == str(update["update_id"]) and inbound.received_at == NOW
    for name, value in expected.items():
        assert getattr(inbound, name) == value, name


@pytest.mark.parametrize(
    "update",
    [
        pytest.param(f.group_text("halo"), id="group-message"),
        pytest.param(f.group_text("/start"), id="group-command"),
        pytest.param(f.update(edited_message=f.text("x")["message"]), id="edited-message"),
        pytest.param(
            f.update(channel_post={**f.text("x")["message"], "chat": {"id": -1009, "type": "channel"}}),
            id="channel-post",
        ),
    ],
)
def test_group_channel_and_other_updates_are_ignored(update: dict) -> None:
    assert _inbound(update) is None


@pytest.mark.parametrize(
    ("update", "noted"),
    [
        (f.group_text("/start"), True),
        (f.group_text("/menu@RumahUmkmBot"), True),
        (f.group_text("/menu@OtherBot"), False),
        (f.group_text("halo semua"), False),
        (f.text("/start"), False),
    ],
)
def test_only_a_command_for_this_bot_in_a_group_earns_a_note(update: dict, noted: bool) -> None:
    chat = render.group_command_chat(Update.de_json(update, None), "RumahUmkmBot")
    assert (chat is not None) is noted


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("Pilih *Simpan* untuk menyimpan.", "Pilih <b>Simpan</b> untuk menyimpan."),
        ("• *menu*: menu utama\n• *batal*: batal", "• <b>menu</b>: menu utama\n• <b>batal</b>: batal"),
        ("Omzet < Rp300 juta & > 0", "Omzet &lt; Rp300 juta &amp; &gt; 0"),
        ("<b>not ours</b> *<i>*", "&lt;b&gt;not ours&lt;/b&gt; <b>&lt;i&gt;</b>"),
        ('Nama "Toko Siti"', 'Nama "Toko Siti"'),
        ("5 * 3 and a lone *", "5 * 3 and a lone *"),
        ("*two\nlines*", "*two\nlines*"),
    ],
)
def test_bold_becomes_html_and_everything_else_is_escaped(text: str, html: str) -> None:
    assert render.to_html(text) == html


def test_long_texts_split_on_lines_and_only_the_last_piece_has_the_keyboard() -> None:
    line = "Bulan ke-1: angsuran Rp1.721.329 <pokok & bunga>"
    text = "\n".join([line] * 200)
    options = (Option("more", "Berikutnya"), Option("global:menu", "Menu"))
    pieces = render.pieces(text, options)
    assert len(pieces) == 3
    assert all(
        len(p.text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")) <= 4096 for p in pieces
    )
    assert "\n".join(p.text for p in pieces) == render.to_html(text)
    assert [p.markup is None for p in pieces] == [True, True, False]
    rows = pieces[-1].markup.inline_keyboard
    assert [[(b.text, b.callback_data) for b in row] for row in rows] == [
        [("1. Berikutnya", "more")],
        [("2. Menu", "global:menu")],
    ]


def test_a_single_button_is_not_numbered() -> None:
    [piece] = render.pieces("Selesai.", (Option("global:menu", "Menu"),))
    assert piece.markup.inline_keyboard[0][0].text == "Menu"


@pytest.mark.parametrize("option_id", ["x" * 65, "é" * 33, ""])
def test_button_data_over_64_bytes_or_empty_is_refused(option_id: str) -> None:
    with pytest.raises(ValueError, match="64 byte"):
        render.pieces("Pilih:", (Option(option_id, "Label"),))


def test_button_data_of_exactly_64_bytes_is_fine() -> None:
    [piece] = render.pieces("Pilih:", (Option("k" * 64, "Label"),))
    assert piece.markup.inline_keyboard[0][0].callback_data == "k" * 64


def test_an_empty_text_is_refused() -> None:
    with pytest.raises(ValueError, match="needs some text"):
        render.pieces("  ")


@pytest.mark.parametrize(
    ("make", "verdict", "retry_after"),
    [
        (lambda: RetryAfter(7), RetryLater, 7.0),
        (lambda: Forbidden("Forbidden: bot was blocked by the user"), RecipientUnreachable, None),
        (lambda: Forbidden("Forbidden: user is deactivated"), RecipientUnreachable, None),
        (lambda: BadRequest("Bad Request: chat not found"), RecipientUnreachable, None),
        (lambda: BadRequest("Bad Request: can't parse entities"), PermanentFailure, None),
        (lambda: ChatMigrated(-100123), PermanentFailure, None),
        (lambda: TimedOut(), RetryLater, None),
        (lambda: NetworkError("Internal Server Error (500)"), RetryLater, None),
        (lambda: InvalidToken("Unauthorized"), RetryLater, None),
    ],
)
def test_bot_api_errors_map_to_delivery_verdicts(make, verdict, retry_after) -> None:
    mapped = render.delivery_error(make())
    assert type(mapped) is verdict
    assert getattr(mapped, "retry_after", None) == retry_after
    assert mapped.reason.startswith("telegram ")


def test_the_command_menu_is_indonesian() -> None:
    assert [(c.command, c.description) for c in render.commands()] == [
        ("start", "Mulai atau mulai lagi"),
        ("menu", "Menu utama"),
        ("bantuan", "Bantuan dan kata-kata yang bisa dipakai"),
        ("batal", "Batalkan yang sedang dilakukan"),
    ]


def test_a_fenced_table_becomes_pre_with_its_contents_escaped() -> None:
    text = "Jadwal *KUR Mikro*:\n```\nKe  Angsuran\n 1  Rp1.721.329 <*>\n```\nSelesai."
    assert render.to_html(text) == (
        "Jadwal <b>KUR Mikro</b>:\n<pre>Ke  Angsuran\n 1  Rp1.721.329 &lt;*&gt;</pre>\nSelesai."
    )


def test_a_split_through_a_table_closes_and_reopens_it() -> None:
    rows = "\n".join(f"{n:>3}  Rp1.721.329  Rp18.278.671" for n in range(1, 200))
    pieces = render.pieces(f"Jadwal:\n```\n{rows}\n```")
    assert len(pieces) == 2
    assert all(p.text.count("<pre>") == p.text.count("</pre>") == 1 for p in pieces)
    assert pieces[0].text.startswith("Jadwal:\n<pre>  1  Rp1.721.329") and pieces[1].text.startswith("<pre>")
