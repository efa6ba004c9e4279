"""The one comment on a proposal (pull or merge request): every changed region's summary, found again by its marker."""
from __future__ import annotations

# The first line of the comment. The shipped workflows look for it to update the comment in place instead of adding
# one per push; it is an HTML comment, so nobody sees it.
MARKER = "<!-- stodocs:voorstel -->"
# GitHub refuses a comment of over 65,536 characters (GitLab allows more); stay well below, with room for the note.
MAX_CHARS = 60_000


def comment_markdown(sections: list[tuple[str, str | None]], base: str) -> str:
    """Return the comment body: per region (sorted) its summary, or that nothing changed; `base` names the old side.

    A body that would be too long for the git host keeps whole regions and names those left out; the redline
    files (artifacts) always hold everything.
    """
    changed = [(name, md) for name, md in sorted(sections) if md]
    unchanged = [name for name, md in sorted(sections) if not md]
    head = [MARKER, "# stodocs: wat dit voorstel verandert", "",
            f"Vergeleken met `{base.replace('`', '')}`. De redline (PDF en HTML) staat bij de artefacten van deze "
            "controle. Dit commentaar wordt bij elke nieuwe versie van het voorstel bijgewerkt.", ""]
    if not sections:
        head += ["Geen regio's vergeleken.", ""]
    elif not changed:
        head += ["Dit voorstel verandert niets aan de documenten van de regio's.", ""]
    body = "\n".join(head)
    left_out = []
    for name, md in changed:
        part = md.rstrip("\n") + "\n\n"
        if len(body) + len(part) > MAX_CHARS:
            left_out.append(name)
        else:
            body += part
    if left_out:
        body += (f"_Te lang voor één commentaar; de samenvatting van {', '.join(left_out)} staat in de artefacten "
                 "(`output/diffs/<regio>/*.md`)._\n\n")
    if unchanged and changed:
        body += f"Ongewijzigd: {', '.join(unchanged)}.\n"
    return body.rstrip("\n") + "\n"
