"""The region as frozen dataclasses, and all budget arithmetic. No I/O here.

Built from schema-valid data only; references are kept as ids and checked by validate.py.
"""
from __future__ import annotations

import copy

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, TypeVar

from .load import Loaded, RegionFiles, dotted
from .problems import ERROR, Problem
from .sources import CONTENT
from .wording import label

if TYPE_CHECKING:
    from .administratie.model import Realisatie

YEARS = (2025, 2026, 2027, 2028)
LAST_SPENDING_DAY = date(2028, 12, 31)
TECHNIEKLUW_MAXIMUM = Decimal("4000000")
COFINANCING_NORM = Decimal("0.10")
CENT = Decimal("0.01")
# A unit price from which a "materiële kosten" line is probably a machine, whose purchase price is no
# project cost: only its depreciation is (VO-raad, docs/domein.md § 7 and § 8).
MACHINE_PRICE = Decimal("5000")
# Depreciation is charged by the month (docs/domein.md § 8): the unit of an afschrijvingen line.
MONTH_UNITS = ("maand", "maanden", "mnd")

CATEGORIES = {
    "personeel-intern": "Personeel intern",
    "personeel-extern": "Personeel extern / inhuur",
    "afschrijvingen": "Afschrijvingen",
    "materiele-kosten": "Materiële kosten",
    "overige-kosten": "Overige kosten",
}
ROLES = {
    "sturend": "Sturende rol",
    "coordinerend": "Coördinerende rol",
    "uitvoerend": "Uitvoerende rol",
    "ondersteunend": "Ondersteunende rol",
}
# Titles from the seed deck, with the role each belongs to.
TITLE_ROLES = {
    "stuurgroeplid": "sturend", "voorzitter stuurgroep": "sturend", "opdrachtgever": "sturend",
    "programmamanager": "coordinerend", "projectleider": "coordinerend", "kwartiermaker": "coordinerend",
    "werkgroeptrekker": "coordinerend",
    "projectteamlid": "uitvoerend", "werkgroeplid": "uitvoerend",
    "procesbegeleider": "ondersteunend", "trainer": "ondersteunend", "coach": "ondersteunend",
    "adviseur": "ondersteunend", "klankbord": "ondersteunend",
}
PROFILES = {
    "BWI": "Bouwen, wonen en interieur", "PIE": "Produceren, installeren en energie",
    "MOT": "Mobiliteit en transport", "MaT": "Maritiem en techniek", "MVI": "Media, vormgeving en ICT",
    "DP": "Dienstverlening en producten", "ZW": "Zorg en welzijn", "EO": "Economie en ondernemen",
    "HBR": "Horeca, bakkerij en recreatie", "GR": "Groen",
}
LEARNING_PATHS = {"basis": "basisberoepsgerichte leerweg", "kader": "kaderberoepsgerichte leerweg",
                  "gemengd": "gemengde leerweg", "theoretisch": "theoretische leerweg"}
STATUSES = {"gepland": "gepland", "lopend": "lopend", "vertraagd": "vertraagd", "afgerond": "afgerond",
            "vervallen": "vervallen"}

