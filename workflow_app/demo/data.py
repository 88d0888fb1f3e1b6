"""Reading and checking the demo data files (workflow_app/data/demo/*.toml).

Pure: no database. Every problem is reported with the file, the entry and the reason, and
nothing is loaded when a file is broken. See workflow_app/data/demo/README.md.
"""

from __future__ import annotations

import base64
import binascii
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from workflow_app.accounts.service import passwords
from workflow_app.config import DATA_DIR
from workflow_app.models.org import CLUSTER_KINDS, UNIT_KINDS
from workflow_app.models.user import ROLES

DEMO_DIR = DATA_DIR / "demo"
YEAR_MIN, YEAR_MAX = 1945, 2200


class DemoDataError(ValueError):
    """A demo data file is broken; the message names the file, the entry and the reason."""

    def __init__(self, file: str, entry: str, reason: str):
        super().__init__(f"{file}: {entry}: {reason}")


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    name_en: str
    kind: str
    parent: str | None
    symbol: str
    founding_ground: str = ""
    head_title: str = ""


@dataclass(frozen=True)
class PersonSpec:
    unit: str
    name: str
    position: str
    is_leader: bool
    born: date | None
    national_id: str | None


@dataclass(frozen=True)
class ClusterYearSpec:
    year: int
    members: tuple[str, ...]
    head: str | None
    deputy: str | None


@dataclass(frozen=True)
class ClusterSpec:
    code: str
    name: str
    name_en: str
    kind: str
    organiser: str
    years: tuple[ClusterYearSpec, ...]


@dataclass(frozen=True)
class AccountSpec:
    username: str
    password: str
    person: tuple[str, str]  # (unit code, name)
    grants: tuple[tuple[str, str], ...]  # (role, unit code)
    totp_secret: str | None


@dataclass(frozen=True)
class DemoData:
    units: tuple[UnitSpec, ...]
    persons: tuple[PersonSpec, ...]
    clusters: tuple[ClusterSpec, ...]
    accounts: tuple[AccountSpec, ...]


class _Reader:
    """Typed access to one TOML entry, failing with the file and entry named."""

    def __init__(self, file: str, entry: str, raw: dict, allowed: set[str]):
        self.file, self.entry, self.raw = file, entry, raw
        unknown = set(raw) - allowed - {"demo", "seed"}
        if unknown:
            self.fail(f"unknown key(s) {', '.join(sorted(unknown))}")

    def fail(self, reason: str):
        raise DemoDataError(self.file, self.entry, reason)

    def text(self, key: str, *, required: bool = True, max_len: int = 255) -> str:
        value = self.raw.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(f"'{key}' must be a non-empty string")
        if len(value) > max_len:
            self.fail(f"'{key}' is longer than {max_len} characters")
        return value.strip()

    def optional(self, key: str) -> str | None:
        if key not in self.raw:
            return None
        return self.text(key, required=False) or None


def _read(path: Path, key: str) -> list[dict]:
    try:
        with path.open("rb") as handle:
            entries = tomllib.load(handle).get(key, [])
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DemoDataError(path.name, "file", str(exc)) from exc
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise DemoDataError(path.name, key, f"expected a list of [[{key}]] tables")
    return entries


def _units(path: Path) -> tuple[UnitSpec, ...]:
    specs: dict[str, UnitSpec] = {}
    for index, raw in enumerate(_read(path, "unit"), 1):
        r = _Reader(path.name, f"unit #{index} ({raw.get('code', '?')})", raw,
                    {"code", "name", "name_en", "kind", "parent", "symbol", "founding_ground",
                     "head_title"})
        code = r.text("code", max_len=40)
        if code in specs:
            r.fail("duplicate code")
        kind = r.text("kind")
        if kind not in UNIT_KINDS:
            r.fail(f"unknown kind '{kind}' (one of {', '.join(UNIT_KINDS)})")
        parent = r.optional("parent")
        if parent is not None and parent not in specs:
            r.fail(f"parent '{parent}' is not defined above")
        specs[code] = UnitSpec(code, r.text("name"), r.text("name_en", required=False), kind,
                               parent, r.text("symbol", required=False, max_len=20),
                               r.text("founding_ground", required=False, max_len=1000),
                               r.text("head_title", required=False, max_len=255))
    return tuple(specs.values())


def _persons(path: Path, unit_codes: set[str]) -> tuple[PersonSpec, ...]:
    specs: list[PersonSpec] = []
    seen: set[tuple[str, str]] = set()
    ids: set[str] = set()
    for index, raw in enumerate(_read(path, "person"), 1):
        r = _Reader(path.name, f"person #{index} ({raw.get('name', '?')})", raw,
                    {"unit", "name", "position", "leader", "born", "national_id"})
        unit, name = r.text("unit"), r.text("name", max_len=120)
        if unit not in unit_codes:
            r.fail(f"unknown unit '{unit}'")
        if (unit, name) in seen:
            r.fail("the same name twice in one unit")
        seen.add((unit, name))
        born = raw.get("born")
        if born is not None and (not isinstance(born, date) or born >= date.today()):
            r.fail("'born' must be a past date such as 1980-05-17")
        national_id = r.optional("national_id")
        if national_id is not None:
            if not (national_id.isdigit() and len(national_id) == 12) or national_id in ids:
                r.fail("'national_id' must be 12 digits and unique")
            ids.add(national_id)
        leader = raw.get("leader", False)
        if not isinstance(leader, bool):
            r.fail("'leader' must be true or false")
        specs.append(PersonSpec(unit, name, r.text("position", required=False, max_len=160),
                                leader, born, national_id))
    return tuple(specs)


