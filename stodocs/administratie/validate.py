"""The rules of the projectadministratie: every realisatie entry fits the plan, the law and the arithmetic.

Each rule returns Problems with the file and line of the entry; messages are Dutch and say what to do.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..formatting import counted, euro, fte, long_date, number
from ..load import suggest
from ..model import CATEGORIES, Place, Region
from ..problems import ERROR, WARNING, Problem
from .model import FIRST_DAY, FITTING_CATEGORIES, LAST_DAY, Inzet, Jaartaak, Realisatie, Verklaring

MIN_DEPRECIATION_MONTHS = 12  # below a year a "depreciation" is a purchase charged at once
PERIOD = "de subsidieperiode (1 januari 2025 t/m 31 december 2028)"


def _at(place: Place, field: str, message: str, severity: str = ERROR) -> Problem:
    return place.problem(field, message, severity)


def _hours(value: Decimal) -> str:
    return number(value.normalize() if value == value.to_integral() else value)


def _unique(things, what: str) -> list[Problem]:
    seen: dict[str, Place] = {}
    problems = []
    for thing in things:
        k = thing.id
        if k in seen:
            first = seen[k]
            problems.append(_at(thing.place, "id", f"id '{k}' is al gebruikt voor een andere {what} "
                                                   f"({first.path}:{first.line}); kies een uniek id"))
        else:
            seen[k] = thing.place
    return problems


def _ref(place: Place, field: str, value: str, known, what: str, file: str) -> list[Problem]:
    if not value or value in known:
        return []
    guess = suggest(value, known)
    hint = f"bedoelde u '{guess}'?" if guess else f"verwijs naar een bestaande {what}, of voeg die toe aan {file}"
    return [_at(place, field, f"verwijst naar {what} '{value}', maar die bestaat niet; {hint}")]


def _line_fits(region: Region, place: Place, field: str, regel: str, kind: str, years=None) -> list[Problem]:
    """The budget line exists, its category fits `kind`, and its year is one of `years` (if given)."""
    lines = region.begroting.lines_by_id
    if regel not in lines:
        return _ref(place, field, regel, lines, "begrotingsregel", "begroting.yaml")
    line = lines[regel]
    allowed = FITTING_CATEGORIES[kind]
    if line.categorie not in allowed:
        names = " of ".join(CATEGORIES[c].lower() for c in allowed)
        where = {"jaartaak": "uren van eigen personeel horen op een regel personeel intern",
                 "verklaring": "uren van eigen personeel horen op een regel personeel intern",
                 "afschrijving": "een afschrijving hoort op een regel afschrijvingen",
                 "kosten": ("een machine of apparaat hoort in afschrijvingen.yaml (alleen de afschrijving telt), "
                            "uren van eigen personeel in personeel.yaml")}[kind]
        return [_at(place, field, f"begrotingsregel '{regel}' is {CATEGORIES[line.categorie].lower()}; {where}. "
                                  f"Kies een regel met categorie {names}")]
    if years is not None and line.jaar not in years:
        shown = " of ".join(str(y) for y in years)
        # Realisatie per line and per year must tell one story: a 2026 invoice on a 2025 line would count
        # in 2026 for the year and in 2025 for the line. So a plan change that moves a line to another year
        # needs the administratie to follow.
        return [_at(place, field, f"begrotingsregel '{regel}' is van {line.jaar}, maar deze post valt in {shown}; "
                                  "kies de regel van het goede jaar")]
    return []


def _in_period(place: Place, field: str, day: date, what: str) -> list[Problem]:
    if FIRST_DAY <= day <= LAST_DAY:
        return []
    return [_at(place, field, f"{what} {long_date(day)} valt buiten {PERIOD}; alleen kosten in die periode "
                              "zijn subsidiabel")]


def check_references(region: Region, r: Realisatie) -> list[Problem]:
    """Ids are unique and medewerkers, partners and budget lines exist."""
    problems = []
    problems += _unique(r.medewerkers, "medewerker")
    problems += _unique(r.jaartaken + r.verklaringen, "jaartaak of verklaring")
    problems += _unique(r.afschrijvingen, "afschrijving")
    problems += _unique(r.kosten, "kostenpost")
    problems += _unique(r.cofinanciering, "cofinanciering")
    problems += _unique(r.voorschotten, "voorschot")
    partners = region.partners_by_id
    people = r.medewerkers_by_id
    for m in r.medewerkers:
        problems += _ref(m.place, "partner", m.partner, partners, "partner", "partners.yaml")
        partner = partners.get(m.partner)
        if partner is not None and partner.soort == "bedrijf":
            problems.append(_at(m.place, "partner",
                                f"{partner.naam} is een bedrijf; personeel.yaml is voor eigen personeel van de scholen "
                                "(personeel intern). Zet de inzet van een bedrijf als inhuur in kosten.yaml, of als "
                                "cofinanciering in natura in cofinanciering.yaml"))
    for person in r.jaartaken + r.verklaringen:
        problems += _ref(person.place, "medewerker", person.medewerker, people, "medewerker",
                         "realisatie/personeel.yaml (onder medewerkers)")
    for a in r.afschrijvingen:
        problems += _ref(a.place, "partner", a.partner, partners, "partner", "partners.yaml")
    for k in r.kosten:
        problems += _ref(k.place, "partner", k.partner, partners, "partner", "partners.yaml")
    seen: dict[tuple[str, str], Jaartaak] = {}
    for j in r.jaartaken:
        key = (j.medewerker, j.schooljaar.naam)
        if key in seen:
            problems.append(_at(j.place, "schooljaar", f"'{j.medewerker}' heeft al een jaartaak voor schooljaar "
                                                       f"{j.schooljaar.naam} ('{seen[key].id}'); voeg ze samen tot één jaartaak"))
        seen.setdefault(key, j)
    lines = region.begroting.lines_by_id
    explained: dict[str, Place] = {}
    for t in r.toelichtingen:
        problems += _ref(t.place, "regel", t.regel, lines, "begrotingsregel", "begroting.yaml")
        if t.regel in explained:
            problems.append(_at(t.place, "regel", f"er staat al een toelichting bij '{t.regel}' "
                                                  f"(regel {explained[t.regel].line}); voeg ze samen"))
        explained.setdefault(t.regel, t.place)
    return problems


def _check_inzet(region: Region, person: Jaartaak | Verklaring, years: tuple[int, ...]) -> list[Problem]:
    kind = "jaartaak" if isinstance(person, Jaartaak) else "verklaring"
    problems = []
    for inzet in person.sto:
        problems += _line_fits(region, inzet.place, "regel", inzet.regel, kind, years)
        problems += _check_loonkosten(inzet)
    return problems


def _check_loonkosten(inzet: Inzet) -> list[Problem]:
    if inzet.uren <= 0:
        return [_at(inzet.place, "uren", f"{_hours(inzet.uren)} uren: schrijf een aantal uren groter dan 0, "
                                         "of laat de regel weg")]
    if inzet.opgegeven is not None and inzet.opgegeven != inzet.loonkosten:
        return [_at(inzet.place, "loonkosten",
                    # no rate and no amount derived from it: this message goes to CI logs and annotations
                    "de loonkosten kloppen niet: ze zijn niet gelijk aan uren × uurtarief (op de cent afgerond); "
                    "verbeter de uren, het uurtarief of de loonkosten (of laat 'loonkosten' weg, dan rekent "
                    "stodocs ze uit)")]
    return []


def check_personeel(region: Region, r: Realisatie) -> list[Problem]:
    """Jaartaken leave room for the STO hours; verklaringen name one case; loonkosten are uren × uurtarief."""
    problems = []
    for j in r.jaartaken:
        jaar = j.schooljaar
        if not jaar.valid:
            problems.append(_at(j.place, "schooljaar", f"schooljaar '{jaar.naam}' bestaat niet; een schooljaar loopt "
                                                       f"van 1 augustus tot en met 31 juli, bijvoorbeeld "
                                                       f"\"{jaar.first_year}-{jaar.first_year + 1}\""))
            continue
        if jaar.end < FIRST_DAY or jaar.start > LAST_DAY:
            problems.append(_at(j.place, "schooljaar", f"schooljaar {jaar.naam} valt buiten {PERIOD}"))
            continue
        for row in j.aanstelling + j.uitbreiding + j.verlof:
            if row.wtf <= 0 or row.wtf > 1:
                problems.append(_at(row.place, "wtf", f"wtf {fte(row.wtf)} kan niet; een wtf ligt tussen 0 en 1,0"))
            if row.van > row.tot_en_met or row.van < jaar.start or row.tot_en_met > jaar.end:
                problems.append(_at(row.place, "van", f"de periode {long_date(row.van)} t/m {long_date(row.tot_en_met)} "
                                                      f"ligt niet binnen schooljaar {jaar.naam} "
                                                      f"({long_date(jaar.start)} t/m {long_date(jaar.end)})"))
        if j.sto_uren > j.vrij_voor_sto:
            free = max(j.vrij_voor_sto, Decimal(0))
            problems.append(_at(j.place, "sto",
                                f"{_hours(j.sto_uren)} STO-uren passen niet in de jaartaak: van de "
                                f"{_hours(j.beschikbaar)} beschikbare uren gaan {_hours(j.lessen)} naar lessen en "
                                f"{_hours(j.lesgebonden_uren + j.overige_uren)} naar andere taken, dus blijven er "
                                f"{_hours(free)} over voor STO. Verlaag de STO-uren met "
                                f"{_hours(j.sto_uren - free)} of pas de jaartaak aan"))
        actual = j.werkelijk_uurtarief
        if actual is not None and j.uurtarief > actual:
            problems.append(_at(j.place, "uurtarief",
                                # no salary and no figure derived from it: this message goes to CI logs and annotations
                                "het uurtarief is hoger dan het werkelijke uurtarief van deze jaartaak (jaarsalaris "
                                "gedeeld door de klokuren, 1659 × wtf). Reken met hoogstens het werkelijke uurtarief; "
                                "reken het na met het jaarsalaris en de aanstelling in deze jaartaak",
                                severity=WARNING))
        years = tuple(y for y in jaar.years if FIRST_DAY.year <= y <= LAST_DAY.year)
        problems += _check_inzet(region, j, years)
    problems += _check_saldo_carried(r)
    for v in r.verklaringen:
        cases = [name for name, given in (("uitbreiding", v.uitbreiding is not None),
                                          ("aangeworven", v.aangeworven is not None),
                                          ("vervangen", v.vervangen_per is not None)) if given]
        if len(cases) != 1:
            said = f"er staan er {len(cases)}: {', '.join(cases)}" if cases else "er staat er geen"
            # No case: the verklaring itself (its first line) is where one goes; two or more: the second one.
            problems.append(_at(v.place, "id" if not cases else cases[1],
                                "een verklaring noemt precies één van: uitbreiding (aanstelling uitgebreid met zoveel "
                                "fte), aangeworven (speciaal aangeworven per datum) of vervangen (per datum, door "
                                f"wie); {said}"))
        if v.uitbreiding is not None and not 0 < v.uitbreiding <= 1:
            problems.append(_at(v.place, "uitbreiding", f"een uitbreiding van {fte(v.uitbreiding)} fte kan niet; "
                                                        "schrijf een fte groter dan 0 en hoogstens 1,0"))
        if v.van > v.tot_en_met:
            problems.append(_at(v.place, "tot_en_met", f"tot_en_met {long_date(v.tot_en_met)} ligt voor van "
                                                       f"{long_date(v.van)}; draai ze om of pas ze aan"))
            continue
        problems += _in_period(v.place, "van", v.van, "van")
        problems += _in_period(v.place, "tot_en_met", v.tot_en_met, "tot_en_met")
        years = tuple(range(max(v.van.year, FIRST_DAY.year), min(v.tot_en_met.year, LAST_DAY.year) + 1))
        problems += _check_inzet(region, v, years)
    return problems


def _check_saldo_carried(r: Realisatie) -> list[Problem]:
    """A jaartaak takes over the saldo of the same teacher's jaartaak of the schooljaar before, when there is one."""
    by_year = {(j.medewerker, j.schooljaar.first_year): j for j in r.jaartaken if j.schooljaar.valid}
    problems = []
    for (medewerker, first_year), j in sorted(by_year.items()):
        before = by_year.get((medewerker, first_year - 1))
        if before is None or j.saldo_vorig_jaar == before.saldo:
            continue
        # no hours in the message: it goes to CI logs and annotations (hours per person are personal data)
        previous = f"de jaartaak van schooljaar {before.schooljaar.naam} ('{before.id}')"
        if "saldo_vorig_jaar" in dict(j.place.fields):
            why = f"saldo_vorig_jaar is niet het saldo dat {previous} overlaat"
        else:
            why = f"het saldo dat {previous} overlaat, komt niet terug in deze jaartaak: saldo_vorig_jaar ontbreekt"
        problems.append(_at(j.place, "saldo_vorig_jaar",
                            f"{why}. Neem dat saldo over als saldo_vorig_jaar (het staat onderaan de berekening op "
                            "Bijlage 1 van dat schooljaar), of pas die jaartaak aan", severity=WARNING))
    return problems


