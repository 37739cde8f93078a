"""Kabupaten profiles: who runs this Rumah UMKM, where, when, and which programmes it offers, from TOML.

A profile is read whole before it is judged: every missing or wrong field is reported at once, each with its
path and what is expected, so an operator fixes a file in one pass (see docs/profiles.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time
from functools import cache
from typing import Any, TypeVar

from core.aid import Aid, read_aid
from core.formatting import ZONE_ABBREVIATIONS
from core.programmes import regency_code, regional_programme
from core.rule_table import RuleFileError, Table, parse_table, read_package_file

PROGRAMME_KINDS = ("licensing", "tpakd", "aid", "partnership")
_ID = re.compile(r"[a-z][a-z0-9_]*")
T = TypeVar("T")


class ProfileError(RuleFileError):
    """A profile file has problems; `problems` lists every one, each naming its field path."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)


@dataclass(frozen=True)
class LocalProgramme:
    """A programme the Dinas runs besides credit: licensing help, TPAKD, aid or market partnerships."""

    id: str
    kind: str
    name: str
    summary: str
    source: str


@dataclass(frozen=True)
class Profile:
    """A kabupaten running the bot: its codes, time zone, secretariat, office hours, kecamatan and programmes."""

    id: str
    name: str
    regency_code: str
    province: str
    time_zone: str
    regional_programme: str | None
    secretariat_name: str
    secretariat_address: str
    address_is_example: bool
    office_weekdays: tuple[int, ...]
    office_opens: time
    office_closes: time
    kecamatan: tuple[str, ...]
    kecamatan_is_example: bool
    aliases: tuple[tuple[str, str], ...] = ()
    aliases_are_example: bool = True
    programmes: tuple[LocalProgramme, ...] = ()
    aid: tuple[Aid, ...] = ()


class _Problems:
    """Collects the problems of one file instead of stopping at the first."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def read(self, reader: Callable[[], T], fallback: Any = None) -> T:
        """Runs one read; on a problem, notes it and returns the fallback."""
        try:
            return reader()
        except RuleFileError as error:
            self.found.append(str(error))
            return fallback

    def close(self, *tables: Table) -> None:
        """Notes the unknown keys of each table."""
        for table in tables:
            self.found += table.unknown()


def fold(text: str) -> str:
    """Folds case, width, punctuation and spacing: ' Muara-Enim! ' -> 'muara enim'."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _squeezed(text: str) -> str:
    """Folds and drops spaces and a leading 'kecamatan', 'desa' or 'kelurahan': 'Desa Wana-Bakti' -> 'wanabakti'."""
    words = re.sub(r"^(?:kecamatan|kec|desa|kelurahan|kel|kota) ", "", fold(text))
    return words.replace(" ", "")


def kecamatan_for(place: str, profile: Profile) -> str | None:
    """The kecamatan a typed place lies in: a kecamatan's own name, or a town or village the profile lists."""
    key = _squeezed(place)
    if not key:
        return None
    for name in profile.kecamatan:
        if _squeezed(name) == key:
            return name
    return next((kecamatan for town, kecamatan in profile.aliases if _squeezed(town) == key), None)


def _weekdays(hours: Table) -> tuple[int, ...]:
    """Reads ISO weekday numbers, 1 (Senin) to 7 (Minggu)."""
    days = hours.raw("weekdays", list)
    if not days or not all(isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 7 for d in days):
        hours.fail(
            "weekdays", "expected a list of ISO weekday numbers 1 (Senin) to 7 (Minggu), e.g. [1, 2, 3, 4, 5]"
        )
    return tuple(days)


def _zone(t: Table) -> str:
    """Reads an Indonesian time zone."""
    zone = t.text("time_zone")
    return (
        zone
        if zone in ZONE_ABBREVIATIONS
        else t.fail("time_zone", f"expected one of {sorted(ZONE_ABBREVIATIONS)}")
    )


def _regional(t: Table, code: str | None) -> str | None:
    """Reads the optional regional credit programme and checks it belongs to this regency."""
    programme_id = t.raw("regional_programme", str, None)
    if programme_id is None:
        return None
    programme = regional_programme(programme_id)
    if code is not None and programme.regency_code != code:
        t.fail("regional_programme", f"{programme_id} is for regency {programme.regency_code}, not {code}")
    return programme_id


def _programme(t: Table, problems: _Problems) -> LocalProgramme | None:
    """Reads one [[programmes]] entry."""
    values = {
        key: problems.read(lambda key=key: t.text(key)) for key in ("id", "kind", "name", "summary", "source")
    }
    if values["id"] is not None and not _ID.fullmatch(values["id"]):
        problems.read(lambda: t.fail("id", "expected lowercase letters, digits and _ such as 'tpakd'"))
    if values["kind"] is not None and values["kind"] not in PROGRAMME_KINDS:
        problems.read(lambda: t.fail("kind", f"expected one of {PROGRAMME_KINDS}"))
    problems.close(t)
    return None if None in values.values() else LocalProgramme(**values)


