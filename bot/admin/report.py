"""The programme report at /admin/report: figures, charts and tables for everyone signed in; exports; the
follow-up list of named owners for admins only (audited)."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from bot.admin.auth import Actor, admin_only, signed_in
from bot.admin.report_data import BadPeriod, Report, choose_kecamatan, choose_period, load_report
from bot.admin.report_export import XLSX_TYPE, shown, to_csv, to_xlsx
from bot.admin.web import audited, page
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


async def _report(request: Request, kind: str, on: str, start: str, end: str, kecamatan: str) -> Report:
    """The report for the query's period and kecamatan (BadPeriod when they cannot be read)."""
    services = services_of(request)
    profile = services.settings.profile
    today = services.clock.now().astimezone(services.settings.zone).date()
    return await load_report(
        sessions=services.sessions,
        profile=profile,
        period=choose_period(kind, on, start, end, today),
        kecamatan=choose_kecamatan(profile, kecamatan),
        today=today,
    )


def _name(report: Report, extension: str) -> dict[str, str]:
    """A download's headers: laporan-2026-01-01-2026-12-31[-kecamatan].xlsx."""
    area = f"-{report.kecamatan.lower().replace(' ', '-')}" if report.kecamatan else ""
    name = f"laporan-{report.period.start}-{report.period.end}{area}.{extension}"
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get("/report")
async def report_page(
    request: Request,
    actor: Annotated[Actor, Depends(signed_in)],
    kind: str = "year",
    on: str = "",
    start: str = "",
    end: str = "",
    kecamatan: str = "",
) -> Response:
    """The dashboard: the period and kecamatan form, then every section as charts and tables."""
    form = {"kind": kind, "on": on, "start": start, "end": end, "kecamatan": kecamatan}
    choices = services_of(request).settings.profile.kecamatan
    try:
        report = await _report(request, kind, on, start, end, kecamatan)
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


@router.get("/report.xlsx")
async def report_xlsx(
    request: Request,
    actor: Annotated[Actor, Depends(signed_in)],
    kind: str = "year",
    on: str = "",
    start: str = "",
    end: str = "",
    kecamatan: str = "",
) -> Response:
    """The whole report as a workbook, one sheet per section."""
    report = await _report(request, kind, on, start, end, kecamatan)
    return Response(to_xlsx(report, _title(request)), media_type=XLSX_TYPE, headers=_name(report, "xlsx"))


@router.get("/report.csv")
async def report_csv(
    request: Request,
    actor: Annotated[Actor, Depends(signed_in)],
    kind: str = "year",
    on: str = "",
    start: str = "",
    end: str = "",
    kecamatan: str = "",
) -> Response:
    """The whole report as CSV (long form)."""
    report = await _report(request, kind, on, start, end, kecamatan)
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