# The one vocabulary of the change procedure: the reglement's table, the Wijzigingsvoorstel and every message
# read their Dutch words here.
# Each soort of change the wijzigingsprocedure knows, as the reglement and the Wijzigingsvoorstel name it.
CHANGE_KINDS = {
    "nieuwe-activiteit": "Nieuwe activiteit",
    "nieuwe-doelstelling": "Nieuwe doelstelling (het regioplan zelf wijzigt)",
    "activiteit-vervallen": "Activiteit vervalt",
    "activiteit-vertraagd": "Activiteit vertraagd",
    "activiteit-gewijzigd": "Activiteit inhoudelijk gewijzigd",
    "verschuiving-boven-drempel": "Verschuiving in de begroting boven de drempel",
    "verschuiving-onder-drempel": "Verschuiving in de begroting onder de drempel",
    "subsidie-gewijzigd": "Totale subsidie gewijzigd",
    "cofinanciering-onder-norm": "Cofinanciering door bedrijven onder de norm van 10%",
    "partner-toetreding": "Toetreding van een partner",
    "partner-uittreding": "Uittreding van een partner",
    "personen-gewijzigd": "Personen of rollen gewijzigd",
    "reglement-gewijzigd": "Huishoudelijk reglement gewijzigd",
}
DUSI_ADDRESS = "sto.dus-i@minvws.nl"
# The other words the change procedure uses as data (who decides, whom to inform, what to record): the noun as
# running text writes it, and for what is recorded, the step a checklist asks for.
PROCEDURE_VOCABULARY: dict[str, tuple[str, str | None]] = {
    "stuurgroep": ("stuurgroep", None),
    "bestuurlijk-overleg": ("bestuurlijk overleg", None),
    "penvoerder": ("penvoerder", None),
    "programmamanager": ("programmamanager", None),
    "projectleider": ("projectleider", None),
    "partnerscholen": ("partnerscholen", None),
    "regiocoordinator": ("regiocoördinator", None),
    "dus-i": ("DUS-I", None),
    "regioplan": ("regioplan", "Regioplan aanpassen"),
    "activiteitenplan": ("activiteitenplan", "Activiteitenplan aanpassen"),
    "begroting": ("meerjarenbegroting", "Meerjarenbegroting aanpassen"),
    "administratie": ("projectadministratie", "Vastleggen in de projectadministratie"),
    "huishoudelijk-reglement": ("huishoudelijk reglement", "Huishoudelijk reglement aanpassen"),
    "dus-i-wijzigingsformulier": ("DUS-I-wijzigingsformulier",
                                  f"DUS-I-wijzigingsformulier insturen ({DUSI_ADDRESS})"),
    "ocw-communicatie": ("communicatie aan OCW", "Communicatie aan OCW"),
}
PROCEDURE_WORDS = {key: noun for key, (noun, _) in PROCEDURE_VOCABULARY.items()}
RECORD_STEPS = {key: step for key, (_, step) in PROCEDURE_VOCABULARY.items() if step}
# The bodies that decide on a change (and approve a version), weightiest first, with their article.
BODIES = {"bestuurlijk-overleg": "het", "stuurgroep": "de", "penvoerder": "de", "programmamanager": "de"}
# The fields of an activity, and those whose change is a change in substance unless the region says otherwise
# (wijzigingsprocedure.yaml: inhoudelijke_velden). A new name, trekker or partner list is redactional for the
# activity; a new trekker is still a change of persons, and a budget change falls under the budget rules.
ACTIVITY_FIELDS = ("naam", "doelstelling", "trekker", "partners", "start", "eind", "status", "omschrijving",
                   "resultaten")
SUBSTANTIVE_FIELDS = ("doelstelling", "start", "eind", "status", "omschrijving", "resultaten")

# Defaults for the change procedure, after the casus in the seed deck (docs/domein.md § 11).
_INFORM = ("penvoerder", "projectleider", "partnerscholen")
_RECORD = ("regioplan", "begroting", "administratie")
_DUSI = _RECORD + ("dus-i-wijzigingsformulier",)
DEFAULT_CHANGE_RULES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "nieuwe-activiteit": ("stuurgroep", _INFORM, ("activiteitenplan",) + _RECORD),
    "nieuwe-doelstelling": ("stuurgroep", _INFORM, _RECORD),
    "activiteit-vervallen": ("stuurgroep", _INFORM, ("activiteitenplan",) + _DUSI),
    "activiteit-vertraagd": ("stuurgroep", _INFORM, ("activiteitenplan",) + _DUSI),
    "activiteit-gewijzigd": ("stuurgroep", _INFORM, ("activiteitenplan",) + _DUSI),
    "verschuiving-boven-drempel": ("stuurgroep", _INFORM, _RECORD),
    "verschuiving-onder-drempel": ("programmamanager", ("penvoerder",), ("begroting", "administratie")),
    "subsidie-gewijzigd": ("stuurgroep", _INFORM, _DUSI),
    "cofinanciering-onder-norm": ("stuurgroep", _INFORM, _RECORD),
    "partner-toetreding": ("stuurgroep", _INFORM, _RECORD),
    "partner-uittreding": ("stuurgroep", _INFORM, _DUSI),
    "personen-gewijzigd": ("stuurgroep", _INFORM, ("regioplan", "administratie")),
    "reglement-gewijzigd": ("stuurgroep", _INFORM, ("huishoudelijk-reglement", "administratie")),
}

