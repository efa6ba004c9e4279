"""The one comment on a proposal (pull or merge request): every changed region's summary, found again by its marker."""
from __future__ import annotations

from ..formatting import markdown_text, one_line
from ..problems import Problem
from ..report import markdown_table

# The first line of the comment. The shipped workflows look for it to update the comment in place instead of adding
# one per push; it is an HTML comment, so nobody sees it.
MARKER = "<!-- stodocs:voorstel -->"
# GitHub refuses a comment of over 65,536 characters (GitLab allows more); stay well below, with room for the note.
MAX_CHARS = 60_000


def _head(base: str) -> list[str]:
    return [MARKER, "# stodocs: wat dit voorstel verandert", "",
            f"Vergeleken met `{one_line(base).replace('`', '')}`. De redline (PDF en HTML) staat bij de artefacten van deze "
            "controle. Dit commentaar wordt bij elke nieuwe versie van het voorstel bijgewerkt.", ""]


def comment_problems(problems: list[Problem], base: str) -> str:
    """Return the comment body when the versions cannot be compared: the problems that stand in the way."""
    shown = problems[:200]  # a table of hundreds helps nobody, and must fit in one comment
    more = f"\n_En nog {len(problems) - len(shown)} problemen; zie de controle._\n" if len(problems) > len(shown) else ""
    return "\n".join([*_head(base), "**Dit voorstel kan nog niet vergeleken worden:** los eerst deze problemen op. "
                      "Ze staan ook als meldingen bij de regels van het voorstel.", "",
                      markdown_table(shown, "Problemen")]) + more


def comment_markdown(sections: list[tuple[str, str | None]], base: str) -> str:
    """Return the comment body: per region (sorted) its summary, or that nothing changed; `base` names the old side.

    Each region is named as its documents name it (`Techniekregio Lindewaard`), never by its folder.

    A body that would be too long for the git host keeps whole regions and names those left out; the redline
    files (artifacts) always hold everything.
    """
    changed = [(name, md) for name, md in sorted(sections) if md]
    unchanged = [name for name, md in sorted(sections) if not md]
    head = _head(base)
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
        body += (f"_Te lang voor één commentaar; de samenvatting van {', '.join(markdown_text(n) for n in left_out)} "
                 "staat in de artefacten "
                 "(`output/diffs/<regio>/*.md`)._\n\n")
    if unchanged and changed:
        body += f"Ongewijzigd: {', '.join(markdown_text(name) for name in unchanged)}.\n"
    return body.rstrip("\n") + "\n"
