"""Co-occurrence tables: who was in the same place at the same time, called the same number,
or used the same vehicle, read from a store for :mod:`netintel.analysis.hidden`.

Three tables, in the shapes :data:`netintel.analysis.hidden.features.COOCCURRENCE_COLUMNS` names:

``events``    ``person_id, event, place, date, sources``: one row per person per arrest.
              ``event`` is the linked seizure when there is one (people arrested for the same
              seizure are already tied by the projection, so they are one event), else the
              arrest; ``place`` the province key of the arrest's place (``vn/nghe an``).
``contacts``  ``person_id, phone, sources``: a phone at the other end of a call with one of
              the person's phones (or with the person, where a record names them), when the
              person does not use that phone themself; ``sources`` the call records.
``vehicles``  ``person_id, vehicle, sources``: vehicles recorded with the person, directly
              or as the transport of a seizure their arrest is linked to.

Rows outside the settings' time window are left out (undated vehicles always stay).
"""

from __future__ import annotations

import pandas as pd

from netintel.project import ProjectionSettings, _source_lists
from netintel.resolve.fold import fold_columns, resolved_ids
from netintel.store import cypher
from netintel.store.base import GraphStore

# table -> its columns holding Person ids
_PERSON_COLUMNS = {
    "arrests": ("person_id",),
    "phones": ("person_id",),
    "vehicles": ("person_id",),
    "seizure_vehicles": ("person_id",),
    "calls_person_person": ("source", "target"),
    "calls_person_phone": ("source",),
    "calls_phone_person": ("target",),
}


def _province(place: object) -> str | None:
    """``vn/nghe an/vinh`` -> ``vn/nghe an`` (place keys are ``country/province/...``)."""
    if not isinstance(place, str) or not place:
        return None
    parts = place.split("/")
    return "/".join(parts[:2]) if len(parts) >= 2 else None


def read_cooccurrence(
    store: GraphStore, settings: ProjectionSettings | None = None
) -> dict[str, pd.DataFrame]:
    """The ``events``, ``contacts`` and ``vehicles`` tables of a store (see the module).

    Parameters
    ----------
    store : GraphStore
    settings : ProjectionSettings, optional
        Only its time window is used.

    Returns
    -------
    dict of str to DataFrame
    """
    settings = (settings or ProjectionSettings()).validate()
    q = {
        "arrests": cypher.PERSON_ARREST_PLACES,
        "seizures": cypher.ARREST_SEIZURES,
        "phones": cypher.PERSON_PHONES,
        "vehicles": cypher.PERSON_VEHICLES,
        "seizure_vehicles": cypher.PERSON_SEIZURE_VEHICLES,
        **{f"calls_{a.lower()}_{b.lower()}": text for (a, b), text in cypher.CALLS.items()},
    }
    t = {name: _source_lists(store.query(text)) for name, text in q.items()}
    # the person graph has one node per resolved person: so do these tables
    t.update(fold_columns(t, _PERSON_COLUMNS, resolved_ids(store.query(cypher.PERSONS))))

    arrests = t["arrests"][settings.window.contains(t["arrests"]["date"])]
    linked = t["seizures"].drop_duplicates("arrest_id").set_index("arrest_id")["seizure_id"]
    events = pd.DataFrame(
        {
            "person_id": arrests["person_id"].to_numpy(),
            "event": arrests["arrest_id"].map(linked).fillna(arrests["arrest_id"]).to_numpy(),
            "place": arrests["place"].map(_province).to_numpy(),
            "date": pd.to_datetime(arrests["date"], errors="coerce").to_numpy(),
            "sources": arrests["sources"].to_numpy(),
        }
    ).dropna(subset=["place"])

    users = t["phones"][["person_id", "phone"]].drop_duplicates()
    ends = []
    for (a, b), _ in cypher.CALLS.items():
        calls = t[f"calls_{a.lower()}_{b.lower()}"]
        calls = calls[settings.window.contains(calls["date"])]
        # (this end, its label, the other end, the other end's label)
        for me, label, other, other_label in (
            ("source", a, "target", b),
            ("target", b, "source", a),
        ):
            if other_label != "Phone":
                continue  # a contact is a phone number
            frame = calls.rename(columns={me: "me", other: "phone"})
            if label == "Phone":
                frame = frame.merge(users.rename(columns={"phone": "me"}), on="me")
            else:
                frame = frame.rename(columns={"me": "person_id"})
            ends.append(frame[["person_id", "phone", "sources"]])
    contacts = (
        pd.concat(ends, ignore_index=True)
        if ends
        else pd.DataFrame(columns=["person_id", "phone", "sources"])
    )
    own = contacts.merge(users, on=["person_id", "phone"], how="left", indicator=True)
    contacts = contacts[(own["_merge"] == "left_only").to_numpy()].reset_index(drop=True)

    vehicles = pd.concat(
        [t["vehicles"][["person_id", "vehicle", "sources"]], t["seizure_vehicles"]],
        ignore_index=True,
    )
    return {"events": events, "contacts": contacts, "vehicles": vehicles}
