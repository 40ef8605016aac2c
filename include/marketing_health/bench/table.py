"""The bench's printed tables: one row per size, and the incremental night against a rebuild."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from marketing_health.bench.measure import Measurement

#: Stages of the pipeline in the order a night runs them, as the table heads them.
PIPELINE_STAGES = ("ingest", "transform", "guards", "report")
#: The stages the baseline script does the work of: reading the exports and building marts.
COMPUTE_STAGES = ("ingest", "transform")
COLUMNS = (
    "size",
    "rows",
    "ingest s",
    "transform s",
    "guards s",
    "report s",
    "pipeline s",
    "rows/s",
    "peak MB",
    "baseline s",
    "baseline MB",
    "plain s",
    "ratio",
    "ingest/plain",
    "agree",
)
#: How the printed tables name each warehouse engine.
ENGINE_TITLES = {"duckdb": "DuckDB warehouse", "postgres": "PostgreSQL warehouse"}


@dataclass
class SizeResult:
    """What one size measured; ``mismatches`` lists any figure baseline and pipeline differ on."""

    label: str
    rows: int
    campaigns: int
    generate_seconds: float
    #: the warehouse the pipeline's stages wrote: duckdb or postgres (baseline and plain load
    #: are DuckDB scripts either way)
    engine: str = "duckdb"
    stages: dict[str, Measurement] = field(default_factory=dict)
    baseline: Measurement | None = None
    #: DuckDB's read_csv of the same files into typed tables, nothing else
    plain: Measurement | None = None
    mismatches: list[str] = field(default_factory=list)
    #: why a stage of this engine's night failed (the stages before it are kept)
    failure: str | None = None

    def seconds(self, names: Sequence[str] = PIPELINE_STAGES) -> float:
        return sum(self.stages[n].seconds for n in names if n in self.stages)

    @property
    def peak_bytes(self) -> int:
        return max((m.peak_bytes for m in self.stages.values()), default=0)

    @property
    def ratio(self) -> float | None:
        """Pipeline compute (ingest + transform) over the baseline's time."""
        if self.baseline is None or self.baseline.seconds <= 0 or self.failure:
            return None
        return self.seconds(COMPUTE_STAGES) / self.baseline.seconds

    @property
    def plain_ratio(self) -> float | None:
        """Ingest over the plain load of the same files: what checking and recording cost."""
        if self.plain is None or self.plain.seconds <= 0 or "ingest" not in self.stages:
            return None
        return self.stages["ingest"].seconds / self.plain.seconds

    @property
    def agrees(self) -> bool:
        return self.baseline is not None and not self.mismatches and not self.failure


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f}"


def _seconds(measured: Measurement | None) -> str:
    return f"{measured.seconds:.1f}" if measured else "-"


def size_row(result: SizeResult) -> list[str]:
    total = result.seconds()
    baseline = result.baseline
    return [
        result.label,
        f"{result.rows:,}",
        *(_seconds(result.stages.get(s)) for s in PIPELINE_STAGES),
        f"{total:.1f}",
        f"{result.rows / total:,.0f}" if total else "-",
        _mb(result.peak_bytes),
        f"{baseline.seconds:.1f}" if baseline else "-",
        _mb(baseline.peak_bytes) if baseline else "-",
        f"{result.plain.seconds:.1f}" if result.plain else "-",
        f"{result.ratio:.2f}x" if result.ratio is not None else "-",
        f"{result.plain_ratio:.2f}x" if result.plain_ratio is not None else "-",
        "FAILED" if result.failure else "yes" if result.agrees else "NO",
    ]


def render(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table, so the printed output pastes into docs/benchmarks.md as it is."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    rule = "| " + " | ".join("-" * w for w in widths) + " |"
    body = [
        "| "
        + " | ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        + " |"
        for r in rows
    ]
    return "\n".join([line, rule, *body])


def size_table(results: Sequence[SizeResult]) -> str:
    return render(COLUMNS, [size_row(r) for r in results])


CPU_COLUMNS = (
    "size",
    *(f"{s} cpu s" for s in PIPELINE_STAGES),
    "baseline cpu s",
    "plain cpu s",
    "cpu ratio",
    "cpu ingest/plain",
)


def _cpu_share(part: float, whole: float) -> str:
    return f"{part / whole:.2f}x" if whole > 0 else "-"


def cpu_row(result: SizeResult) -> list[str]:
    """The same run in CPU seconds: what the work cost, whatever else shared the cores."""
    cpu = {s: result.stages[s].cpu_seconds for s in PIPELINE_STAGES if s in result.stages}
    base = result.baseline.cpu_seconds if result.baseline else 0.0
    plain = result.plain.cpu_seconds if result.plain else 0.0
    return [
        result.label,
        *(f"{cpu.get(s, 0.0):.1f}" for s in PIPELINE_STAGES),
        f"{base:.1f}" if result.baseline else "-",
        f"{plain:.1f}" if result.plain else "-",
        _cpu_share(sum(cpu.get(s, 0.0) for s in COMPUTE_STAGES), 0.0 if result.failure else base),
        _cpu_share(cpu.get("ingest", 0.0), plain),
    ]


def cpu_table(results: Sequence[SizeResult]) -> str:
    return render(CPU_COLUMNS, [cpu_row(r) for r in results])


@dataclass
class IncrementalResult:
    """The night after a year of history: loaded on top of it, and rebuilt from nothing."""

    history_days: int
    rows: int
    new_day_rows: int
    campaigns: int
    history: dict[str, Measurement]
    incremental: dict[str, Measurement]
    rebuild: dict[str, Measurement]
    mismatches: list[str] = field(default_factory=list)

    @staticmethod
    def total(stages: dict[str, Measurement]) -> float:
        return sum(m.seconds for m in stages.values())

    @property
    def share(self) -> float:
        return self.total(self.incremental) / self.total(self.rebuild)

    @property
    def cpu_share(self) -> float | None:
        """The same share in CPU seconds: steadier when other work shares the cores."""
        rebuild = sum(m.cpu_seconds for m in self.rebuild.values())
        if rebuild <= 0:
            return None
        return sum(m.cpu_seconds for m in self.incremental.values()) / rebuild


def incremental_table(result: IncrementalResult) -> str:
    headers = ("night", *(f"{s} s" for s in PIPELINE_STAGES), "total s", "cpu s", "peak MB")
    rows = []
    for name, stages in (
        (f"first load ({result.history_days} days)", result.history),
        ("incremental (+1 day)", result.incremental),
        (f"full rebuild ({result.history_days + 1} days)", result.rebuild),
    ):
        rows.append(
            [
                name,
                *(f"{stages[s].seconds:.1f}" for s in PIPELINE_STAGES),
                f"{IncrementalResult.total(stages):.1f}",
                f"{sum(m.cpu_seconds for m in stages.values()):.1f}",
                _mb(max(m.peak_bytes for m in stages.values())),
            ]
        )
    return render(headers, rows)
