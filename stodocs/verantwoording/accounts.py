"""Begroting against realisatie, the forecast of unspent subsidy, and model G2: all the report arithmetic.

No I/O and no formatting: Decimal in, Decimal out. The realisatie is the projectadministratie's
model (administratie.model.Realisatie); every figure here is summed from its posts, so a report,
a G2 table and `build.py status` can never disagree.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any, Mapping

from ..administratie.model import cut_off
from ..model import CATEGORIES, CENT, COFINANCING_NORM, LAST_SPENDING_DAY, YEARS, Region, Totals

ZERO = Decimal("0.00")
STO_OMSCHRIJVING = "Subsidieregeling sterk techniekonderwijs 2025-2028"


@dataclass(frozen=True)
class Variance:
    """Planned against realised money of one group; verschil = gerealiseerd − begroot."""

    begroot: Totals
    gerealiseerd: Totals

    @property
    def verschil(self) -> Totals:
        return self.gerealiseerd - self.begroot

    @property
    def besteed(self) -> Decimal | None:
        """Realised cost as a fraction of the planned cost; None when nothing was planned."""
        return self.gerealiseerd.totaal / self.begroot.totaal if self.begroot.totaal else None


def _variances(planned: Mapping[Any, Totals], realised: Mapping[Any, Totals], keys) -> dict[Any, Variance]:
    return {k: Variance(planned.get(k, Totals()), realised.get(k, Totals())) for k in keys}


@dataclass(frozen=True)
class LineVariance:
    """A budget line (or a realised amount on a line that is not in the budget) with its variance."""

    regel: str
    omschrijving: str
    activiteit: str
    jaar: int
    categorie: str
    variance: Variance
    toelichting: str


@dataclass(frozen=True)
class ForecastYear:
    jaar: int
    begroot: Decimal  # subsidie in the current plan
    gerealiseerd: Decimal | None  # subsidie realised (in the running year: so far); None for a year not yet begun
    plan: Decimal  # forecast if the plan is carried out as written
    tempo: Decimal  # forecast at the spending rate of the closed years


@dataclass(frozen=True)
class Forecast:
    """Subsidy spent by 31 December 2028, two ways, against the amount granted.

    Closed years count as realised. A year not yet closed counts as planned (`plan`), or as planned
    times the rate of the closed years, realised / planned subsidie (`tempo`); the running year (the
    peildatum's) counts as at least what it has realised so far, both ways. What stays unspent
    at 31 December 2028 is reclaimed; `terugvordering` is that amount at the current rate.
    """

    toegekend: Decimal
    jaren: tuple[ForecastYear, ...]
    tempo_factor: Decimal | None  # None without a closed year

    @property
    def besteed_plan(self) -> Decimal:
        return sum((y.plan for y in self.jaren), ZERO)

    @property
    def besteed_tempo(self) -> Decimal:
        return sum((y.tempo for y in self.jaren), ZERO)

    @property
    def onbesteed_plan(self) -> Decimal:
        return max(self.toegekend - self.besteed_plan, ZERO)

    @property
    def terugvordering(self) -> Decimal:
        """The subsidy at risk of reclaim: granted but not spent at the current rate by 31 December 2028."""
        return max(self.toegekend - self.besteed_tempo, ZERO)


@dataclass(frozen=True)
class Vaststelling:
    """DUS-I's final decision on the subsidy (rapportages/vaststelling.yaml): after it, G2 model A."""

    kenmerk: str
    datum: date
    bedrag: Decimal


@dataclass(frozen=True)
class G2:
    """One row of model G2 for verslagjaar `jaar` (Regeling jaarverslaggeving onderwijs).

    G2-B (running): saldo_begin + ontvangen − lasten = saldo_eind (nog te besteden).
    G2-A (ended, after the vaststelling): te_verrekenen = ontvangen_totaal − vastgesteld.
    `lasten` are the costs charged to the subsidy: realised cost minus cofinanciering.
    `voorlopig` is True when the projectadministratie does not yet cover the whole verslagjaar.
    """

    jaar: int
    model: str  # 'A' or 'B'
    omschrijving: str
    kenmerk: str
    datum: date | None
    bedrag: Decimal
    saldo_begin: Decimal
    ontvangen: Decimal
    lasten: Decimal
    ontvangen_totaal: Decimal
    totale_kosten: Decimal
    vastgesteld: Decimal | None
    voorlopig: bool

    @property
    def saldo_eind(self) -> Decimal:
        return self.saldo_begin + self.ontvangen - self.lasten

    @property
    def te_verrekenen(self) -> Decimal:
        return self.ontvangen_totaal - (self.vastgesteld if self.vastgesteld is not None else self.totale_kosten)


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Accounts:
    """A region's plan and realisatie side by side (realisatie None: nothing realised yet).

    The realisatie is always cut off at its peildatum (administratie.model.cut_off): every figure
    of a rapportage, model G2, `status` and the forecast counts the same entries up to the same day.
    """

    region: Region
    realisatie: Any = None
    vaststelling: Vaststelling | None = None

    def __post_init__(self) -> None:
        if self.realisatie is not None:
            # a frozen dataclass sets its own field once, here: no Accounts ever holds an uncut administratie
            object.__setattr__(self, "realisatie",
                               cut_off(self.realisatie, self.realisatie.peildatum, self.region.begroting))

    # --- realised money -------------------------------------------------------------------------

    @property
    def peildatum(self) -> date | None:
        return self.realisatie.peildatum if self.realisatie is not None else None

    @property
    def closed_years(self) -> tuple[int, ...]:
        return tuple(self.realisatie.closed_years) if self.realisatie is not None else ()

    def posts(self) -> tuple:
        return self.realisatie.posts(self.region.begroting) if self.realisatie is not None else ()

    def _realised(self, key) -> dict[Any, Totals]:
        lines = self.region.begroting.lines_by_id
        groups: dict[Any, Totals] = defaultdict(Totals)
        for post in self.posts():
            groups[key(post, lines.get(post.regel))] += post.totals
        return dict(groups)

    def _lijn(self, line) -> str:
        lijn = self.region.programmalijn_of_activity(line.activiteit) if line else None
        return lijn.id if lijn else ""

    # --- begroting against realisatie ---------------------------------------------------------

    def totaal(self) -> Variance:
        return Variance(self.region.begroting.totals, sum(self._realised(lambda p, l: 0).values(), Totals()))

    def per_jaar(self) -> dict[int, Variance]:
        return _variances(self.region.begroting.by_year(), self._realised(lambda p, l: p.jaar), YEARS)

    def per_categorie(self) -> dict[str, Variance]:
        realised = self._realised(lambda p, l: l.categorie if l else "")
        return _variances(self.region.begroting.by_category(), realised, CATEGORIES)

    def per_activiteit(self) -> dict[str, Variance]:
        realised = self._realised(lambda p, l: l.activiteit if l else "")
        return _variances(self.region.begroting.by_activity(), realised, [a.id for a in self.region.activiteiten])

    def per_activiteit_jaar(self) -> dict[tuple[str, int], Variance]:
        planned = self.region.begroting.by(lambda l: (l.activiteit, l.jaar))
        realised = self._realised(lambda p, l: (l.activiteit if l else "", p.jaar))
        keys = [(a.id, y) for a in self.region.activiteiten for y in YEARS]
        return _variances(planned, realised, keys)

    def per_programmalijn(self) -> dict[str, Variance]:
        return _variances(self.region.budget_by_programmalijn(), self._realised(lambda p, l: self._lijn(l)),
                          [p.id for p in self.region.programmalijnen])

    def per_jaar_categorie(self) -> dict[tuple[int, str], Variance]:
        realised = self._realised(lambda p, l: (p.jaar, l.categorie if l else ""))
        keys = [(y, c) for y in YEARS for c in CATEGORIES]
        return _variances(self.region.begroting.by_year_and_category(), realised, keys)

    def unbudgeted(self) -> Totals:
        """Realised money on no budget line of the plan (the projectadministratie's checks report each one)."""
        lines = self.region.begroting.lines_by_id
        return sum((p.totals for p in self.posts() if p.regel not in lines), Totals())

    def per_regel(self) -> list[LineVariance]:
        """Every budget line with its realisatie, in budget order."""
        realised = self._realised(lambda p, l: p.regel)
        notes = self.realisatie.toelichting_by_regel if self.realisatie is not None else {}
        return [LineVariance(line.id, line.omschrijving, line.activiteit, line.jaar, line.categorie,
                             Variance(line.totals, realised.get(line.id, Totals())),
                             notes[line.id].tekst if line.id in notes else "")
                for line in self.region.begroting.lines]

    def afwijkingen(self) -> list[LineVariance]:
        """Lines of the years up to the peildatum whose variance exceeds the region's drempel_toelichting."""
        drempel = self.region.procedure.drempel_toelichting
        last = self.peildatum.year if self.peildatum else 0
        return [v for v in self.per_regel()
                if v.jaar <= last and abs(v.variance.verschil.totaal) > drempel]

    # --- cofinanciering by bedrijven, as the vaststelling will measure it -----------------------

    def cofinanciering_bedrijven(self) -> Decimal:
        """Cofinanciering received from partners of soort bedrijf, in cash or in kind."""
        if self.realisatie is None:
            return ZERO
        kinds = {p.id: p.soort for p in self.region.partners}
        return sum((c.bedrag for c in self.realisatie.cofinanciering if kinds.get(c.partner) == "bedrijf"), ZERO)

    def cofinanciering_norm(self) -> Decimal:
        """The least cofinanciering by bedrijven: 10% of the realised cost, rounded up to the cent."""
        return (self.totaal().gerealiseerd.totaal * COFINANCING_NORM).quantize(CENT, rounding=ROUND_CEILING)

    # --- forecast ---------------------------------------------------------------------------------

    @property
    def toegekend(self) -> Decimal:
        """The subsidy granted: the beschikking's amount, else the plan's subsidie."""
        beschikking = self.realisatie.beschikking if self.realisatie is not None else None
        return beschikking.bedrag if beschikking is not None else self.region.begroting.totals.subsidie

    def forecast(self) -> Forecast:
        per_jaar = self.per_jaar()
        closed = self.closed_years
        planned_closed = sum((per_jaar[y].begroot.subsidie for y in closed), ZERO)
        realised_closed = sum((per_jaar[y].gerealiseerd.subsidie for y in closed), ZERO)
        factor = realised_closed / planned_closed if closed and planned_closed else None
        years = []
        for year in YEARS:
            planned = per_jaar[year].begroot.subsidie
            if year in closed:
                realised = per_jaar[year].gerealiseerd.subsidie
                years.append(ForecastYear(year, planned, realised, realised, realised))
            elif self.peildatum is not None and year <= self.peildatum.year:
                # the running year: what is spent already is spent, whatever the rate says
                realised = per_jaar[year].gerealiseerd.subsidie
                tempo = _round(planned * factor) if factor is not None else planned
                years.append(ForecastYear(year, planned, realised, max(planned, realised), max(tempo, realised)))
            else:
                tempo = _round(planned * factor) if factor is not None else planned
                years.append(ForecastYear(year, planned, None, planned, tempo))
        return Forecast(self.toegekend, tuple(years), factor)

    # --- model G2 ---------------------------------------------------------------------------------

    def g2(self, jaar: int) -> G2:
        """Return model G2 for verslagjaar `jaar`: B while the subsidy runs, A from the vaststelling's year."""
        beschikking = self.realisatie.beschikking if self.realisatie is not None else None
        voorschotten = self.realisatie.voorschotten if self.realisatie is not None else ()
        lasten_per_jaar: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for post in self.posts():
            lasten_per_jaar[post.jaar] += post.totals.subsidie
        before = sum((v.bedrag for v in voorschotten if v.datum.year < jaar), ZERO)
        ontvangen = sum((v.bedrag for v in voorschotten if v.datum.year == jaar), ZERO)
        lasten_before = sum((a for y, a in lasten_per_jaar.items() if y < jaar), ZERO)
        lasten = sum((a for y, a in lasten_per_jaar.items() if y == jaar), ZERO)
        vaststelling = self.vaststelling if self.vaststelling and self.vaststelling.datum.year <= jaar else None
        covered = self.peildatum is not None and self.peildatum >= min(date(jaar, 12, 31), LAST_SPENDING_DAY)
        return G2(jaar, "A" if vaststelling else "B", STO_OMSCHRIJVING,
                  beschikking.kenmerk if beschikking else self.region.registratienummer,
                  beschikking.datum if beschikking else None, self.toegekend,
                  before - lasten_before, ontvangen, lasten, before + ontvangen, lasten_before + lasten,
                  vaststelling.bedrag if vaststelling else None, not covered)
