"""How a place in the content is named for the people who read the messages.

A message says "Jaartaak Kees de Boer 2025-2026, STO-regel 1" where the machine path is
`jaartaken[1].sto[1]`: the names come from what the user wrote (a naam, a factuurnummer), and
each list's item has its Dutch noun here, in one table. Machine formats keep the path.
"""
from __future__ import annotations

from typing import Any, Callable

from .formatting import one_line

MAX_NAME = 60  # a longer name (an omschrijving) is cut: the label leads the message, it does not replace it


def _field(key: str) -> Callable[[dict, Any], str]:
    return lambda item, data: _plain(item.get(key))


def _plain(value: Any) -> str:
    return one_line(str(value)) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""


def _staff_name(item: dict, data: Any) -> str:
    """The medewerker's naam from the same file (personeel.yaml), or the id the user wrote."""
    wanted = item.get("medewerker")
    for person in (data.get("medewerkers") if isinstance(data, dict) else None) or []:
        if isinstance(person, dict) and person.get("id") == wanted and _plain(person.get("naam")):
            return _plain(person.get("naam"))
    return _plain(wanted)


def _jaartaak(item: dict, data: Any) -> str:
    return " ".join(part for part in (_staff_name(item, data), _plain(item.get("schooljaar"))) if part)


def _verklaring(item: dict, data: Any) -> str:
    period = f"{_plain(item.get('van'))} t/m {_plain(item.get('tot_en_met'))}" if item.get("van") else ""
    return " ".join(part for part in (_staff_name(item, data), period) if part)


def _invoice(item: dict, data: Any) -> str:
    number, supplier = _plain(item.get("factuurnummer")), _plain(item.get("leverancier"))
    return f"{number} van {supplier}" if number and supplier else number


def _toelichting(item: dict, data: Any) -> str:
    regel = _plain(item.get("regel"))
    return f"bij {regel}" if regel else ""


# (file name, list key) -> (noun of one item, how it is named; None: by its number in the list).
ITEMS: dict[tuple[str, str], tuple[str, Callable[[dict, Any], str] | None]] = {
    ("programmalijnen.yaml", "programmalijnen"): ("programmalijn", _field("naam")),
    ("programmalijnen.yaml", "doelstellingen"): ("doelstelling", _field("naam")),
    ("partners.yaml", "partners"): ("partner", _field("naam")),
    ("partners.yaml", "profielen"): ("profiel", None),
    ("partners.yaml", "leerwegen"): ("leerweg", None),
    ("personen.yaml", "personen"): ("persoon", _field("naam")),
    ("activiteiten.yaml", "activiteiten"): ("activiteit", _field("naam")),
    ("activiteiten.yaml", "partners"): ("partner", None),
    ("activiteiten.yaml", "resultaten"): ("resultaat", None),
    ("begroting.yaml", "regels"): ("begrotingsregel", _field("id")),
    ("wijzigingsprocedure.yaml", "regels"): ("procedureregel", _field("soort")),
    ("vaststellingen.yaml", "vaststellingen"): ("vaststelling", _field("kenmerk")),
    ("personeel.yaml", "medewerkers"): ("medewerker", _field("naam")),
    ("personeel.yaml", "jaartaken"): ("jaartaak", _jaartaak),
    ("personeel.yaml", "verklaringen"): ("verklaring", _verklaring),
    ("personeel.yaml", "aanstelling"): ("aanstelling", None),
    ("personeel.yaml", "uitbreiding"): ("uitbreiding", None),
    ("personeel.yaml", "verlof"): ("verlof", None),
    ("personeel.yaml", "lesgebonden_taken"): ("lesgebonden taak", None),
    ("personeel.yaml", "overige_taken"): ("overige taak", None),
    ("personeel.yaml", "sto"): ("STO-regel", None),
    ("afschrijvingen.yaml", "afschrijvingen"): ("afschrijving op factuur", _invoice),
    ("afschrijvingen.yaml", "regels"): ("regel", None),
    ("kosten.yaml", "kosten"): ("factuur", _invoice),
    ("cofinanciering.yaml", "cofinanciering"): ("cofinanciering", _field("id")),
    ("subsidie.yaml", "voorschotten"): ("voorschot", _field("id")),
    ("verantwoording.yaml", "toelichtingen"): ("toelichting", _toelichting),
}


def _short(name: str) -> str:
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1].rstrip() + "…"


def label(path: str, data: Any, fpath: tuple) -> str:
    """Return how people name field `fpath` of the file at `path` holding `data`: 'Begrotingsregel x, prijs'.

    A list item is its noun and its name (or its number); a key is written as the user wrote it; the
    key `id` of an item adds nothing to the item's own name and is left out.
    """
    file = path.rsplit("/", 1)[-1]
    parts: list[str] = []
    current = data
    for i, step in enumerate(fpath):
        following = fpath[i + 1] if i + 1 < len(fpath) else None
        if isinstance(step, int):
            key = fpath[i - 1] if i and isinstance(fpath[i - 1], str) else ""
            noun, naming = ITEMS.get((file, key), (f"{key or 'item'} nummer", None))
            item = current[step] if isinstance(current, list) and 0 <= step < len(current) else None
            name = naming(item, data) if naming and isinstance(item, dict) else ""
            parts.append(f"{noun} {_short(name) if name else step + 1}")
            current = item
            continue
        key = one_line(str(step))
        is_list_key = isinstance(following, int)
        if not is_list_key and not (key == "id" and parts and following is None):
            parts.append(key)
        current = current.get(step) if isinstance(current, dict) else None
    text = ", ".join(parts)
    starts_with_item = len(fpath) > 1 and isinstance(fpath[1], int)  # a noun of ours, not a key the user wrote
    return text[:1].upper() + text[1:] if starts_with_item else text