def _aliases(kecamatan: Table, names: tuple[str, ...], problems: _Problems) -> tuple[tuple[str, str], ...]:
    """Reads [kecamatan.aliases]: town or village = the kecamatan it lies in, which must be on the list."""
    if "aliases" not in kecamatan.names():
        kecamatan.seen.add("aliases")
        return ()
    table = problems.read(lambda: kecamatan.table("aliases"), Table({}, "", "kecamatan.aliases."))
    pairs = []
    for town in table.names():
        target = problems.read(lambda town=town: table.text(town))
        if target is not None and names and target not in names:
            problems.read(lambda town=town: table.fail(town, "expected one of the names in kecamatan.names"))
        elif target is not None:
            pairs.append((town, target))
    return tuple(pairs)


def _aid(t: Table, problems: _Problems) -> tuple[Aid, ...]:
    """Reads the optional [[aid]] entries, each with its own id."""
    entries = problems.read(lambda: t.tables("aid"), []) if "aid" in t.names() else []
    t.seen.add("aid")
    aid = []
    for entry in entries:
        item = read_aid(entry, problems.read)
        problems.close(entry)
        if item is not None:
            aid.append(item)
    ids = [item.id for item in aid]
    if len(ids) != len(set(ids)):
        problems.read(lambda: t.fail("aid", "each aid needs its own id"))
    return tuple(aid)


def parse_profile(text: str, label: str, *, expected_id: str | None = None) -> Profile:
    """Builds a profile from TOML text; a ProfileError lists every problem, each naming its field path."""
    t = parse_table(text, label)
    problems = _Problems()
    read = problems.read

    def table(key: str) -> Table:
        return read(lambda: t.table(key), Table({}, label, f"{key}."))

    profile_id = read(lambda: t.text("id"))
    if profile_id is not None and expected_id is not None and profile_id != expected_id:
        read(lambda: t.fail("id", f"must equal the file name {expected_id!r}"))
    elif profile_id is not None and not _ID.fullmatch(profile_id):
        read(lambda: t.fail("id", "expected lowercase letters, digits and _ such as 'lebak'"))
    code = read(lambda: regency_code(t))
    secretariat, hours, kecamatan = table("secretariat"), table("office_hours"), table("kecamatan")
    names = read(lambda: kecamatan.strings("names"))
    fields = {
        "id": profile_id,
        "name": read(lambda: t.text("name")),
        "regency_code": code,
        "province": read(lambda: t.text("province")),
        "time_zone": read(lambda: _zone(t)),
        "regional_programme": read(lambda: _regional(t, code)),
        "secretariat_name": read(lambda: secretariat.text("name")),
        "secretariat_address": read(lambda: secretariat.text("address")),
        "address_is_example": read(lambda: secretariat.flag("address_is_example")),
        "office_weekdays": read(lambda: _weekdays(hours)),
        "office_opens": read(lambda: hours.clock("opens")),
        "office_closes": read(lambda: hours.clock("closes")),
        "kecamatan": names,
        "kecamatan_is_example": read(lambda: kecamatan.flag("is_example")),
        "aliases": _aliases(kecamatan, names or (), problems),
        "aliases_are_example": read(lambda: kecamatan.raw("aliases_are_example", bool, True)),
    }
    if names == ():
        read(lambda: kecamatan.fail("names", "expected a non-empty list of kecamatan names"))
    opens, closes = fields["office_opens"], fields["office_closes"]
    if opens is not None and closes is not None and opens >= closes:
        read(lambda: hours.fail("closes", "must be later than opens"))
    entries = read(lambda: t.tables("programmes"), []) if "programmes" in t.names() else []
    t.seen.add("programmes")
    programmes = tuple(_programme(entry, problems) for entry in entries)
    ids = [p.id for p in programmes if p is not None]
    if len(ids) != len(set(ids)):
        read(lambda: t.fail("programmes", "each programme needs its own id"))
    aid = _aid(t, problems)
    problems.close(secretariat, hours, kecamatan, t)
    if problems.found:
        raise ProfileError(problems.found)
    return Profile(**fields, programmes=programmes, aid=aid)


@cache
def load_profile(name: str = "muara_enim") -> Profile:
    """Loads a shipped kabupaten profile from core/profiles/<name>.toml."""
    return parse_profile(*read_package_file("profiles", name), expected_id=name)
