"""Dutch word breaks that respect compounds: pyphen's nl patterns, corrected for the compounds of our documents.

Pyphen (which WeasyPrint uses for `hyphens: auto`) knows syllables, not compounds: it breaks
"vakex-perts", "werkom-geving", "programmama-nagement". COMPOUNDS lists the compounds these plans
use, with their parts; such a word breaks at a part boundary, or at a syllable at least three letters
away from one ("onderwijsonder-steunend"), never just beside a boundary. Headings and table cells
are not hyphenated at all (print.css).
"""
from __future__ import annotations

from functools import cache

import pyphen

LANGUAGE = "nl"
NEAREST_TO_A_BOUNDARY = 3  # letters between a part boundary and a syllable break inside a part

# Compounds, their parts separated by "|". Inflected forms are listed where the plans use them.
COMPOUNDS = """
onderwijs|ondersteunend onderwijs|ondersteunende onderwijs|ondersteuning onderwijs|instelling
onderwijs|instellingen onderwijs|personeel onderwijs|zorg|continuüm techniek|onderwijs beroeps|onderwijs
basis|onderwijs vak|expert vak|experts vak|expertise werk|omgeving werk|omgevingen leer|omgeving
leer|omgevingen programma|management programma|manager programma|managers programma|lijn programma|lijnen
programma|niveau praktijk|lokaal praktijk|lokalen praktijk|leren praktijk|opdrachten praktijk|onderdelen
praktijk|voorzieningen praktijk|begeleider praktijk|begeleiders installatie|techniek installatie|sector
installatie|materiaal energie|techniek energie|transitie energie|voorziening zorg|technologie
onderhouds|techniek project|administratie project|leider project|leiders project|team|lid project|periode
loopbaan|oriëntatie loopbaan|oriëntatie|en|begeleiding instroom|bevordering samenwerkings|verband
samenwerkings|overeenkomst partner|bedrijven partner|scholen partner|basis|scholen voortgangs|rapportage
voortgangs|rapportages voortgangs|overzicht voortgangs|bespreking wijzigings|procedure wijzigings|formulier
meer|jaren|begroting begrotings|regels begrotings|ruimte kosten|categorie kosten|categorieën
docent|professionalisering docenten|programma techniek|leskisten techniek|festival techniek|middagen
techniek|dagen techniek|regio techniek|route techniek|coach techniek|buddy arbeids|markt|cijfers
arbeids|markt|monitor stuurgroep|vergadering stuurgroep|lid werk|groep|trekker subsidie|verlening
subsidie|regeling cofinancierings|verklaring cofinancierings|afspraken afschrijvings|termijn
uren|verantwoording bedrijfs|stage bedrijfs|stages bedrijfs|leven stage|plaatsen stage|coördinatie
stage|coördinatoren stage|begeleiding software|licenties scholings|trajecten coachings|traject
begeleidings|traject begeleidings|programma basisschool|leerlingen laad|infra|structuur metaal|bewerking
maak|industrie voedings|industrie woning|voorraad verbruiks|materiaal ontwikkel|uren eind|evaluatie
accountants|verklaring personeels|last gebruiks|rooster registratie|nummer regio|portretten
regio|coördinator regio|coördinatoren
""".split()


def _pattern(parts: list[str], syllables: list[int]) -> str:
    """Return a hyphenation pattern for the whole word: 9 (break) at allowed points, 8 (never) elsewhere."""
    word = "".join(parts)
    boundaries, at = set(), 0
    for part in parts[:-1]:
        at += len(part)
        boundaries.add(at)
    allowed = boundaries | {s for s in syllables if all(abs(s - b) >= NEAREST_TO_A_BOUNDARY for b in boundaries)}
    return "." + word[0] + "".join(("9" if i in allowed else "8") + word[i] for i in range(1, len(word))) + "."


@cache
def install() -> None:
    """Give pyphen's Dutch dictionary (the one WeasyPrint loads) the compound patterns; once per process."""
    path = pyphen.LANGUAGES[pyphen.language_fallback(LANGUAGE)]
    dictionary = pyphen.hdcache.get(path) or pyphen.HyphDict(path)  # parsed once, shared with WeasyPrint
    compounds = [entry.split("|") for entry in COMPOUNDS]
    syllables = [[int(p) for p in dictionary.positions("".join(parts))] for parts in compounds]  # before the change
    for parts, points in zip(compounds, syllables):
        pattern = _pattern(parts, points)
        # Stored as HyphDict stores a pattern line: its letters, the first non-zero value's offset, the values.
        tags, values = zip(*[(letters, int(digit or "0")) for digit, letters in pyphen.parse(pattern)])
        start = next(i for i, v in enumerate(values) if v)
        end = max(i for i, v in enumerate(values) if v) + 1
        dictionary.patterns["".join(tags)] = start, values[start:end]
    dictionary.maxlen = max(len(key) for key in dictionary.patterns)
    dictionary.cache.clear()
    pyphen.hdcache[path] = dictionary
