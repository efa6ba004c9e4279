"""The realisatie as frozen dataclasses, and all its arithmetic. No I/O here.

Built from schema-valid data only (files under content/<regio>/realisatie/); references to
budget lines, partners and medewerkers stay ids, checked by administratie.validate.

The rules, from docs/domein.md § 8 (depreciation) and § 9 (hours and rates):
- jaartaak: 1659 klokuren × wtf for a whole schooljaar, pro rata by days for part of one;
- loonkosten = uren × uurtarief, to the cent;
- depreciation: (aanschafwaarde − restwaarde) × % STO, spread over the afschrijvingsperiode by
  the month from the month of the factuurdatum; only months 2025-01 up to 2028-12 count.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cached_property
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..load import REALISATIE_FILES, Loaded, RegionFiles
from ..model import CATEGORIES, CENT, YEARS, Budget, Place, Totals, money, number, place_finder

FOLDER = "realisatie"
FILES = REALISATIE_FILES

NORMJAARTAAK = Decimal("1659")  # klokuren of a full-time (wtf 1.0) jaartaak, CAO VO
HOUR = Decimal("0.1")
FIRST_MONTH = (2025, 1)
LAST_MONTH = (2028, 12)
FIRST_DAY = date(2025, 1, 1)
LAST_DAY = date(2028, 12, 31)
# Which budget-line categories each kind of realisatie may be charged to.
FITTING_CATEGORIES = {
    "jaartaak": ("personeel-intern",),
    "verklaring": ("personeel-intern",),
    "afschrijving": ("afschrijvingen",),
    "kosten": ("personeel-extern", "materiele-kosten", "overige-kosten"),
    "cofinanciering": tuple(CATEGORIES),
}
SOURCES = {  # kind of posting -> how a statement or report names it
    "jaartaak": "inzet onderwijzend personeel (Bijlage 1 en 4)",
    "verklaring": "inzet niet-onderwijzend personeel (Bijlage 2 en 4)",
    "afschrijving": "afschrijvingen (Bijlage 6)",
    "kosten": "kosten op factuur",
    "natura": "cofinanciering in natura",
}


def hours(value: Decimal) -> Decimal:
    """Round hours to a tenth, half up: the precision of a jaartaak."""
    return value.quantize(HOUR, rounding=ROUND_HALF_UP)


def cents(value: Decimal) -> Decimal:
    """Round money to the cent, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def months_between(first: tuple[int, int], last: tuple[int, int]) -> int:
    """Return the number of months from `first` to `last`, both included (0 when last < first)."""
    return max(0, month_index(*last) - month_index(*first) + 1)


def last_whole_month(day: date) -> tuple[int, int]:
    """Return the last month that has ended on `day`: its own month on its last day, else the month before."""
    if (day + timedelta(days=1)).month != day.month:
        return (day.year, day.month)
    return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)


@dataclass(frozen=True)
class Schooljaar:
    """A schooljaar '2025-2026': 1 August of the first year up to and including 31 July of the next."""

    naam: str

    @property
    def first_year(self) -> int:
        return int(self.naam[:4])

    @property
    def start(self) -> date:
        return date(self.first_year, 8, 1)

    @property
    def end(self) -> date:
        return date(self.first_year + 1, 7, 31)

    @property
    def valid(self) -> bool:
        return int(self.naam[5:]) == self.first_year + 1

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def years(self) -> tuple[int, int]:
        return (self.first_year, self.first_year + 1)


def overlap(start: date, end: date, year: int) -> tuple[date, date] | None:
    """Return the part of start..end inside calendar `year`, or None."""
    first, last = max(start, date(year, 1, 1)), min(end, date(year, 12, 31))
    return (first, last) if first <= last else None


@dataclass(frozen=True)
class Medewerker:
    id: str
    naam: str
    functie: str
    partner: str
    place: Place


