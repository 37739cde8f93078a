"""`umkm profile check FILE`: an operator checks a kabupaten profile before pointing UMKM_PROFILE at it."""

from __future__ import annotations

import sys

from bot.settings import profile_from_file
from core.explain import regional_for
from core.formatting import zone_abbreviation
from core.i18n import _
from core.kabupaten import Profile
from core.programme_info import office_days
from core.rule_table import RuleFileError


def summary(profile: Profile) -> str:
    """What the bot will use from a valid profile, one fact a line."""
    example = _(" (example)")
    regional = regional_for(profile)
    credit = ["KUR", *([regional.name] if regional else [])]
    lines = [
        _("Profile is valid: {name} ({id}), regency code {code}, {province}.").format(
            name=profile.name, id=profile.id, code=profile.regency_code, province=profile.province
        ),
        _("Office hours: {days}, {opens}–{closes} {zone} ({time_zone}).").format(
            days=office_days(profile.office_weekdays),
            opens=f"{profile.office_opens:%H.%M}",
            closes=f"{profile.office_closes:%H.%M}",
            zone=zone_abbreviation(profile.time_zone),
            time_zone=profile.time_zone,
        ),
        _("Secretariat: {name}, {address}").format(
            name=profile.secretariat_name, address=profile.secretariat_address
        )
        + (example if profile.address_is_example else ""),
        _("Kecamatan: {count}").format(count=len(profile.kecamatan))
        + (example if profile.kecamatan_is_example else "")
        + "; "
        + _("other place names: {count}").format(count=len(profile.aliases))
        + (example if profile.aliases and profile.aliases_are_example else ""),
        _("Credit: {credit}").format(credit=", ".join(credit)),
        _("Dinas programmes: {programmes}").format(
            programmes=", ".join(f"{p.name} ({p.kind})" for p in profile.programmes) or "-"
        ),
        _("Aid to apply for in the chat: {aid}").format(
            aid=", ".join(f"{a.name} ({a.kind}, {a.period.key})" for a in profile.aid) or "-"
        ),
    ]
    return "\n".join(lines)


def check(path: str) -> int:
    """Prints the summary of a valid profile (exit 0), or every problem of a broken one (exit 2)."""
    try:
        profile = profile_from_file(path)
    except RuleFileError as error:
        problems = str(error).splitlines()
        header = _("The profile {file} has {count} problem(s); fix them and check again:")
        print(header.format(file=path, count=len(problems)), file=sys.stderr)
        print("\n".join(f"- {problem}" for problem in problems), file=sys.stderr)
        return 2
    print(summary(profile))
    return 0
