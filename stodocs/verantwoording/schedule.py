"""The STO calendar (docs/domein.md § 10) as data: what is due when, what comes next, and what it asks for.

Plain data and date arithmetic only; what is *missing* for a deadline is worked out in status.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..model import LAST_SPENDING_DAY, YEARS

WARN_DAYS = 60  # from this many days before a deadline, validate and status warn (also in CI)


@dataclass(frozen=True)
class Deadline:
    """One moment in the calendar.

    `kind` says what is due: 'plan' (a worked-out plan), 'voortgang' (a voortgangsrapportage),
    'einde' (spending ends), 'eindverslag', 'g2' (the jaarverslag with model G2) or 'dus-i' (an event
    on DUS-I's side, nothing for the region to deliver). `jaar` is the rapportage's folder year
    (rapportages/<jaar>/) or the G2's verslagjaar; 0 when neither applies.
    """

    datum: date
    key: str
    kind: str
    naam: str
    jaar: int = 0

    def days_from(self, today: date) -> int:
        return (self.datum - today).days


def _g2(verslagjaar: int) -> Deadline:
    # The jaarverslag (with model G2) is published before 1 July of the year after the verslagjaar.
    return Deadline(date(verslagjaar + 1, 7, 1), f"g2-{verslagjaar}", "g2",
                    f"jaarverslag {verslagjaar} van de penvoerder met de verantwoording in model G2", verslagjaar)


# The last verslagjaar with a G2: the year of the final vaststelling (after the eindverslag of 2029).
LAST_G2_YEAR = 2029

CALENDAR: tuple[Deadline, ...] = tuple(sorted((
    Deadline(date(2024, 10, 1), "aanvraag", "plan",
             "aanvraag: activiteitenplan en begroting op hoofdlijnen voor 2025-2028"),
    Deadline(date(2025, 1, 31), "beschikking", "dus-i", "beschikking van DUS-I voor de hele periode"),
    Deadline(date(2025, 4, 15), "plan-2025-2026", "plan", "uitgewerkt activiteitenplan en begroting 2025-2026"),
    Deadline(date(2026, 10, 1), "voortgang-2026", "voortgang",
             "eerste voortgangsrapportage en uitgewerkt plan en meerjarenbegroting 2027-2028", 2026),
    Deadline(date(2028, 10, 1), "voortgang-2028", "voortgang", "tweede voortgangsrapportage", 2028),
    Deadline(LAST_SPENDING_DAY, "einde-besteding", "einde",
             "einde bestedingsperiode: wat dan niet besteed is, wordt teruggevorderd"),
    Deadline(date(2029, 6, 1), "eindverslag", "eindverslag", "eindverslag", 2029),
    *(_g2(year) for year in (*YEARS, LAST_G2_YEAR)),
), key=lambda d: (d.datum, d.key)))

# The rapportages a region writes, by folder year: which deadline each one answers.
REPORT_DEADLINES = {d.jaar: d for d in CALENDAR if d.kind in ("voortgang", "eindverslag")}
REPORT_KINDS = {2026: "voortgangsrapportage", 2028: "voortgangsrapportage", 2029: "eindverslag"}
REPORT_TITLES = {"voortgangsrapportage": "Voortgangsrapportage", "eindverslag": "Eindverslag"}
REPORT_ARTICLES = {"voortgangsrapportage": "de", "eindverslag": "het"}  # "de voortgangsrapportage", "het eindverslag"


def upcoming(today: date) -> list[Deadline]:
    """Return the deadlines on or after `today`, soonest first."""
    return [d for d in CALENDAR if d.datum >= today]


def next_deadline(today: date) -> Deadline | None:
    """Return the first deadline on or after `today` that asks something of the region, or None after the last."""
    return next((d for d in upcoming(today) if d.kind != "dus-i"), None)


def due_soon(today: date, days: int = WARN_DAYS) -> list[Deadline]:
    """Return the region's deadlines within `days` from `today` (today included)."""
    return [d for d in upcoming(today) if d.kind != "dus-i" and d.datum <= today + timedelta(days=days)]
