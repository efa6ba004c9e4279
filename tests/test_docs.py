"""The docs say what the code does: the README's map of the code, its promises about the version, and the
table of common errors in docs/inhoud.md, each checked against the code and tests/cases/; every picture
the guides show exists, is a PNG and stays small; every link to another guide resolves."""
from __future__ import annotations

import io
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader

from gitrepo import CASE_FILES, CASES, ROOT
from stodocs.formatting import long_date, version_text
from stodocs.model import DOCUMENTS
from stodocs.pipeline import output_name
from stodocs.render import document_status
from stodocs.sources import Version

GUIDES = sorted((ROOT / "docs").glob("*.md"))
MAX_PICTURE_BYTES = 150_000  # pictures live in git forever: readable, not print quality
README = (ROOT / "README.md").read_text(encoding="utf-8")
GUIDE = (ROOT / "docs" / "inhoud.md").read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    start = text.index(f"\n{heading}\n")
    end = text.find("\n#", start + len(heading) + 2)
    return text[start:end if end > 0 else len(text)]


def _readme_map() -> list[str]:
    """Return the paths in the README's developer map, e.g. 'stodocs/diff/redline.py'."""
    block = _section(README, "## For developers").split("```\n")[1]
    paths, stack = [], []
    for line in block.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        if indent >= 20:  # a description continued on the next line
            continue
        name = line.split()[0]
        stack[indent // 2:] = [name.rstrip("/")]
        paths.append("/".join(stack))
    return paths


def test_readme_map_lists_every_module_and_only_what_exists():
    listed = _readme_map()
    modules = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "stodocs").rglob("*.py")
                     if p.name != "__init__.py" and "__pycache__" not in p.parts)
    assert [m for m in modules if m not in listed] == [], "add these modules to the README's developer map"
    assert [p for p in listed if "<" not in p and not (ROOT / p).exists()] == [], "the map names what is not there"


