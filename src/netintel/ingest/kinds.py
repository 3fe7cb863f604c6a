"""The canonical record kinds: their columns, required columns and id column.

The column order here is the canonical order: it fixes the order of values hashed into a
record id (see :func:`netintel.ingest.normalise.record_ids`) and the column order of clean
frames. ``graph_schema/records.md`` documents every column.

Examples
--------
>>> spec = KINDS["arrests"]
>>> spec.id_column, spec.required, spec.multi
('record_id', ('record_id', 'name'), ('aliases', 'phones'))
>>> kind_spec("seizure").name
'seizures'
"""

from __future__ import annotations

from dataclasses import dataclass

from netintel.errors import InputError


@dataclass(frozen=True)
class KindSpec:
    """One record kind.

    Attributes
    ----------
    name : str
        ``arrests``, ``seizures``, ``communications``, ``links``, ``shipments``,
        ``accounts`` or ``interactions``.
    columns : tuple of str
        Canonical columns, in canonical order (the id column first).
    required : tuple of str
        Columns that must be present in the file and non-empty in every row. For
        communications and links the id column is optional (a content hash replaces it).
    id_column : str
        The column holding the record's id (``seizure_id`` for seizures).
    multi : tuple of str
        Multi-valued columns (``;``-separated unless the mapping says otherwise).
    date_column : str or None
        The column dating the record (first_seen/last_seen of what it produces).
    checked : tuple of str
        Optional columns whose malformed value quarantines the row like a required one's:
        the amounts (a quantity without its unit, a count or weight that cannot be read)
        that would change what the record asserts if dropped. A malformed value of any other
        optional column is dropped with a quality flag and the record loads.
    """

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    id_column: str
    multi: tuple[str, ...] = ()
    date_column: str | None = None
    checked: tuple[str, ...] = ()

    @property
    def strict(self) -> frozenset[str]:
        """Columns whose malformed value quarantines the row (``required`` + ``checked``)."""
        return frozenset(self.required) | frozenset(self.checked)

    @property
    def hashed_id(self) -> bool:
        """Whether a missing id is replaced by a content hash (communications, links)."""
        return self.id_column not in self.required


KINDS: dict[str, KindSpec] = {
    "arrests": KindSpec(
        "arrests",
        (
            "record_id",
            "arrest_date",
            "name",
            "aliases",
            "dob",
            "national_id",
            "passport",
            "nationality",
            "phones",
            "address",
            "place",
            "province",
            "country",
            "case_id",
            "seizure_id",
            "role",
            "source_ref",
            "grading",
            "vehicle_plate",
        ),
        ("record_id", "name"),
        "record_id",
        ("aliases", "phones"),
        "arrest_date",
    ),
    "seizures": KindSpec(
        "seizures",
        (
            "seizure_id",
            "date",
            "place",
            "province",
            "country",
            "border_gate",
            "drug",
            "quantity",
            "unit",
            "origin",
            "destination",
            "transport",
            "vehicle_plate",
            "case_id",
            "source_ref",
        ),
        ("seizure_id", "date", "country", "drug"),
        "seizure_id",
        (),
        "date",
        ("quantity", "unit"),
    ),
    "communications": KindSpec(
        "communications",
        (
            "record_id",
            "date",
            "from_phone",
            "to_phone",
            "from_person",
            "to_person",
            "count",
            "duration_s",
            "source_ref",
            "from_national_id",
            "to_national_id",
        ),
        (),
        "record_id",
        (),
        "date",
        ("count", "duration_s"),
    ),
    "links": KindSpec(
        "links",
        (
            "record_id",
            "source",
            "target",
            "link_type",
            "date",
            "weight",
            "source_ref",
            "source_national_id",
            "target_national_id",
            "source_dob",
            "target_dob",
        ),
        ("source", "target", "link_type"),
        "record_id",
        (),
        "date",
        ("weight",),
    ),
    # Express-delivery and postal shipments: one row per waybill. A side (sender, recipient)
    # may be a name, a phone, an address, an ID, any of them or none: parcels are sent under
    # false names, and what ties them together is often only a phone or an address.
    "shipments": KindSpec(
        "shipments",
        (
            "waybill",
            "courier",
            "date",
            "sender_name",
            "sender_phone",
            "sender_address",
            "sender_national_id",
            "recipient_name",
            "recipient_phone",
            "recipient_address",
            "recipient_national_id",
            "origin_place",
            "origin_province",
            "origin_country",
            "destination_place",
            "destination_province",
            "destination_country",
            "contents",
            "weight_kg",
            "seizure_id",
            "case_id",
            "source_ref",
            "grading",
        ),
        ("waybill",),
        "waybill",
        (),
        "date",
        ("weight_kg",),
    ),
    # Online accounts (cyberspace): one row per account as a platform or a seizure of a phone
    # shows it, with what it was registered with and its owner when known.
    "accounts": KindSpec(
        "accounts",
        (
            "record_id",
            "platform",
            "account",
            "display_name",
            "phone",
            "email",
            "owner_name",
            "owner_national_id",
            "date",
            "source_ref",
            "grading",
        ),
        ("platform", "account"),
        "record_id",
        (),
        "date",
    ),
    # Interactions between online accounts: messages, posts advertising drugs, and payments
    # (bank transfers, e-wallets, crypto) with amount, currency and transaction hash.
    "interactions": KindSpec(
        "interactions",
        (
            "record_id",
            "interaction",
            "date",
            "from_platform",
            "from_account",
            "to_platform",
            "to_account",
            "amount",
            "currency",
            "method",
            "tx_hash",
            "content",
            "source_ref",
            "grading",
        ),
        ("interaction", "from_platform", "from_account"),
        "record_id",
        (),
        "date",
        ("amount",),
    ),
}

ALL_COLUMNS = frozenset(c for spec in KINDS.values() for c in spec.columns)

_ALIASES = {
    "arrest": "arrests",
    "seizure": "seizures",
    "communication": "communications",
    "calls": "communications",
    "call": "communications",
    "link": "links",
    "shipment": "shipments",
    "parcel": "shipments",
    "parcels": "shipments",
    "account": "accounts",
    "interaction": "interactions",
    "messages": "interactions",
    "payments": "interactions",
}


def kind_spec(kind: str) -> KindSpec:
    """The :class:`KindSpec` of ``kind`` (singular forms accepted); :class:`InputError` if unknown.

    >>> kind_spec("people")
    Traceback (most recent call last):
    ...
    netintel.errors.InputError: unknown record kind 'people'; use one of arrests, seizures, communications, links, shipments, accounts, interactions
    """
    name = _ALIASES.get(kind, kind)
    if name not in KINDS:
        raise InputError(f"unknown record kind {kind!r}; use one of {', '.join(KINDS)}")
    return KINDS[name]
