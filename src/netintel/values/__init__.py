"""Value types shared by ingestion and entity resolution, one module per type.

=================  ==========================================================================
module             what it holds
=================  ==========================================================================
``base``           :class:`ValueType` (``clean`` / ``validate`` / ``compare``), missing values,
                   :func:`clean_series` (a cleaner over a column, once per distinct value)
``text``           the one :func:`fold`, :func:`clean_text`, :func:`text_key`, edit distance,
                   Jaro-Winkler; :class:`Text`
``name``           :class:`Name`: :func:`clean_name`, :func:`name_key`, :func:`name_turn`
``phone``          :class:`Phone`: :func:`to_e164`, :func:`phone_region`
``date``           :class:`PartialDate`, :func:`date_bounds`, and the time :class:`Window`
``quantity``       :class:`Quantity`: :func:`parse_number`, :func:`unit_factor`, :func:`to_kg`
``identifier``     :class:`NationalId`, :class:`Passport`, :class:`Plate`
``country``        :class:`Country`: :func:`to_country`, :func:`country_name`
``role``           :class:`Role`: :func:`clean_role`, :data:`ROLES`
``grading``        :class:`Grading` (the 3x5x2 scheme), :func:`clean_grading`
``places``         the gazetteer: provinces, place paths, border gates
=================  ==========================================================================

Each type is a small class whose ``clean`` turns recorded text into the canonical value
(raising :class:`~netintel.errors.InvalidValueError`, which names the text, when there is
none), ``validate`` says whether it can, and ``compare`` gives the similarity of two recorded
values in ``[0, 1]``. Each has plain-function twins for the common cases; ingest cleans with
them and entity resolution builds its keys and comparisons from them. :data:`TYPES` lists the
types by their ``kind``.

Examples
--------
>>> name_key("Nguyễn  Văn Hùng"), to_e164("0912 345 678"), PartialDate.parse("14/05/1987").iso
('nguyen van hung', '+84912345678', '1987-05-14')
>>> to_kg("2", "bánh"), to_country("Lao PDR"), clean_role("leader")
(0.7, 'LA', 'organizer')
>>> sorted(TYPES)
['country', 'date', 'grading', 'name', 'national_id', 'passport', 'phone', 'plate', 'quantity', 'role', 'text']
"""

from __future__ import annotations

from netintel.values.base import (
    MISSING_TOKENS,
    ValueType,
    clean_series,
    is_missing,
    missing_to_none,
)
from netintel.values.country import Country, country_name, to_country
from netintel.values.date import MAX_YEAR, MIN_YEAR, PartialDate, Window, date_bounds
from netintel.values.grading import Grading, GradingType, clean_grading, most_restrictive
from netintel.values.identifier import (
    Identifier,
    NationalId,
    Passport,
    Plate,
    clean_national_id,
    clean_passport,
    clean_plate,
    identifier_key,
)
from netintel.values.name import Name, clean_name, clean_names, name_key, name_turn
from netintel.values.phone import (
    VN_RENUMBERED,
    Phone,
    check_region,
    phone_cleaner,
    phone_region,
    to_e164,
)
from netintel.values.quantity import (
    COUNT_UNITS,
    UNIT_KG,
    Quantity,
    parse_number,
    to_kg,
    unit_factor,
)
from netintel.values.role import ROLES, Role, clean_role
from netintel.values.text import (
    INVISIBLE,
    Text,
    clean_text,
    clean_texts,
    edit_distance,
    fold,
    jaro_winkler,
    one_edit_apart,
    text_key,
)

#: The value types by ``kind``.
TYPES: dict[str, type[ValueType]] = {
    t.kind: t
    for t in (
        Text,
        Name,
        Phone,
        PartialDate,
        Quantity,
        NationalId,
        Passport,
        Plate,
        Country,
        Role,
        GradingType,
    )
}

__all__ = [
    "COUNT_UNITS",
    "INVISIBLE",
    "MAX_YEAR",
    "MIN_YEAR",
    "MISSING_TOKENS",
    "ROLES",
    "TYPES",
    "UNIT_KG",
    "VN_RENUMBERED",
    "Country",
    "Grading",
    "GradingType",
    "Identifier",
    "Name",
    "NationalId",
    "PartialDate",
    "Passport",
    "Phone",
    "Plate",
    "Quantity",
    "Role",
    "Text",
    "ValueType",
    "Window",
    "check_region",
    "clean_grading",
    "clean_name",
    "clean_names",
    "clean_national_id",
    "clean_passport",
    "clean_plate",
    "clean_role",
    "clean_series",
    "clean_text",
    "clean_texts",
    "country_name",
    "date_bounds",
    "edit_distance",
    "fold",
    "identifier_key",
    "is_missing",
    "jaro_winkler",
    "missing_to_none",
    "most_restrictive",
    "name_key",
    "name_turn",
    "one_edit_apart",
    "parse_number",
    "phone_cleaner",
    "phone_region",
    "text_key",
    "to_country",
    "to_e164",
    "to_kg",
    "unit_factor",
]
