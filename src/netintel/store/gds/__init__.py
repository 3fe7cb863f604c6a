"""Graph Data Science where the data lives: the person graph analysed inside Neo4j.

When the store is Neo4j and the server has the Graph Data Science plugin (``RETURN
gds.version()``), the person graph of :mod:`netintel.project` is projected *in the
database*, and degree, strength, betweenness, PageRank, eigenvector, k-core, weakly
connected components, Louvain and Leiden run there: only the results leave the server.
Every call is a Cypher statement sent through the store's own driver.

The projection is generated from :class:`~netintel.project.ProjectionSettings` and yields
the in-process person graph, pair for pair and weight for weight
(:mod:`netintel.store.gds.projection`): every resolved person is a node, every pair of
people with evidence an undirected ``TIE`` with ``weight`` (the strength) and ``distance``,
and every person has one directed ``SELF`` loop, which only the eigenvector reads (see
below). Labels and relationship types are fixed words of the schema; every value (graph
name, kind weights, window, half-life, reference date, ``max_group``, algorithm settings,
property names and values written back) is a ``$parameter``.

The package:

==============================  ============================================================
module                          what it holds
==============================  ============================================================
:mod:`~.projection`             the tie kinds, the projection statement and its parameters
:mod:`~.catalog`                is GDS there (:func:`require_gds`, :func:`wants_gds`), the
                                projection held in the catalog (:func:`projected`), the
                                streaming calls and their configuration, write-back, and
                                :func:`statements` (every statement sent)
:mod:`~.algorithms`             :func:`centrality`, :func:`communities`, :func:`components`
==============================  ============================================================

Against the in-process NetworkX path, checked on a live Neo4j 5.26.24 with GDS 2.13.9
(``tests/store/test_gds.py``; numbers in ``docs/neo4j.md``):

- degree, strength, k-core and components: equal.
- betweenness (on ``distance``, exact by default): equal. GDS counts each unordered pair
  once; netintel multiplies by ``2 / ((n - 1)(n - 2))``, NetworkX's normalisation of an
  undirected graph. Sampled betweenness is *not* the in-process estimator: see
  :func:`centrality`.
- PageRank (on ``weight``; tolerance 1e-12, up to 1,000 iterations), rescaled to sum to 1:
  equal. GDS lets the share of people without ties leak away where NetworkX spreads it over
  everyone; that changes every score by the same factor, which the rescaling removes.
- eigenvector: GDS has no *weighted* eigenvector centrality (a weighted run divides what a
  person passes on by their weighted degree, and converges to the strength vector), so it
  runs unweighted and equals ``centrality(G, weight=None)["eigenvector"]``, rescaled per
  component as that is. GDS 2.13's power iteration carries unnormalised scores from one
  superstep to the next: it never converges on a bipartite component (a star of couriers,
  a chain, any tree) and overflows to zeros when it needs many supersteps. The ``SELF``
  loops make it iterate ``A + I``, which converges on bipartite components too; what still
  overflows (measured: a star of 200 contacts) comes back NaN, with a warning. It stops at
  tolerance 1e-9 (1e-12 overflowed fixtures/small's 43-person component).
- Louvain (GDS: no seed, no resolution; one thread, so a run is repeatable) and Leiden
  (``randomSeed``, ``gamma`` = resolution): rings as good as the in-process ones by
  modularity, and the same rings where the network has clear rings, but not identical ones
  where it has not (nor are two in-process runs with different seeds).

Examples
--------
Without a store (or on the embedded one) ``"auto"`` runs in-process:

>>> wants_gds("auto", None), [what for what, _, _ in statements()][-1]
(False, 'drop')

On a Neo4j store whose server has GDS::

    from netintel.store import gds
    gds.centrality(store)                              # the in-process columns
    gds.communities(store, algorithm="leiden", seed=0)  # person_id, name, ring
"""

from __future__ import annotations

from netintel.store.gds.algorithms import centrality, communities, components
from netintel.store.gds.catalog import (
    CONFIGS,
    DROP,
    STREAMS,
    VERSION,
    WRITE_BACK,
    WRITE_PROPERTIES,
    Projection,
    gds_version,
    projected,
    require_gds,
    statements,
    wants_gds,
    write_properties,
)
from netintel.store.gds.projection import (
    MISSING_RESOLVED,
    PEOPLE,
    SELF,
    TIE,
    TIE_KINDS,
    projection_parameters,
    projection_statement,
    reference_statement,
)

__all__ = [
    "CONFIGS",
    "DROP",
    "MISSING_RESOLVED",
    "PEOPLE",
    "SELF",
    "STREAMS",
    "TIE",
    "TIE_KINDS",
    "VERSION",
    "WRITE_BACK",
    "WRITE_PROPERTIES",
    "Projection",
    "centrality",
    "communities",
    "components",
    "gds_version",
    "projected",
    "projection_parameters",
    "projection_statement",
    "reference_statement",
    "require_gds",
    "statements",
    "wants_gds",
    "write_properties",
]
