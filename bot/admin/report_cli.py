"""`umkm report --from --to [--kecamatan] --format xlsx|csv|md [--output FILE]`: the programme report for the letter."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.cli_base import CliError, command, friendly, local_today
from bot.settings import Settings
from core.i18n import _

FORMATS = ("md", "csv", "xlsx")
EXAMPLE = "umkm report --from 2026-01-01 --to 2026-06-30 --format xlsx --output laporan.xlsx"


@command("report")
@friendly
def run_report(args: argparse.Namespace, settings: Settings) -> int:
    """Prints or writes the report for a date range (and a kecamatan)."""
    from bot.admin.report_data import BadPeriod, choose_kecamatan, choose_period, load_report
    from bot.admin.report_export import to_csv, to_markdown, to_xlsx
    from storage.db import make_engine, session_maker

    if args.format == "xlsx" and not args.output:
        raise CliError(_("Report: An XLSX file needs --output, e.g.: {example}").format(example=EXAMPLE))
    today = local_today(settings)
    try:
        period = choose_period("custom", "", args.start or "", args.end or "", today)
        kecamatan = choose_kecamatan(settings.profile, args.kecamatan or "")
    except BadPeriod as problem:
        hint = _("Report: For example: {example}").format(example=EXAMPLE)
        raise CliError(f"{problem} {hint}") from None

    async def build() -> Any:
        """Loads the report from the configured database."""
        db = make_engine(settings.database_url)
        try:
            return await load_report(
                sessions=session_maker(db),
                profile=settings.profile,
                period=period,
                kecamatan=kecamatan,
                today=today,
            )
        finally:
            await db.dispose()

    report = asyncio.run(build())
    title = _("Report: Rumah UMKM programme report, {kabupaten}").format(kabupaten=settings.profile.name)
    if args.format == "xlsx":
        Path(args.output).write_bytes(to_xlsx(report, title))
    else:
        text = to_markdown(report, title) if args.format == "md" else to_csv(report)
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    if args.output:
        print(_("Report: Report written to {file}.").format(file=args.output))
    return 0


def add_parsers(sub: Any) -> None:
    """The parser of `umkm report`."""
    report = sub.add_parser("report", help="the programme report for a date range, as Markdown, CSV or XLSX")
    report.add_argument("--from", dest="start", help="first day, e.g. 2026-01-01")
    report.add_argument("--to", dest="end", help="last day, e.g. 2026-06-30")
    report.add_argument("--kecamatan", help="only this kecamatan (default: the whole kabupaten)")
    report.add_argument("--format", choices=FORMATS, default="md", help="md (default), csv or xlsx")
    report.add_argument("--output", help="write to this file instead of the screen (required for xlsx)")