def check_afschrijvingen(region: Region, r: Realisatie) -> list[Problem]:
    """Depreciation runs monthly over the real economic life, on an afschrijvingen line of each year."""
    problems = []
    for a in r.afschrijvingen:
        if a.afschrijvingsperiode < MIN_DEPRECIATION_MONTHS:
            problems.append(_at(a.place, "afschrijvingsperiode",
                                f"een afschrijvingsperiode van {counted(a.afschrijvingsperiode, 'maand')} is korter dan "
                                "een jaar: zo kort gaat een machine of apparaat niet mee, en de aanschaf zelf is geen "
                                "projectkost. Schrijf af over de werkelijke economische levensduur, minstens "
                                f"{MIN_DEPRECIATION_MONTHS} maanden (voor apparatuur meestal 48 tot 120)"))
            continue
        if not 0 < a.percentage_sto <= 100:
            problems.append(_at(a.place, "percentage_sto", f"{_hours(a.percentage_sto)}% t.b.v. STO kan niet; "
                                                           "schrijf een percentage groter dan 0 en hoogstens 100"))
            continue
        if a.restwaarde > a.aanschafwaarde:
            problems.append(_at(a.place, "restwaarde", f"de restwaarde {euro(a.restwaarde)} is hoger dan de "
                                                       f"aanschafwaarde {euro(a.aanschafwaarde)}"))
            continue
        if a.factuurdatum > LAST_DAY:
            problems.append(_at(a.place, "factuurdatum", f"factuurdatum {long_date(a.factuurdatum)} ligt na "
                                                         f"{PERIOD}; deze afschrijving telt niet voor STO"))
            continue
        if a.last_month == (LAST_DAY.year, 12) and not a.toelichting:
            problems.append(_at(a.place, "afschrijvingsperiode",
                                f"de afschrijving eindigt precies in december 2028, het einde van het project. De "
                                "periode mag niet worden ingekort tot het einde van het project; is "
                                f"{a.afschrijvingsperiode} maanden echt de economische levensduur? Zet dat dan in "
                                "de toelichting", severity=WARNING))
        for regel in a.regels:
            problems += _line_fits(region, a.place, "regels", regel, "afschrijving")
        lines = region.begroting.lines_by_id
        years = [lines[x].jaar for x in a.regels if x in lines]
        for year in sorted({y for y in years if years.count(y) > 1}):
            problems.append(_at(a.place, "regels", f"er staan meer begrotingsregels van {year} bij deze afschrijving; "
                                                   "noem per jaar één regel"))
        for year, amount in a.charged(r.until).items():
            if year not in years:
                problems.append(_at(a.place, "regels",
                                    f"in {year} wordt {euro(amount)} afgeschreven, maar er staat geen begrotingsregel "
                                    f"van {year} bij; voeg de regel afschrijvingen van {year} toe aan 'regels'"))
    return problems


