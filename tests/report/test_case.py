"""The case report (ws.report): every section drawn from the case, names escaped, counts that
reconcile, a PDF with pages, and a page that renders offline in headless Chromium.

The case is fixtures/small with its top target renamed ``<script>alert(1)</script>``: the
name must appear as text everywhere (tables, cards, pictures), never run."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import netintel
from netintel.errors import InputError, OutputError
from netintel.report.case import CaseReport, Section, Table, figure_svg, render_html
from netintel.workspace.report import SECTIONS

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "fixtures" / "small"
KINDS = ("arrests", "seizures", "communications", "links")
HOSTILE = "<script>alert(1)</script>"
TOP = "Vienglay Xayvongsa"  # fixtures/small's top target, renamed HOSTILE here


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    """fixtures/small with the top target renamed HOSTILE, ingested with a quarantine file;
    its report written as HTML and PDF once (the tests read them)."""
    folder = tmp_path_factory.mktemp("hostile")
    for kind in KINDS:
        text = (SMALL / f"{kind}.csv").read_text(encoding="utf-8")
        (folder / f"{kind}.csv").write_text(text.replace(TOP, HOSTILE), encoding="utf-8")
    db = folder / "case.db"
    with netintel.open(db, purpose="test suite") as ws:
        ingest = ws.ingest(**{k: folder / f"{k}.csv" for k in KINDS},
                           quarantine=folder / "quarantine.csv")  # fmt: skip
    out = folder / "case.html"
    with netintel.open(db, read_only=True, purpose="test suite") as ws:
        report = ws.report(out, pdf=True, runs=3)
        targets = ws.rank_targets()
    return {
        "db": db, "out": out, "pdf": folder / "case.pdf", "report": report,
        "html": out.read_text(encoding="utf-8"), "ingest": ingest, "targets": targets,
    }  # fmt: skip


def _text(html: str) -> str:
    """The page's visible text (tags removed, entities left as they are)."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", " ", html, flags=re.S))


def test_every_section_is_present_in_order(case):
    report = case["report"]
    assert [s.id for s in report.sections] == [i for i, _ in SECTIONS]
    html = case["html"]
    for id_, title in SECTIONS:
        assert f'id="{id_}"' in html
        assert title in html
    built = {
        "summary", "records", "targets", "rings", "network", "dismantle", "routes",
        "chronology", "hidden", "methods",
    }  # fmt: skip
    for s in report.sections:
        if s.id in built:
            assert s.missing is None, (s.id, s.missing)
            assert s.parts, s.id
        if s.missing:  # a section not built says so plainly, with no picture
            assert s.parts == []
            assert f"Not available in this report: {s.missing}" in html.replace("&#39;", "'")


def test_the_top_target_and_the_records_behind_it(case):
    report, targets = case["report"], case["targets"]
    top = targets.iloc[0]
    assert top["name"] == HOSTILE
    section = report.section("targets")
    table = next(p for p in section.parts if isinstance(p, Table))
    assert table.rows[0][:3] == ["1", HOSTILE, top["person_id"]]
    card = next(p for p in section.parts if p.kind == "card")
    assert card.heading == f"1. {HOSTILE} ({top['person_id']})"
    records = pd.DataFrame(card.table.rows, columns=card.table.columns)
    # every record behind the top target is listed with its file and row (restricted
    # records, handling code C, are withheld: no recipient was named)
    with netintel.open(case["db"], read_only=True) as ws:
        found = ws.records.records(list(top["evidence"]))
    shown = found[~found["grading"].fillna("").str.endswith("C")]
    assert sorted(records["record id"]) == sorted(shown["record_id"])
    assert len(records) < len(found)  # some withheld
    first = shown.iloc[0]
    row = records[records["record id"] == first["record_id"]].iloc[0]
    assert (row["file"], row["row"]) == (first["dataset"], str(first["row"]))
    for record_id in shown["record_id"]:
        assert record_id in case["html"]
    assert set(case["report"].evidence["record_id"]) >= set(shown["source_id"])


def test_the_chronology_of_the_leading_targets(case):
    section = case["report"].section("chronology")
    assert any(p.kind == "picture" for p in section.parts)
    table = next(p for p in section.parts if isinstance(p, Table))
    events = pd.DataFrame(table.rows, columns=table.columns)
    assert events["date"].tolist() == sorted(events["date"])
    assert HOSTILE in set(events["person"])
    assert events["records"].str.match(r"(ARR|SZ|COM|LNK)-\d+").all()