T = TypeVar("T")

DOCUMENTS = {
    "regioplan": "Regioplan",
    "huishoudelijk-reglement": "Huishoudelijk reglement",
    "activiteitenplan": "Activiteitenplan",
    "meerjarenbegroting": "Meerjarenbegroting",
}


def body_in_text(key: str) -> str:
    """Return a deciding body as a sentence names it, e.g. 'het bestuurlijk overleg'; an unknown key as it is."""
    return f"{BODIES[key]} {PROCEDURE_WORDS[key]}" if key in BODIES else key


@dataclass(frozen=True)
class Place:
    """Where a thing is written: repository-relative path and 1-based line.

    `fields` holds the line of each key written directly under the thing, so a problem
    with one field can point at that field's own line.
    """

    path: str
    line: int
    fields: tuple[tuple[str, int], ...] = ()
    key: str = ""  # the thing's own field path, e.g. 'regels[3]'
    # Names the thing as people do ('Begrotingsregel techniekroute-po-2025-uren'); asked only for a problem.
    namer: Callable[[], str] | None = field(default=None, compare=False, repr=False)

    @property
    def label(self) -> str:
        """Return the thing as people name it, e.g. 'Begrotingsregel techniekroute-po-2025-uren'."""
        return self.namer() if self.namer is not None else ""

    def of(self, field: str) -> int:
        """Return the line of `field`, or of the thing itself when the field is not written."""
        return dict(self.fields).get(field, self.line)

    def name(self, field: str) -> str:
        """Return the full field path of `field`, e.g. 'regels[3].jaar'."""
        return f"{self.key}.{field}" if self.key else field

    def label_of(self, field: str) -> str:
        """Return `field` as people name it: 'Begrotingsregel x, jaar'; the thing alone for its id."""
        name = self.label
        if not name:
            return field
        return name if field in ("", "id") else f"{name}, {field}"

    def problem(self, field: str, message: str, severity: str = ERROR) -> Problem:
        """Return a problem with `field` of the thing written here: its line, path and name."""
        return Problem(self.path, self.of(field), self.name(field), message, severity, self.label_of(field))


@dataclass(frozen=True)
class Doelstelling:
    id: str
    naam: str
    programmalijn: str
    omschrijving: str
    indicator: str
    place: Place


@dataclass(frozen=True)
class Programmalijn:
    id: str
    naam: str
    omschrijving: str
    doelstellingen: tuple[Doelstelling, ...]
    place: Place


@dataclass(frozen=True)
class Partner:
    id: str
    naam: str
    soort: str
    plaats: str
    brin: str
    vestiging: str
    profielen: tuple[str, ...]
    leerwegen: tuple[str, ...]
    toegetreden: str
    uitgetreden: str
    kvk: str
    place: Place

    @property
    def is_school(self) -> bool:
        return self.soort in ("vmbo", "mbo", "po")


@dataclass(frozen=True)
class Person:
    id: str
    naam: str
    functie: str
    rol: str
    partner: str
    stuurgroep: bool
    email: str
    place: Place


@dataclass(frozen=True)
class Activity:
    id: str
    naam: str
    doelstelling: str
    trekker: str
    partners: tuple[str, ...]
    start: str  # YYYY-MM
    eind: str  # YYYY-MM
    status: str
    omschrijving: str
    resultaten: tuple[str, ...]
    place: Place


@dataclass(frozen=True)
class Totals:
    """Money of a set of budget lines: total cost, split into subsidie and cofinanciering."""

    totaal: Decimal = Decimal("0.00")
    subsidie: Decimal = Decimal("0.00")
    cofinanciering: Decimal = Decimal("0.00")

    def __add__(self, other: "Totals") -> "Totals":
        return Totals(self.totaal + other.totaal, self.subsidie + other.subsidie,
                      self.cofinanciering + other.cofinanciering)

    def __sub__(self, other: "Totals") -> "Totals":
        return Totals(self.totaal - other.totaal, self.subsidie - other.subsidie,
                      self.cofinanciering - other.cofinanciering)


