"""``netintel report``: the case report, one self-contained HTML file (and its PDF)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.markup import escape

import netintel
from netintel.cli._app import (
    DbOption,
    Pseudonymise,
    Seed,
    Since,
    Until,
    app,
    current_recipient,
    output_file,
    progress_bar,
    window,
)
from netintel.cli.console import emit, say, warn
from netintel.errors import OutputError, StoreError
from netintel.workspace.report import HTML, run_history

PANEL = "report"  # the heading of this command in netintel --help


@app.command(rich_help_panel=PANEL)
def report(
    db: DbOption = None,
    out: Annotated[
        Path,
        typer.Option(
            callback=output_file(HTML),
            help="The HTML file to write (.html): one self-contained page, no external request.",
        ),
    ] = Path("case.html"),
    pdf: Annotated[
        bool,
        typer.Option(
            "--pdf",
            help="Also render the same page to PDF beside it (case.pdf), with WeasyPrint "
            "(pip install 'netintel\\[pdf]').",
        ),
    ] = False,
    place: Annotated[
        str | None,
        typer.Option(
            help='A province, in any spelling ("Nghe An", "Nghệ An", "Louang Namtha"): '
            "the report covers its people, their ties and the corridors through it.",
            show_default=False,
        ),
    ] = None,
    title: Annotated[str | None, typer.Option(help="The report's title.")] = None,
    top: Annotated[int, typer.Option(min=1, help="Targets listed.")] = 20,
    evidence_top: Annotated[
        int, typer.Option(min=0, help="Targets shown with every record behind them.")
    ] = 10,
    k: Annotated[int, typer.Option(min=1, help="Size of the key-player plan.")] = 5,
    steps: Annotated[int, typer.Option(min=1, help="Arrests simulated per strategy.")] = 20,
    profile: Annotated[str, typer.Option(help="Ranking profile name or YAML path.")] = "default",
    runs: Annotated[int, typer.Option(min=1, help="Reseeded runs behind ring stability.")] = 10,
    seed: Seed = 0,
    since: Since = None,
    until: Until = None,
    pseudonymise: Pseudonymise = False,
) -> None:
    """Write the case report: one HTML file that opens offline, for a case or a province.

    Sections: scope; records loaded and reconciled; ranked targets with their explanations
    and the records behind them (file and row); rings; the network; the key-player plan and
    disruption curves; corridors and chokepoints; chronology; hidden-tie leads; changes since
    the last run; methods (measures, weights, seeds, window, data and software versions).

    The report is a disclosure: it needs --purpose, the audit log records it with the file's
    SHA-256, and material of handling code C is withheld unless --recipient is named.

    Examples:

      netintel --purpose "case 12 briefing" report --db case.db --out case.html --pdf

      netintel --purpose "monthly review" report --db case.db --place "Nghe An" --since 2024 --out nghe_an.html

      netintel --purpose "joint operation" --recipient "Lao police, DSD" report --db case.db --out shared.html
    """
    w = window(since, until)
    pdf_path = out.with_suffix(".pdf") if pdf else None
    if pdf_path is not None:
        from netintel.outputs import check_output

        check_output(pdf_path, suffixes=(".pdf",), inputs=[out])
        try:
            import weasyprint  # noqa: F401
        except (ImportError, OSError) as e:
            raise OutputError(
                f"--pdf needs WeasyPrint and the system's Pango library: pip install "
                f"'netintel[pdf]' ({type(e).__name__}: {e})"
            ) from None
    started = time.perf_counter()

    def record(ranking: pd.DataFrame) -> tuple | None:
        """This report's ranking recorded as a run, and what changed since the last one (a
        store that cannot take it, read-only or busy, is a warning, not a failed report)."""
        try:
            with netintel.open(db) as writer:
                return run_history(writer, ranking, window=w, profile=profile, top=top)
        except StoreError as e:
            warn(f"this run was not recorded for netintel changes: {e}")
            return None

    with netintel.open(db, read_only=True) as ws, progress_bar("report"):
        result = ws.report(
            out, pdf=pdf_path, place=place, window=w, recipient=current_recipient(),
            pseudonymise=pseudonymise, title=title, top=top, evidence_top=evidence_top, k=k,
            steps=steps, profile=profile, runs=runs, seed=seed,
            record=record if hasattr(ws, "changes") else False,
        )  # fmt: skip
    seconds = time.perf_counter() - started
    files = []
    for path in [out, pdf_path]:
        if path is not None:
            size = path.stat().st_size
            files.append({"path": str(path), "bytes": size})
            say(f"wrote {escape(str(path))} ({size / 1024:,.0f} KiB)")
    missing = [s for s in result.sections if s.missing]
    say(
        f"{len(result.sections) - len(missing)} of {len(result.sections)} sections, "
        f"{len(result.evidence):,} records shown, in {seconds:.1f} s"
    )
    for s in missing:
        warn(f"not available: {s.title}: {s.missing}")
    if result.disclosure:
        warn(result.disclosure)
    emit("files", files)
    emit(
        "sections", [{"id": s.id, "title": s.title, "missing": s.missing} for s in result.sections]
    )
    emit("records_shown", len(result.evidence))
    emit("seconds", round(seconds, 1))
