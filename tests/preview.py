#!/usr/bin/env python3
"""Page images for a reviewer (`make preview`): every page of the example's documents and of a redline, as PNG.

The example region under content/ is committed in a throw-away repository, built, then changed as in
tests/cases/casussen/typische-wijziging and compared, exactly as a user would with build.py. The pages land in
output/preview/<document>-p01.png, ... and redline-p01.png, ...; the tests use `rasterise` from here.
Then the stuurgroep's approval of v1.0 is recorded and the review site is built (`build.py site`), and Chromium
takes screenshots of its home page, the region page and the redline page: site-home.png, site-regio.png,
site-redline.png.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import pypdfium2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import LAPTOP, chromium, serve  # noqa: E402
from gitrepo import EXAMPLE, GitRepo  # noqa: E402
from stodocs.sources import WorkingTree  # noqa: E402

PREVIEW = ROOT / "output" / "preview"
DPI = 100


def rasterise(pdf: bytes, dpi: int = DPI, pages: range | None = None, grey: bool = False) -> list:
    """Return PIL images of the pages of `pdf` (all, or `pages`), at `dpi`; `grey`: as a greyscale print."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        wanted = pages if pages is not None else range(len(document))
        return [document[i].render(scale=dpi / 72, grayscale=grey).to_pil() for i in wanted]
    finally:
        document.close()


def _built(repo: GitRepo, *args: str) -> None:
    done = repo.run_cli(*args, today=None)
    if done.returncode != 0:
        raise SystemExit(f"build.py {' '.join(args)} mislukte:\n{done.stdout}{done.stderr}")


def _site_screenshots(repo: GitRepo, site: Path) -> None:
    """Record the approval of v1.0, build the review site, and take screenshots of three of its pages."""
    approved = repo.git("rev-parse", "v1.0")
    repo.file("vaststellingen.yaml").write_text(
        f"vaststellingen:\n  - commit: {approved}\n    datum: 2026-03-10\n    orgaan: stuurgroep\n"
        "    kenmerk: SG-2026-03 besluit 4\n    samenvatting: Regioplan 2025-2028 vastgesteld.\n", encoding="utf-8")
    repo.commit("Vaststelling van v1.0")
    _built(repo, "site", "--output", str(site))
    [redline] = sorted((site / EXAMPLE).glob("redline-*.html"))
    with serve(site) as base, chromium() as browser:
        page = browser.new_page(viewport=LAPTOP)
        for name, path in (("site-home", "index.html"), ("site-regio", f"{EXAMPLE}/index.html"),
                           ("site-redline", f"{EXAMPLE}/{redline.name}")):
            page.goto(base + path)
            page.screenshot(path=str(PREVIEW / f"{name}.png"), full_page=True)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="stodocs-preview-") as tmp:
        repo = GitRepo(Path(tmp) / "repo")
        repo.root.mkdir()
        shutil.copy(ROOT / "build.py", repo.root / "build.py")
        shutil.copytree(ROOT / "content" / EXAMPLE, repo.root / "content" / EXAMPLE)
        repo.commit("Voorbeeld", tag="v1.0")
        repo.apply_case("casussen/typische-wijziging")
        repo.commit("Een gewone wijziging")
        out = Path(tmp) / "output"
        _built(repo, "build", "--output", str(out))
        _built(repo, "diff", "--from", "v1.0", "--to", "HEAD", "--output", str(out))
        if PREVIEW.exists():
            shutil.rmtree(PREVIEW)
        PREVIEW.mkdir(parents=True)
        version = f"-{WorkingTree(repo.root).version().slug}"
        for pdf in sorted(out.rglob("*.pdf")):
            # output/<regio>/<document>-<versie>.pdf (the plan documents, a rapportage, G2), or a redline:
            # diffs/<regio>/<regio>-v1.0-naar-<versie>.pdf, and one per rapportage in diffs/<regio>/rapportages/
            if pdf.parent == out / EXAMPLE:
                stem = pdf.stem.removesuffix(version)
            else:
                compared = pdf.stem.split("-v1.0-naar-")[0]
                stem = "redline" if compared == EXAMPLE else f"redline-{compared}"
            for number, image in enumerate(rasterise(pdf.read_bytes()), start=1):
                image.save(PREVIEW / f"{stem}-p{number:02d}.png")
        _site_screenshots(repo, Path(tmp) / "site")
    print(f"Pagina's als afbeelding in {PREVIEW.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
