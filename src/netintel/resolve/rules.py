"""The deterministic pass: pairs of Person nodes that share an exact key.

Each rule names key columns of the prepared table (a list column such as ``phones`` matches
when the two lists share a value) and optionally a minimum name similarity (Jaro-Winkler of
the word-sorted folded names), so that a phone shared by a family does not merge its
members. Runs in DuckDB, embedded.

Keys shared by more than ``max_group`` nodes (a call-centre number, a placeholder ID) say
nothing about identity and are skipped.

Examples
--------
>>> import pandas as pd
>>> from netintel.resolve.prepare import prepare
>>> from netintel.resolve.settings import ResolutionSettings
>>> s = ResolutionSettings.default()
>>> raw = pd.DataFrame({"person_id": ["a", "b", "c"],
...     "name": ["Nguyễn Văn Hùng", "Hung Nguyen Van", "Trần Thị Lan"],
...     "phones": [["+84912345678"], ["+84912345678"], ["+84912345678"]]})
>>> rule_pairs(prepare(raw, s), s)[["left", "right", "rule"]].to_dict("records")
[{'left': 'a', 'right': 'b', 'rule': 'phone+name'}]
"""

from __future__ import annotations

import duckdb
import pandas as pd

from netintel.resolve.settings import LIST_KEYS, ResolutionSettings

PAIR_COLUMNS = ["left", "right", "probability", "rule", "agreed"]


def rule_pairs(
    prepared: pd.DataFrame, settings: ResolutionSettings, *, max_group: int = 50
) -> pd.DataFrame:
    """Pairs matched by the deterministic rules, first rule first.

    Returns
    -------
    pandas.DataFrame
        ``left, right, probability, rule, agreed`` with ``left < right``, one row per pair
        (the first rule that matched it), ``probability`` 1.0 and ``agreed`` the key columns
        (plus ``name`` where a name similarity was required).
    """
    con = duckdb.connect()
    try:
        frames = []
        for rule in settings.rules:
            missing = [k for k in rule.keys if k not in prepared or prepared[k].isna().all()]
            if missing:
                continue
            cols = list(dict.fromkeys(["person_id", "name_turn", *rule.keys]))
            base = prepared[cols]
            for k in rule.keys:
                if k in LIST_KEYS:
                    base = base.explode(k)
            base = base.dropna(subset=list(rule.keys)).drop_duplicates()
            if rule.min_words > 1:
                words = base["name_turn"].str.count(" ").fillna(-1) + 1
                base = base[words >= rule.min_words]
            if base.empty:
                continue
            con.register("base", base)
            keys = ", ".join(f'"{k}"' for k in rule.keys)
            join = " AND ".join(f'l."{k}" = r."{k}"' for k in rule.keys)
            similar = ""
            if rule.name_similarity is not None:
                similar = (
                    " AND l.name_turn IS NOT NULL AND r.name_turn IS NOT NULL AND "
                    "jaro_winkler_similarity(l.name_turn, r.name_turn) >= "
                    f"{float(rule.name_similarity)!r}"
                )
            query = f"""
                WITH sized AS (
                    SELECT *, count(*) OVER (PARTITION BY {keys}) AS n FROM base
                ), small AS (SELECT * FROM sized WHERE n <= {int(max_group)})
                SELECT DISTINCT l.person_id AS "left", r.person_id AS "right"
                FROM small l JOIN small r ON {join} AND l.person_id < r.person_id {similar}
            """
            pairs = con.execute(query).df()
            con.unregister("base")
            agreed = list(rule.keys) + (["name"] if rule.name_similarity is not None else [])
            pairs["probability"] = 1.0
            pairs["rule"] = rule.name
            pairs["agreed"] = [list(agreed) for _ in range(len(pairs))]
            frames.append(pairs)
    finally:
        con.close()
    if not frames:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    out = pd.concat(frames, ignore_index=True).drop_duplicates(["left", "right"], keep="first")
    return out.sort_values(["left", "right"], ignore_index=True)[PAIR_COLUMNS]