def test_counts_reconcile_with_the_ingest(case):
    recon = case["ingest"].reconciliation.assign(
        file=lambda t: t["file"].map(lambda f: Path(f).name)
    )
    section = case["report"].section("records")
    per_file = next(p for p in section.parts if isinstance(p, Table) and p.caption == "Per file")
    table = pd.DataFrame(per_file.rows, columns=per_file.columns).set_index("file")
    for row in recon.itertuples():
        got = table.loc[row.file]
        assert (int(got["read"]), int(got["loaded"]), int(got["quarantined"])) == (
            row.read, row.loaded, row.quarantined,
        )  # fmt: skip
    facts = dict(next(p for p in section.parts if p.kind == "facts").items)
    assert facts["Records read"] == f"{recon['read'].sum():,}"
    assert facts["Quarantined (known)"] == str(recon["quarantined"].sum())
    assert int(facts["Resolved people"]) < int(facts["Record-level people"])


def test_names_are_text_never_markup(case):
    html = case["html"]
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in _text(html)
    assert "<svg" in html  # pictures are inline (their text is drawn as paths)


def test_the_page_asks_for_nothing_outside_itself(case):
    html = case["html"]
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//|file:)""", html)
    assert "@import" not in html and "url(http" not in html
    assert not re.search(r"<(script|link|iframe|img|object|embed)\b", html, re.I)


def test_the_disclosure_is_audited_with_the_files_hash(case):
    from netintel.audit import file_sha256

    with netintel.open(case["db"], read_only=True) as ws:
        entries = [e for e in ws.audit.entries() if e.get("operation") == "report"]
    outputs = {Path(e["output"]).name: e for e in entries if e["output"]}
    assert outputs["case.html"]["output_sha256"] == file_sha256(case["out"])
    assert outputs["case.pdf"]["output_sha256"] == file_sha256(case["pdf"])
    assert {e["action"] for e in outputs.values()} == {"disclosure"}
    assert outputs["case.html"]["record_count"] == len(case["report"].evidence) > 0


def test_the_pdf_has_pages(case):
    data = case["pdf"].read_bytes()
    assert data.startswith(b"%PDF-")
    try:
        from pypdf import PdfReader
    except ImportError:  # the page count from WeasyPrint's own layout of the same HTML
        from netintel.report.case import page_count

        pages = page_count(case["html"])
    else:
        pages = len(PdfReader(case["pdf"]).pages)
    assert pages >= 5


def test_restricted_material_goes_to_a_named_recipient_only(case, tmp_path):
    with netintel.open(case["db"], read_only=True, purpose="joint operation") as ws:
        released = ws.report(recipient="Lao police, DSD", runs=2, steps=3, evidence_top=1)
        withheld = ws.report(runs=2, steps=3, evidence_top=1)
    assert "released to Lao police, DSD" in released.classification
    assert "withheld" in withheld.disclosure
    assert len(released.evidence) > len(withheld.evidence)


def test_pseudonymised_names_and_no_free_text(case, monkeypatch):
    monkeypatch.setenv("NETINTEL_PSEUDONYM_KEY", "a key of sixteen characters")
    with netintel.open(case["db"], read_only=True, purpose="partner matching") as ws:
        report = ws.report(pseudonymise=True, runs=2, steps=3, evidence_top=1)
    html = render_html(report)
    assert "alert(1)" not in html and "Mùa Giống Sính" not in html
    assert "name-" in html
    assert "pseudonymised" in report.classification


def test_a_place_narrows_the_report(case):
    with netintel.open(case["db"], read_only=True, purpose="test suite") as ws:
        report = ws.report(place="thanh hoa", runs=2, steps=3, evidence_top=1)
        whole = ws.rank_targets()
        with pytest.raises(InputError, match="Atlantis"):
            ws.report(place="Atlantis")
    assert report.title == "Case report: Thanh Hóa"
    table = next(p for p in report.section("targets").parts if isinstance(p, Table))
    assert 0 < len(table.rows) < len(whole)
    corridors = report.section("routes").parts
    rows = next(p for p in corridors if isinstance(p, Table)).rows
    assert rows and all("Thanh Hóa" in row[1] for row in rows)


def test_an_output_is_checked_before_the_work(case, tmp_path):
    with netintel.open(case["db"], read_only=True, purpose="test suite") as ws:
        with pytest.raises(OutputError, match=r"use one of \.html"):
            ws.report(tmp_path / "case.txt")
        (tmp_path / "folder.html").mkdir()
        with pytest.raises(OutputError, match="it is a folder"):
            ws.report(tmp_path / "folder.html")
    assert [p.name for p in tmp_path.iterdir()] == ["folder.html"]


def test_a_report_names_its_methods_and_versions(case):
    methods = case["report"].section("methods")
    text = render_html(CaseReport("m", sections=[methods]))
    for expected in ("betweenness", "seed 0", "louvain", "networkx", "splink", "sha256",
                     "all dates", "verified"):  # fmt: skip
        assert expected in text, expected


