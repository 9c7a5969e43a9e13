"""Notebook to offline HTML page: charts, widget notes, editions, and the site's shared assets.

Plotly figures are written by lessons with the default ``plotly_mimetype`` renderer
(``application/vnd.plotly.v1+json``), which nbconvert's HTML export cannot show; each such
output becomes a ``<div>`` and a ``Plotly.newPlot`` call with a deterministic id
(``chart-<cell>-<output>``). Widget views cannot work without a kernel: any that slipped
through static mode is replaced by a note. A page that would load anything from the
network is refused.
"""

from __future__ import annotations

import copy
import filecmp
import html
import json
import re
from collections.abc import Mapping
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from lessons.publish import site
from lessons.publish.guard import (
    atomic_copy,
    atomic_write,
)
from lessons.publish.report import ASSETS_DIR, EDITIONS

#: Cells with this tag hold solutions: the student edition drops them.
SOLUTION_TAG = "solution"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
#: Shown instead of a widget view (a widget needs a kernel; the page has none).
WIDGET_NOTE = (
    "Interactive widget: run this lesson in JupyterLab to use it. "
    "This static page shows the lesson's static figures instead."
)
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
#: nbconvert template in ``lessons/publish/templates/``: the ``lab`` template without CDN links.
TEMPLATE_NAME = "lessons"


def plotly_html(figure: Mapping[str, Any], div_id: str) -> str:
    """HTML for one Plotly figure: a ``<div>`` and a ``Plotly.newPlot`` call.

    The page must load plotly.js (the site's ``assets/plotly.min.js``) before this runs.

    Parameters
    ----------
    figure : mapping
        The ``application/vnd.plotly.v1+json`` payload (``data``, ``layout``, ``config``).
    div_id : str
        Deterministic element id (e.g. ``chart-5-0``: cell 5, output 0).
    """
    layout = dict(figure.get("layout") or {})
    config = {"responsive": True, "displaylogo": False, **(figure.get("config") or {})}
    height = layout.get("height") or 450
    title = layout.get("title")
    if isinstance(title, Mapping):
        title = title.get("text")
    label = f"Chart: {title}" if title else "Chart"
    payload = json.dumps([figure.get("data") or [], layout, config], separators=(",", ":"))
    # keep the JSON inert inside <script>: no "</script>", no HTML comment openers
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (
        f'<div id="{div_id}" class="plotly-graph-div lessons-chart" role="img" '
        f'aria-label="{html.escape(str(label))}" '
        f'style="height:{int(height)}px; width:100%;"></div>\n'
        '<script type="text/javascript">\n'
        f"(function () {{ var fig = {payload};\n"
        f'  var el = document.getElementById("{div_id}");\n'
        "  if (window.Plotly) { Plotly.newPlot(el, fig[0], fig[1], fig[2]); }\n"
        '  else { el.textContent = "This chart needs assets/plotly.min.js (not loaded)."; }\n'
        "})();\n"
        "</script>"
    )


def convert_rich_outputs(nb: Any) -> int:
    """Rewrite outputs a static page cannot show; return the number of charts.

    Each Plotly output becomes ``text/html`` from :func:`plotly_html` (id
    ``chart-<cell index>-<output index>``); each widget view becomes a short note. The
    notebook is changed in place.
    """
    import nbformat

    charts = 0
    for ci, cell in enumerate(nb.cells):
        for oi, output in enumerate(cell.get("outputs", [])):
            data = output.get("data") or {}
            if PLOTLY_MIME in data:
                div_id = f"chart-{ci}-{oi}"
                output["data"] = nbformat.from_dict(
                    {"text/html": plotly_html(data[PLOTLY_MIME], div_id)})
                output["metadata"] = nbformat.from_dict({"lessons": {"chart": div_id}})
                charts += 1
            elif WIDGET_MIME in data:
                note = f'<p class="lessons-widget-note"><em>{html.escape(WIDGET_NOTE)}</em></p>'
                output["data"] = nbformat.from_dict({"text/html": note})
                output["metadata"] = nbformat.from_dict({})
    return charts


def edition_notebook(nb: Any, edition: str) -> Any:
    """A copy of ``nb`` for one edition: ``student`` drops cells tagged ``solution``.

    Papermill's error banner cells are dropped from both editions.
    """
    if edition not in EDITIONS:
        raise ValueError(f"unknown edition {edition!r}: choose from {list(EDITIONS)}")
    out = copy.deepcopy(nb)

    def keep(cell: Any) -> bool:
        tags = set(cell.metadata.get("tags", []))
        if "papermill-error-cell-tag" in tags:
            return False
        return not (edition == "student" and SOLUTION_TAG in tags)

    out.cells = [c for c in out.cells if keep(c)]
    return out


def count_charts(nb: Any) -> int:
    """Number of Plotly outputs in ``nb`` (before or after :func:`convert_rich_outputs`)."""
    return sum(
        1
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if PLOTLY_MIME in (output.get("data") or {})
        or "chart" in (output.get("metadata") or {}).get("lessons", {})
    )