@dataclass(frozen=True)
class Periode:
    """One row of a jaartaak's aanstelling, uitbreiding or verlof: wtf over part of the schooljaar."""

    soort: str
    wtf: Decimal
    van: date
    tot_en_met: date
    place: Place

    def klokuren(self, schooljaar: Schooljaar) -> Decimal:
        """1659 × wtf, pro rata for the days of the schooljaar this row covers, to a tenth of an hour."""
        first, last = max(self.van, schooljaar.start), min(self.tot_en_met, schooljaar.end)
        days = max(0, (last - first).days + 1)
        return hours(NORMJAARTAAK * self.wtf * days / schooljaar.days)


@dataclass(frozen=True)
class Taak:
    omschrijving: str
    uren: Decimal
    place: Place


@dataclass(frozen=True)
class Inzet:
    """STO hours of one person charged to one budget line: loonkosten = uren × uurtarief, rounded to the
    cent (half up), as a spreadsheet would: 150,25 uur × € 54,70 = € 8.218,675 → € 8.218,68.

    `opgegeven` is the loonkosten the user wrote, if any (checked against that, to the cent).
    """

    regel: str
    uren: Decimal
    uurtarief: Decimal
    opgegeven: Decimal | None
    place: Place

    @property
    def product(self) -> Decimal:
        return self.uren * self.uurtarief

    @property
    def loonkosten(self) -> Decimal:
        return cents(self.product)


@dataclass(frozen=True)
class Jaartaak:
    """Bijlage 1: one teacher's jaartaak in one schooljaar, with the STO hours it leaves room for.

    All hour figures are derived here; the file holds only what the user knows.
    """

    id: str
    medewerker: str
    schooljaar: Schooljaar
    aanstelling: tuple[Periode, ...]
    uitbreiding: tuple[Periode, ...]
    verlof: tuple[Periode, ...]
    algemene_schooltaken: Decimal
    deskundigheidsbevordering: Decimal
    ontwikkeltijd: Decimal
    saldo_vorig_jaar: Decimal
    verlichting_lessen: Decimal
    lessen: Decimal
    lesgebonden_taken: tuple[Taak, ...]
    overige_taken: tuple[Taak, ...]
    uurtarief: Decimal
    jaarsalaris: Decimal | None
    sto: tuple[Inzet, ...]
    place: Place
    cut: date | None = None  # set by cut_off: the STO hours count only up to this day

    @property
    def betrekking(self) -> Decimal:
        s = self.schooljaar
        return (sum((p.klokuren(s) for p in self.aanstelling + self.uitbreiding), Decimal(0))
                - sum((p.klokuren(s) for p in self.verlof), Decimal(0)))

    @property
    def inzetbaar(self) -> Decimal:
        return self.betrekking - self.algemene_schooltaken - self.deskundigheidsbevordering - self.ontwikkeltijd

    @property
    def beschikbaar(self) -> Decimal:
        """Beschikbaar voor lessen en taken."""
        return self.inzetbaar + self.saldo_vorig_jaar - self.verlichting_lessen

    @property
    def lesgebonden_uren(self) -> Decimal:
        return sum((t.uren for t in self.lesgebonden_taken), Decimal(0))

    @property
    def overige_uren(self) -> Decimal:
        return sum((t.uren for t in self.overige_taken), Decimal(0))

    @property
    def sto_uren(self) -> Decimal:
        return sum((i.uren for i in self.sto), Decimal(0))

    @property
    def inzet_taken(self) -> Decimal:
        """All tasks, STO included."""
        return self.lesgebonden_uren + self.overige_uren + self.sto_uren

    @property
    def vrij_voor_sto(self) -> Decimal:
        """What the jaartaak leaves for STO after lessons and the other tasks."""
        return self.beschikbaar - self.lessen - self.lesgebonden_uren - self.overige_uren

    @property
    def saldo(self) -> Decimal:
        return self.beschikbaar - self.lessen - self.inzet_taken

    @property
    def loonkosten(self) -> Decimal:
        return sum((i.loonkosten for i in self.sto), Decimal("0.00"))

    @property
    def werkelijk_uurtarief(self) -> Decimal | None:
        """Jaarsalaris incl. werkgeverslasten per klokuur of the betrekking, to the cent; None without a salary.

        For a whole schooljaar at one wtf that is jaarsalaris / (1659 × wtf); a wtf that changes during
        the year, an uitbreiding or a verlof count by their share of the year.
        """
        if self.jaarsalaris is None or self.betrekking <= 0:
            return None
        return cents(self.jaarsalaris / self.betrekking)

    @property
    def start(self) -> date:
        return self.schooljaar.start

    @property
    def end(self) -> date:
        """The last day the STO hours count: the schooljaar's end, or the cut-off before it."""
        return min(self.schooljaar.end, self.cut) if self.cut else self.schooljaar.end


