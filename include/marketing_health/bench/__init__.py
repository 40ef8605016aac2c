"""``marketing-health bench``: how fast the pipeline is, how much memory it takes, and how it
compares with the same marts written by hand in DuckDB SQL, on generated landing zones of
several sizes. Results and the machine they were measured on: docs/benchmarks.md."""

from marketing_health.bench.cli import add_arguments, run

__all__ = ["add_arguments", "run"]