def check_kosten(region: Region, r: Realisatie) -> list[Problem]:
    """Invoices and cofinanciering fall in the period, on a budget line that fits (a machine is no invoice cost)."""
    problems = []
    for k in r.kosten:
        outside = _in_period(k.place, "factuurdatum", k.factuurdatum, "factuurdatum")
        problems += outside
        problems += _line_fits(region, k.place, "regel", k.regel, "kosten", None if outside else (k.factuurdatum.year,))
    seen: dict[tuple[str, str], Place] = {}
    for entry in r.kosten + r.afschrijvingen:
        key = (entry.leverancier.strip().lower(), entry.factuurnummer.strip().lower())
        if key in seen:
            first = seen[key]
            problems.append(_at(entry.place, "factuurnummer",
                                f"factuur {entry.factuurnummer} van {entry.leverancier} staat al in {first.path}:{first.line}; "
                                "is hij twee keer geboekt? Is de factuur over twee regels verdeeld, noem dat dan in de "
                                "omschrijving", severity=WARNING))
        seen.setdefault(key, entry.place)
    for c in r.cofinanciering:
        problems += _in_period(c.place, "datum", c.datum, "datum")
        problems += _line_fits(region, c.place, "regel", c.regel, "cofinanciering")
    return problems


def check_cofinanciering(region: Region, r: Realisatie) -> list[Problem]:
    """Cofinanciering comes from a partner who was a partner on the day."""
    problems = []
    partners = region.partners_by_id
    for c in r.cofinanciering:
        partner = partners.get(c.partner)
        if partner is None:
            problems += _ref(c.place, "partner", c.partner, partners, "partner", "partners.yaml")
            continue
        if partner.uitgetreden and c.datum > date.fromisoformat(partner.uitgetreden):
            problems.append(_at(c.place, "datum",
                                f"{partner.naam} is op {long_date(partner.uitgetreden)} uitgetreden; cofinanciering op "
                                f"{long_date(c.datum)} kan dan niet meer van deze partner komen. Controleer de datum "
                                "of de partner"))
        if partner.toegetreden and c.datum < date.fromisoformat(partner.toegetreden):
            problems.append(_at(c.place, "datum",
                                f"{partner.naam} is pas op {long_date(partner.toegetreden)} toegetreden; cofinanciering "
                                f"op {long_date(c.datum)} ligt daarvoor. Controleer de datum of de partner"))
    return problems


