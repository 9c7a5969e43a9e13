"""The site's own pages: ``index.html`` for readers, ``report.html``, the search index."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from lessons.publish import site
from lessons.publish.cache import _CACHE_VERSION, read_stamp
from lessons.publish.guard import (
    atomic_write,
)
from lessons.publish.report import (
    ASSETS_DIR,
    CACHED,
    DEFAULT_SCENARIO,
    EDITIONS,
    EXECUTED_DIR,
    FAILED,
    OK,
    RenderReport,
)
from lessons.sources.catalog import Catalog, load_catalog


def site_entries(out: Path, report: RenderReport | None = None) -> list[dict[str, Any]]:
    """Every page the site knows: from the cache stamps, updated with ``report``'s rows.

    Pages rendered in earlier runs into the same ``out`` stay listed.
    """
    entries: dict[tuple[str, str, str], dict[str, Any]] = {}
    for path in sorted((out / EXECUTED_DIR).glob("*.json")):
        stamp = read_stamp(path)
        if not stamp or stamp.get("version") != _CACHE_VERSION:
            continue
        pages = stamp.get("pages", {})
        for edition in stamp.get("editions", []):
            page = pages.get(edition)
            if page and not (out / page["html"]).exists():
                continue  # deleted since: not part of the site any more
            key = (stamp["lesson"], stamp.get("scenario") or DEFAULT_SCENARIO, edition)
            entries[key] = {
                "lesson": stamp["lesson"], "title": stamp["title"],
                "paragraphs": stamp.get("paragraph_label", ""),
                "scenario": key[1], "edition": edition,
                "status": OK if page else FAILED,
                "seconds": stamp.get("seconds", 0.0),
                "cell": None if page else stamp.get("cell"),
                "error": None if page else stamp.get("error"),
                "html": page["html"] if page else None,
                "notebook": stamp.get("notebook"),
            }
    for row in report.rows if report else []:
        key = (row.lesson, row.scenario, row.edition)
        entry = entries.setdefault(key, {
            "lesson": row.lesson, "title": row.title, "paragraphs": "",
            "scenario": row.scenario, "edition": row.edition, "html": None, "notebook": None,
        })
        entry.update(status=row.status, seconds=row.seconds, cell=row.cell, error=row.error)
    scen_order = {DEFAULT_SCENARIO: ""}
    return sorted(entries.values(), key=lambda e: (
        e["lesson"], scen_order.get(e["scenario"], e["scenario"]),
        EDITIONS.index(e["edition"]) if e["edition"] in EDITIONS else 9))


def report_rows(entries: Sequence[Mapping[str, Any]]) -> str:
    """The build report's table rows: every page with its status, time and problem."""
    esc = html.escape
    lines = []
    previous = None
    for e in entries:
        first = e["lesson"] != previous
        previous = e["lesson"]
        page = (f'<a href="{esc(e["html"])}">{esc(e["edition"])} edition</a>'
                if e.get("html") else esc(e["edition"]))
        problem = ""
        if e["status"] == FAILED:
            where = f"cell {e['cell']}: " if e.get("cell") else ""
            problem = f'<span class="error">{esc(where + (e.get("error") or ""))}</span>'
            if e.get("notebook"):
                problem += (f' — <a href="{esc(e["notebook"])}">executed notebook '
                            "(partial)</a>")
        lines.append(
            f'<tr class="{"lesson-first" if first else ""}">'
            f'<td>{esc(e["lesson"])}</td><td>{esc(e["title"]) if first else ""}</td>'
            f'<td>{esc(e.get("paragraphs") or "")}</td><td>{page}</td>'
            f'<td>{esc(e["scenario"])}</td>'
            f'<td class="status-{esc(e["status"])}">{esc(e["status"])}</td>'
            f'<td class="num">{e.get("seconds") or 0:.1f}</td><td>{problem}</td></tr>'
        )
    return "\n".join(lines)


def _reader_lessons(entries: Sequence[Mapping[str, Any]], catalog: Catalog
                    ) -> list[dict[str, Any]]:
    """Every catalog lesson for the reader's index, with the pages the site holds."""
    pages: dict[str, dict[str, str]] = {}
    variants: dict[str, list[tuple[str, str, str]]] = {}
    for e in entries:
        if not e.get("html"):
            continue
        if e["scenario"] == DEFAULT_SCENARIO:
            pages.setdefault(e["lesson"], {})[e["edition"]] = e["html"]
        else:
            variants.setdefault(e["lesson"], []).append((e["scenario"], e["edition"],
                                                         e["html"]))
    return [{"id": ls.id, "title": ls.title, "paragraph_label": ls.paragraph_label,
             "minutes": ls.minutes, "objectives": list(ls.objectives),
             "pages": pages.get(ls.id, {}), "variants": variants.get(ls.id, [])}
            for ls in catalog]


def _search_records(out: Path, entries: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Search records of every page the site holds (both editions, every variant)."""
    records = []
    for e in entries:
        if not e.get("html") or not (out / e["html"]).is_file():
            continue
        title = f"{e['lesson']} · {e['title']}"
        if e["scenario"] != DEFAULT_SCENARIO:
            title += f" (scenario {e['scenario']})"
        text = (out / e["html"]).read_text(encoding="utf-8")
        records += [{**r, "edition": e["edition"]}
                    for r in site.search_records(text, e["html"], title)]
    return records


def write_index(out: Path, report: RenderReport | None = None,
                catalog: Catalog | None = None) -> Path:
    """Write the site's own pages: ``index.html``, ``report.html`` and the search index.

    ``index.html`` is for readers (every lesson of the catalog with its paragraphs, time,
    objectives and pages, and the article map); ``report.html`` lists every page with its
    status; ``assets/search-index.js`` holds the text of every page's sections and the list
    of pages, for the search and the sidebar. Each is written atomically. Returns the path
    of ``index.html``.
    """
    from lessons.sources import article

    catalog = catalog or load_catalog()
    entries = site_entries(out, report)
    counts = {s: sum(1 for e in entries if e["status"] == s) for s in (OK, CACHED, FAILED)}
    (out / ASSETS_DIR).mkdir(parents=True, exist_ok=True)
    pages = sorted(e["html"] for e in entries if e.get("html"))
    atomic_write(out / ASSETS_DIR / "search-index.js",
                 site.search_index_js(_search_records(out, entries), pages))
    atomic_write(out / "report.html", site.report_html(report_rows(entries), counts))
    art = article.load_article()
    doc = site.reader_index_html(_reader_lessons(entries, catalog), art.title,
                                 article.citation(), catalog.coverage(), counts)
    return atomic_write(out / "index.html", doc)