@dataclass(frozen=True)
class BudgetLine:
    """One cost: aantal × prijs, in one year and category, for one activity.

    `totaal` is exact (it may have more than two decimals only in invalid content,
    which validate.py reports); subsidie = totaal − cofinanciering.
    """

    id: str
    activiteit: str
    jaar: int
    categorie: str
    omschrijving: str
    aantal: Decimal
    eenheid: str
    prijs: Decimal
    cofinanciering: Decimal
    cofinancier: str
    toelichting: str
    place: Place
    eenheid_meervoud: str = ""  # the plural when the unit is not in formatting.PLURALS

    @property
    def totaal(self) -> Decimal:
        return (self.aantal * self.prijs).quantize(CENT) if self.whole_cents else self.aantal * self.prijs

    @property
    def whole_cents(self) -> bool:
        product = self.aantal * self.prijs
        return product == product.quantize(CENT)

    @property
    def subsidie(self) -> Decimal:
        return self.totaal - self.cofinanciering

    @property
    def totals(self) -> Totals:
        return Totals(self.totaal, self.subsidie, self.cofinanciering)


def by_id(things: Iterable[T]) -> dict[str, T]:
    """Return `things` by their id, in their order."""
    return {thing.id: thing for thing in things}


def sum_lines(lines) -> Totals:
    """Return the totals of `lines`."""
    out = Totals()
    for line in lines:
        out = out + line.totals
    return out


@dataclass(frozen=True)
class Budget:
    lines: tuple[BudgetLine, ...]
    place: Place = Place("", 0)  # where the list of lines starts

    @property
    def totals(self) -> Totals:
        return sum_lines(self.lines)

    @property
    def lines_by_id(self) -> dict[str, BudgetLine]:
        return by_id(self.lines)

    def by(self, key) -> dict[Any, Totals]:
        """Return totals grouped by `key(line)`, in sorted key order."""
        groups: dict[Any, list[BudgetLine]] = defaultdict(list)
        for line in self.lines:
            groups[key(line)].append(line)
        return {k: sum_lines(groups[k]) for k in sorted(groups)}

    def by_year(self) -> dict[int, Totals]:
        return {year: self.by(lambda l: l.jaar).get(year, Totals()) for year in YEARS}

    def by_category(self) -> dict[str, Totals]:
        groups = self.by(lambda l: l.categorie)
        return {c: groups.get(c, Totals()) for c in CATEGORIES}

    def by_year_and_category(self) -> dict[tuple[int, str], Totals]:
        return self.by(lambda l: (l.jaar, l.categorie))

    def by_activity(self) -> dict[str, Totals]:
        return self.by(lambda l: l.activiteit)


@dataclass(frozen=True)
class ChangeRule:
    soort: str
    besluit: str
    informeren: tuple[str, ...]
    vastleggen: tuple[str, ...]
    toelichting: str
    place: Place | None  # None when the region writes no rule of this soort
    titel: str = ""  # the region's own name for the rule; empty: the name of its soort (CHANGE_KINDS)

    @property
    def naam(self) -> str:
        """Return the rule as readers know it: the region's title, else the name of its soort."""
        return self.titel or CHANGE_KINDS.get(self.soort, self.soort)

    @property
    def from_default(self) -> bool:
        """True when the regulation's default rule holds, because the region wrote none of this soort."""
        return self.place is None


@dataclass(frozen=True)
class Procedure:
    drempel_verschuiving: Decimal
    drempel_toelichting: Decimal
    regels: tuple[ChangeRule, ...]
    inhoudelijk: tuple[str, ...] = SUBSTANTIVE_FIELDS  # the activity fields whose change is one in substance
    place: Place | None = None

    def rule(self, soort: str) -> ChangeRule:
        return next(r for r in self.regels if r.soort == soort)


@dataclass(frozen=True)
class Document:
    key: str  # 'regioplan', ...
    titel: str
    ondertitel: str
    body: str
    body_line: int
    path: str


