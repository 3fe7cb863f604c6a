"""Online accounts, messages, posts and payments: validated and quarantined like every kind,
accounts resolved to people with the evidence kept, money as a directed weighted layer."""

from __future__ import annotations

from pathlib import Path

import pytest

import netintel
from netintel.ingest import ingest_files
from netintel.project import build_person_graph, read_tables
from netintel.project.online import account_people, money_flows

ROOT = Path(__file__).resolve().parents[2]
EXPORTS = ROOT / "fixtures" / "exports"
FILES = {
    "accounts": EXPORTS / "accounts.csv",
    "interactions": EXPORTS / "interactions.csv",
    "arrests": EXPORTS / "online_arrests.csv",
}


def test_bad_account_and_interaction_rows_are_quarantined_with_reasons():
    result = ingest_files(**FILES)
    rec = result.reconciliation.set_index("kind")
    assert rec.loc["accounts", ["read", "loaded", "quarantined"]].tolist() == [6, 5, 1]
    assert rec.loc["interactions", ["read", "loaded", "quarantined"]].tolist() == [7, 3, 4]
    reasons = {(r.kind, r.row, r.field): r.reason for r in result.quarantine.itertuples()}
    assert reasons[("accounts", 5, "platform")] == "platform: required value is missing"
    assert reasons[("interactions", 5, "to_account")].endswith("required for a message or payment")
    assert "'gift' is not a known interaction" in reasons[("interactions", 6, "interaction")]
    assert reasons[("interactions", 7, "to_account")].endswith("same account as from_account")
    assert "'lots' is not a number" in reasons[("interactions", 8, "amount")]
    flags = result.flags
    assert flags[["kind", "field"]].values.tolist() == [["accounts", "email"]]


def test_accounts_are_keyed_by_platform_and_handle_in_any_spelling():
    clean = ingest_files(**FILES).clean
    accounts = clean["accounts"].set_index("record_id")
    assert accounts.loc["ACC-1", "platform"] == "Telegram"  # "tele"
    assert accounts.loc["ACC-1", "account_key"] == "telegram:hang_tot99"
    assert accounts.loc["ACC-3", "platform"] == "USDT-TRC20"  # "USDT"
    inter = clean["interactions"].set_index("record_id")
    assert inter.loc["I-1", "from_key"] == "telegram:hang_tot99"  # "@Hang_Tot99"
    assert inter.loc["I-2", ["amount", "currency", "method"]].tolist() == [5000.0, "USDT", "crypto"]


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    db = tmp_path_factory.mktemp("online") / "case.db"
    with netintel.open(db, purpose="test suite") as ws:
        ws.ingest(**FILES)
        yield read_tables(ws.store)


def _name(tables, pid):
    persons = tables["persons"].set_index("person_id")["name"]
    return persons.get(pid, pid)


def test_accounts_resolve_to_people_with_the_evidence_kept(tables):
    found = account_people(tables)
    rows = {
        (_name(tables, p), h, tuple(s))
        for p, h, s in zip(found["person_id"], found["how"], found["sources"], strict=True)
    }
    assert rows == {
        ("Trần Văn Bảo", "owner", ("ACC-1",)),
        # the wallet shares the seller's registration e-mail
        ("Trần Văn Bảo", "registration e-mail", ("ACC-1", "ACC-3")),
        # the Lao accounts were registered with a phone an arrest record gives
        ("Souk Phommachan", "registration phone", ("ACC-2", "ARR-L1")),
        ("Souk Phommachan", "registration phone", ("ACC-6", "ARR-L1")),
    }


def test_messages_and_payments_tie_people_through_their_accounts(tables):
    G = build_person_graph(tables)
    ties = {
        frozenset((G.nodes[u]["name"], G.nodes[v]["name"])): d for u, v, d in G.edges(data=True)
    }
    tie = ties[frozenset(("Trần Văn Bảo", "Souk Phommachan"))]
    assert tie["kinds"] == {"online_message": 1, "payment": 1}
    assert tie["channels"] == {"online": 2}
    assert {"I-1", "I-2", "ACC-1", "ACC-3", "ACC-6", "ARR-L1"} <= set(tie["sources"])


def test_money_is_a_directed_weighted_layer(tables):
    flows = money_flows(tables)
    names = {n: _name(tables, n) for n in flows.nodes}
    ((u, v, data),) = flows.edges(data=True)
    assert (names[u], names[v]) == ("Trần Văn Bảo", "Souk Phommachan")  # seller pays supplier
    assert data["amounts"] == {"USDT": 5000.0} and data["methods"] == {"crypto": 1}
    assert "I-2" in data["sources"]


def test_online_cases_are_counted_and_records_versioned(tmp_path):
    with netintel.open(tmp_path / "case.db", purpose="test suite") as ws:
        ws.ingest(**FILES)
        table = ws.query.channels()
        online = table[table["channel"] == "online"]
        assert online["events"].sum() == 2 and set(online["records"].iloc[0]) == {"I-1", "I-2"}
        assert ws.records.versions("I-2")["kind"].tolist() == ["interactions"]


def test_the_ingest_command_takes_accounts_and_interactions(cli, tmp_path):
    result = cli(
        "ingest", "--db", tmp_path / "case.db", "--accounts", FILES["accounts"],
        "--interactions", FILES["interactions"], "--no-resolve",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "interactions" in result.output and "accounts" in result.output
