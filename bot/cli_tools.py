"""The tools a newcomer can run before any chat: `umkm simulate`, `check` and `reminders preview`."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from bot.cli_base import CliError, command, friendly, local_today, read_day, read_one_of, read_whole, require
from bot.clock import SystemClock
from bot.settings import Settings
from core.i18n import _


def add_parsers(sub: Any) -> None:
    """The parsers of the calculators and the reminders preview."""
    simulate = sub.add_parser(
        "simulate", help="print a loan's instalment schedule under a KUR or regional scheme"
    )
    simulate.add_argument("amount", nargs="?", help="loan amount, e.g. 20jt")
    simulate.add_argument("months", nargs="?", help="loan period, e.g. 12 or '2 tahun'")
    simulate.add_argument("--scheme", help="scheme id, e.g. kur_mikro (default: the first that fits)")
    simulate.add_argument("--on", help="use the rules in force on this day (default: today), e.g. 2026-11-21")
    simulate.add_argument("--access", help="which KUR loan this is: 1 for the first (default 1)")
    simulate.add_argument("--method", default="annuity", help="annuity (default), flat or declining")
    simulate.add_argument("--start", help="akad date; instalments fall due monthly after it")
    check = sub.add_parser("check", help="print every scheme's verdict for an owner and a loan request")
    check.add_argument("--amount", help="loan amount, e.g. 50jt")
    check.add_argument("--months", help="loan period, e.g. 24")
    check.add_argument("--purpose", default="modal_kerja", help="modal_kerja (default) or investasi")
    check.add_argument(
        "--months-in-business", dest="business_months", help="e.g. 24, '2 tahun' or 'Maret 2024'"
    )
    check.add_argument("--turnover", help="yearly turnover, e.g. 600jt")
    check.add_argument("--licence", default="none", help="nib, sku or none (default)")
    check.add_argument("--npwp", action="store_true", help="the owner has an NPWP")
    check.add_argument(
        "--sector", default="lainnya", help="pertanian, perdagangan, jasa, ... (default lainnya)"
    )
    check.add_argument("--age", help="the owner's age (default: unknown)")
    check.add_argument("--married", action="store_true", help="the owner is married")
    check.add_argument(
        "--regency", help="4-digit regency code of the owner's KTP, e.g. 1603 (default: unknown)"
    )
    check.add_argument(
        "--civil-servant", action="store_true", help="the owner is an active ASN, TNI or Polri"
    )
    check.add_argument(
        "--other-credit", action="store_true", help="the owner has another productive bank loan"
    )
    check.add_argument("--bad-history", action="store_true", help="an instalment was more than 90 days late")
    check.add_argument("--previous-kur", help="KUR loans taken before (default 0)")
    check.add_argument("--mentoring", action="store_true", help="the owner is mentored by a KKMB consultant")
    check.add_argument("--on", help="use the rules in force on this day (default: today)")
    reminders = sub.add_parser("reminders", help="repayment reminders")
    reminder_actions = reminders.add_subparsers(dest="reminders_command", required=True)
    preview = reminder_actions.add_parser(
        "preview", help="what the scheduler will send on a day: per kind, count and a masked sample"
    )
    preview.add_argument("--date", help="the day, e.g. 2026-12-18 (default: today, from now on)")


@command("simulate")
@friendly
def run_simulate(args: argparse.Namespace, settings: Settings) -> int:
    """Prints a loan's full schedule under a scheme, with the subsidy and the rentenir comparison."""
    from core import explain
    from core.parsing import parse_months, parse_rupiah
    from core.schedule_text import full_schedule_table
    from core.simulator import Method

    require(args, {"amount": "AMOUNT", "months": "MONTHS"}, "umkm simulate 20jt 12 --scheme kur_mikro")
    today = local_today(settings)
    on = read_day(args.on, today) or today
    amount, months = parse_rupiah(args.amount), parse_months(args.months)
    regional = explain.regional_for(settings.profile)
    schemes = explain.offered_schemes(on, regional)
    if args.scheme is None:
        fit = explain.fitting(schemes, amount, months)
        if not fit:
            raise CliError(explain.suggestion(schemes, amount, months, regional=regional))
        scheme = fit[0]
    else:
        ids = tuple(s.id for s in schemes)
        scheme = schemes[ids.index(read_one_of(args.scheme, "--scheme", ids))]
    problem = explain.fit_problem(scheme, amount, months)
    if problem:
        raise CliError(f"{problem} {explain.suggestion(schemes, amount, months, regional=regional)}")
    sim = explain.simulate_scheme(
        scheme,
        amount,
        months,
        access=read_whole(args.access, "--access", minimum=1, default=1),
        method=read_one_of(args.method, "--method", tuple(Method)),
        start=read_day(args.start, today),
    )
    print(explain.simulation_summary(sim, scheme, regional=regional), end="\n\n")
    print(full_schedule_table(sim), end="\n\n")
    print(explain.moneylender_comparison(sim, scheme))
    return 0