@dataclass(frozen=True)
class Vaststelling:
    commit: str
    datum: str
    orgaan: str
    kenmerk: str
    samenvatting: str
    place: Place


@dataclass(frozen=True)
class Region:
    """A whole region: the facts of its four documents. Lookups by id are in the `*_by_id` maps."""

    id: str
    naam: str
    soort: str
    maximale_subsidie: Decimal | None
    registratienummer: str
    penvoerder: str
    regiocoordinator: str
    programmalijnen: tuple[Programmalijn, ...]
    partners: tuple[Partner, ...]
    personen: tuple[Person, ...]
    activiteiten: tuple[Activity, ...]
    begroting: Budget
    procedure: Procedure
    documents: Mapping[str, Document]
    vaststellingen: tuple[Vaststelling, ...]
    assets: Mapping[str, bytes] = field(repr=False)
    place: Place = Place("", 0)
    # The projectadministratie (realisatie/), or None for a region that keeps none. Holds personal
    # data: only the signed statements may show it (docs/privacy.md).
    realisatie: "Realisatie | None" = field(default=None, repr=False)

    @property
    def folder(self) -> str:
        return f"{CONTENT}/{self.id}"

    @property
    def doelstellingen(self) -> tuple[Doelstelling, ...]:
        return tuple(d for p in self.programmalijnen for d in p.doelstellingen)

    @property
    def programmalijnen_by_id(self) -> dict[str, Programmalijn]:
        return by_id(self.programmalijnen)

    @property
    def doelstellingen_by_id(self) -> dict[str, Doelstelling]:
        return by_id(self.doelstellingen)

    @property
    def partners_by_id(self) -> dict[str, Partner]:
        return by_id(self.partners)

    @property
    def personen_by_id(self) -> dict[str, Person]:
        return by_id(self.personen)

    @property
    def activiteiten_by_id(self) -> dict[str, Activity]:
        return by_id(self.activiteiten)

    @property
    def effective_maximum(self) -> Decimal | None:
        """The maximum subsidie: the region's own for a techniekregio, EUR 4 M for a techniekluw one."""
        if self.soort == "techniekluw":
            return min(self.maximale_subsidie or TECHNIEKLUW_MAXIMUM, TECHNIEKLUW_MAXIMUM)
        return self.maximale_subsidie

    @property
    def cofinanciering_bedrijven(self) -> Decimal:
        kinds = {p.id: p.soort for p in self.partners}
        return sum((l.cofinanciering for l in self.begroting.lines if kinds.get(l.cofinancier) == "bedrijf"),
                   Decimal("0.00"))

    @property
    def cofinanciering_norm(self) -> Decimal:
        """The least cofinanciering by bedrijven: 10% of the subsidiabele total, rounded up to the cent."""
        from decimal import ROUND_CEILING
        return (self.begroting.totals.totaal * COFINANCING_NORM).quantize(CENT, rounding=ROUND_CEILING)

    @property
    def cofinanciering_bedrijven_share(self) -> Decimal:
        """Cofinanciering by bedrijven as a fraction of the subsidiabele total (0 for an empty budget)."""
        total = self.begroting.totals.totaal
        return self.cofinanciering_bedrijven / total if total else Decimal(0)

    @property
    def subsidie_ruimte(self) -> Decimal | None:
        """The maximum subsidie minus the subsidie asked (negative when over), or None without a maximum."""
        maximum = self.effective_maximum
        return None if maximum is None else maximum - self.begroting.totals.subsidie

    def programmalijn_of_activity(self, activity_id: str) -> Programmalijn | None:
        activity = self.activiteiten_by_id.get(activity_id)
        if activity is None:
            return None
        return next((p for p in self.programmalijnen
                     if any(d.id == activity.doelstelling for d in p.doelstellingen)), None)

    def budget_by_programmalijn(self) -> dict[str, Totals]:
        """Return totals per programmalijn id, in the order of the regioplan."""
        out = {p.id: Totals() for p in self.programmalijnen}
        for line in self.begroting.lines:
            lijn = self.programmalijn_of_activity(line.activiteit)
            if lijn is not None:
                out[lijn.id] = out[lijn.id] + line.totals
        return out