class _ExternalRefs(HTMLParser):
    """Collects references a page would fetch from elsewhere (see :func:`external_references`)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        url = values.get(_FETCHED.get(tag, ""), "")
        if _is_external(url):
            self.found.append(f"<{tag}> {url}")
        self._css(values.get("style", ""))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._css(data)

    def _css(self, text: str) -> None:
        for match in _CSS_URL.finditer(text):
            if _is_external(match.group(1)):
                self.found.append(f"css {match.group(1)}")


#: tag -> the attribute whose URL a browser fetches when it loads the page
_FETCHED: Mapping[str, str] = {
    "script": "src", "link": "href", "iframe": "src", "embed": "src", "object": "data",
    "source": "src", "audio": "src", "video": "src",
}
_CSS_URL = re.compile(r"""(?:@import\s+(?:url\(\s*)?|url\(\s*)['"]?([^'")\s;]+)""",
                      re.IGNORECASE)


def _is_external(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://", "//"))


def external_references(page: str) -> list[str]:
    """Everything ``page`` would load from another host: scripts, stylesheets, fonts, frames.

    Links (``<a href>``) and images are not counted: a link is not loaded, and an image
    from elsewhere does not stop the page from working offline.
    """
    parser = _ExternalRefs()
    parser.feed(page)
    return parser.found


@cache
def html_exporter() -> Any:
    """The HTML exporter (one per process): the offline ``lessons`` template."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        embed_images=True,
        require_js_url="",
        mathjax_url="",
        mermaid_js_url="",
        mermaid_layout_elk_js_url="",
        jupyter_widgets_base_url="",
        widget_renderer_url="",
    )


def export_page(nb: Any, info: Mapping[str, Any]) -> tuple[str, int]:
    """Convert an executed notebook to one offline HTML page.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook (not changed).
    info : mapping
        Banner fields: ``id``, ``title``, ``edition``, ``scenario``, ``paragraph_label``,
        ``paragraphs``, ``minutes``, ``citation``, ``notebook``, ``parameters``, and the
        relative links ``assets`` and ``index``; ``src_dir`` resolves relative images.

    Returns
    -------
    (str, int)
        The HTML text and the number of charts in it.

    Raises
    ------
    ExternalReferenceError
        When an output would make the page load a script, stylesheet or font from the
        network (e.g. an HTML output with a CDN ``<script src>``).
    """
    page = copy.deepcopy(nb)
    convert_rich_outputs(page)  # before dropping cells: ids match between editions
    page = edition_notebook(page, info["edition"])
    page.metadata.pop("widgets", None)
    charts = count_charts(page)
    name = f"{info['id']} {info['title']} ({info['edition']} edition)"
    page.metadata["title"] = name
    resources = {
        "metadata": {"name": name, "path": str(info.get("src_dir", "."))},
        "lessons": {**info, "charts": charts},
    }
    body, _ = html_exporter().from_notebook_node(page, resources=resources)
    body = site.fill_outline(body)
    outside = external_references(body)
    if outside:
        raise ExternalReferenceError(
            "the page would load from the network (the site must work offline): "
            + ", ".join(outside[:5]))
    return body, charts


class ExternalReferenceError(ValueError):
    """A page would load a script, stylesheet or font from another host."""


def copy_if_changed(src: Path, dst: Path) -> None:
    """Copy ``src`` to ``dst`` atomically, unless ``dst`` already holds the same bytes."""
    if not dst.exists() or not filecmp.cmp(src, dst, shallow=False):
        atomic_copy(src, dst)


def plotly_js_path() -> Path:
    """The installed plotly package's ``plotly.min.js`` (the same version the kernels use)."""
    import plotly

    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    if not path.exists():
        raise FileNotFoundError(f"plotly.min.js not found in the plotly package: {path}")
    return path


def _lab_static_dir() -> Path:
    from jupyter_core.paths import jupyter_path

    for base in jupyter_path("nbconvert", "templates"):
        static = Path(base) / "lab" / "static"
        if (static / "index.css").exists():
            return static
    raise FileNotFoundError("nbconvert's lab template (lab/static/index.css) was not found")


#: The course site's own files, copied from ``lessons/publish/templates/lessons/static``: the
#: search and the collapsible blocks' behaviour, the handout stylesheet, and the style
#: of the site's own pages (index, report).
SITE_ASSETS = ("search.js", "print.css", "site-pages.css")


def install_assets(out: Path) -> Path:
    """Write the site's shared files into ``out/assets`` (only when they changed).

    ``plotly.min.js`` is copied from the installed plotly package; ``lab.css`` is
    JupyterLab's notebook stylesheet (from nbconvert's ``lab`` template) plus the site's own
    rules (``lessons/publish/templates/lessons/static/site.css``).
    """
    assets = Path(out) / ASSETS_DIR
    assets.mkdir(parents=True, exist_ok=True)
    copy_if_changed(plotly_js_path(), assets / "plotly.min.js")
    static = _lab_static_dir()
    css = "\n".join([
        (static / "index.css").read_text(encoding="utf-8"),
        (static / "theme-light.css").read_text(encoding="utf-8"),
        (TEMPLATES_DIR / TEMPLATE_NAME / "static" / "site.css").read_text(encoding="utf-8"),
    ])
    target = assets / "lab.css"
    if not target.exists() or target.read_text(encoding="utf-8") != css:
        atomic_write(target, css)
    for name in SITE_ASSETS:
        copy_if_changed(TEMPLATES_DIR / TEMPLATE_NAME / "static" / name, assets / name)
    return assets

