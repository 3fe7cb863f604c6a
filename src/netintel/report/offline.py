"""Jupyter widgets as standalone HTML that draws offline.

``ipywidgets.embed`` and ``jupyter nbconvert`` write pages that load require.js and the
Jupyter widget manager (``@jupyter-widgets/html-manager``) from a CDN, and each widget's
own script from another; on an air-gapped machine such a page draws nothing. Here every
script is inlined: require.js and the widget manager from ``netintel/report/static`` (copied
unchanged from npm; sources, versions and checksums in its README), ipysigma's bundle from
the installed ipysigma package. :func:`view_html` / :func:`write_html` write one widget as a
page; :func:`offline_html` makes a page exported by nbconvert draw offline, and
:func:`export_notebook` exports a notebook so.
"""

from __future__ import annotations

import html as html_text
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from netintel.errors import InputError, OutputError
from netintel.outputs import atomic_write, check_output

__all__ = ["export_notebook", "offline_html", "view_html", "write_html"]

_STATIC = resources.files("netintel.report") / "static"


_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)


def _script(js: str) -> str:
    """``js`` as an inline script (no source map comment: there is no map beside the page)."""
    return "<script>" + _SOURCE_MAP.sub("", js).replace("</script", "<\\/script") + "</script>"


def _ipysigma_module() -> str:
    """ipysigma's browser bundle from the installed package, as the AMD module
    ``ipysigma`` (it ships anonymous)."""
    import ipysigma

    path = Path(ipysigma.__file__).parent / "nbextension" / "index.js"
    try:
        js = path.read_text(encoding="utf-8")
    except OSError as e:
        raise OutputError(f"the installed ipysigma lacks its browser bundle {path}: {e}") from e
    start = js.find('define(["@jupyter-widgets/base"]')
    if start < 0:
        raise OutputError(f"{path} is not the AMD bundle this version of netintel expects")
    return js[:start] + 'define("ipysigma",' + js[start + len("define(") :]


