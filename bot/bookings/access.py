"""Which booking a step is about, and who may act on it."""

from __future__ import annotations

from bot.flows.base import Ctx
from storage.bookings import BookingDetails, booking_details


async def booking_of_ref(ctx: Ctx, *, lock: bool = False) -> BookingDetails | None:
    """The booking a button or list pick named in `ctx.data["ref"]`, if it exists."""
    ref = str(ctx.data.get("ref", ""))
    return (
        await booking_details(session=ctx.session, booking_id=int(ref), lock=lock) if ref.isdigit() else None
    )


async def answerable_booking(ctx: Ctx, *, lock: bool = False) -> BookingDetails | None:
    """The booking of `ref` when this chat may answer it: its consultant's linked chat, or an admin."""
    details = await booking_of_ref(ctx, lock=lock)
    if details is None:
        return None
    if ctx.contact.role == "admin" or details.consultant.contact_id == ctx.contact.id:
        return details
    return None