# --- construction from validated data -------------------------------------------------

def money(value: Any) -> Decimal:
    """Return a schema-valid amount (int, Decimal or text like '49,95') as Decimal."""
    if value is None:
        return Decimal("0.00")
    if isinstance(value, int):
        return Decimal(value).quantize(CENT)
    return Decimal(str(value).replace(",", ".")).quantize(CENT)


def number(value: Any) -> Decimal:
    """Return a schema-valid count (int, Decimal or text like '0,5') as Decimal."""
    if isinstance(value, Decimal):
        return value
    return Decimal(value.replace(",", ".")) if isinstance(value, str) else Decimal(value)


def _items(loaded: Loaded | None, key: str):
    if loaded is None or not isinstance(loaded.data, dict):
        return []
    return [(i, item) for i, item in enumerate(loaded.data.get(key) or []) if isinstance(item, dict)]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


# What a file that is missing or broken is replaced by, so that the rules that do not need it can still run on
# the others (validate.check_region leaves out the rules that do need it). Never rendered.
PLACEHOLDERS = {
    "regio.yaml": {"naam": "", "soort": "techniekluw", "penvoerder": ""},
    "programmalijnen.yaml": {"programmalijnen": []}, "partners.yaml": {"partners": []},
    "personen.yaml": {"personen": []}, "activiteiten.yaml": {"activiteiten": []}, "begroting.yaml": {"regels": []},
    "wijzigingsprocedure.yaml": {"drempel_verschuiving": 0, "drempel_toelichting": 0, "regels": []},
    **{f"{key}.md": {"titel": ""} for key in DOCUMENTS},
}


def with_placeholders(files: RegionFiles, broken: frozenset[str]) -> RegionFiles:
    """Return `files` with each broken or missing file (by name) replaced by its empty placeholder.

    A broken realisatie file takes the whole realisatie out: its files only make sense together.
    """
    drop_realisatie = any(name.startswith("realisatie/") for name in broken)
    replaced = {name: loaded for name, loaded in files.files.items()
                if name not in broken and not (drop_realisatie and name.startswith("realisatie/"))}
    for name in broken:
        if name in PLACEHOLDERS:
            path = f"{files.folder}/{name}"
            replaced[name] = Loaded(path, copy.deepcopy(PLACEHOLDERS[name]), {(): 1},
                                    body="" if name.endswith(".md") else None, body_line=1)
    return RegionFiles(files.name, replaced, files.assets)


def place_finder(files: Mapping[str, Loaded]) -> Callable[..., Place]:
    """Return `place(name, *fpath)`: where a field of one of `files` is, with the keys written under it."""
    children: dict[str, dict[tuple, list[tuple[str, int]]]] = {}

    def place(name: str, *fpath) -> Place:
        loaded = files[name]
        if name not in children:  # each file's index of keys under a field, made once, when first asked for
            index = children[name] = defaultdict(list)
            for key, line in loaded.lines.items():
                if key and isinstance(key[-1], str):
                    index[key[:-1]].append((key[-1], line))
        return Place(loaded.path, loaded.line(fpath), tuple(children[name].get(fpath, ())), dotted(fpath),
                     lambda: label(loaded.path, loaded.data, fpath))

    return place


