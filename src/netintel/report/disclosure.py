"""What leaves the engine: restricted material withheld, names and identifiers pseudonymised.

Every export and every table a command writes passes through one :class:`Disclosure`:

**Handling codes.** Each record carries its 3x5x2 grading (:mod:`netintel.values.grading`);
a record whose handling code is ``C`` (lawful sharing with conditions, also a grading given
without a handling code) is *restricted*. Unless the disclosure names both a purpose and a
recipient (``--purpose``, ``--recipient``; the audit records them), restricted records and
what they alone produced are withheld:

- a node, relationship or table row whose ``sources`` / ``evidence`` records are all
  restricted is left out, and relationships touching a node left out go with it;
- one with restricted and other records stays, with the restricted record ids removed from
  its lists;
- a row naming a person (``person_id``, ``resolved_id``, ...) whom restricted records alone
  produced is left out;
- the Record nodes of restricted records are left out.

Ungraded records (no grading at all) are not restricted: a grading is how an agency marks
conditions. Measures and scores computed before withholding are kept as computed (the
evaluation's numbers do not change); what is withheld is the material, not its influence on
a rank.

**Pseudonymised exports** (``--pseudonymise``): person names (and name keys and aliases),
national ids, passports, phone numbers, vehicle plates, bank account numbers and addresses
are replaced by keyed hashes, ``<kind>-`` and the first 20 hex digits of
HMAC-SHA256(key, ``"<kind>:<value>"``), the value as netintel stores it (the name key
``nguyen van hung``, E.164 phones, upper-case passports and plates). The key comes from
``$NETINTEL_PSEUDONYM_KEY`` (an export refuses to pseudonymise without one): a partner agency
given the key can hash its own records the same way and match them, without our names. The
same key gives the same pseudonyms in every export. Not hidden: dates of birth,
nationalities, roles, places, border gates, seizures (drugs, quantities, dates), case ids,
record ids, file names and netintel's own node ids (``P-…``); free text is dropped
(``explanation``, a Record's ``content``).

Examples
--------
>>> import pandas as pd
>>> d = Disclosure(restricted={"A-2"}, people={"P-2"})
>>> t = pd.DataFrame({"person_id": ["P-1", "P-2", "P-3"],
...                   "evidence": [["A-1", "A-2"], ["A-2"], ["A-3"]]})
>>> d.table(t).to_dict("list")
{'person_id': ['P-1', 'P-3'], 'evidence': [['A-1'], ['A-3']]}
>>> d.withheld
1
>>> p = Disclosure(key=b"shared-secret")
>>> p.pseudonym("phone", "+8491234567") == p.pseudonym("phone", "+8491234567")
True
>>> p.pseudonym("phone", "+8491234567")[:6]
'phone-'
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from netintel.errors import OutputError
from netintel.values.grading import Grading

__all__ = ["PSEUDONYM_KEY_ENV", "Disclosure", "record_gradings"]

#: The environment variable holding the pseudonymisation key.
PSEUDONYM_KEY_ENV = "NETINTEL_PSEUDONYM_KEY"

RECORD_GRADINGS = (
    "MATCH (r:Record) WHERE r.grading IS NOT NULL AND coalesce(r.current, true) "
    "RETURN r.source_id AS source_id, r.grading AS grading"
)
PERSON_SOURCES = (
    "MATCH (p:Person) RETURN p.id AS id, p.resolved_id AS resolved_id, p.sources AS sources"
)

#: Columns (and node or edge attributes) holding record ids.
EVIDENCE = ("sources", "evidence", "records", "record_ids")
#: Columns naming a person by id.
PERSON_IDS = (
    "person_id", "resolved_id", "left_id", "right_id", "arrested_id", "successor_id", "id",
    "start_id", "end_id", "source", "target",
)  # fmt: skip
#: Which kind of value each identifying column holds.
KINDS = {
    "name": "name", "name_key": "name", "aliases": "name", "left_name": "name",
    "right_name": "name", "arrested_name": "name", "national_id": "national_id",
    "passport": "passport", "phone": "phone", "phones": "phone", "e164": "phone",
    "plate": "plate", "plates": "plate", "number": "account", "account": "account",
    "accounts": "account", "text": "address", "address": "address", "address_key": "address",
}  # fmt: skip
#: Node labels whose id is itself an identifier, and its kind.
ID_LABELS = {"Phone": "phone", "Vehicle": "plate", "Account": "account", "Address": "address"}
#: Node properties that are identifiers, per label (other labels: names are not personal).
PERSONAL = {
    "Person": ("name", "name_key", "aliases", "national_id", "passport"),
    "Phone": ("e164",),
    "Vehicle": ("plate",),
    "Account": ("number",),
    "Address": ("text", "address_key"),
}
#: Free text that may hold names: dropped from pseudonymised output.
FREE_TEXT = ("explanation", "content", "raw", "note", "left_name_raw", "right_name_raw")


def record_gradings(store: Any) -> dict[str, str]:
    """Source id -> canonical grading of every current graded record in ``store``."""
    frame = store.query(RECORD_GRADINGS)
    return dict(zip(frame["source_id"].astype(str), frame["grading"].astype(str), strict=True))


def _restricted(grading: str) -> bool:
    try:
        return Grading.parse(grading).restricted
    except ValueError:
        return True  # unreadable: the safe reading


def _as_list(value: object) -> list | None:
    if isinstance(value, list | tuple | np.ndarray):
        return list(value)
    return None


@dataclass
class Disclosure:
    """How one export or report is released (see the module notes).

    Parameters
    ----------
    restricted : set of str
        Source ids of restricted records (handling ``C``).
    people : set of str
        Person ids (record-level and resolved) produced by restricted records alone.
    released : bool
        Restricted material goes out (the disclosure named a purpose and a recipient).
    key : bytes, optional
        Pseudonymise names and identifiers with this key.
    gradings : dict
        Source id -> grading, for :meth:`annotate`.
    """

    restricted: set[str] = field(default_factory=set)
    people: set[str] = field(default_factory=set)
    released: bool = False
    key: bytes | None = None
    gradings: dict[str, str] = field(default_factory=dict)
    #: Rows, nodes and relationships withheld so far.
    withheld: int = 0
    _dropped: dict[str, set[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def for_store(
        cls,
        store: Any,
        *,
        purpose: str | None = None,
        recipient: str | None = None,
        pseudonymise: bool = False,
    ) -> Disclosure:
        """The disclosure of material from ``store``: restricted records found in it, released
        only when both ``purpose`` and ``recipient`` are given.

        Raises
        ------
        OutputError
            If ``pseudonymise`` is asked without ``$NETINTEL_PSEUDONYM_KEY``.
        """
        key = None
        if pseudonymise:
            text = os.environ.get(PSEUDONYM_KEY_ENV, "")
            if len(text) < 16:
                raise OutputError(
                    f"--pseudonymise needs a key of at least 16 characters in {PSEUDONYM_KEY_ENV} "
                    "(the same key gives the same pseudonyms; share it only with the partner "
                    "who must match records)"
                )
            key = text.encode("utf-8")
        gradings = record_gradings(store)
        restricted = {s for s, g in gradings.items() if _restricted(g)}
        people: set[str] = set()
        if restricted:
            persons = store.query(PERSON_SOURCES)
            alone: dict[str, bool] = {}
            for row in persons.itertuples(index=False):
                sources = set(_as_list(row.sources) or [])
                only = bool(sources) and sources <= restricted
                if only:
                    people.add(str(row.id))
                rid = str(row.resolved_id) if isinstance(row.resolved_id, str) else None
                if rid:
                    alone[rid] = alone.get(rid, True) and only
            # A resolved person is named by one member's id: withheld only when every member
            # is produced by restricted records alone, whichever member lends the id.
            people = {p for p in people if alone.get(p, True)}
            people |= {rid for rid, only in alone.items() if only}
        released = bool(purpose and purpose.strip() and recipient and recipient.strip())
        return cls(restricted, people, released, key, gradings)

    # -- values ---------------------------------------------------------------------------
    def pseudonym(self, kind: str, value: object) -> object:
        """The keyed hash of ``value`` as ``<kind>-<20 hex digits>`` (missing values stay)."""
        if self.key is None or value is None or (isinstance(value, float) and value != value):
            return value
        if isinstance(value, list | tuple | np.ndarray):
            return [self.pseudonym(kind, v) for v in value]
        text = str(value).strip()
        if kind == "name":
            text = text.casefold()
        digest = hmac.new(self.key, f"{kind}:{text}".encode(), hashlib.sha256).hexdigest()
        return f"{kind}-{digest[:20]}"

    def _keep_sources(self, value: object) -> tuple[bool, object]:
        """(keep?, the list without restricted ids) for a sources/evidence value."""
        items = _as_list(value)
        if items is None or self.released or not self.restricted:
            return True, value
        kept = [v for v in items if str(v) not in self.restricted]
        return not (items and not kept), kept

    # -- tables ---------------------------------------------------------------------------
    def table(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with withheld rows left out, restricted record ids taken out of its
        lists, and (pseudonymising) names and identifiers replaced, free text dropped."""
        out = frame.copy()
        if not self.released and (self.restricted or self.people):
            keep = np.ones(len(out), dtype=bool)
            for col in [c for c in out.columns if c in EVIDENCE]:
                pairs = [self._keep_sources(v) for v in out[col]]
                keep &= np.array([k for k, _ in pairs], dtype=bool)
                out[col] = pd.Series([v for _, v in pairs], index=out.index, dtype=object)
            for col in [c for c in out.columns if c in PERSON_IDS]:
                keep &= ~out[col].astype(str).isin(self.people).to_numpy()
            self.withheld += int((~keep).sum())
            out = out[keep].reset_index(drop=True)
        if self.key is not None:
            out = out.drop(columns=[c for c in out.columns if c in FREE_TEXT])
            for col in out.columns:
                if col in KINDS:
                    out[col] = out[col].map(lambda v, k=KINDS[col]: self.pseudonym(k, v))
        return out

    def annotate(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Add ``gradings`` (each distinct grading of a row's evidence with its count) and
        ``handling`` (``C`` when any evidence is restricted, ``P`` when all is graded and
        shareable, empty when ungraded), and say the gradings in ``explanation``."""
        col = next((c for c in ("evidence", "sources") if c in frame.columns), None)
        if col is None:
            return frame
        out = frame.copy()
        summaries, handling = [], []
        for value in out[col]:
            codes = [
                self.gradings[str(v)] for v in _as_list(value) or [] if str(v) in self.gradings
            ]
            counts = pd.Series(codes, dtype=object).value_counts().sort_index()
            summaries.append("; ".join(f"{g} x{n}" for g, n in counts.items()))
            restricted = any(_restricted(g) for g in codes)
            handling.append("C" if restricted else ("P" if codes else ""))
        out["gradings"] = summaries
        out["handling"] = handling
        if "explanation" in out.columns:
            out["explanation"] = [
                f"{text} Evidence graded {g}." if g else f"{text} Evidence ungraded."
                for text, g in zip(out["explanation"], summaries, strict=True)
            ]
        return out

    # -- stored rows (neo4j-admin) ----------------------------------------------------------
    def nodes(self, label: str, frame: pd.DataFrame) -> pd.DataFrame:
        """One label's node rows (``id`` and properties) as they may leave."""
        out = frame.copy()
        if not self.released and self.restricted:
            keep = np.ones(len(out), dtype=bool)
            if "sources" in out.columns:
                pairs = [self._keep_sources(v) for v in out["sources"]]
                keep &= np.array([k for k, _ in pairs], dtype=bool)
                out["sources"] = pd.Series([v for _, v in pairs], index=out.index, dtype=object)
            if label == "Record" and "source_id" in out.columns:
                keep &= ~out["source_id"].astype(str).isin(self.restricted).to_numpy()
            if label == "Person":
                keep &= ~out["id"].astype(str).isin(self.people).to_numpy()
            self._dropped.setdefault(label, set()).update(out.loc[~keep, "id"].astype(str))
            self.withheld += int((~keep).sum())
            out = out[keep].reset_index(drop=True)
        if self.key is not None:
            for prop in PERSONAL.get(label, ()):
                if prop in out.columns:
                    out[prop] = out[prop].map(lambda v, k=KINDS[prop]: self.pseudonym(k, v))
            if label in ID_LABELS:
                out["id"] = out["id"].map(lambda v: self.pseudonym(ID_LABELS[label], v))
            if label == "Record" and "content" in out.columns:
                out["content"] = None
        return out

    def edges(self, from_label: str, to_label: str, frame: pd.DataFrame) -> pd.DataFrame:
        """One relationship file's rows (``start_id``, ``end_id``, properties)."""
        out = frame.copy()
        if not self.released and self.restricted:
            keep = np.ones(len(out), dtype=bool)
            if "sources" in out.columns:
                pairs = [self._keep_sources(v) for v in out["sources"]]
                keep &= np.array([k for k, _ in pairs], dtype=bool)
                out["sources"] = pd.Series([v for _, v in pairs], index=out.index, dtype=object)
            keep &= (
                ~out["start_id"].astype(str).isin(self._dropped.get(from_label, set())).to_numpy()
            )
            keep &= ~out["end_id"].astype(str).isin(self._dropped.get(to_label, set())).to_numpy()
            self.withheld += int((~keep).sum())
            out = out[keep].reset_index(drop=True)
        if self.key is not None:
            for end, label in (("start_id", from_label), ("end_id", to_label)):
                if label in ID_LABELS:
                    out[end] = out[end].map(lambda v, k=ID_LABELS[label]: self.pseudonym(k, v))
        return out

    # -- graphs (GraphML, GEXF) -------------------------------------------------------------
    def graph(self, G: nx.Graph) -> nx.Graph:
        """A copy of ``G`` as it may leave: withheld nodes and edges left out, restricted
        record ids taken out, identifying attributes (and identifier node keys) pseudonymised."""
        H = G.__class__()
        H.graph.update(G.graph)
        rename: dict[Any, Any] = {}
        for n, data in G.nodes(data=True):
            attrs = dict(data)
            label = attrs.get("label")
            keep = True
            for col in EVIDENCE:
                if col in attrs:
                    ok, attrs[col] = self._keep_sources(attrs[col])
                    keep &= ok
            pid = str(attrs.get("id", n)) if label in (None, "Person") else None
            if (
                not self.released
                and pid is not None
                and (pid in self.people or str(n) in self.people)
            ):
                keep = False
            if (
                label == "Record"
                and not self.released
                and str(attrs.get("source_id")) in self.restricted
            ):
                keep = False
            if not keep:
                self.withheld += 1
                continue
            if self.key is not None:
                for prop in list(attrs):
                    if prop in FREE_TEXT:
                        attrs.pop(prop)
                    elif prop in KINDS and (label is None or prop in PERSONAL.get(label, ())):
                        attrs[prop] = self.pseudonym(KINDS[prop], attrs[prop])
                if label in ID_LABELS:
                    attrs["id"] = self.pseudonym(ID_LABELS[label], attrs.get("id"))
                    rename[n] = f"{label}:{attrs['id']}"
            H.add_node(rename.get(n, n), **attrs)
        edges = G.edges(keys=True, data=True) if G.is_multigraph() else G.edges(data=True)
        for *ends, data in edges:
            u, v = ends[0], ends[1]
            if rename.get(u, u) not in H or rename.get(v, v) not in H:
                self.withheld += 1
                continue
            attrs = dict(data)
            keep = True
            for col in EVIDENCE:
                if col in attrs:
                    ok, attrs[col] = self._keep_sources(attrs[col])
                    keep &= ok
            if not keep:
                self.withheld += 1
                continue
            H.add_edge(rename.get(u, u), rename.get(v, v), *ends[2:], **attrs)
        return H

    def describe(self) -> str:
        """One line for the user: what was withheld and pseudonymised."""
        parts = []
        if self.restricted and not self.released:
            parts.append(
                f"withheld {self.withheld:,} row(s), node(s) or tie(s) that restricted records "
                f"(handling C, {len(self.restricted):,} records) alone produced; name --purpose "
                "and --recipient to disclose them"
            )
        elif self.restricted:
            parts.append(f"restricted records ({len(self.restricted):,}) disclosed")
        if self.key is not None:
            parts.append("names and identifiers pseudonymised")
        return "; ".join(parts)