def check_peildatum(region: Region, r: Realisatie) -> list[Problem]:
    """Name every entry the cut-off at the peildatum leaves out or counts only in part (model.cut_off)."""
    if r.peildatum is None:
        return []
    day = r.peildatum
    voorschotten = [v.place for v in r.voorschotten]  # an advance may come after the spending period
    dated = ([(k.place, "factuurdatum", k.factuurdatum) for k in r.kosten]
             + [(a.place, "factuurdatum", a.factuurdatum) for a in r.afschrijvingen]
             + [(c.place, "datum", c.datum) for c in r.cofinanciering]
             + [(v.place, "datum", v.datum) for v in r.voorschotten]
             + [(v.place, "van", v.van) for v in r.verklaringen]
             + [(j.place, "schooljaar", j.schooljaar.start) for j in r.jaartaken if j.schooljaar.valid])
    problems = [_at(place, field, f"{long_date(when)} ligt na de peildatum ({long_date(day)}, verantwoording.yaml), "
                                  "dus telt dit nog nergens mee. Werk de peildatum bij als de administratie tot "
                                  "die datum bij is", severity=WARNING)
                for place, field, when in dated if when > day
                # a cost after the spending period: _in_period says it is not subsidiable, updating the peildatum won't help
                and not (when > LAST_DAY and place not in voorschotten)]
    spanning = ([(v.place, "tot_en_met", v.van, v.tot_en_met, "deze verklaring") for v in r.verklaringen
                 if v.van <= day < v.tot_en_met <= LAST_DAY and v.sto]
                + [(j.place, "schooljaar", j.start, j.end, f"deze jaartaak ({j.schooljaar.naam})") for j in r.jaartaken
                   if j.schooljaar.valid and j.start <= day < j.end and j.sto])
    for place, field, first, last, what in spanning:
        counted, total = (day - first).days + 1, (last - first).days + 1
        problems.append(_at(place, field, f"{what} loopt tot en met {long_date(last)}, na de peildatum "
                                          f"({long_date(day)}): de STO-uren tellen naar rato van de dagen mee, per "
                                          f"begrotingsjaar ({counted} van de {total} dagen van de hele periode). "
                                          "Dat is een schatting; werk de peildatum bij als de periode voorbij is",
                            severity=WARNING))
    return problems


