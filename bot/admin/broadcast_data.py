"""A broadcast's data for others: the answers as CSV for the organisers, and JSON for scripts (ADMIN_TOKEN)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from bot.admin.auth import Actor, admin_only, token_or_session
from bot.admin.broadcasts import MISSING
from bot.admin.web import NotFound, audited
from bot.broadcast_progress import answers_csv, progress
from bot.services import services_of
from storage.broadcasts import get_broadcast, list_broadcasts
from storage.db import transaction

router = APIRouter(prefix="/admin")


@router.get("/broadcasts/{broadcast_id}/answers.csv")
async def export(
    request: Request, broadcast_id: int, actor: Annotated[Actor, Depends(admin_only)]
) -> Response:
    """Who answered what, as CSV, streamed a page at a time (admins only: it holds names and phone numbers)."""
    services = services_of(request)
    async with transaction(services.sessions) as session:
        broadcast = await get_broadcast(session=session, broadcast_id=broadcast_id)
        if broadcast is None:
            raise NotFound(MISSING)
        await audited(session, actor, "broadcast.export", services.clock.now(), broadcast=broadcast_id)
    headers = {"Content-Disposition": f'attachment; filename="siaran-{broadcast_id}-jawaban.csv"'}
    return StreamingResponse(
        answers_csv(services, broadcast), media_type="text/csv; charset=utf-8", headers=headers
    )


@router.get("/api/broadcasts")
async def api_list(request: Request, who: Annotated[str, Depends(token_or_session)]) -> list[dict]:
    """The newest broadcasts as JSON (for scripts with ADMIN_TOKEN)."""
    async with services_of(request).sessions() as session:
        rows = await list_broadcasts(session=session)
    return [{"id": row.id, "title": row.title, "status": row.status, "queued": row.queued} for row in rows]


@router.get("/api/broadcasts/{broadcast_id}")
async def api_status(
    request: Request, broadcast_id: int, who: Annotated[str, Depends(token_or_session)]
) -> Response:
    """One broadcast's figures as JSON."""
    services = services_of(request)
    async with services.sessions() as session:
        broadcast = await get_broadcast(session=session, broadcast_id=broadcast_id)
        if broadcast is None:
            return JSONResponse({"detail": "no such broadcast"}, status_code=404)
        figures = await progress(session, services, broadcast)
    return JSONResponse({"id": broadcast.id, "status": broadcast.status, **asdict(figures)})