def build_region(files: RegionFiles) -> Region:
    """Build the Region from its loaded, schema-valid files."""
    from .administratie.model import build_realisatie  # the administratie builds on this module
    f = files.files
    regio = f["regio.yaml"].data

    place = place_finder(f)

    programmalijnen = []
    for i, lijn in _items(f.get("programmalijnen.yaml"), "programmalijnen"):
        doelen = tuple(
            Doelstelling(d["id"], d["naam"], lijn["id"], _text(d.get("omschrijving")), _text(d.get("indicator")),
                         place("programmalijnen.yaml", "programmalijnen", i, "doelstellingen", j))
            for j, d in enumerate(lijn.get("doelstellingen") or []))
        programmalijnen.append(Programmalijn(lijn["id"], lijn["naam"], _text(lijn.get("omschrijving")), doelen,
                                             place("programmalijnen.yaml", "programmalijnen", i)))
    partners = tuple(
        Partner(p["id"], p["naam"], p["soort"], _text(p.get("plaats")), _text(p.get("brin")),
                _text(p.get("vestiging")), tuple(p.get("profielen") or ()), tuple(p.get("leerwegen") or ()),
                _text(p.get("toegetreden")), _text(p.get("uitgetreden")), _text(p.get("kvk")),
                place("partners.yaml", "partners", i))
        for i, p in _items(f.get("partners.yaml"), "partners"))
    personen = tuple(
        Person(p["id"], p["naam"], p["functie"], p["rol"], _text(p.get("partner")), bool(p.get("stuurgroep")),
               _text(p.get("email")), place("personen.yaml", "personen", i))
        for i, p in _items(f.get("personen.yaml"), "personen"))
    activiteiten = tuple(
        Activity(a["id"], a["naam"], a["doelstelling"], a["trekker"], tuple(a.get("partners") or ()),
                 a["start"], a["eind"], a["status"], a["omschrijving"], tuple(a.get("resultaten") or ()),
                 place("activiteiten.yaml", "activiteiten", i))
        for i, a in _items(f.get("activiteiten.yaml"), "activiteiten"))
    lines = tuple(
        BudgetLine(r["id"], r["activiteit"], r["jaar"], r["categorie"], r["omschrijving"], number(r["aantal"]),
                   r["eenheid"], money(r["prijs"]), money(r.get("cofinanciering")), _text(r.get("cofinancier")),
                   _text(r.get("toelichting")), place("begroting.yaml", "regels", i), _text(r.get("eenheid_meervoud")))
        for i, r in _items(f.get("begroting.yaml"), "regels"))
    procedure_data = f["wijzigingsprocedure.yaml"].data
    given = {r["soort"]: (i, r) for i, r in _items(f["wijzigingsprocedure.yaml"], "regels")}
    rules = []
    for soort, (besluit, informeren, vastleggen) in DEFAULT_CHANGE_RULES.items():
        if soort in given:
            i, r = given[soort]
            rules.append(ChangeRule(soort, r["besluit"], tuple(r.get("informeren") or ()),
                                    tuple(r.get("vastleggen") or ()), _text(r.get("toelichting")),
                                    place("wijzigingsprocedure.yaml", "regels", i), _text(r.get("titel"))))
        else:
            rules.append(ChangeRule(soort, besluit, informeren, vastleggen, "", None))
    substantive = procedure_data.get("inhoudelijke_velden")
    procedure = Procedure(money(procedure_data["drempel_verschuiving"]), money(procedure_data["drempel_toelichting"]),
                          tuple(rules), tuple(substantive) if substantive is not None else SUBSTANTIVE_FIELDS,
                          place("wijzigingsprocedure.yaml"))
    documents = {}
    for key in DOCUMENTS:
        loaded = f[f"{key}.md"]
        documents[key] = Document(key, loaded.data["titel"], _text(loaded.data.get("ondertitel")),
                                  loaded.body or "", loaded.body_line, loaded.path)
    vaststellingen = tuple(
        Vaststelling(v["commit"], v["datum"], v["orgaan"], v["kenmerk"], _text(v.get("samenvatting")),
                     place("vaststellingen.yaml", "vaststellingen", i))
        for i, v in _items(f.get("vaststellingen.yaml"), "vaststellingen"))
    maximum = regio.get("maximale_subsidie")
    return Region(
        id=files.name, naam=regio["naam"], soort=regio["soort"],
        maximale_subsidie=money(maximum) if maximum is not None else None,
        registratienummer=_text(regio.get("registratienummer")), penvoerder=regio["penvoerder"],
        regiocoordinator=_text(regio.get("regiocoordinator")),
        programmalijnen=tuple(programmalijnen), partners=partners, personen=personen,
        activiteiten=activiteiten, begroting=Budget(lines, place("begroting.yaml", "regels")), procedure=procedure, documents=documents,
        vaststellingen=vaststellingen, assets=dict(sorted(files.assets.items())),
        place=place("regio.yaml"), realisatie=build_realisatie(files),
    )