@dataclass(frozen=True)
class Verklaring:
    """Bijlage 2: the inzet of a staff member without a normjaartaak, in one of the seed's three cases.

    Exactly one of `uitbreiding` (fte), `aangeworven` (date) or `vervangen_per` (date, with
    `vervanger`) holds in valid content.
    """

    id: str
    medewerker: str
    van: date
    tot_en_met: date
    werkzaamheden: str
    ondertekenaar_naam: str
    ondertekenaar_functie: str
    uitbreiding: Decimal | None
    aangeworven: date | None
    vervangen_per: date | None
    vervanger: str
    uurtarief: Decimal
    sto: tuple[Inzet, ...]
    place: Place

    @property
    def geval(self) -> str:
        """'a', 'b' or 'c', after the seed's Bijlage 2 (the first that is given)."""
        if self.uitbreiding is not None:
            return "a"
        if self.aangeworven is not None:
            return "b"
        return "c"

    @property
    def sto_uren(self) -> Decimal:
        return sum((i.uren for i in self.sto), Decimal(0))

    @property
    def loonkosten(self) -> Decimal:
        return sum((i.loonkosten for i in self.sto), Decimal("0.00"))

    @property
    def start(self) -> date:
        return self.van

    @property
    def end(self) -> date:
        return self.tot_en_met


