"""A new region folder that validates from the first minute, with every field still to fill in marked."""
from __future__ import annotations

from pathlib import Path

from .problems import UsageError
from .sources import CONTENT, REGION_NAME
from .write import Writer

SCAFFOLD = Path(__file__).resolve().parent.parent / "templates" / "nieuwe-regio"


def region_title(name: str) -> str:
    """Return a folder name as a place name: `west-brabant` -> `West-Brabant`."""
    return "-".join(part[:1].upper() + part[1:] for part in name.split("-"))


def scaffold_files(name: str) -> dict[str, bytes]:
    """Return the new region's files by name, with its name filled in."""
    return {path.name: path.read_text(encoding="utf-8").replace("{{ regio }}", name)
            .replace("{{ titel }}", region_title(name)).encode("utf-8")
            for path in sorted(SCAFFOLD.iterdir()) if path.is_file()}


def scaffold_region(root: Path, name: str) -> Path:
    """Write content/<name>/ with the scaffold's files; refuse a bad name or an existing folder."""
    if not REGION_NAME.match(name):
        raise UsageError(f"'{name}' kan geen regiomap zijn: gebruik kleine letters, cijfers en streepjes "
                         "(bijvoorbeeld west-brabant)")
    folder = Path(root) / CONTENT / name
    if folder.exists() or folder.is_symlink():
        raise UsageError(f"{CONTENT}/{name} bestaat al; kies een andere naam of bewerk de bestaande regio")
    writer = Writer(folder)
    with writer.together():  # the new region appears whole or not at all
        for file_name, data in scaffold_files(name).items():
            writer.write(file_name, data)
    return folder
