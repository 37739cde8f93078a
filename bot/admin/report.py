"""The programme report at /admin/report: figures, charts and tables for everyone signed in; exports; the
follow-up list of named owners for admins only (audited)."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from bot.admin.auth import Actor, admin_only, signed_in
from bot.admin.report_data import BadPeriod, Report, choose_kecamatan, choose_period, load_report
from bot.admin.report_export import XLSX_TYPE, shown, to_csv, to_xlsx
from bot.admin.web import NotFound, audited, message_page, page
from bot.services import services_of
from core.i18n import _
from storage.db import transaction
from storage.report import overdue_owners

router = APIRouter(prefix="/admin")


def _title(request: Request) -> str:
    """The report's title with the kabupaten's name."""
    return _("Report: Rumah UMKM programme report, {kabupaten}").format(
        kabupaten=services_of(request).settings.profile.name
    )


@dataclass(frozen=True)
class Asked:
    """The report's query string: the period kind and its day (or start and end), and the kecamatan."""

    kind: str = "year"
    on: str = ""
    start: str = ""
    end: str = ""
    kecamatan: str = ""


async def _report(request: Request, asked: Asked) -> Report:
    """The report for the query's period and kecamatan (BadPeriod when they cannot be read)."""
    services = services_of(request)
    profile = services.settings.profile
    today = services.clock.now().astimezone(services.settings.zone).date()
    return await load_report(
        sessions=services.sessions,
        profile=profile,
        period=choose_period(asked.kind, asked.on, asked.start, asked.end, today),
        kecamatan=choose_kecamatan(profile, asked.kecamatan),
        today=today,
    )


def _name(report: Report, extension: str) -> dict[str, str]:
    """A download's headers: laporan-2026-01-01-2026-12-31[-kecamatan].xlsx."""
    area = f"-{report.kecamatan.lower().replace(' ', '-')}" if report.kecamatan else ""
    name = f"laporan-{report.period.start}-{report.period.end}{area}.{extension}"
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get("/report")
async def report_page(
    request: Request, actor: Annotated[Actor, Depends(signed_in)], asked: Annotated[Asked, Depends()]
) -> Response:
    """The dashboard: the period and kecamatan form, then every section as charts and tables."""
    form = asdict(asked)
    choices = services_of(request).settings.profile.kecamatan
    try:
        report = await _report(request, asked)
    except BadPeriod as problem:
        return page(request, "report.html", actor, status=400, error=str(problem), form=form, areas=choices)
    query = str(request.url.query)
    return page(
        request,
        "report.html",
        actor,
        report=report,
        title=_title(request),
        form=form,
        areas=choices,
        query=f"?{query}" if query else "",
        shown=shown,
    )


@router.get("/report.{extension}")
async def report_file(
    request: Request,
    extension: str,
    actor: Annotated[Actor, Depends(signed_in)],
    asked: Annotated[Asked, Depends()],
) -> Response:
    """The whole report as a workbook (one sheet per section) or as CSV (long form)."""
    if extension not in ("xlsx", "csv"):
        raise NotFound(_("Report: The report downloads as .xlsx or .csv."))
    try:
        report = await _report(request, asked)
    except BadPeriod as problem:
        return message_page(request, _("Report: Programme report"), str(problem), 400, actor)
    if extension == "xlsx":
        return Response(to_xlsx(report, _title(request)), media_type=XLSX_TYPE, headers=_name(report, "xlsx"))
    body = "\ufeff" + to_csv(report)  # the mark makes spreadsheet programs read UTF-8
    return Response(body, media_type="text/csv; charset=utf-8", headers=_name(report, "csv"))


@router.get("/report/followup.csv")
async def followup_csv(
    request: Request, actor: Annotated[Actor, Depends(admin_only)], kecamatan: str = ""
) -> Response:
    """Owners with an instalment three or more days overdue, by name (admins only; written to the audit log)."""
    services = services_of(request)
    area = choose_kecamatan(services.settings.profile, kecamatan)
    now = services.clock.now()
    today = now.astimezone(services.settings.zone).date()
    async with transaction(services.sessions) as session:
        rows = await overdue_owners(session=session, today=today, kecamatan=area)
        await audited(session, actor, "report.followup_export", now, kecamatan=area, owners=len(rows))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Report: Owner"),
            _("Report: Phone"),
            _("Report: Business"),
            _("Report: Kecamatan"),
            _("Report: Bank"),
            _("Report: Instalment number"),
            _("Report: Due date"),
            _("Report: Amount"),
        ]
    )
    for r in rows:
        writer.writerow(
            [r.owner_name, r.phone or "", r.business, r.kecamatan, r.bank, r.number, r.due_on, r.amount]
        )
    headers = {"Content-Disposition": f'attachment; filename="tindak-lanjut-{today}.csv"'}
    return Response("\ufeff" + buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
