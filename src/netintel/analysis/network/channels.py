"""Channels: the ways the drugs moved, as the evidence behind a person's ties says.

The national programme counts cases by channel: land, sea and air borders, express delivery
and cyberspace (:data:`netintel.ingest.vocab.CHANNELS`). The projection gives every tie the
channels of its evidence (``channels``: channel -> pieces of evidence, ``channel_sources``:
channel -> record ids; see :mod:`netintel.project`); here they are gathered per person, for
the target list and its explanations.

Examples
--------
>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_edge("a", "b", channel_sources={"express": ["W1", "W2"]})
>>> G.add_edge("a", "c", channel_sources={"land": ["A1"], "express": ["W3"]})
>>> G.add_edge("b", "c")
>>> person_channels(G, "a")
{'land': ['A1'], 'express': ['W1', 'W2', 'W3']}
>>> channels_text(person_channels(G, "a"))
'land; express delivery'
>>> channels_sentence(person_channels(G, "a"), shown=2)
'Evidence through land (A1), express delivery (W1, W2 and 1 more record).'
>>> channels_sentence(person_channels(G, "b"))
'Evidence through express delivery (W1, W2).'
>>> channels_sentence({})
''
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import networkx as nx

__all__ = [
    "CHANNEL_WORDS",
    "channels_sentence",
    "channels_text",
    "group_channels",
    "person_channels",
]

#: How each channel reads in a sentence, in the order the programme lists them.
CHANNEL_WORDS = {
    "land": "land",
    "sea": "sea",
    "air": "air",
    "express": "express delivery",
    "online": "online",
}


def person_channels(G: nx.Graph, node: Hashable) -> dict[str, list[str]]:
    """Channel -> the sorted record ids of the evidence through it, over ``node``'s ties
    (channels in :data:`CHANNEL_WORDS` order; those without evidence left out)."""
    found: dict[str, set[str]] = {}
    for _, _, data in G.edges(node, data=True):
        for channel, records in (data.get("channel_sources") or {}).items():
            found.setdefault(channel, set()).update(records)
    order = {c: i for i, c in enumerate(CHANNEL_WORDS)}
    return {c: sorted(found[c]) for c in sorted(found, key=lambda c: (order.get(c, 99), c))}


def group_channels(G: nx.Graph, members: object) -> dict[str, list[str]]:
    """Channel -> the sorted record ids of the evidence through it, over the ties between
    ``members`` (a ring's people), in :data:`CHANNEL_WORDS` order.

    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", channel_sources={"online": ["I-1"]})
    >>> G.add_edge("b", "c", channel_sources={"land": ["A1"]})
    >>> group_channels(G, ["a", "b"])
    {'online': ['I-1']}
    """
    inside = set(members)
    found: dict[str, set[str]] = {}
    for _, _, by_channel in G.subgraph(inside & set(G)).edges(data="channel_sources"):
        for channel, records in (by_channel or {}).items():
            found.setdefault(channel, set()).update(records)
    order = {c: i for i, c in enumerate(CHANNEL_WORDS)}
    return {c: sorted(found[c]) for c in sorted(found, key=lambda c: (order.get(c, 99), c))}


def channels_text(channels: Mapping[str, list[str]]) -> str:
    """The channels in words, ``"; "``-joined (``""`` for none)."""
    return "; ".join(CHANNEL_WORDS.get(c, c) for c in channels)


def channels_sentence(channels: Mapping[str, list[str]], *, shown: int = 3) -> str:
    """One sentence naming each channel with (up to ``shown`` of) its records."""
    if not channels:
        return ""
    parts = []
    for channel, records in channels.items():
        listed = ", ".join(records[:shown])
        more = len(records) - shown
        if more > 0:
            listed += f" and {more} more record{'' if more == 1 else 's'}"
        parts.append(f"{CHANNEL_WORDS.get(channel, channel)} ({listed})")
    return "Evidence through " + ", ".join(parts) + "."
