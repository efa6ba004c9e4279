"""Shared helpers: a copy of the example region in a temporary repository."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = "lindewaard"
# A fixed "today" far from any deadline of the regulation, so no deadline warning appears.
TODAY = date(2025, 6, 1)


def copy_example(root: Path, name: str = EXAMPLE) -> Path:
    """Copy the example region to `root/content/<name>` and return that folder."""
    target = root / "content" / name
    shutil.copytree(ROOT / "content" / EXAMPLE, target)
    return target


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository root holding a copy of the example region."""
    copy_example(tmp_path)
    return tmp_path