def _widget_scripts() -> str:
    """require.js, ipysigma and the Jupyter widget manager, inlined in that order."""
    require = (_STATIC / "require.js").read_text(encoding="utf-8")
    manager = (_STATIC / "html-manager-embed-amd.js").read_text(encoding="utf-8")
    return _script(require) + _script(_ipysigma_module()) + _script(manager)


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval' blob:; style-src 'unsafe-inline'; img-src data: blob:; worker-src blob:; font-src data:">
<title>{title}</title>
<style>body {{ font-family: sans-serif; margin: 12px; }} h1 {{ font-size: 1.2em; }}
.netintel-caption {{ color: #444; margin: 0 0 8px 0; }}</style>
{scripts}
<script type="application/vnd.jupyter.widget-state+json">{state}</script>
</head><body>
<h1>{title}</h1>
<p class="netintel-caption">{caption} Click a person or a tie to see its records.</p>
<script type="application/vnd.jupyter.widget-view+json">{view}</script>
</body></html>
"""


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False).replace("</", "<\\/")


def view_html(widget: Any, *, title: str | None = None) -> str:
    """A widget as one standalone HTML page that draws with no network access.

    Every script is inlined (require.js and the Jupyter widget manager from
    ``netintel/report/static``, ipysigma's bundle from the installed package), and a
    Content-Security-Policy forbids the page any request but its own inline data.

    Parameters
    ----------
    widget : ipysigma.Sigma
        From :func:`network_view` (any ipywidget works).
    title : str, optional
        The page's heading (default "Network view"); the view's caption follows it.

    Returns
    -------
    str
    """
    from ipywidgets.embed import embed_data

    data = embed_data(views=[widget], drop_defaults=False)
    chosen = getattr(widget, "cut", None)
    caption = chosen.caption if chosen else ""
    return _PAGE.format(
        title=html_text.escape(title or "Network view"),
        caption=html_text.escape(caption + ("." if caption else "")),
        scripts=_widget_scripts(),
        state=_json(data["manager_state"]),
        view=_json(data["view_specs"][0]),
    )


def write_html(widget: Any, path: str | Path, *, title: str | None = None) -> Path:
    """Write :func:`view_html` to ``path`` (``.html``), whole or not at all.

    Raises
    ------
    OutputError
        If ``path`` is not an ``.html`` file that can be written (checked before the work).

    Examples
    --------
    >>> import tempfile
    >>> import networkx as nx
    >>> from netintel.report.view import network_view
    >>> view = network_view(nx.path_graph(["a", "b", "c"]))
    >>> path = write_html(view, tempfile.mkdtemp() + "/network.html")
    >>> text = path.read_text(encoding="utf-8")
    >>> "https://" in text.split("</head>")[1], "widget-state+json" in text
    (False, True)
    """
    path = check_output(path, suffixes=(".html", ".htm"))
    page = view_html(widget, title=title)
    with atomic_write(path) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return path


#: ``<script src=...>`` tags a page exported by nbconvert loads from a CDN: require.js, the
#: widget manager, MathJax (LaTeX in markdown: shown as its TeX source offline).
_CDN_SCRIPT = re.compile(
    r"<script[^>]*\ssrc=\"[^\"]*(require(\.min)?\.js|html-manager|jupyter-js-widgets|mathjax)"
    r"[^\"]*\"[^>]*>\s*</script>",
    re.IGNORECASE,
)
#: The inline script of nbconvert's templates that adds the widget manager from a CDN.
_RENDERER_LOADER = re.compile(
    r"<script>(?:(?!</script>).)*widgetRendererSrc.*?</script>", re.DOTALL
)


def offline_html(page: str) -> str:
    """An HTML page exported by ``jupyter nbconvert`` (or ``ipywidgets.embed``) with its
    widget scripts inlined instead of loaded from a CDN, so its network views draw offline.

    The tags that load require.js, the widget manager (``@jupyter-widgets/html-manager``) and
    MathJax from a CDN, and the script that adds the manager, are removed; the inlined
    scripts of :func:`view_html` go at the end of the head (after its charset).

    Raises
    ------
    InputError
        If ``page`` has no ``<head>``.

    Examples
    --------
    >>> page = ('<html><head><script src="https://cdnjs.cloudflare.com/ajax/libs/require.js/'
    ...         '2.3.4/require.min.js"></script></head><body></body></html>')
    >>> "cdnjs" in offline_html(page)
    False
    """
    page = _RENDERER_LOADER.sub("", _CDN_SCRIPT.sub("", page))
    at = page.lower().find("</head>")
    if at < 0:
        raise InputError("not an HTML page: it has no <head>")
    return page[:at] + _widget_scripts() + page[at:]


def export_notebook(notebook: str | Path | Any, path: str | Path) -> Path:
    """Write a notebook, with the outputs it was saved with, as one HTML page whose network
    views and other widgets draw offline (nbconvert's ``lab`` template, then
    :func:`offline_html`).

    The widgets are drawn from the state the notebook saved (JupyterLab: *Save Widget State
    Automatically*; ``nbclient`` saves it when it runs a notebook).

    Parameters
    ----------
    notebook : str, Path or nbformat.NotebookNode
    path : str or Path
        The ``.html`` file to write, whole or not at all.

    Raises
    ------
    OutputError
        If ``path`` cannot be written (checked first), or nbconvert is not installed
        (``pip install 'netintel[notebook]'``).
    InputError
        If the notebook cannot be read.
    """
    path = check_output(path, suffixes=(".html", ".htm"))
    try:
        import nbformat
        from nbconvert import HTMLExporter
    except ImportError as e:
        raise OutputError(
            "exporting a notebook needs nbconvert: pip install 'netintel[notebook]'"
        ) from e
    if isinstance(notebook, str | Path):
        try:
            notebook = nbformat.read(str(notebook), as_version=4)
        except (OSError, ValueError) as e:
            raise InputError(f"cannot read the notebook {notebook}: {e}") from e
    page, _ = HTMLExporter(template_name="lab").from_notebook_node(notebook)
    page = offline_html(page)
    with atomic_write(path) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return path
