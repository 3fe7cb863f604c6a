"""Per-kind checks: clean each column, and record why a row cannot be loaded.

Every column is cleaned by its value type (:mod:`netintel.values`: ``Name``, ``Phone``,
``PartialDate``, ``NationalId``, ``Passport``, ``Plate``, ``Country``, ``Role``,
``Quantity``) or a controlled vocabulary (:mod:`netintel.ingest.vocab`); the message of the
:class:`~netintel.errors.InvalidValueError` it raises is the quarantine reason.

A :class:`Checks` holds one file's canonical frame (text), the cleaned output columns and the
issues found (row position, field, value, reason). The functions ``check_<kind>`` run every
column check of a kind; the pair checks that need several cleaned columns at once (a call
must not join a number or a person to itself; a link must join two different people) run after them,
on the rows still clean. :func:`netintel.ingest.normalise.normalise` drives them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from netintel.errors import InvalidValueError
from netintel.ingest.kinds import KindSpec
from netintel.ingest.vocab import (
    account_key,
    canonical_drug,
    clean_courier,
    clean_interaction,
    clean_link_type,
    clean_method,
    clean_platform,
    clean_transport,
)
from netintel.values import (
    Country,
    Name,
    NationalId,
    PartialDate,
    Passport,
    Phone,
    Plate,
    Quantity,
    Role,
    Text,
    check_region,
    clean_grading,
    clean_names,
    clean_series,
    clean_texts,
    date_bounds,
)
from netintel.values.places import find_province
from netintel.values.quantity import MAX_NUMBER
from netintel.values.text import control_reason


class Checks:
    """One file's normalisation: the working frame, the output columns, the issues (rows to
    quarantine) and the flags (optional values dropped; the record loads)."""

    def __init__(self, raw: pd.DataFrame, spec: KindSpec, file: str, region: str) -> None:
        self.spec, self.file, self.region = spec, file, region
        self.raw = raw
        self.out: dict[str, Any] = {}
        self.issues: list[pd.DataFrame] = []
        self.flags: list[pd.DataFrame] = []

    @staticmethod
    def _lines(field: str, values: pd.Series, reasons: pd.Series) -> pd.DataFrame | None:
        bad = reasons.notna()
        if not bad.any():
            return None
        return pd.DataFrame(
            {
                "pos": reasons.index[bad],
                "field": field,
                "value": values[bad].astype(object).to_numpy(),
                "reason": (field + ": " + reasons[bad].astype(str)).to_numpy(),
            }
        )

    def issue(self, field: str, values: pd.Series, reasons: pd.Series) -> None:
        """Quarantine the rows where ``reasons`` is set."""
        lines = self._lines(field, values, reasons)
        if lines is not None:
            self.issues.append(lines)

    def flag(self, field: str, values: pd.Series, reasons: pd.Series) -> None:
        """Flag the values where ``reasons`` is set (the caller drops them)."""
        lines = self._lines(field, values, reasons)
        if lines is not None:
            self.flags.append(lines)

    def report(self, field: str, values: pd.Series, reasons: pd.Series) -> None:
        """A malformed value: an issue for a required or checked column (the row is
        quarantined), else a flag (the value is dropped, the record loads)."""
        if field in self.spec.strict:
            self.issue(field, values, reasons)
        else:
            self.flag(field, values, reasons)

    def required(self, *cols: str) -> None:
        for col in cols:
            self.issue(col, self.raw[col], _flag(self.raw[col].isna(), "required value is missing"))

    def clean(self, col: str, cleaner: Callable[[Any], Any], *, keep: bool = False) -> pd.Series:
        """``cleaner`` over the column; a value it refuses is reported (:meth:`report`) and
        dropped, or with ``keep`` kept as written (clean text) without a report."""
        cleaned, errors = clean_series(self.raw[col], _refusing_controls(cleaner))
        if keep:
            cleaned = cleaned.where(errors.isna(), clean_texts(self.raw[col]).astype(object))
        else:
            self.report(col, self.raw[col], errors)
        self.out[col] = cleaned
        return cleaned

    def multi(
        self, col: str, cleaner: Callable[[Any], Any], regions: pd.Series | None = None
    ) -> None:
        """A ``;``-separated column: cleaned, de-duplicated lists (``[]`` when empty); each
        part refused is reported and dropped. ``regions`` (phones) gives each row its own
        cleaner: ``cleaner(region)``."""
        series = self.raw[col]
        has = series.notna()
        several = has & series.str.contains(";", regex=False).fillna(False).astype(bool)
        parts = series[several].str.split(";").explode().str.strip()
        parts = pd.concat([series[has & ~several], parts[parts.notna() & (parts != "")]])
        if regions is None:
            cleaned, errors = clean_series(parts, _refusing_controls(cleaner))
        else:
            hint = regions.reindex(parts.index).to_numpy()
            out = np.full(len(parts), None, dtype=object)
            err = np.full(len(parts), None, dtype=object)
            for region in pd.unique(hint):
                at = hint == region
                c, e = clean_series(parts[at], _refusing_controls(cleaner(region)))
                out[at], err[at] = c.to_numpy(), e.to_numpy()
            cleaned = pd.Series(out, index=parts.index, dtype=object)
            errors = pd.Series(err, index=parts.index, dtype=object)
        bad = errors.notna()
        if bad.any():
            self.report(col, parts[bad], errors[bad])
        lists = np.empty(len(series), dtype=object)
        lists[:] = [[] for _ in range(len(series))]
        n_single = int((has & ~several).sum())
        for pos, value in zip(cleaned.index[:n_single], cleaned.iloc[:n_single], strict=True):
            if value is not None:
                lists[pos] = [value]
        for pos, value in zip(cleaned.index[n_single:], cleaned.iloc[n_single:], strict=True):
            if value is not None and value not in lists[pos]:
                lists[pos] = [*lists[pos], value]
        self.out[col] = pd.Series(lists, index=series.index, dtype=object)

    def date(self, col: str, *, seen: bool = False) -> None:
        iso = self.clean(col, PartialDate.clean)
        if seen:
            for i, name in enumerate(("first_seen", "last_seen")):
                self.out[name] = clean_series(iso, lambda d, i=i: date_bounds(d)[i])[0]

    def number(self, col: str, *, whole: bool = False) -> None:
        def parse(value: str) -> float | int:
            number = Quantity.clean(value)
            if whole:
                if not number.is_integer():
                    raise InvalidValueError(f"{value!r} is not a whole number")
                return int(number)
            return number

        self.clean(col, parse)

    def _controls(self, col: str) -> pd.Series:
        """The column with values holding a control character reported and dropped."""
        series = self.raw[col]
        reasons = clean_series(series, control_reason)[0]
        if reasons.notna().any():
            self.report(col, series, reasons)
            series = series.where(reasons.isna(), None)
        return series

    def text(self, *cols: str) -> None:
        """Free text, cleaned; a required one (or a given record id) made only of invisible
        characters is reported as blank (an optional one is missing)."""
        for col in cols:
            raw = self._controls(col)
            texts = clean_texts(raw)
            if col in self.spec.required or col == self.spec.id_column:
                blank = raw.notna() & texts.isna()
                self.issue(col, raw, _flag(blank, "is blank (invisible characters only)"))
            self.out[col] = texts.astype(object)

    def person(self, name: str, key: str) -> pd.Series:
        raw = self._controls(name)
        names = clean_names(raw)
        self.report(
            name,
            raw,
            _flag(raw.notna() & names.isna(), "is blank (invisible characters only)"),
        )
        self.out[name] = names.astype(object)
        self.out[key] = clean_series(names, Name.key)[0]
        return names

    def places(self, prefix: str = "") -> None:
        """Countries to ISO-2 (inferred from a known province when missing), provinces by their
        gazetteer name, a known province given as ``place`` with no province moved up.
        ``prefix`` names another triple of columns (``"origin_"``: ``origin_country``, ...)."""
        cols = (f"{prefix}country", f"{prefix}province", f"{prefix}place")
        country = self.clean(cols[0], Country.clean)
        keys = pd.DataFrame(
            {
                "c": country.fillna(""),
                "p": clean_texts(self._controls(cols[1])).fillna(""),
                "l": clean_texts(self._controls(cols[2])).fillna(""),
            }
        ).astype(object)
        group, firsts = group_codes(keys)
        fixed = [_place_triple(*(v or None for v in keys.iloc[p])) for p in firsts]
        table = np.empty((len(fixed), 3), dtype=object)
        for i, triple in enumerate(fixed):
            table[i] = triple
        rows = table[group] if len(group) else np.empty((0, 3), dtype=object)
        for i, col in enumerate(cols):
            self.out[col] = pd.Series(rows[:, i], index=self.raw.index, dtype=object)

    def phone_regions(self, *cols: str) -> pd.Series:
        """Each row's region for national phone numbers: the first of ``cols`` (cleaned,
        ISO-2) that is a phone region, else the default region."""
        region = pd.Series(self.region, index=self.raw.index, dtype=object)
        for col in reversed(cols):
            hint = clean_series(self.out[col], _phone_region_or_none)[0]
            region = hint.where(hint.notna(), region)
        return region


def _refusing_controls(cleaner: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``cleaner``, refusing first a value holding a control character (NUL, escape...)."""

    def clean(value: Any) -> Any:
        reason = control_reason(value)
        if reason is not None:
            raise InvalidValueError(f"{value!r} {reason}")
        return cleaner(value)

    return clean