def test_pictures_keep_their_ids_apart():
    from matplotlib.figure import Figure

    svgs = []
    for _ in range(2):
        fig = Figure(figsize=(2, 1))
        fig.subplots().plot([0, 1], [1, 0])
        svgs.append(figure_svg(fig))
    ids = [set(re.findall(r'id="([^"]+)"', s)) for s in svgs]
    assert ids[0] and not ids[0] & ids[1]
    for s, found in zip(svgs, ids, strict=True):  # every reference points inside its own picture
        refs = set(re.findall(r'(?:href="#|url\(#)([^")]+)', s))
        assert refs <= found


def test_a_missing_section_is_said_not_drawn():
    report = CaseReport("t", sections=[Section.unavailable("map", "Map", "no map here")])
    html = render_html(report)
    assert "Not available in this report: no map here" in html
    assert "<svg" not in html


# -- the page in a real browser --------------------------------------------------------------
def test_the_page_renders_offline_in_chromium(case, chromium, tmp_path):
    """Headless Chromium (the root conftest's) opens the file: every section drawn, every
    picture with marks in it, the hostile name shown and never run, no request but the file."""
    page = chromium.new_page(viewport={"width": 1200, "height": 900})
    requests, dialogs = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    url = case["out"].resolve().as_uri()
    page.goto(url, wait_until="load")
    sections = page.eval_on_selector_all(
        "section.report-section",
        """els => els.map(e => ({id: e.id, text: e.innerText.trim().length,
              svgs: [...e.querySelectorAll('svg')].map(s => {
                  const b = s.getBoundingClientRect();
                  return {drawn: s.querySelectorAll('path, use, line, rect, circle, polygon, polyline, text').length,
                          w: b.width, h: b.height}; })}))""",
    )
    assert [s["id"] for s in sections] == [i for i, _ in SECTIONS]
    for s in sections:
        assert s["text"] > 40, s["id"]
        for svg in s["svgs"]:
            assert svg["drawn"] > 10 and svg["w"] > 100 and svg["h"] > 50, s["id"]
    drawn = {s["id"] for s in sections if s["svgs"]}
    assert drawn >= {"network", "dismantle", "routes", "chronology"}
    assert page.locator("#targets").inner_text().count(HOSTILE) >= 2  # the table and its card
    assert dialogs == []  # the name never ran
    assert requests == [url]  # the file itself and nothing else
    shot = tmp_path / "case.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    page.close()


def test_a_network_without_places_or_dates_says_so(tmp_path):
    """A published network loaded from an adjacency matrix has neither places nor dates:
    the routes say why they are missing, the chronology lists its events without a picture."""
    names = ["ana", "bao", "chi", "dung", "em", "phuc", "giang"]
    ties = {(0, 1), (0, 2), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (4, 6), (1, 3), (0, 3), (2, 5)}
    ties |= {(3, 6), (1, 6)}
    rows = ['"",' + ",".join(f'"{n}"' for n in names)]
    for i, n in enumerate(names):
        cells = ["1" if (i, j) in ties or (j, i) in ties else "0" for j in range(len(names))]
        rows.append(f'"{n}",' + ",".join(cells))
    matrix = tmp_path / "matrix.csv"
    matrix.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with netintel.open(tmp_path / "case.db", purpose="test suite") as ws:
        ws.ingest(matrices=matrix, matrix_kind="links")
        report = ws.report(runs=2, steps=3, k=2, top=5, evidence_top=2)
    routes = report.section("routes")
    assert routes.missing and "no seizures with places" in routes.missing
    chronology = report.section("chronology")
    assert chronology.missing is None
    assert not any(p.kind == "picture" for p in chronology.parts)
    assert any("None of these events is dated" in getattr(p, "text", "") for p in chronology.parts)
    for id_ in ("targets", "rings", "network", "dismantle", "hidden", "methods"):
        assert report.section(id_).missing is None, id_


def test_targets_rings_and_corridors_say_their_channels(case):
    """Each ranked target, ring and corridor of the report names the channels its evidence
    came through, as the analysis gives them (fixtures/small: land and express delivery)."""
    report, targets = case["report"], case["targets"]

    def table(section: str, caption: str) -> pd.DataFrame:
        t = next(
            p
            for p in report.section(section).parts
            if isinstance(p, Table) and p.caption.startswith(caption)
        )
        return pd.DataFrame(t.rows, columns=t.columns)

    shown = table("targets", "Ranked targets")
    expected = targets.set_index("person_id")["channels"]
    assert [expected[p] for p in shown["person id"]] == shown["channels"].tolist()
    assert shown["channels"].str.contains("land").any()
    rings = table("rings", "Ring profiles")
    assert rings["channels"].str.contains("land").any()
    corridors = table("routes", "Corridors")
    assert set(corridors["channels"]) - {""} <= {
        "land",
        "express delivery",
        "land; express delivery",
        "air",
    }
    assert corridors["channels"].str.contains("express delivery").any()
