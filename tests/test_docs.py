"""The guides: every picture they show exists, is a PNG and stays small; every link to another guide resolves."""
from __future__ import annotations

import re

import pytest

from gitrepo import ROOT

GUIDES = sorted((ROOT / "docs").glob("*.md"))
MAX_PICTURE_BYTES = 150_000  # pictures live in git forever: readable, not print quality


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_pictures_and_links_resolve(guide):
    # examples in code (fenced blocks, `inline`) are not links
    text = re.sub(r"`[^`\n]*`", "", re.sub(r"```.*?```", "", guide.read_text("utf-8"), flags=re.S))
    for target in re.findall(r"\]\(([^)#\s]+)\)", text):
        if target.startswith(("http://", "https://")):
            continue
        assert (guide.parent / target).exists(), f"{guide.name} links to missing {target}"
    for picture in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text):
        data = (guide.parent / picture).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) < MAX_PICTURE_BYTES, picture


def test_the_guide_shows_a_redline_page_and_the_comment():
    text = (ROOT / "docs" / "handleiding.md").read_text("utf-8")
    assert {"img/redline-overzicht.png", "img/redline-pagina.png", "img/commentaar.png"} <= set(
        re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text))