def _cluster_year(r: _Reader, raw: dict, default_members: list, unit_codes: set[str]):
    y = _Reader(r.file, f"{r.entry} year {raw.get('year', '?')}", raw,
                {"year", "members", "head", "deputy"})
    year = raw.get("year")
    if not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        y.fail(f"'year' must be a number between {YEAR_MIN} and {YEAR_MAX}")
    members = raw.get("members", default_members)
    if not isinstance(members, list) or not members or len(set(members)) != len(members):
        y.fail("'members' must be a non-empty list of distinct unit codes")
    for code in members:
        if code not in unit_codes:
            y.fail(f"unknown member unit '{code}'")
    head, deputy = y.optional("head"), y.optional("deputy")
    for label, code in (("head", head), ("deputy", deputy)):
        if code is not None and code not in members:
            y.fail(f"the {label} '{code}' is not a member")
    if head is not None and head == deputy:
        y.fail("the head and the deputy must be different units")
    return ClusterYearSpec(year, tuple(members), head, deputy)


def _clusters(path: Path, unit_codes: set[str]) -> tuple[ClusterSpec, ...]:
    specs: dict[str, ClusterSpec] = {}
    for index, raw in enumerate(_read(path, "cluster"), 1):
        r = _Reader(path.name, f"cluster #{index} ({raw.get('code', '?')})", raw,
                    {"code", "name", "name_en", "kind", "organiser", "members", "year"})
        code, kind, organiser = r.text("code", max_len=40), r.text("kind"), r.text("organiser")
        if code in specs:
            r.fail("duplicate code")
        if kind not in CLUSTER_KINDS:
            r.fail(f"unknown kind '{kind}' (one of {', '.join(CLUSTER_KINDS)})")
        if organiser not in unit_codes:
            r.fail(f"unknown organiser unit '{organiser}'")
        years = tuple(_cluster_year(r, y, raw.get("members", []), unit_codes)
                      for y in raw.get("year", []))
        if len({y.year for y in years}) != len(years):
            r.fail("a year is listed twice")
        specs[code] = ClusterSpec(code, r.text("name"), r.text("name_en", required=False),
                                  kind, organiser, years)
    return tuple(specs.values())


def _valid_base32(secret: str) -> bool:
    try:
        base64.b32decode(secret, casefold=False)
    except (binascii.Error, ValueError):
        return False
    return len(secret) >= 16


def _accounts(path: Path, unit_codes: set[str],
              persons: set[tuple[str, str]]) -> tuple[AccountSpec, ...]:
    specs: dict[str, AccountSpec] = {}
    for index, raw in enumerate(_read(path, "account"), 1):
        r = _Reader(path.name, f"account #{index} ({raw.get('username', '?')})", raw,
                    {"username", "password", "person", "grants", "totp_secret"})
        username, password = r.text("username", max_len=64), r.text("password", max_len=256)
        if username in specs:
            r.fail("duplicate username")
        if len(password) < passwords.MIN_LENGTH:
            r.fail(f"the password needs at least {passwords.MIN_LENGTH} characters")
        person = tuple(raw.get("person", ()))
        if person not in persons:
            r.fail(f"'person' {list(person)} is not a [unit, name] of persons.toml")
        grants = []
        for grant in raw.get("grants", []):
            role, unit = grant.get("role"), grant.get("unit")
            if role not in ROLES or unit not in unit_codes:
                r.fail(f"bad grant {grant}: role must be one of {', '.join(ROLES)} "
                       "and unit a known code")
            grants.append((role, unit))
        if not grants:
            r.fail("an account needs at least one grant")
        secret = r.optional("totp_secret")
        if secret is not None and not _valid_base32(secret):
            r.fail("'totp_secret' must be base32 (A–Z, 2–7), at least 16 characters")
        specs[username] = AccountSpec(username, password, person, tuple(grants), secret)
    return tuple(specs.values())


def read_demo_data(directory: Path = DEMO_DIR) -> DemoData:
    """Read and cross-check the four demo files; raise DemoDataError on the first problem."""
    units = _units(directory / "units.toml")
    codes = {u.code for u in units}
    persons = _persons(directory / "persons.toml", codes)
    clusters = _clusters(directory / "clusters.toml", codes)
    accounts = _accounts(directory / "accounts.toml", codes, {(p.unit, p.name) for p in persons})
    return DemoData(units, persons, clusters, accounts)