def check_subsidie(region: Region, r: Realisatie) -> list[Problem]:
    """The beschikking is there, and the advances received stay within it."""
    if r.beschikking is None:
        return [Problem(subsidie_path(r), 0, "",
                        "bestand ontbreekt: zonder de beschikking (kenmerk, datum, bedrag) en de ontvangen voorschotten "
                        "kunnen de rapportage en de tabel model G2 niet gemaakt worden; maak realisatie/subsidie.yaml "
                        "(zie docs/verantwoording.md)", severity=WARNING)]
    if r.ontvangen_subsidie <= r.beschikking.bedrag:
        return []
    return [_at(r.beschikking.place, "bedrag",
                f"de ontvangen voorschotten ({euro(r.ontvangen_subsidie)}) zijn meer dan het bedrag van de beschikking "
                f"({euro(r.beschikking.bedrag)}); controleer de voorschotten in subsidie.yaml")]


# A file of the administratie, and the budget categories whose realised cost it holds.
BOOKS = {"personeel.yaml": ("personeel-intern",), "afschrijvingen.yaml": ("afschrijvingen",),
         "kosten.yaml": ("personeel-extern", "materiele-kosten", "overige-kosten")}


def check_books(region: Region, r: Realisatie) -> list[Problem]:
    """A file of the administratie that is missing while the budget has costs it would hold up to the peildatum."""
    folder = r.place.path.rsplit("/", 1)[0]
    last = r.peildatum.year if r.peildatum is not None else 0
    problems = []
    for name, categories in BOOKS.items():
        if name in r.files:
            continue
        lines = [l for l in region.begroting.lines if l.categorie in categories and l.jaar <= last]
        if lines:
            names = [CATEGORIES[c].lower() for c in categories]
            what = ", ".join(names[:-1]) + " en " + names[-1] if len(names) > 1 else names[0]
            problems.append(Problem(f"{folder}/{name}", 0, "",
                                    f"bestand ontbreekt: de begroting heeft tot en met {last} "
                                    f"{counted(len(lines), 'regel')} {what}, maar zonder dit bestand telt de realisatie daarvan niets; maak het "
                                    "bestand aan (zie docs/verantwoording.md)", severity=WARNING))
    return problems


