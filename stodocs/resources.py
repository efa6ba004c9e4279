"""Where stodocs finds its templates and schemas: in the installed package, or beside it in the source tree.

The repository keeps templates/ and schemas/ at the top, as a region's maintainers expect; a wheel
carries them inside the package as stodocs/templates and stodocs/schemas (see pyproject.toml).
"""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def data_folder(name: str) -> Path:
    """Return the folder `name` ('templates' or 'schemas') that this copy of stodocs was shipped with."""
    installed = PACKAGE / name
    return installed if installed.is_dir() else PACKAGE.parent / name
