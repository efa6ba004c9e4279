"""Read a region's realisatie from a private folder outside the repository (`--realisatie MAP`).

MAP/<regio>/ holds the same files as content/<regio>/realisatie/ (personeel.yaml, …); the plan
repository can then be read by the whole region while the personal data stays elsewhere
(docs/privacy.md). This is the only reader of that folder.
"""
from __future__ import annotations

from pathlib import Path

from ..load import REALISATIE_FILES, RegionFiles, load_file, suggest
from ..problems import Problem
from ..sources import MAX_FILE_BYTES, SourceFile

NAMES = tuple(path.split("/", 1)[1] for path in REALISATIE_FILES)


def _read(path: Path) -> SourceFile:
    shown = str(path)
    if path.is_symlink():
        return SourceFile(shown, None, "is een symbolische koppeling; zet het bestand zelf in de map")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return SourceFile(shown, None, f"het bestand is {size:,} bytes; dat is geen administratiebestand".replace(",", "."))
        return SourceFile(shown, path.read_bytes())
    except OSError as exc:
        return SourceFile(shown, None, f"kan niet gelezen worden ({exc.strerror})")


def add_private_realisatie(files: RegionFiles, root: Path) -> list[Problem]:
    """Load root/<regio>/*.yaml into `files` as its realisatie; return the problems found on the way."""
    folder = root / files.name
    if folder.is_symlink():
        return [Problem(str(folder), 0, "", "deze map is een symbolische koppeling; die wordt nooit gevolgd: zet de "
                                            "bestanden van de realisatie zelf in deze map")]
    if not folder.is_dir():
        return []
    problems: list[Problem] = []
    in_repo = [name for name in REALISATIE_FILES if name in files.files]
    if in_repo:
        return [Problem(f"{files.folder}/realisatie", 0, "",
                        f"de realisatie staat zowel hier als in {folder}; houd haar op één plek. Staat ze in een "
                        "aparte map (--realisatie), haal dan de map realisatie/ uit de repository")]
    present = sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    for name in present:
        if name not in NAMES:
            if name.endswith((".yaml", ".yml")):
                guess = suggest(name, NAMES)
                hint = f"; bedoelde u '{guess}'?" if guess else f"; bekende bestanden: {', '.join(NAMES)}"
                problems.append(Problem(str(folder / name), 0, "", f"onbekend bestand{hint}"))
            continue
        loaded, found = load_file(_read(folder / name))
        problems += found
        if loaded is not None:
            files.files[f"realisatie/{name}"] = loaded
    if present and "verantwoording.yaml" not in present:
        problems.append(Problem(str(folder / "verantwoording.yaml"), 0, "",
                                "bestand ontbreekt; wie een realisatie bijhoudt, noemt hierin de peildatum: tot en met "
                                "welke dag de administratie bij is (zie docs/inhoud.md)"))
    return problems