def subsidie_path(r: Realisatie) -> str:
    """Where realisatie/subsidie.yaml is, or belongs: beside verantwoording.yaml."""
    return r.place.path.rsplit("/", 1)[0] + "/subsidie.yaml"


def check_toelichtingen(region: Region, r: Realisatie) -> list[Problem]:
    """Realisatie above a budget line, or off by more than the threshold in a closed year, is explained."""
    problems = []
    threshold = region.procedure.drempel_toelichting
    explained = r.toelichting_by_regel
    closed = r.closed_years
    for regel, done in r.by_line(region.begroting).items():
        line = region.begroting.lines_by_id[regel]
        if regel in explained:
            continue
        difference = done.totaal - line.totaal
        if difference > 0:
            why = (f"de realisatie van '{regel}' is {euro(done.totaal)}, {euro(difference)} meer dan begroot "
                   f"({euro(line.totaal)})")
        elif line.jaar in closed and -difference > threshold:
            why = (f"de realisatie van '{regel}' in het afgesloten jaar {line.jaar} is {euro(done.totaal)}, "
                   f"{euro(-difference)} minder dan begroot ({euro(line.totaal)}), meer dan de drempel van "
                   f"{euro(threshold)}")
        else:
            continue
        # At the budget line the realisatie is compared with: that is where the difference is.
        problems.append(_at(line.place, "id", f"{why}; voeg in realisatie/verantwoording.yaml onder 'toelichtingen' "
                                              f"een toelichting toe met 'regel: {regel}'", severity=WARNING))
    return problems


def check_realisatie(region: Region) -> list[Problem]:
    """Run every rule of the projectadministratie on a built region (none without a realisatie)."""
    r = region.realisatie
    if r is None:
        return []
    return (check_references(region, r) + check_personeel(region, r) + check_afschrijvingen(region, r) + check_kosten(region, r)
            + check_cofinanciering(region, r) + check_subsidie(region, r) + check_peildatum(region, r) + check_books(region, r)
            + check_toelichtingen(region, r))