@dataclass(frozen=True)
class Afschrijving:
    """Bijlage 6: one machine or apparatus, charged by the month.

    The amount to depreciate is (aanschafwaarde − restwaarde) × percentage_sto / 100, rounded to
    the cent. Each month of the period charges that amount / afschrijvingsperiode, rounded to the
    cent; the period's last month takes the rest, so the whole period charges exactly the amount.
    Months outside 2025-01…2028-12 are never charged to STO.
    """

    id: str
    leverancier: str
    factuurnummer: str
    factuurdatum: date
    omschrijving: str
    aanschafwaarde: Decimal
    afschrijvingsperiode: int
    restwaarde: Decimal
    percentage_sto: Decimal
    partner: str
    regels: tuple[str, ...]
    toelichting: str
    place: Place

    @property
    def af_te_schrijven(self) -> Decimal:
        return cents((self.aanschafwaarde - self.restwaarde) * self.percentage_sto / 100)

    @property
    def per_maand(self) -> Decimal:
        return cents(self.af_te_schrijven / self.afschrijvingsperiode) if self.afschrijvingsperiode > 0 else Decimal("0.00")

    @property
    def first_month(self) -> tuple[int, int]:
        return (self.factuurdatum.year, self.factuurdatum.month)

    @property
    def last_month(self) -> tuple[int, int]:
        i = month_index(*self.first_month) + max(self.afschrijvingsperiode, 1) - 1
        return (i // 12, i % 12 + 1)

    def charges(self) -> dict[tuple[int, int], Decimal]:
        """Return the charge of every month of the period inside 2025-01…2028-12, by (year, month)."""
        return dict(self._schedule)

    @cached_property
    def _schedule(self) -> tuple[tuple[tuple[int, int], Decimal], ...]:
        period = self.afschrijvingsperiode
        if period <= 0:
            return ()
        monthly, total = self.per_maand, self.af_te_schrijven
        last_charge = total - monthly * (period - 1)
        first = month_index(*self.first_month)
        # Only the months inside 2025-01…2028-12 are walked, however long the period.
        begin = max(0, month_index(*FIRST_MONTH) - first)
        end = min(period, month_index(*LAST_MONTH) - first + 1)
        out = []
        for k in range(begin, end):
            year, month = divmod(first + k, 12)
            out.append(((year, month + 1), last_charge if k == period - 1 else monthly))
        return tuple(out)

    def charged(self, until: tuple[int, int] = LAST_MONTH) -> dict[int, Decimal]:
        """Return the charge per year of the months up to and including `until`."""
        out: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
        for (year, month), amount in self._schedule:
            if (year, month) <= until:
                out[year] += amount
        return dict(sorted(out.items()))

    @property
    def subsidiabel(self) -> Decimal:
        """The part charged inside 2025-01…2028-12."""
        return sum((amount for _, amount in self._schedule), Decimal("0.00"))

    @property
    def niet_subsidiabel(self) -> Decimal:
        """The part of the amount to depreciate that falls outside the project and is never charged."""
        return self.af_te_schrijven - self.subsidiabel

    def regel_for(self, year: int, budget: Budget) -> str | None:
        """Return the listed budget line of `year`, or None."""
        lines = budget.lines_by_id
        return next((r for r in self.regels if r in lines and lines[r].jaar == year), None)


@dataclass(frozen=True)
class Kosten:
    """A cost on an invoice: leverancier, factuurnummer, factuurdatum, bedrag (incl. btw)."""

    id: str
    regel: str
    leverancier: str
    factuurnummer: str
    factuurdatum: date
    omschrijving: str
    bedrag: Decimal
    partner: str
    place: Place


@dataclass(frozen=True)
class Cofinanciering:
    """Cofinanciering received from a partner: in cash ('geld') or in kind ('natura').

    In kind it is also a realised cost of the line (the partner bore it); in cash it only pays
    for costs booked elsewhere.
    """

    id: str
    partner: str
    regel: str
    datum: date
    vorm: str
    bedrag: Decimal
    omschrijving: str
    place: Place


@dataclass(frozen=True)
class Voorschot:
    id: str
    datum: date
    bedrag: Decimal
    kenmerk: str
    omschrijving: str
    place: Place


@dataclass(frozen=True)
class Beschikking:
    kenmerk: str
    datum: date
    bedrag: Decimal
    place: Place


@dataclass(frozen=True)
class Toelichting:
    regel: str
    tekst: str
    place: Place


@dataclass(frozen=True)
class Post:
    """One amount on one budget line in one year: the ledger every total is summed from.

    `kosten` is the realised cost; `cofinanciering` the part a partner paid or bore.
    `bron` is a key of SOURCES; `ref` the id of the entry it comes from.
    """

    regel: str
    jaar: int  # invoices and cofinanciering: the year of their date; hours: the year of their budget line
    bron: str
    ref: str
    kosten: Decimal
    cofinanciering: Decimal

    @property
    def totals(self) -> Totals:
        return Totals(self.kosten, self.kosten - self.cofinanciering, self.cofinanciering)


@dataclass(frozen=True)
class Realisatie:
    """A region's projectadministratie: what was spent, charged and received, each on a budget line.

    `peildatum` is the day up to which the administratie is complete; years that ended on or
    before it are closed. Depreciation counts the months up to the peildatum.
    """

    peildatum: date | None
    medewerkers: tuple[Medewerker, ...]
    jaartaken: tuple[Jaartaak, ...]
    verklaringen: tuple[Verklaring, ...]
    afschrijvingen: tuple[Afschrijving, ...]
    kosten: tuple[Kosten, ...]
    cofinanciering: tuple[Cofinanciering, ...]
    beschikking: Beschikking | None
    voorschotten: tuple[Voorschot, ...]
    toelichtingen: tuple[Toelichting, ...]
    place: Place  # verantwoording.yaml, where the peildatum and the toelichtingen are written
    files: tuple[str, ...] = ()  # the names of the administratie's files that are there (personeel.yaml, ...)

    @property
    def medewerkers_by_id(self) -> dict[str, Medewerker]:
        return {m.id: m for m in self.medewerkers}

    @property
    def toelichting_by_regel(self) -> dict[str, Toelichting]:
        return {t.regel: t for t in self.toelichtingen}

    @property
    def until(self) -> tuple[int, int]:
        """The last month of depreciation that counts: the last month ended on the peildatum, at most 2028-12."""
        if self.peildatum is None:
            return LAST_MONTH
        return min(last_whole_month(self.peildatum), LAST_MONTH)

    @property
    def closed_years(self) -> tuple[int, ...]:
        """Years of the project that ended on or before the peildatum."""
        if self.peildatum is None:
            return ()
        return tuple(y for y in YEARS if date(y, 12, 31) <= self.peildatum)

    def posts(self, budget: Budget) -> tuple[Post, ...]:
        """Return every realised amount as a Post, in file order."""
        lines = budget.lines_by_id
        zero = Decimal("0.00")

        def year_of(regel: str, fallback: int) -> int:
            return lines[regel].jaar if regel in lines else fallback

        out = []
        for person in self.jaartaken + self.verklaringen:
            bron = "jaartaak" if isinstance(person, Jaartaak) else "verklaring"
            for inzet in person.sto:
                out.append(Post(inzet.regel, year_of(inzet.regel, person.start.year), bron, person.id,
                                inzet.loonkosten, zero))
        for asset in self.afschrijvingen:
            for year, amount in asset.charged(self.until).items():
                out.append(Post(asset.regel_for(year, budget) or "", year, "afschrijving", asset.id, amount, zero))
        for cost in self.kosten:
            out.append(Post(cost.regel, cost.factuurdatum.year, "kosten", cost.id, cost.bedrag, zero))
        for co in self.cofinanciering:
            kosten = co.bedrag if co.vorm == "natura" else zero
            out.append(Post(co.regel, co.datum.year, "natura" if co.vorm == "natura" else "geld",
                            co.id, kosten, co.bedrag))
        return tuple(out)

    def by(self, budget: Budget, key) -> dict[Any, Totals]:
        """Return realised totals grouped by `key(post, line)` (line None for an unknown regel), sorted."""
        lines = budget.lines_by_id
        groups: dict[Any, Totals] = defaultdict(Totals)
        for post in self.posts(budget):
            groups[key(post, lines.get(post.regel))] += post.totals
        return {k: groups[k] for k in sorted(groups, key=str)}

    def by_line(self, budget: Budget) -> dict[str, Totals]:
        """Realised totals per budget line id, for every line of the budget (zero where nothing was spent)."""
        found = self.by(budget, lambda post, line: post.regel)
        return {line.id: found.get(line.id, Totals()) for line in budget.lines}

    def by_year(self, budget: Budget) -> dict[int, Totals]:
        found = self.by(budget, lambda post, line: post.jaar)
        return {year: found.get(year, Totals()) for year in YEARS}

    def by_category(self, budget: Budget) -> dict[str, Totals]:
        found = self.by(budget, lambda post, line: line.categorie if line else "")
        return {c: found.get(c, Totals()) for c in CATEGORIES}

    def by_activity(self, budget: Budget) -> dict[str, Totals]:
        return self.by(budget, lambda post, line: line.activiteit if line else "")

    def totals(self, budget: Budget) -> Totals:
        out = Totals()
        for post in self.posts(budget):
            out += post.totals
        return out

    def cofinanciering_by_partner(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
        for co in self.cofinanciering:
            out[co.partner] += co.bedrag
        return dict(sorted(out.items()))

    @property
    def ontvangen_subsidie(self) -> Decimal:
        return sum((v.bedrag for v in self.voorschotten), Decimal("0.00"))

    def ontvangen_subsidie_by_year(self) -> dict[int, Decimal]:
        out = {year: Decimal("0.00") for year in YEARS}
        for v in self.voorschotten:
            out[v.datum.year] = out.get(v.datum.year, Decimal("0.00")) + v.bedrag
        return out

    def inzet_rows(self, budget: Budget) -> dict[tuple[str, int], tuple["InzetRow", ...]]:
        """Return Bijlage 4's rows per (partner of the medewerker, year of the budget line), sorted.

        One row per person's hours on one budget line; its period is the person's period inside
        that year.
        """
        lines = budget.lines_by_id
        people = self.medewerkers_by_id
        groups: dict[tuple[str, int], list[InzetRow]] = defaultdict(list)
        for person in self.jaartaken + self.verklaringen:
            medewerker = people.get(person.medewerker)
            if medewerker is None:
                continue
            for inzet in person.sto:
                year = lines[inzet.regel].jaar if inzet.regel in lines else person.start.year
                period = overlap(person.start, person.end, year) or (person.start, person.end)
                groups[(medewerker.partner, year)].append(
                    InzetRow(medewerker, person.id, period[0], period[1], inzet))
        return {key: tuple(groups[key]) for key in sorted(groups)}


@dataclass(frozen=True)
class InzetRow:
    """One row of Bijlage 4: a person's STO hours on one budget line within one period."""

    medewerker: Medewerker
    bron: str  # id of the jaartaak or verklaring
    van: date
    tot_en_met: date
    inzet: Inzet


# --- the cut-off: one rule for every figure -------------------------------------------------

def _pro_rata(person: "Jaartaak | Verklaring", day: date, budget: Budget) -> tuple[Inzet, ...]:
    """Return the person's STO hours that fall on or before `day`, each line's hours spread evenly over its days.

    The hours on a budget line of year Y belong to the days of the person's period inside Y (the
    whole period when the line's year is unknown or outside it); the part up to `day` counts, to a
    tenth of an hour, and its loonkosten are those hours × uurtarief.
    """
    lines = budget.lines_by_id
    out = []
    for inzet in person.sto:
        year = lines[inzet.regel].jaar if inzet.regel in lines else person.start.year
        first, last = overlap(person.start, person.end, year) or (person.start, person.end)
        if day >= last:
            out.append(inzet)
        elif day >= first:
            counted = Decimal((day - first).days + 1) / Decimal((last - first).days + 1)
            out.append(replace(inzet, uren=hours(inzet.uren * counted), opgegeven=None))
    return tuple(i for i in out if i.uren > 0)


def cut_off(realisatie: Realisatie, day: date | None, budget: Budget) -> Realisatie:
    """Return the administratie as it stood at the end of `day`: what is dated after it is left out.

    The one cut-off rule of stodocs (docs/verantwoording.md, "Eén peildatum voor elk bedrag"); a
    rapportage, model G2, the statements, `status` and the forecast all take their figures from it:
    - an invoice, a cofinanciering and a voorschot count when dated on or before `day`;
    - depreciation counts the months that have ended by `day` (30 November: up to November;
      15 November: up to October), and only for assets invoiced by `day`;
    - a verklaring or a jaartaak that runs past `day` counts pro rata by days: the hours on a budget
      line of year Y are spread evenly over the period's days in Y, and the days up to `day` count.
      A jaartaak or verklaring that starts after `day` does not count at all.
    The result's peildatum is the earlier of `day` and the administratie's own peildatum. Cutting
    twice at the same day changes nothing; `day` None returns the administratie unchanged.
    """
    if day is None:
        return realisatie
    peildatum = min(realisatie.peildatum, day) if realisatie.peildatum is not None else day
    jaartaken = tuple(
        j if not j.schooljaar.valid or j.end <= day else replace(j, sto=_pro_rata(j, day, budget), cut=day)
        for j in realisatie.jaartaken if not j.schooljaar.valid or j.start <= day)
    verklaringen = tuple(
        v if v.end <= day else replace(v, sto=_pro_rata(v, day, budget), tot_en_met=day)
        for v in realisatie.verklaringen if v.start <= day)
    return replace(
        realisatie, peildatum=peildatum, jaartaken=jaartaken, verklaringen=verklaringen,
        afschrijvingen=tuple(a for a in realisatie.afschrijvingen if a.factuurdatum <= day),
        kosten=tuple(k for k in realisatie.kosten if k.factuurdatum <= day),
        cofinanciering=tuple(c for c in realisatie.cofinanciering if c.datum <= day),
        voorschotten=tuple(v for v in realisatie.voorschotten if v.datum <= day))


# --- construction from validated data -------------------------------------------------

def _day(value: Any) -> date:
    return date.fromisoformat(value)


def _maybe_day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _hours(value: Any) -> Decimal:
    return Decimal(0) if value is None else number(value)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _items(loaded: Loaded | None, key: str):
    if loaded is None or not isinstance(loaded.data, dict):
        return []
    return [(i, item) for i, item in enumerate(loaded.data.get(key) or []) if isinstance(item, dict)]


def build_realisatie(files: RegionFiles) -> Realisatie | None:
    """Build the Realisatie from the region's schema-valid realisatie files; None when it has none."""
    f = {name: files.files[name] for name in FILES if name in files.files}
    if not f:
        return None

    place = place_finder(f)

    personeel, afschr = f"{FOLDER}/personeel.yaml", f"{FOLDER}/afschrijvingen.yaml"
    kosten_file, cofi, subsidie, verantw = (f"{FOLDER}/kosten.yaml", f"{FOLDER}/cofinanciering.yaml",
                                            f"{FOLDER}/subsidie.yaml", f"{FOLDER}/verantwoording.yaml")

    def inzet(uurtarief: Decimal, rows, *fpath) -> tuple[Inzet, ...]:
        return tuple(Inzet(r["regel"], number(r["uren"]), uurtarief,
                           money(r["loonkosten"]) if r.get("loonkosten") is not None else None,
                           place(personeel, *fpath, "sto", k))
                     for k, r in enumerate(rows or []))

    def periods(rows, jaar: Schooljaar, *fpath) -> tuple[Periode, ...]:
        return tuple(Periode(r["soort"], number(r["wtf"]),
                             _day(r["van"]) if r.get("van") else jaar.start,
                             _day(r["tot_en_met"]) if r.get("tot_en_met") else jaar.end,
                             place(personeel, *fpath, k))
                     for k, r in enumerate(rows or []))

    def tasks(rows, *fpath) -> tuple[Taak, ...]:
        return tuple(Taak(r["omschrijving"], number(r["uren"]), place(personeel, *fpath, k))
                     for k, r in enumerate(rows or []))

    medewerkers = tuple(Medewerker(m["id"], m["naam"], m["functie"], m["partner"],
                                   place(personeel, "medewerkers", i))
                        for i, m in _items(f.get(personeel), "medewerkers"))
    jaartaken = []
    for i, j in _items(f.get(personeel), "jaartaken"):
        jaar = Schooljaar(j["schooljaar"])
        at = ("jaartaken", i)
        tarief = money(j["uurtarief"])
        jaartaken.append(Jaartaak(
            j["id"], j["medewerker"], jaar, periods(j.get("aanstelling"), jaar, *at, "aanstelling"),
            periods(j.get("uitbreiding"), jaar, *at, "uitbreiding"), periods(j.get("verlof"), jaar, *at, "verlof"),
            _hours(j.get("algemene_schooltaken")), _hours(j.get("deskundigheidsbevordering")),
            _hours(j.get("ontwikkeltijd")), _hours(j.get("saldo_vorig_jaar")), _hours(j.get("verlichting_lessen")),
            _hours(j.get("lessen")), tasks(j.get("lesgebonden_taken"), *at, "lesgebonden_taken"),
            tasks(j.get("overige_taken"), *at, "overige_taken"), tarief,
            money(j["jaarsalaris"]) if j.get("jaarsalaris") is not None else None,
            inzet(tarief, j.get("sto"), *at), place(personeel, *at)))
    verklaringen = []
    for i, v in _items(f.get(personeel), "verklaringen"):
        tarief = money(v["uurtarief"])
        vervangen = v.get("vervangen") or {}
        verklaringen.append(Verklaring(
            v["id"], v["medewerker"], _day(v["van"]), _day(v["tot_en_met"]), v["werkzaamheden"],
            v["ondertekenaar"]["naam"], v["ondertekenaar"]["functie"],
            number(v["uitbreiding"]) if v.get("uitbreiding") is not None else None,
            _maybe_day(v.get("aangeworven")), _maybe_day(vervangen.get("per")), _text(vervangen.get("door")),
            tarief, inzet(tarief, v.get("sto"), "verklaringen", i), place(personeel, "verklaringen", i)))
    afschrijvingen = tuple(
        Afschrijving(a["id"], a["leverancier"], a["factuurnummer"], _day(a["factuurdatum"]), a["omschrijving"],
                     money(a["aanschafwaarde"]), a["afschrijvingsperiode"], money(a.get("restwaarde")),
                     number(a["percentage_sto"]), _text(a.get("partner")), tuple(a["regels"]),
                     _text(a.get("toelichting")), place(afschr, "afschrijvingen", i))
        for i, a in _items(f.get(afschr), "afschrijvingen"))
    kosten = tuple(
        Kosten(k["id"], k["regel"], k["leverancier"], k["factuurnummer"], _day(k["factuurdatum"]), k["omschrijving"],
               money(k["bedrag"]), _text(k.get("partner")), place(kosten_file, "kosten", i))
        for i, k in _items(f.get(kosten_file), "kosten"))
    cofinanciering = tuple(
        Cofinanciering(c["id"], c["partner"], c["regel"], _day(c["datum"]), c["vorm"], money(c["bedrag"]),
                       c["omschrijving"], place(cofi, "cofinanciering", i))
        for i, c in _items(f.get(cofi), "cofinanciering"))
    beschikking = None
    voorschotten: tuple[Voorschot, ...] = ()
    if subsidie in f:
        b = f[subsidie].data["beschikking"]
        beschikking = Beschikking(b["kenmerk"], _day(b["datum"]), money(b["bedrag"]), place(subsidie, "beschikking"))
        voorschotten = tuple(
            Voorschot(v["id"], _day(v["datum"]), money(v["bedrag"]), v["kenmerk"], _text(v.get("omschrijving")),
                      place(subsidie, "voorschotten", i))
            for i, v in _items(f[subsidie], "voorschotten"))
    peildatum = _maybe_day(f[verantw].data.get("peildatum")) if verantw in f else None
    toelichtingen = tuple(Toelichting(t["regel"], t["toelichting"], place(verantw, "toelichtingen", i))
                          for i, t in _items(f.get(verantw), "toelichtingen"))
    return Realisatie(peildatum, medewerkers, tuple(jaartaken), tuple(verklaringen), afschrijvingen, kosten,
                      cofinanciering, beschikking, voorschotten, toelichtingen,
                      place(verantw) if verantw in f else Place(f"{files.folder}/{verantw}", 0),
                      tuple(sorted(name.rsplit("/", 1)[-1] for name in f)))
