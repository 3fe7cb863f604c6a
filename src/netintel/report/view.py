"""The network view: the person graph drawn so that an investigator can click it.

:func:`network_view` returns an `ipysigma <https://github.com/medialab/ipysigma>`_ widget
(sigma.js, WebGL): people labelled by name, sized by score, coloured by ring (or role, or
country); ties coloured by kind and sized by evidence strength. Clicking a person shows their
rank, score, explanation and the record ids behind them; clicking a tie shows its kinds of
evidence, its records and its first and last dates. ipysigma was chosen because its
JavaScript ships inside its Python wheel (so JupyterLab draws it with no network), it renders
thousands of nodes in WebGL, and it shows the attributes of a clicked node or edge with no
code of ours. :func:`write_html` writes the same view as one standalone HTML file with every
script inlined (:mod:`netintel.report.offline`): it opens offline, from a USB stick, on an
air-gapped machine.

A graph larger than a person can read is cut first (:func:`cut`): the top people by score, a
ring, the people within ``hops`` of someone, the shortest path between two people, or a given
list; the cut is said on screen, as the view's title.

:func:`network_figure` is the static twin (matplotlib) for reports and PDFs: the top of the
network, the top people labelled by name.

Examples
--------
>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_node("P-1", name="Lê Xuân Hải", sources=["ARR-1"])
>>> G.add_node("P-2", name="Syphet Chanthavong", sources=["ARR-1", "COM-9"])
>>> G.add_node("P-3", name="Trần Văn Nam", sources=["COM-9"])
>>> G.add_edge("P-1", "P-2", weight=2.0, kinds={"co_arrest": 1}, sources=["ARR-1"],
...            first_seen="2024-01-05", last_seen="2024-01-05")
>>> G.add_edge("P-2", "P-3", weight=0.5, kinds={"call": 3}, sources=["COM-9"],
...            first_seen="2024-02-01", last_seen="2024-03-01")
>>> view = network_view(G, top=2)
>>> view.cut.caption
'Top 2 people by score: 2 of 3 people, 1 of 2 ties'
>>> sorted(n["attributes"]["label"] for n in view.data["nodes"])
['Lê Xuân Hải', 'Syphet Chanthavong']
>>> [e["attributes"]["kind"] for e in view.data["edges"]]
['co-arrest']
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd

from netintel.errors import AnalysisError, InputError
from netintel.project import DEFAULT_KIND_WEIGHTS
from netintel.report.offline import offline_html, view_html, write_html

__all__ = [
    "TIE_COLOURS",
    "Cut",
    "cut",
    "network_figure",
    "network_view",
    "offline_html",
    "tie_category",
    "view_html",
    "write_html",
]

#: The most people a view shows when no cut is asked for.
MAX_PEOPLE = 150

#: Colour of each category of tie (:func:`tie_category`), the same in the widget and figure.
TIE_COLOURS: dict[str, str] = {
    "call": "#4c78a8",
    "co-arrest": "#e45756",
    "seizure": "#f58518",
    "link": "#54a24b",
    "money": "#b279a2",
    "family": "#9d755d",
    "shared vehicle": "#72b7b2",
    "shared address": "#bab0ac",
    "other": "#999999",
}

_CATEGORY = {
    "call": "call",
    "co_arrest": "co-arrest",
    "co_seizure": "seizure",
    "shared_vehicle": "shared vehicle",
    "link:shared_vehicle": "shared vehicle",
    "shared_address": "shared address",
    "link:shared_address": "shared address",
    "link:money_transfer": "money",
    "link:family": "family",
}

#: Ring colours (matplotlib's tab10, then tab10 lightened): ring 0 is the largest.
RING_COLOURS = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5",
    "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
]  # fmt: skip


def tie_category(kind: str) -> str:
    """The category a projection tie kind is drawn as (its colour: :data:`TIE_COLOURS`).

    >>> tie_category("co_seizure"), tie_category("link:meeting"), tie_category("call")
    ('seizure', 'link', 'call')
    """
    if kind in _CATEGORY:
        return _CATEGORY[kind]
    if kind.startswith("link:"):
        return "link"
    return kind.replace("_", " ") if kind else "other"


def _main_kind(kinds: Mapping[str, int]) -> str:
    """The kind that adds most strength to a tie (count x default kind weight)."""
    if not kinds:
        return "other"
    return max(kinds, key=lambda k: (kinds[k] * DEFAULT_KIND_WEIGHTS.get(k, 0.5), k))


@dataclass(frozen=True)
class Cut:
    """What a view shows of a graph, and the sentence that says so.

    Attributes
    ----------
    people : list of str
        The people kept, best score first.
    caption : str
        The cut in words, shown as the view's title
        (``"Top 25 people by score: 25 of 412 people, 40 of 1,203 ties"``).
    focus : tuple of str
        The people the cut is about (the centre of a neighbourhood, the ends of a path).
    """

    people: list[str]
    caption: str
    focus: tuple[str, ...] = field(default=())


def _scores(graph: nx.Graph, nodes: pd.DataFrame | None) -> pd.Series:
    """Score of every person: the ``score`` column of ``nodes``, else the share of the
    largest evidence strength (weighted degree)."""
    if nodes is not None and "score" in nodes.columns:
        s = nodes.set_index("person_id")["score"].astype(float)
        s = s[~s.index.duplicated()]
        return s.reindex(list(graph)).fillna(0.0)
    strength = pd.Series(dict(graph.degree(weight="weight")), dtype=float).reindex(list(graph))
    top = strength.max() if len(strength) else 0.0
    return (strength / top).fillna(0.0) if top else strength.fillna(0.0)


def _check_person(graph: nx.Graph, person: Hashable, what: str) -> None:
    if person not in graph:
        raise InputError(
            f"{what} {person!r} is not a person of this graph (a person id; "
            "ws.show(around=...) also takes a name, phone or ID)"
        )


def cut(
    graph: nx.Graph,
    nodes: pd.DataFrame | None = None,
    *,
    top: int | None = None,
    ring: int | str | None = None,
    around: str | None = None,
    hops: int = 1,
    between: Sequence[str] | None = None,
    people: Iterable[str] | None = None,
    max_people: int = MAX_PEOPLE,
) -> Cut:
    """Choose the people a view shows, and say so.

    One selection (``people``, ``between``, ``around``, ``ring``, else everyone), then the
    best ``top`` of it by score (at most ``max_people`` when ``top`` is not given).

    Parameters
    ----------
    graph : networkx.Graph
        The person graph (:func:`netintel.project.build_person_graph`).
    nodes : DataFrame, optional
        ``person_id`` with ``score`` (and ``ring`` for ``ring=``): a ranked target list.
        Without it people are ranked by evidence strength.
    top : int, optional
        Keep the best ``top`` people of the selection.
    ring : int or str, optional
        The people of one ring (``nodes["ring"]``).
    around : str, optional
        A person id: the people within ``hops`` ties of them.
    hops : int, default 1
    between : (str, str), optional
        Two person ids: the shortest path between them by evidence distance
        (:func:`netintel.analysis.weights.strength_to_distance`); or a longer sequence of
        ids, a path given, kept in its order.
    people : iterable of str, optional
        Exactly these people, best first (ids absent from the graph are counted in the
        caption).
    max_people : int, default 150

    Returns
    -------
    Cut

    Raises
    ------
    InputError
        A person who is not in the graph, a ring no one is in.
    AnalysisError
        No path between the two people; ``ring=`` without a ``ring`` column.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c", "d"])
    >>> cut(G, around="b").people
    ['b', 'c', 'a']
    >>> cut(G, between=("a", "d")).caption
    'Shortest path by evidence from a to d (3 ties): 4 of 4 people, 3 of 3 ties'
    """
    scores = _scores(graph, nodes)
    names = nx.get_node_attributes(graph, "name")

    def who(p: str) -> str:
        return str(names.get(p) or p)

    focus: tuple[str, ...] = ()
    if people is not None:
        given = list(dict.fromkeys(people))
        chosen = [p for p in given if p in graph]
        missing = len(given) - len(chosen)
        what = f"{len(given)} {'person' if len(given) == 1 else 'people'} given" + (
            f" ({missing} not in the graph)" if missing else ""
        )
    elif between is not None:
        ends = list(between)
        for p in ends:
            _check_person(graph, p, "between:")
        if len(ends) == 2:
            from netintel.analysis.weights import strength_to_distance

            try:
                chosen = nx.shortest_path(
                    graph, ends[0], ends[1],
                    weight=lambda u, v, d: strength_to_distance(float(d.get("weight", 1.0))),
                )  # fmt: skip
            except nx.NetworkXNoPath:
                raise AnalysisError(
                    f"no path between {who(ends[0])} and {who(ends[1])}: they are in "
                    "separate parts of the network"
                ) from None
        else:
            chosen = ends
        focus = (chosen[0], chosen[-1])
        what = f"Shortest path by evidence from {who(chosen[0])} to {who(chosen[-1])} " + (
            f"({len(chosen) - 1} ties)" if len(ends) == 2 else f"(path of {len(chosen)} people)"
        )
        return _finish(graph, chosen, what, focus, None)
    elif around is not None:
        _check_person(graph, around, "around:")
        if hops < 1:
            raise InputError(f"hops must be 1 or more, got {hops!r}")
        lengths = nx.single_source_shortest_path_length(graph, around, cutoff=hops)
        chosen = sorted(lengths, key=lambda p: (lengths[p], -scores.get(p, 0.0), str(p)))
        focus = (around,)
        what = f"Within {hops} tie{'s' if hops > 1 else ''} of {who(around)}"
    elif ring is not None:
        if nodes is None or "ring" not in nodes.columns:
            raise AnalysisError("ring= needs nodes with a ring column (ws.rank_targets())")
        members = nodes.loc[nodes["ring"].astype(str) == str(ring), "person_id"]
        chosen = [p for p in dict.fromkeys(members) if p in graph]
        if not chosen:
            rings = sorted(nodes["ring"].dropna().unique().tolist())
            raise InputError(f"no one is in ring {ring!r}; the rings are {rings}")
        what = f"Ring {ring}"
    else:
        chosen = list(graph)
        what = "Everyone"
    limit = top if top is not None else max_people
    if limit < 1:
        raise InputError(f"top must be 1 or more, got {limit!r}")
    if len(chosen) > limit:
        keep = set(focus)
        ranked = sorted(chosen, key=lambda p: (-scores.get(p, 0.0), str(p)))
        best = set(ranked[: max(limit - len(keep), 0)]) | keep
        chosen = [p for p in chosen if p in best]
        if top is not None and what == "Everyone":
            what = f"Top {top} people by score"
        else:
            what += f", the top {limit} by score" + (
                "" if top is not None else " (a larger graph is cut: pass top=, ring= or around=)"
            )
    elif top is not None and what == "Everyone":
        what = f"Top {top} people by score"
    if around is None:  # best first (a path keeps its order: returned above)
        chosen = sorted(chosen, key=lambda p: (-scores.get(p, 0.0), str(p)))
    return _finish(graph, chosen, what, focus, scores)


def _finish(
    graph: nx.Graph, chosen: list, what: str, focus: tuple, scores: pd.Series | None
) -> Cut:
    ties = graph.subgraph(chosen).number_of_edges()
    caption = (
        f"{what}: {len(chosen):,} of {graph.number_of_nodes():,} people, "
        f"{ties:,} of {graph.number_of_edges():,} ties"
    )
    return Cut(people=list(chosen), caption=caption, focus=focus)


def _ids(ids: Iterable[str], limit: int = 40) -> str:
    ids = sorted(set(map(str, ids)))
    text = ", ".join(ids[:limit])
    return text + (f" … and {len(ids) - limit} more" if len(ids) > limit else "")


def _roles_text(roles: Any) -> str:
    if isinstance(roles, Mapping):
        return "; ".join(f"{r} x{n}" for r, n in sorted(roles.items(), key=lambda x: -x[1]))
    return "" if roles is None or (isinstance(roles, float) and math.isnan(roles)) else str(roles)


def _main_role(roles: Any) -> str:
    if isinstance(roles, Mapping) and roles:
        known = {r: n for r, n in roles.items() if r != "unknown"} or roles
        return max(known, key=lambda r: (known[r], r))
    return "no role recorded"


def _display_graph(
    graph: nx.Graph, chosen: Cut, nodes: pd.DataFrame | None, color: str
) -> tuple[nx.Graph, dict[str, str] | None]:
    """The cut as a graph whose attributes are what a click shows (text and numbers)."""
    table = (
        nodes.drop_duplicates("person_id").set_index("person_id")
        if nodes is not None
        else pd.DataFrame(index=pd.Index([], name="person_id"))
    )
    scores = _scores(graph, nodes)
    D = nx.Graph()
    for p in chosen.people:
        a = graph.nodes[p]
        row = table.loc[p] if p in table.index else None
        sources = a.get("sources") or []

        def get(col: str, default: Any = None, row: Any = row) -> Any:
            if row is None or col not in row.index:
                return default
            value = row[col]
            return (
                default
                if value is None or (isinstance(value, float) and math.isnan(value))
                else value
            )

        attrs: dict[str, Any] = {
            "label": str(get("name") or a.get("name") or p),
            "person_id": str(p),
            "score": round(float(scores.get(p, 0.0)), 4),
        }
        if get("rank") is not None:
            attrs["rank"] = int(get("rank"))
        if get("ring") is not None:
            attrs["ring"] = f"ring {get('ring')}"
        attrs["role"] = _main_role(a.get("roles"))
        attrs["roles"] = _roles_text(get("roles") or a.get("roles")) or "none recorded"
        if get("explanation"):
            attrs["explanation"] = str(get("explanation"))
        if a.get("seizure_kg"):
            attrs["seizure_kg"] = round(float(a["seizure_kg"]), 3)
        evidence = get("evidence")
        attrs["records"] = len(sources)
        attrs["record_ids"] = _ids(sources)
        if evidence is not None and len(evidence):
            attrs["tie_records"] = len(evidence)
            attrs["tie_record_ids"] = _ids(evidence)
        for extra in ("country", "province"):
            if get(extra) is not None:
                attrs[extra] = str(get(extra))
        if color not in attrs and get(color) is not None:
            attrs[color] = str(get(color))
        if p in chosen.focus:
            attrs["focus"] = "yes"
        D.add_node(p, **attrs)
    for u, v, e in graph.subgraph(chosen.people).edges(data=True):
        kinds = e.get("kinds") or {}
        sources = e.get("sources") or []
        D.add_edge(
            u, v,
            people=f"{D.nodes[u]['label']} – {D.nodes[v]['label']}",
            kind=tie_category(_main_kind(kinds)),
            evidence="; ".join(
                f"{tie_category(k)}" + (f" ({k.split(':', 1)[1].replace('_', ' ')})" if k.startswith("link:") else "")
                + f" x{n}" for k, n in sorted(kinds.items(), key=lambda x: (-x[1], x[0]))
            ),
            weight=round(float(e.get("weight", 1.0)), 4),
            records=len(sources),
            record_ids=_ids(sources),
            first_seen=e.get("first_seen") or "undated",
            last_seen=e.get("last_seen") or "undated",
        )  # fmt: skip
    palette = None
    if color == "ring":
        rings = sorted({d["ring"] for _, d in D.nodes(data=True) if "ring" in d},
                       key=lambda r: int(r.split()[-1]) if r.split()[-1].isdigit() else 0)  # fmt: skip
        palette = {r: RING_COLOURS[i % len(RING_COLOURS)] for i, r in enumerate(rings)}
    return D, palette


def _layout(G: nx.Graph, seed: int) -> dict[Hashable, dict[str, float]]:
    """Node positions, repeatable: Kamada-Kawai by hops up to 200 people (it spaces people
    most evenly, so labels overlap least), a seeded spring layout above."""
    n = G.number_of_nodes()
    if n == 0:
        return {}
    if n <= 200:
        pos = nx.kamada_kawai_layout(G, weight=None)
    else:
        pos = nx.spring_layout(G, weight=None, seed=seed, k=2 / math.sqrt(n), iterations=100)
    return {node: {"x": float(x) * 1000, "y": float(y) * 1000} for node, (x, y) in pos.items()}


def network_view(
    graph: nx.Graph,
    nodes: pd.DataFrame | None = None,
    *,
    top: int | None = None,
    ring: int | str | None = None,
    around: str | None = None,
    hops: int = 1,
    between: Sequence[str] | None = None,
    people: Iterable[str] | None = None,
    color: str = "ring",
    max_people: int = MAX_PEOPLE,
    title: str | None = None,
    height: int = 600,
    seed: int = 0,
) -> Any:
    """The person graph as an interactive, clickable network (an ``ipysigma.Sigma`` widget).

    Parameters
    ----------
    graph : networkx.Graph
        The person graph (``ws.graph()``).
    nodes : DataFrame, optional
        The ranked target list (``ws.rank_targets()``): ``person_id, name, rank, score,
        ring, explanation, evidence``; other columns (``country``) may colour the nodes.
    top, ring, around, hops, between, people, max_people
        The cut (:func:`cut`); its caption is the view's title.
    color : str, default "ring"
        What colours a person: ``"ring"``, ``"role"`` (the role recorded most often), or a
        column of ``nodes`` (``"country"``). Falls back to ``"role"`` when there are no rings.
    title : str, optional
        Put before the caption.
    height : int, default 600
        Pixels.
    seed : int, default 0
        The layout's seed.

    Returns
    -------
    ipysigma.Sigma
        Displayed by Jupyter; ``.cut`` is the :class:`Cut`, ``.data`` the nodes and ties with
        the attributes a click shows: for a person ``label`` (name), ``person_id``, ``rank``,
        ``score``, ``ring``, ``role``, ``roles``, ``explanation``, ``records`` and
        ``record_ids`` (the person's own records), ``tie_records`` and ``tie_record_ids``
        (the records behind their ties, the ranking's ``evidence``); for a tie ``people`` (the
        two names), ``kind`` (its colour: :data:`TIE_COLOURS`), ``evidence``
        (each kind and its count), ``weight``, ``records``, ``record_ids``, ``first_seen``,
        ``last_seen``. :func:`write_html` writes it as an offline HTML file.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.karate_club_graph()
    >>> G = nx.relabel_nodes(G, {n: f"P-{n}" for n in G})
    >>> view = network_view(G, around="P-0", hops=1, color="role")
    >>> view.cut.caption
    'Within 1 tie of P-0: 17 of 34 people, 34 of 78 ties'
    >>> view.cut.people[0]
    'P-0'
    """
    from ipysigma import Sigma

    chosen = cut(
        graph, nodes, top=top, ring=ring, around=around, hops=hops, between=between,
        people=people, max_people=max_people,
    )  # fmt: skip
    D, palette = _display_graph(graph, chosen, nodes, color)
    if color == "ring" and palette is None:
        color = "role"
    caption = f"{title}. {chosen.caption}" if title else chosen.caption
    small = D.number_of_nodes() <= 40
    options: dict[str, Any] = {}
    if palette:
        options["node_color_palette"] = palette
    widget = Sigma(
        D,
        name=caption,
        height=height,
        layout=_layout(D, seed),
        start_layout=False,
        clickable_edges=True,
        node_label="label",
        node_size="score",
        node_size_range=(4, 22),
        node_color=color,
        node_zindex="score",
        node_border_color_from="node",
        edge_color="kind",
        edge_color_palette={k: c for k, c in TIE_COLOURS.items()},
        edge_size="weight",
        edge_size_range=(0.6, 6),
        default_edge_curveness=0.0,
        show_all_labels=small,  # a small cut names everyone (the layout spaces them)
        label_density=2 if small else 1,
        label_rendered_size_threshold=0,
        max_categorical_colors=len(RING_COLOURS),
        **options,
    )
    widget.cut = chosen
    return widget


# -- the static figure --------------------------------------------------------------------


def network_figure(
    graph: nx.Graph,
    nodes: pd.DataFrame | None = None,
    *,
    top: int = 40,
    labels: int = 12,
    title: str | None = None,
    seed: int = 0,
    ax: Any = None,
) -> Any:
    """The top of the network as a static picture (matplotlib), for reports and PDFs.

    People sized by score and coloured by ring; only the best ``labels`` people are named
    (with a white halo, so names stay readable over ties); ties grey, thicker with more
    evidence. The cut is the figure's title.

    Parameters
    ----------
    graph : networkx.Graph
    nodes : DataFrame, optional
        The ranked target list (``person_id, name, score, ring``).
    top : int, default 40
        People drawn (the best by score).
    labels : int, default 12
        People named.
    title : str, optional
    seed : int, default 0
    ax : matplotlib Axes, optional
        Draw there instead of on a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> G = nx.relabel_nodes(nx.karate_club_graph(), lambda n: f"P-{n}")
    >>> fig = network_figure(G, top=10, labels=3)
    >>> sorted(t.get_text() for t in fig.axes[0].texts)
    ['P-0', 'P-32', 'P-33']
    """
    import matplotlib.patheffects as effects
    import matplotlib.pyplot as plt

    chosen = cut(graph, nodes, top=top)
    D, palette = _display_graph(graph, chosen, nodes, "ring")
    pos = {n: (p["x"], p["y"]) for n, p in _layout(D, seed).items()}
    if ax is None:
        fig, ax = plt.subplots(figsize=(9, 7))
    else:
        fig = ax.figure
    weights = [d["weight"] for _, _, d in D.edges(data=True)]
    most = max(weights, default=1.0) or 1.0
    nx.draw_networkx_edges(
        D, pos, ax=ax, edge_color="#9a9a9a", alpha=0.6,
        width=[0.4 + 2.6 * w / most for w in weights],
    )  # fmt: skip
    order = list(D)
    score = [D.nodes[n]["score"] for n in order]
    best = max(score, default=1.0) or 1.0
    colours = [
        (palette or {}).get(D.nodes[n].get("ring", ""), "#8c8c8c") if palette else "#4c78a8"
        for n in order
    ]
    nx.draw_networkx_nodes(
        D, pos, nodelist=order, ax=ax, node_color=colours, edgecolors="white", linewidths=0.8,
        node_size=[40 + 560 * s / best for s in score],
    )  # fmt: skip
    for n in chosen.people[:labels]:
        x, y = pos[n]
        text = ax.text(x, y, D.nodes[n]["label"], fontsize=8.5, ha="center", va="bottom",
                       zorder=5)  # fmt: skip
        text.set_path_effects([effects.withStroke(linewidth=3, foreground="white")])
    if palette:
        from matplotlib.lines import Line2D

        shown = list(palette.items())[:10]
        ax.legend(
            handles=[Line2D([], [], marker="o", ls="", color=c, label=r) for r, c in shown],
            loc="lower left", fontsize=7, frameon=False,
        )  # fmt: skip
    ax.set_title((f"{title}\n" if title else "") + chosen.caption, fontsize=9)
    ax.set_axis_off()
    fig.tight_layout()
    return fig