def _phone_region_or_none(code: object) -> str | None:
    try:
        return check_region(str(code))
    except InvalidValueError:
        return None


def group_codes(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Group code of each row (equal rows share one) and the first row position of each group.

    >>> codes, firsts = group_codes(pd.DataFrame({"a": ["x", "y", "x"], "b": [None, "1", None]}))
    >>> codes.tolist(), firsts.tolist()
    ([0, 1, 0], [0, 1])
    """
    text = None
    for col in frame.columns:
        s = frame[col].astype(object).where(frame[col].notna(), "\x00").astype(str)
        text = s if text is None else text + "\x1f" + s
    if text is None or not len(text):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    codes, _ = pd.factorize(text)
    return codes, np.unique(codes, return_index=True)[1]


def _place_triple(country: str | None, province: str | None, place: str | None) -> tuple:
    if province is None and place is not None:
        found = find_province(place, country)
        if found is not None:
            province, place = found.name, None
    if province is not None:
        found = find_province(province, country)
        if found is not None:
            province, country = found.name, country or found.country
        else:
            province = _text_or_none(province)
    return country, province, _text_or_none(place) if place is not None else None


def _text_or_none(text: str) -> str | None:
    """:meth:`Text.clean <netintel.values.Text.clean>`; ``None`` for text that is blank
    once invisible characters are gone (a missing value, as :meth:`Checks.text` has it)."""
    try:
        return Text.clean(text)
    except InvalidValueError:
        return None


def person_keys(
    name_key: pd.Series,
    national_id: pd.Series,
    dob: pd.Series | None,
    scope: pd.Series,
    passport: pd.Series | None = None,
) -> pd.Series:
    """Deterministic person keys: ``nid:<id>``, else ``pp:<passport>``, else
    ``nd:<name_key>|<dob>``, else ``ns:<name_key>|<scope>`` (scope: the source_ref, or the
    file name).

    >>> s = lambda *v: pd.Series(list(v), dtype=object)
    >>> person_keys(s("a b", "a b", "a b", "a b"), s("123", None, None, None),
    ...             s(None, "1987", "1987", None), s("doc1", "doc1", "doc1", "doc1"),
    ...             s("PA1", "PA1", None, None)).tolist()
    ['nid:123', 'pp:PA1', 'nd:a b|1987', 'ns:a b|doc1']
    """
    key = "ns:" + name_key.astype(object) + "|" + scope.astype(object)
    if dob is not None:
        key = key.where(dob.isna(), "nd:" + name_key.astype(object) + "|" + dob.astype(object))
    known = name_key.notna() | national_id.notna()
    if passport is not None:
        key = key.where(passport.isna(), "pp:" + passport.astype(object))
        known = known | passport.notna()
    key = key.where(national_id.isna(), "nid:" + national_id.astype(object))
    return key.where(known, None)


def _flag(mask: pd.Series, reason: str) -> pd.Series:
    return pd.Series(reason, index=mask.index, dtype=object).where(mask, None)


def check_arrests(run: Checks) -> None:
    run.required("record_id", "name")
    run.text("record_id", "address", "case_id", "seizure_id", "source_ref")
    run.date("arrest_date", seen=True)
    run.person("name", "name_key")
    run.multi("aliases", Name.clean)
    run.date("dob")
    run.clean("national_id", NationalId.clean)
    run.clean("passport", Passport.clean)
    run.clean("nationality", Country.clean, keep=True)
    run.places()
    run.multi("phones", Phone.cleaner, regions=run.phone_regions("nationality", "country"))
    run.clean("role", Role.clean)
    run.clean("grading", clean_grading)
    run.clean("vehicle_plate", Plate.clean)


def check_seizures(run: Checks) -> None:
    raw = run.raw
    run.required("seizure_id", "date", "country", "drug")
    run.text("seizure_id", "border_gate", "origin", "destination", "case_id", "source_ref")
    run.date("date", seen=True)
    run.places()
    run.clean("drug", canonical_drug)
    run.clean("transport", clean_transport)
    run.clean("vehicle_plate", Plate.clean)
    run.number("quantity")
    factor, errors = clean_series(raw["unit"], Quantity.unit)
    run.issue("unit", raw["unit"], errors)
    run.issue(
        "unit",
        raw["unit"],
        _flag(raw["quantity"].notna() & raw["unit"].isna(), "missing; a quantity needs a unit"),
    )
    run.text("unit")
    kg = pd.to_numeric(run.out["quantity"], errors="coerce") * pd.to_numeric(
        factor, errors="coerce"
    )
    run.issue(
        "quantity",
        raw["quantity"],
        _flag(kg > MAX_NUMBER, f"is out of range in its unit (at most {MAX_NUMBER:,.0f} kg)"),
    )
    run.out["quantity_kg"] = kg.round(9).astype(object).where(kg.notna(), None)


def check_communications(run: Checks) -> None:
    raw = run.raw
    run.text("record_id", "source_ref")
    run.date("date", seen=True)
    phone = Phone.cleaner(run.region)
    for side in ("from", "to"):
        person = run.person(f"{side}_person", f"{side}_key")
        col = f"{side}_phone"
        cleaned, errors = clean_series(raw[col], phone)
        # a side's only identifier is required: a bad phone beside a person is flagged
        run.issue(col, raw[col], errors.where(person.isna(), None))
        run.flag(col, raw[col], errors.where(person.notna(), None))
        run.out[col] = cleaned
        run.clean(f"{side}_national_id", NationalId.clean)
        neither = raw[col].isna() & person.isna()
        run.issue(col, raw[col], _flag(neither, f"neither {side}_phone nor {side}_person is given"))
    run.number("count", whole=True)
    run.number("duration_s")


def check_call_pairs(run: Checks, bad: pd.Series) -> None:
    """A call from a number to itself, or from a person to themselves, is an error."""
    out, raw = run.out, run.raw
    fp, tp = out["from_phone"].notna(), out["to_phone"].notna()
    fs, ts = out["from_person"].notna(), out["to_person"].notna()
    ok = ~bad
    same = ok & fp & tp & (out["from_phone"] == out["to_phone"])
    run.issue("to_phone", raw["to_phone"], _flag(same, "same number as from_phone"))
    persons = (
        ok
        & ~(fp & tp)
        & fs
        & ts
        & (out["from_key"] == out["to_key"])
        & (out["from_national_id"].fillna("") == out["to_national_id"].fillna(""))
    )
    run.issue("to_person", raw["to_person"], _flag(persons, "same person as from_person"))


def check_links(run: Checks) -> None:
    run.required("source", "target", "link_type")
    run.text("record_id", "source_ref")
    run.person("source", "source_key")
    run.person("target", "target_key")
    run.clean("link_type", clean_link_type)
    run.date("date", seen=True)
    run.number("weight")
    for side in ("source", "target"):
        run.clean(f"{side}_national_id", NationalId.clean)
        run.date(f"{side}_dob")


def check_link_pairs(run: Checks, bad: pd.Series) -> None:
    out = run.out
    scope = out["source_ref"].fillna(Path(run.file).name)
    keys = [
        person_keys(out[f"{s}_key"], out[f"{s}_national_id"], out[f"{s}_dob"], scope)
        for s in ("source", "target")
    ]
    run.issue(
        "target", run.raw["target"], _flag(~bad & (keys[0] == keys[1]), "same person as source")
    )


def check_shipments(run: Checks) -> None:
    """A waybill is required; each side's phone is read in its own country's numbering plan
    (the origin country for the sender, the destination country for the recipient)."""
    raw = run.raw
    run.required("waybill")
    run.text("waybill", "sender_address", "recipient_address", "contents")
    run.text("seizure_id", "case_id", "source_ref")
    run.clean("courier", clean_courier)
    run.date("date", seen=True)
    for end in ("origin", "destination"):
        run.places(f"{end}_")
    for side, end in (("sender", "origin"), ("recipient", "destination")):
        run.person(f"{side}_name", f"{side}_key")
        region = run.phone_regions(f"{end}_country")
        col = f"{side}_phone"
        cleaned = pd.Series(None, index=raw.index, dtype=object)
        for code in pd.unique(region):
            at = region == code
            part, errors = clean_series(raw.loc[at, col], _refusing_controls(Phone.cleaner(code)))
            run.flag(col, raw.loc[at, col], errors)
            cleaned[at] = part
        run.out[col] = cleaned
        run.clean(f"{side}_national_id", NationalId.clean)
    run.number("weight_kg")
    run.clean("grading", clean_grading)


def check_shipment_pairs(run: Checks, bad: pd.Series) -> None:
    """A parcel whose sender and recipient give the same phone or the same ID is an error."""
    out, raw = run.out, run.raw
    for field, other in (
        ("recipient_phone", "sender_phone"),
        ("recipient_national_id", "sender_national_id"),
    ):
        same = ~bad & out[field].notna() & (out[field] == out[other])
        run.issue(field, raw[field], _flag(same, f"same as {other}"))


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CURRENCY = re.compile(r"^[A-Z0-9]{2,10}$")


def clean_email(raw: str) -> str:
    """An e-mail address, lower case; :class:`InvalidValueError` if it is not one.

    >>> clean_email(" Hang.Tot@Gmail.com ")
    'hang.tot@gmail.com'
    """
    text = str(raw).strip().lower()
    if not _EMAIL.match(text):
        raise InvalidValueError(f"{str(raw).strip()!r} is not an e-mail address")
    return text


def clean_currency(raw: str) -> str:
    """A currency or coin code, upper case (``VND``, ``LAK``, ``USDT``).

    >>> clean_currency("vnd"), clean_currency("usdt")
    ('VND', 'USDT')
    """
    text = "".join(str(raw).split()).upper()
    if not _CURRENCY.match(text):
        raise InvalidValueError(f"{str(raw).strip()!r} is not a currency code")
    return text


def _keys(run: Checks, platform: str, account: str, key: str) -> None:
    """The account match key of each row (missing where the account or platform is)."""
    out = run.out
    run.out[key] = pd.Series(
        [
            account_key(p, a) if isinstance(p, str) and isinstance(a, str) else None
            for p, a in zip(out[platform], out[account], strict=True)
        ],
        index=run.raw.index,
        dtype=object,
    )


def check_accounts(run: Checks) -> None:
    """An account is its platform and handle (or account number, wallet address); its
    registration phone and e-mail and its owner are optional."""
    run.required("platform", "account")
    run.text("record_id", "account", "display_name", "source_ref")
    run.clean("platform", clean_platform)
    run.clean("phone", Phone.cleaner(run.region))
    run.clean("email", clean_email)
    run.person("owner_name", "owner_key")
    run.clean("owner_national_id", NationalId.clean)
    run.date("date", seen=True)
    run.clean("grading", clean_grading)
    _keys(run, "platform", "account", "account_key")


def check_interactions(run: Checks) -> None:
    """A message or payment goes from one account to another; a post has only its author.
    The other side's platform defaults to the first side's."""
    raw = run.raw
    run.required("interaction", "from_platform", "from_account")
    run.text("record_id", "from_account", "to_account", "tx_hash", "content", "source_ref")
    run.clean("interaction", clean_interaction)
    run.clean("from_platform", clean_platform)
    to = run.clean("to_platform", clean_platform)
    run.out["to_platform"] = to.where(to.notna(), run.out["from_platform"])
    run.date("date", seen=True)
    run.number("amount")
    run.clean("currency", clean_currency)
    run.clean("method", clean_method)
    run.clean("grading", clean_grading)
    _keys(run, "from_platform", "from_account", "from_key")
    _keys(run, "to_platform", "to_account", "to_key")
    kind = run.out["interaction"]
    needs = kind.isin(["message", "payment"]) & raw["to_account"].isna()
    run.issue("to_account", raw["to_account"], _flag(needs, "required for a message or payment"))
    orphan = raw["amount"].notna() & run.out["currency"].isna() & (kind == "payment")
    run.issue("currency", raw["currency"], _flag(orphan, "missing; an amount needs a currency"))


def check_interaction_pairs(run: Checks, bad: pd.Series) -> None:
    """A message or payment from an account to itself is an error."""
    out = run.out
    same = ~bad & out["to_key"].notna() & (out["from_key"] == out["to_key"])
    run.issue("to_account", run.raw["to_account"], _flag(same, "same account as from_account"))


KIND_CHECKS = {
    "arrests": check_arrests,
    "seizures": check_seizures,
    "communications": check_communications,
    "links": check_links,
    "shipments": check_shipments,
    "accounts": check_accounts,
    "interactions": check_interactions,
}
PAIR_CHECKS = {
    "communications": check_call_pairs,
    "links": check_link_pairs,
    "shipments": check_shipment_pairs,
    "interactions": check_interaction_pairs,
}
EXTRA_COLUMNS = {
    "arrests": ("name_key",),
    "seizures": ("quantity_kg",),
    "communications": ("from_key", "to_key"),
    "links": ("source_key", "target_key"),
    "shipments": ("sender_key", "recipient_key"),
    "accounts": ("owner_key", "account_key"),
    "interactions": ("from_key", "to_key"),
}


def bad_rows(run: Checks) -> pd.Series:
    bad = pd.Series(False, index=run.raw.index)
    for part in run.issues:
        bad.iloc[part["pos"].to_numpy()] = True
    return bad


def check_duplicates(run: Checks) -> None:
    """A record id used twice with different content: the later rows are quarantined."""
    frame, col = run.raw, run.spec.id_column
    ids = frame[col]
    dup = ids.notna() & ids.duplicated(keep=False)
    if not dup.any():
        return
    sub = frame.loc[dup, [*list(run.spec.columns), "_row"]]
    conflict = sub.duplicated(subset=[col]) & ~sub.duplicated(subset=list(run.spec.columns))
    if not conflict.any():
        return
    first_row = sub.groupby(col)["_row"].first()
    reasons = sub.loc[conflict, col].map(
        lambda v: f"{v!r} is also used by row {first_row[v]} with different content"
    )
    run.issue(col, ids, reasons.reindex(ids.index))
