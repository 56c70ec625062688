"""tjsl-eval: reproducible evaluation reports for a TJSL (CSR) programme review.

The public API, imported lazily so that ``import tjsl_eval`` stays fast in every kernel:

- ``load_workbook(path_or_"sample")``, ``validate_workbook(...)``: read and check a review
  workbook; a :class:`Workbook` holds one typed DataFrame per sheet (``workbook["budget"]``).
- ``group_metrics(workbook, group_id, year)``: one group's figures and findings, as in
  ``metrics.json``; ``metrics_table(workbook, year)``: every group's figures side by side.
- ``budget_summary``, ``indicator_table``, ``indicator_summary``, ``activity_completion_pct``,
  ``compute_ikm``, ``compute_sroi``, ``independence_index``: the per-group methods.
- ``charts``: functions returning a matplotlib Figure (``charts.budget_chart``,
  ``charts.indicator_chart``, ``charts.ranking_chart``, ``charts.trend_chart``, …).
- ``rupiah``, ``percent``, ``format_date``, ``html_table``: table formatters for readers.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_PUBLIC = {
    "load_workbook": "tjsl_eval.workbook",
    "validate_workbook": "tjsl_eval.workbook",
    "Workbook": "tjsl_eval.workbook",
    "InputError": "tjsl_eval.problems",
    "group_metrics": "tjsl_eval.evaluation",
    "metrics_table": "tjsl_eval.portfolio",
    "budget_summary": "tjsl_eval.metrics",
    "indicator_table": "tjsl_eval.metrics",
    "indicator_summary": "tjsl_eval.metrics",
    "activity_completion_pct": "tjsl_eval.metrics",
    "compute_ikm": "tjsl_eval.ikm",
    "compute_sroi": "tjsl_eval.sroi",
    "independence_index": "tjsl_eval.independence",
    "rupiah": "tjsl_eval.formatting",
    "percent": "tjsl_eval.formatting",
    "html_table": "tjsl_eval.tables",
}
_ALIASES = {"format_date": ("tjsl_eval.formatting", "date")}
_MODULES = ("charts",)
__all__ = [*_PUBLIC, *_ALIASES, *_MODULES, "__version__"]


def __getattr__(name: str) -> object:
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    if name in _ALIASES:
        module, attribute = _ALIASES[name]
        return getattr(importlib.import_module(module), attribute)
    if name in _MODULES:
        return importlib.import_module(f"tjsl_eval.{name}")
    raise AttributeError(f"module 'tjsl_eval' has no attribute {name!r}")
