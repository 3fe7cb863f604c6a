"""Online accounts and payments from agency exports: a platform's answer about accounts and
an e-wallet statement load unedited through their mappings, reconcile, and quarantine their
bad rows naming the file, row and field."""

from __future__ import annotations

from pathlib import Path

import netintel
from netintel.ingest import ingest_files

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = ROOT / "fixtures" / "exports" / "tai_khoan.csv"
STATEMENT = ROOT / "fixtures" / "exports" / "sao_ke.csv"
MAPPINGS = {
    "accounts": ROOT / "graph_schema" / "mappings" / "platform_accounts.yaml",
    "interactions": ROOT / "graph_schema" / "mappings" / "wallet_transactions.yaml",
}


def _ingest():
    return ingest_files(accounts=ACCOUNTS, interactions=STATEMENT, mapping=MAPPINGS)


def test_the_exports_load_through_their_mappings_and_reconcile():
    rec = _ingest().reconciliation.set_index("kind")
    assert (rec["read"] == rec["loaded"] + rec["quarantined"]).all()
    assert rec.loc["accounts", ["read", "loaded"]].tolist() == [3, 2]
    assert rec.loc["interactions", ["read", "loaded"]].tolist() == [2, 1]
    assert (rec["unknown_columns"] == "").all()  # STT, IP_dang_nhap, So_du ignored on purpose


def test_values_are_cleaned_as_every_kind_cleans_them():
    clean = _ingest().clean
    accounts = clean["accounts"].set_index("record_id")
    assert accounts.loc["TK-01", "platform"] == "Telegram"
    assert accounts.loc["TK-02", "platform"] == "MoMo"  # 'momo' in the export
    assert set(accounts["phone"]) == {"+84912345678"}  # '0912 345 678' and '0912345678'
    payment = clean["interactions"].set_index("record_id").loc["GD-0001"]
    assert payment["interaction"] == "payment" and payment["from_platform"] == "MoMo"
    assert payment["amount"] == 1_500_000 and payment["currency"] == "VND"


def test_bad_rows_are_quarantined_naming_file_row_and_field():
    q = _ingest().quarantine.set_index("field")
    assert q.loc["platform", "file"].endswith("tai_khoan.csv") and q.loc["platform", "row"] == 4
    assert q.loc["amount", "file"].endswith("sao_ke.csv") and q.loc["amount", "row"] == 3
    assert "ba trieu" in q.loc["amount", "reason"]


def test_the_payment_ties_the_accounts_in_the_graph(tmp_path):
    with netintel.open(tmp_path / "case.db", purpose="test suite") as ws:
        ws.ingest(accounts=ACCOUNTS, interactions=STATEMENT, mapping=MAPPINGS)
        counts = ws.query.stats()
        paid = ws.cypher(
            "MATCH (a:OnlineAccount)-[r:PAID]->(b:OnlineAccount) "
            "RETURN a.account AS payer, b.account AS payee, r.sources AS sources"
        )
    assert counts["OnlineAccount"] >= 3  # two registered, one paying
    assert paid["payee"].tolist() == ["0912345678"]
    assert list(paid["sources"][0]) == ["GD-0001"]
