"""The dry-run report: what an import would write, and every line it would drop."""

from __future__ import annotations

from pathlib import Path

from .plan import ImportPlan


def describe_import(plan: ImportPlan) -> str:
    """The dry-run report: title, slug, author, sections with paragraph counts, the images
    copied for figures, bio, drops."""
    out = [
        f"title:    {plan.title}",
        f"article:  {plan.slug} -> {_shown(plan, plan.article_path)}"
        + (" (exists: --force overwrites it)" if plan.article_exists else " (new)"),
        f"author:   {plan.author_id} -> {_shown(plan, plan.author_path)}" + _author_state(plan),
        f"date:     {plan.date.isoformat() if plan.date else 'none (pass --date YYYY-MM-DD)'}",
    ]
    if plan.lang:
        out.append(f"lang:     {plan.lang}")
    if plan.source_url:
        out.append(f"source:   {plan.source_url}")
    out.append(f"lede:     {_count(plan.lede_count, 'paragraph')}")
    out.append(f"sections: {len(plan.sections)}")
    out.extend(f"  {heading} ({_count(n, 'paragraph')})" for heading, n in plan.sections)
    out.extend(f"figure:   articles/{copy.reference} <- {copy.source}" for copy in plan.figures)
    if plan.footnotes:
        out.append(f"notes:    {_count(plan.footnotes, 'footnote')}")
    out.append("bio:" + ("" if plan.bio else "      none found"))
    out.extend(f"  {line}" for line in plan.bio.split("\n") if line)
    out.append(f"dropped:  {_count(len(plan.drops), 'line')}")
    out.extend(f"  line {d.line}: {d.text}  [{d.reason}]" for d in plan.drops)
    out.extend(f"note: {note}" for note in plan.notes)
    return "\n".join(out)


def _shown(plan: ImportPlan, path: Path) -> str:
    try:
        return str(path.relative_to(plan.project_root))
    except ValueError:
        return str(path)


def _author_state(plan: ImportPlan) -> str:
    if plan.author_exists:
        return " (exists: linked)"
    return f" (new: {plan.author_name})"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
