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
    "load_workbook": "tjsl_eval.inputs.workbook",
    "validate_workbook": "tjsl_eval.inputs.workbook",
    "Workbook": "tjsl_eval.inputs.workbook",
    "InputError": "tjsl_eval.common.problems",
    "group_metrics": "tjsl_eval.methods.evaluation",
    "metrics_table": "tjsl_eval.methods.portfolio",
    "budget_summary": "tjsl_eval.methods.metrics",
    "indicator_table": "tjsl_eval.methods.metrics",
    "indicator_summary": "tjsl_eval.methods.metrics",
    "activity_completion_pct": "tjsl_eval.methods.metrics",
    "compute_ikm": "tjsl_eval.methods.ikm",
    "compute_sroi": "tjsl_eval.methods.sroi",
    "independence_index": "tjsl_eval.methods.independence",
    "rupiah": "tjsl_eval.common.formatting",
    "percent": "tjsl_eval.common.formatting",
    "html_table": "tjsl_eval.render.tables",
}
_ALIASES = {"format_date": ("tjsl_eval.common.formatting", "date")}
_MODULES = {"charts": "tjsl_eval.render.charts"}
__all__ = [*_PUBLIC, *_ALIASES, *_MODULES, "__version__"]


def __getattr__(name: str) -> object:
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    if name in _ALIASES:
        module, attribute = _ALIASES[name]
        return getattr(importlib.import_module(module), attribute)
    if name in _MODULES:
        return importlib.import_module(_MODULES[name])
    raise AttributeError(f"module 'tjsl_eval' has no attribute {name!r}")
