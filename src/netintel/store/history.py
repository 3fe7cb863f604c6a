"""The portable statements of the run history and the watchlist (both stores run them as
they are: LadybugDB and Neo4j agree on every text here; values are always parameters).

The labels (``RankRun``, ``Watch``, ``Alert``) are declared in ``graph_schema/schema.yaml``;
the workspace's :mod:`netintel.workspace.changes` is what uses them.

>>> "$" in RECORD_NEW and "loaded_at" in RECORD_NEW
True
"""

from __future__ import annotations

#: Labels the engine writes about its own work, not from records: record retirement leaves
#: them alone (:data:`netintel.store.cypher.NOT_FROM_RECORDS`).
HISTORY_LABELS = ("RankRun", "Watch", "Alert")

#: The data version: the latest load time of any record version, and how many there are.
DATA_VERSION = "MATCH (r:Record) RETURN max(r.loaded_at) AS loaded_at, count(r) AS versions"

RUN_CREATE = (
    "MERGE (r:RankRun {id: $id}) ON CREATE SET r.ran_at = $ran_at, r.command = $command, "
    "r.time_window = $time_window, r.profile_name = $profile_name, r.data_version = $data_version, "
    "r.record_versions = $record_versions, r.people = $people, r.ranking = $ranking, "
    "r.run_by = $run_by"
)
#: Every run, without its list.
RUNS = (
    "MATCH (r:RankRun) RETURN r.id AS run_id, r.ran_at AS ran_at, r.command AS command, "
    "r.time_window AS time_window, r.profile_name AS profile_name, "
    "r.data_version AS data_version, r.record_versions AS record_versions, "
    "r.people AS people, r.run_by AS run_by"
)
RUN_RANKING = "MATCH (r:RankRun {id: $id}) RETURN r.ranking AS ranking"

WATCH_CREATE = (
    "MERGE (w:Watch {id: $id}) ON CREATE SET w.kind = $kind, w.value = $value, "
    "w.text = $text, w.added_at = $added_at, w.added_by = $added_by"
)
WATCHES = (
    "MATCH (w:Watch) RETURN w.id AS watch_id, w.kind AS kind, w.value AS value, "
    "w.text AS text, w.added_at AS added_at, w.added_by AS added_by"
)
WATCH_DELETE = "MATCH (w:Watch {id: $id}) DELETE w"

ALERT_CREATE = (
    "MERGE (a:Alert {id: $id}) ON CREATE SET a.watch_id = $watch_id, a.kind = $kind, "
    "a.value = $value, a.text = $text, a.raised_at = $raised_at, "
    "a.data_version = $data_version, a.records = $records"
)
ALERTS = (
    "MATCH (a:Alert) RETURN a.id AS alert_id, a.raised_at AS raised_at, a.kind AS kind, "
    "a.value AS value, a.text AS text, a.watch_id AS watch_id, "
    "a.data_version AS data_version, a.records AS records"
)

#: The resolved person each record-level person id now belongs to (resolved ids move when a
#: new record joins a person: runs are compared on today's resolution).
RESOLVED_NOW = (
    "UNWIND $ids AS i MATCH (p:Person {id: i}) RETURN p.id AS person_id, "
    "p.resolved_id AS resolved_id"
)

#: Record versions loaded after ``$since`` (an ISO time): what a run or an ingest has new.
RECORD_NEW = (
    "MATCH (r:Record) WHERE r.loaded_at > $since RETURN r.source_id AS source_id, "
    "r.record_id AS record_id, r.kind AS kind, r.file AS file, r.row AS row, "
    "r.loaded_at AS loaded_at"
)

#: The records behind a watched entity, by the watch's kind (``$value`` its normalised value).
MENTIONS = {
    "phone": ("MATCH (f:Phone {id: $value}) RETURN f.sources AS sources",),
    "plate": (
        "MATCH (v:Vehicle) WHERE v.plate = $value OR v.id = $value RETURN v.sources AS sources",
    ),
    "id": (
        "MATCH (p:Person) WHERE p.national_id = $value OR p.passport = $value "
        "RETURN p.sources AS sources",
    ),
    "person": (
        "MATCH (p:Person) WHERE p.resolved_id = $value OR p.id = $value "
        "RETURN p.sources AS sources",
        "MATCH (p:Person)-[:USES]->(f:Phone) WHERE p.resolved_id = $value OR p.id = $value "
        "RETURN f.sources AS sources",
    ),
}
#: Whether a phone, plate or ID is in the graph (to tell what a watched text is).
KNOWN = {
    "phone": "MATCH (f:Phone {id: $value}) RETURN count(f) AS n",
    "plate": "MATCH (v:Vehicle) WHERE v.plate = $value OR v.id = $value RETURN count(v) AS n",
    "id": (
        "MATCH (p:Person) WHERE p.national_id = $value OR p.passport = $value RETURN count(p) AS n"
    ),
}