@command("check")
@friendly
def run_check(args: argparse.Namespace, settings: Settings) -> int:
    """Prints every scheme's verdict for an owner and a request, with reasons and documents."""
    from core import explain, programme_info
    from core.eligibility import SECTORS, Applicant, CreditRequest, evaluate
    from core.parsing import parse_months, parse_rupiah
    from core.periods import parse_business_age
    from core.programmes import PURPOSES

    example = "umkm check --amount 50jt --months 24 --months-in-business 24 --turnover 600jt"
    names = {"amount": "--amount", "months": "--months", "business_months": "--months-in-business"}
    require(args, {**names, "turnover": "--turnover"}, example)
    today = local_today(settings)
    on = read_day(args.on, today) or today
    if args.regency is not None and not (len(args.regency) == 4 and args.regency.isdigit()):
        raise CliError(_("--regency must be a 4-digit regency code, for example 1603."))
    request = CreditRequest(
        amount=parse_rupiah(args.amount),
        months=parse_months(args.months),
        purpose=read_one_of(args.purpose, "--purpose", PURPOSES),
    )
    applicant = Applicant(
        age=read_whole(args.age, "--age", minimum=17),
        married=args.married,
        months_in_business=parse_business_age(args.business_months, today=on),
        annual_turnover=0 if args.turnover.strip() == "0" else parse_rupiah(args.turnover),
        has_business_licence=read_one_of(args.licence, "--licence", ("nib", "sku", "none")) != "none",
        has_npwp=args.npwp,
        is_civil_servant=args.civil_servant,
        other_productive_credit=args.other_credit,
        credit_history_ok=not args.bad_history,
        previous_kur_count=read_whole(args.previous_kur, "--previous-kur", minimum=0, default=0),
        sector=read_one_of(args.sector, "--sector", SECTORS),
        regency_code=args.regency,
        in_mentoring_programme=args.mentoring,
    )
    regional = explain.regional_for(settings.profile)
    assessment = evaluate(applicant, request, on=on, regional=regional)
    print(explain.assessment_header(assessment, request))
    for option in assessment.options:
        print(f"\n{explain.option_block(option, regional=regional)}\n{explain.documents_line(option)}")
    if not applicant.has_business_licence:
        print(f"\n{programme_info.licence_guidance(applicant.sector)}")
    return 0


@command("reminders")
@friendly
def run_reminders(args: argparse.Namespace, settings: Settings) -> int:
    """Previews what the reminder scan will send on a day (per kind, count and a masked sample); writes nothing."""
    from bot.reminder_preview import preview_day, preview_text
    from storage.db import make_engine, session_maker

    today = local_today(settings)
    day = read_day(args.date, today) or today

    async def preview() -> str:
        db = make_engine(settings.database_url)
        try:
            found = await preview_day(session_maker(db), day=day, zone=settings.zone, now=SystemClock().now())
        except ValueError as error:
            raise CliError(_("--date: {problem}").format(problem=error)) from None
        finally:
            await db.dispose()
        return preview_text(found, settings.zone)

    print(asyncio.run(preview()))
    return 0