COMMIT = "1a2b3c4d5e" + "0" * 30
MOMENT = datetime(2026, 3, 14, 9, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("version, label, in_file_name", [
    (Version(COMMIT, None, MOMENT, dirty=False, in_git=True), "1a2b3c4d5e", "1a2b3c4d5e"),
    (Version(COMMIT, "v1.0-3-g1a2b3c4d5e", MOMENT, dirty=False, in_git=True), "v1.0-3-g1a2b3c4d5e", None),
    (Version(COMMIT, None, MOMENT, dirty=True, in_git=True), "1a2b3c4d5e+concept", "-concept"),
    (Version(None, None, MOMENT, dirty=False, in_git=False), "buiten git", "buiten-git"),
])
def test_readme_names_the_version_labels_stodocs_writes(version, label, in_file_name):
    assert version.label == label and f"`{label}`" in README
    name = output_name("lindewaard", "meerjarenbegroting", version, "pdf")
    assert name == f"lindewaard/meerjarenbegroting-{version.slug}.pdf"
    if in_file_name:
        assert name.endswith(f"{in_file_name}.pdf") and f"`{in_file_name}`" in README
    if label == "1a2b3c4d5e":
        assert f"`output/{name}`" in README


def test_readme_promise_on_cover_footer_and_metadata(example_build):
    """Cover and every page's footer: the version as people read it (date, short hash) and the status;
    a CONCEPT watermark unless vastgesteld (test_typesetting.py); metadata: version, status, date."""
    promise = ("Op het voorblad en in de voettekst van elke pagina staat de versie zoals mensen hem lezen, "
               '"Versie van 14 maart 2026 (0d307d1)" (commitdatum en korte hash), met de status (concept, of door '
               "wie en wanneer vastgesteld); een versie die niet is vastgesteld draagt op elke pagina een licht "
               "watermerk CONCEPT. De metadata van de PDF bevat de versie en de status (onderwerp) en de datum "
               "(aanmaakdatum). Die datum is de commitdatum")
    assert promise in " ".join(README.split())
    version = example_build.version
    status = document_status(version)
    shown = version_text(version)
    assert long_date(version.date) in shown and version.commit[:7] in shown
    for key in DOCUMENTS:
        reader = PdfReader(io.BytesIO(example_build.pdf(key)))
        cover = " ".join(reader.pages[0].extract_text().split())
        assert shown in cover and f"Versie {version.label}" in cover and f"Datum {long_date(version.date)}" in cover
        assert f"Status {status}" in cover
        for page in reader.pages[1:]:
            assert f"{shown} · {status}" in " ".join(page.extract_text().split())
        assert version.label in reader.metadata.subject and status in reader.metadata.subject
        assert reader.metadata["/CreationDate"].startswith(f"D:{version.date:%Y%m%d%H%M%S}")


def _error_table() -> list[tuple[str, str, str]]:
    """Return each row of the common-errors table: what the user wrote, the message, the case folder."""
    rows = []
    for line in _section(GUIDE, "## Veelgemaakte fouten en hun meldingen").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if len(cells) == 3 and cells[2].startswith("["):
            rows.append((cells[0], cells[1], re.fullmatch(r"\[.*\]\(\.\./tests/cases/(.+)/\)", cells[2]).group(1)))
    return rows


def _written(case: Path) -> str:
    """Return what a case adds to the fixture: the new lines of its patch and the text of its own files."""
    added = []
    for path in sorted(case.iterdir()):
        if path.name == "change.patch":
            added += [line[1:] for line in path.read_text(encoding="utf-8").splitlines()
                      if line.startswith("+") and not line.startswith("+++")]
        elif path.name not in CASE_FILES:
            added.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(added)


def test_the_common_errors_table_is_what_the_cases_report():
    rows = _error_table()
    assert len(rows) >= 10
    for wrote, said, case in rows:
        expected = CASES / case / "expected.txt"
        assert expected.exists(), f"docs/inhoud.md: the example for {wrote} ({case}) does not exist"
        for snippet in re.findall(r"`([^`]*:[^`]*)`", wrote):  # what the user wrote, e.g. `jaar: 2029`
            assert snippet in _written(CASES / case), f"docs/inhoud.md: {case} does not write {snippet!r}"
        reported = " ".join(expected.read_text(encoding="utf-8").replace("\u00a0", " ").split())
        message = max(re.findall(r"`([^`]+)`", said), key=len)  # the message; '…' stands for any text
        pattern = ".*?".join(re.escape(part) for part in message.split("…"))
        assert re.search(pattern, reported), f"docs/inhoud.md: {wrote}: stodocs does not say {message!r} in {case}"


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


def test_every_cited_domain_section_exists():
    """Code cites the domain rules as 'docs/domein.md § n': each n is a numbered section of that file."""
    sections = set(re.findall(r"^## (\d+)\. ", (ROOT / "docs" / "domein.md").read_text("utf-8"), re.M))
    cited = {}
    for path in sorted((ROOT / "stodocs").rglob("*.py")) + [ROOT / "README.md"]:
        for cite in re.findall(r"docs/domein\.md((?: § \d+(?:,| and| en)?)+)", path.read_text("utf-8")):
            for number in re.findall(r"\d+", cite):
                cited.setdefault(number, path.relative_to(ROOT).as_posix())
    assert cited, "no code cites docs/domein.md"
    assert {n: p for n, p in cited.items() if n not in sections} == {}


def test_every_test_the_security_policy_names_exists():
    """docs/security.md names the test of each promise: each must exist, so a renamed test updates the policy."""
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    named = re.findall(r"`(test_\w+\.py)::(test_\w+)`", text)
    assert len(named) >= 40
    for module, function in named:
        source = (ROOT / "tests" / module).read_text(encoding="utf-8")
        assert f"def {function}(" in source, f"{module}::{function}"
    for case in re.findall(r"`tests/cases/(\S+?)/`", text):
        assert (ROOT / "tests" / "cases" / case).is_dir(), case
