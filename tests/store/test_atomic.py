"""All or nothing on the embedded store: readers see the last complete state, a crash at any
point leaves it, read-only commands open after any crash, reviewer decisions are never lost.

The kill tests start every child process at once (each imports netintel and opens its own
copy of the database, then waits), and then, one after the other, let a child start its
work and SIGKILL it after its delay: the delays are spread evenly over the time the
uninterrupted work takes.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import ladybug
import numpy as np
import pandas as pd
import pytest

import netintel
from netintel.errors import StoreError
from netintel.store import snapshot
from netintel.store.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "fixtures" / "small"
FILES = {k: str(SMALL / f"{k}.csv") for k in ("arrests", "seizures", "communications", "links")}

# A child: open the workspace, say "ready", wait for a line, say "go", work, say "done".
CHILD = textwrap.dedent(
    """
    import json, sys
    import pandas as pd
    import netintel
    db, work = sys.argv[1], sys.argv[2]
    ws = netintel.open(db)
    print("ready", flush=True)
    sys.stdin.readline()
    print("go", flush=True)
    if work == "ingest":
        ws.records.ingest(**json.loads(sys.argv[3]))
    elif work == "review":
        ws.records.review_apply(sys.argv[3])
    ws.close()
    print("done", flush=True)
    """
)


def _children(dbs: list[Path], work: str, arg: str) -> list[subprocess.Popen]:
    children = []
    for db in dbs:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db), work, arg],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        children.append(child)
    for child in children:
        line = child.stdout.readline().strip()
        assert line == "ready", child.stderr.read()
    return children


def _run(
    child: subprocess.Popen, kill_after: float | None, meanwhile: Callable[[], None] | None = None
) -> float:
    """Let ``child`` work; SIGKILL it after ``kill_after`` seconds (None: let it finish,
    calling ``meanwhile()`` over and over while it works). Returns how long it worked."""
    child.stdin.write("go\n")
    child.stdin.flush()
    assert child.stdout.readline().strip() == "go"
    started = time.perf_counter()
    if kill_after is None:
        while meanwhile is not None and child.poll() is None:
            meanwhile()
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0 and "done" in out, err
    else:
        time.sleep(kill_after)
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=30)
    return time.perf_counter() - started


def _state(db: Path) -> tuple[dict[str, int], dict[str, str], set[tuple[str, str, str]]]:
    """What a read-only reader sees: counts, the resolution, the reviewer decisions."""
    with netintel.open(db, read_only=True) as ws:
        counts = ws.store.counts()
        people = ws.store.query("MATCH (p:Person) RETURN p.id AS id, p.resolved_id AS rid")
        decisions = ws.store.query(
            "MATCH (a:Person)-[r:SAME_AS]->(b:Person) WHERE r.decided_by = 'reviewer' "
            "RETURN a.id AS l, b.id AS r, 'accept' AS d UNION ALL "
            "MATCH (a:Person)-[:NOT_SAME_AS]->(b:Person) RETURN a.id AS l, b.id AS r, 'reject' AS d"
        )
    resolution = dict(zip(people["id"], people["rid"], strict=True))
    return counts, resolution, set(decisions.itertuples(index=False, name=None))


def _copies(source: Path, folder: Path, n: int) -> list[Path]:
    out = []
    for i in range(n):
        (folder / f"c{i}").mkdir()
        out.append(folder / f"c{i}" / "case.db")
        if source.exists():
            shutil.copyfile(source, out[-1])
    return out


# -- sessions ---------------------------------------------------------------------------------
def test_a_reader_sees_the_last_complete_state_while_a_session_writes(tmp_path):
    db = tmp_path / "case.db"
    with EmbeddedStore(db) as store:
        with store.transaction("ingest"):
            store.query("CREATE (:Phone {id: '+84900000001'})", write=True)
            reader = EmbeddedStore(db, read_only=True)
            assert reader.counts()["Phone"] == 0
            folder = snapshot.writing_path(db).parent
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # the engine's files inside
            assert reader.notice.startswith("an ingest is running since ")
            assert f"by pid {os.getpid()}; showing the last complete state" in reader.notice
            other = EmbeddedStore(db)
            with pytest.raises(StoreError, match=r"cannot write to .*: an ingest is running"):
                other.query("CREATE (:Phone {id: '+84900000002'})", write=True)
        # the old reader keeps its state; a new one sees the published one
        assert reader.counts()["Phone"] == 0
        reader.close()
        assert EmbeddedStore(db, read_only=True).counts()["Phone"] == 1
        assert EmbeddedStore(db, read_only=True).notice is None


def test_a_failed_session_leaves_the_last_state_and_no_files(tmp_path):
    db = tmp_path / "case.db"
    with EmbeddedStore(db) as store:
        store.query("CREATE (:Phone {id: '+84900000001'})", write=True)
        with pytest.raises(RuntimeError, match="boom"), store.transaction("ingest"):
            store.query("CREATE (:Phone {id: '+84900000002'})", write=True)
            raise RuntimeError("boom")
        assert store.counts()["Phone"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.db", "case.db.netintel-lock"]


def test_databases_are_owner_only(tmp_path):
    db = tmp_path / "new" / "case.db"
    with netintel.open(db) as ws:
        ws.ingest(links=FILES["links"], resolve=False)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(snapshot.lock_path(db).stat().st_mode) == 0o600


def test_a_killed_writers_leftovers_are_removed_by_the_next(tmp_path):
    db = tmp_path / "case.db"
    EmbeddedStore(db).close()
    snapshot.writing_path(db).parent.mkdir()
    for name in ("case.db", "case.db.wal", "case.db.shadow"):
        (snapshot.writing_path(db).parent / name).write_bytes(b"junk")
    (tmp_path / "case.db.writing.wal").write_bytes(b"junk")
    with EmbeddedStore(db) as store:
        store.query("CREATE (:Phone {id: '+84900000001'})", write=True)
    assert not list(tmp_path.glob("case.db.writing*"))
    assert EmbeddedStore(db, read_only=True).counts()["Phone"] == 1


def test_a_database_left_mid_checkpoint_by_an_in_place_writer_opens_read_only(tmp_path):
    """What an earlier netintel left: the engine's side files of a checkpoint in progress."""
    db = tmp_path / "case.db"
    EmbeddedStore(db).close()
    writer = textwrap.dedent(
        """
        import sys, ladybug, pandas as pd
        db = ladybug.Database(sys.argv[1]); c = ladybug.Connection(db)
        i = 0
        while True:
            ids = [f"+8{sys.argv[2]}{i:04d}{j:05d}" for j in range(20000)]
            frame = pd.DataFrame({"id": ids})
            c.execute("COPY Phone (id) FROM frame")
            i += 1
            print(i, flush=True)
            c.execute("CHECKPOINT")
        """
    )
    for attempt in range(20):
        child = subprocess.Popen(
            [sys.executable, "-c", writer, str(db), str(attempt)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(3):
            child.stdout.readline()
        # it is checkpointing now: kill it as soon as the engine's shadow file appears
        shadow, until = db.with_name("case.db.shadow"), time.perf_counter() + 1
        while not shadow.exists() and time.perf_counter() < until:
            pass
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=30)
        if db.with_name("case.db.shadow").exists():
            break
    else:
        pytest.skip("no kill landed inside a checkpoint")
    with pytest.raises(RuntimeError, match="recovery is pending"):
        ladybug.Database(str(db), read_only=True)  # what the engine says by itself
    before = db.read_bytes()
    with EmbeddedStore(db, read_only=True) as reader:
        assert reader.counts()["Phone"] >= 40000
        assert "left mid-write by an earlier netintel version" in reader.notice
    assert db.read_bytes() == before  # the reader changed nothing
    with EmbeddedStore(db) as store:  # the next write repairs the file itself
        n = store.counts()["Phone"]
        store.query("CREATE (:Phone {id: '+84000000001'})", write=True)
    assert not snapshot.engine_side_files(db)
    assert EmbeddedStore(db, read_only=True).counts()["Phone"] == n + 1


# -- kills ------------------------------------------------------------------------------------
def test_killing_an_ingest_anywhere_leaves_the_last_complete_state(tmp_path):
    """Killed at 3 points from its start to its end, an ingest with its resolution leaves
    either nothing or everything, and read-only opens always work; readers during the
    uninterrupted one see the state before it (told it runs) or after it, never an error."""
    import json

    dbs = _copies(tmp_path / "none", tmp_path, 4)
    arg = json.dumps(FILES)
    children = _children(dbs, "ingest", arg)
    empty = _state(dbs[0])
    seen = []

    def read() -> None:  # a reader during the ingest: no error, never a partial state
        seen.append(_state(dbs[0]))
        with EmbeddedStore(dbs[0], read_only=True) as reader:
            assert reader.notice is None or reader.notice.startswith("an ingest is running")

    took = _run(children[0], None, meanwhile=read)
    print(f"ingest took {took:.2f}s uninterrupted; {len(seen)} reads meanwhile")
    complete = _state(dbs[0])
    assert len(seen) >= 2 and all(state in (empty, complete) for state in seen)
    assert complete[0]["Person"] > 0 and complete[0]["SAME_AS"] > 0
    for child, db, delay in zip(
        children[1:], dbs[1:], np.linspace(0.1, took * 0.95, 3), strict=True
    ):
        _run(child, float(delay))
        state = _state(db)  # read-only open works after any kill
        assert state in (empty, complete), f"killed at {delay:.2f}s: a partial state"
        # the audit log holds the ingest from its start, however far it got
        log = Path(f"{db}.audit.jsonl").read_text(encoding="utf-8").splitlines()
        outcomes = [e["outcome"] for e in map(json.loads, log) if e["action"] == "collection"]
        assert outcomes in (["started"], ["started", "ok"]), f"killed at {delay:.2f}s"
    # the next write (a rerun, or anything) starts from the published state and removes
    # what a killed session left
    for db in dbs[1:]:
        with EmbeddedStore(db) as store:
            store.query("CREATE (:Phone {id: '+84000000001'})", write=True)
        assert not any(db.parent.glob("case.db.writing*"))


def test_killing_review_apply_anywhere_never_loses_a_decision(tmp_path, small_db):
    """The issue's reproduction: the reviewers' decisions applied again with a few more,
    and the command killed at 10 points: every stored decision is still there, and the next
    resolve honours every rejection."""
    base = tmp_path / "base.db"
    shutil.copyfile(small_db, base)
    with netintel.open(base) as ws:
        merged = ws.store.query(
            "MATCH (a:Person)-[r:SAME_AS]->(b:Person) RETURN a.id AS left_id, b.id AS right_id "
            "ORDER BY left_id, right_id"
        )
        assert len(merged) >= 12
        first = merged.iloc[:8].assign(decision="reject")
        ws.records.review_apply(first)
    stored = _state(base)[2]
    assert len(stored) == 8
    decisions = tmp_path / "decisions.csv"
    more = merged.iloc[8:12].assign(decision="reject")
    pd.concat([first, more]).to_csv(decisions, index=False)

    dbs = _copies(base, tmp_path, 11)
    children = _children(dbs, "review", str(decisions))
    took = _run(children[0], None)
    print(f"review apply took {took:.2f}s uninterrupted")
    assert len(_state(dbs[0])[2]) == 12
    outcomes: dict[frozenset, Path] = {}
    for child, db, delay in zip(
        children[1:], dbs[1:], np.linspace(0.02, took * 0.98, 10), strict=True
    ):
        _run(child, float(delay))
        _, _, now = _state(db)
        assert stored <= now, f"killed at {delay:.2f}s: decisions lost"
        outcomes.setdefault(frozenset(now), db)
    # the next resolve honours every rejection (resolution is deterministic: one database
    # per distinct set of stored decisions is resolved)
    for now, db in outcomes.items():
        with netintel.open(db) as ws:
            ws.records.resolve()
            people = ws.records.people().set_index("person_id")["resolved_id"]
        for left, right, _decision in now:
            assert people[left] != people[right], f"{db}: a rejection ignored"


def test_a_full_disk_is_a_clear_error_and_changes_nothing(tmp_path, small_db):
    """No room for the session's copy (RLIMIT_FSIZE below the database's size, in a child):
    a StoreError naming the database, which is left as it was, and no leftover file."""
    db = tmp_path / "case.db"
    shutil.copyfile(small_db, db)
    before = db.read_bytes()
    child = textwrap.dedent(
        """
        import resource, signal, sys
        from netintel.errors import StoreError
        from netintel.store.embedded import EmbeddedStore
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead
        store = EmbeddedStore(sys.argv[1])
        store.counts()
        limit = int(sys.argv[2])
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        try:
            store.query("CREATE (:Phone {id: '+84900000001'})", write=True)
        except StoreError as e:
            print(e)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", child, str(db), str(len(before) // 2)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"cannot write to {db}: File too large"), out.stdout
    assert "the database is unchanged" in out.stdout
    assert db.read_bytes() == before
    assert not list(tmp_path.glob("case.db.writing*"))
