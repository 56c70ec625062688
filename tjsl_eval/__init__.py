"""tjsl-eval: reproducible evaluation reports for a TJSL (CSR) programme review.

The public API is imported lazily, so ``import tjsl_eval`` stays fast in every kernel:

- :func:`load_workbook`, :func:`validate_workbook` — read and check a review workbook;
- :func:`group_metrics` (:mod:`tjsl_eval.evaluation`) and the functions of :mod:`tjsl_eval.metrics`,
  :mod:`tjsl_eval.ikm`, :mod:`tjsl_eval.sroi`, :mod:`tjsl_eval.independence` — a group's figures;
- :mod:`tjsl_eval.charts` — charts returning a matplotlib Figure;
- :mod:`tjsl_eval.formatting` — Rupiah, percentages and dates for readers.
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
    "GroupReport": "tjsl_eval.report",
}
__all__ = [*_PUBLIC, "__version__"]


def __getattr__(name: str) -> object:
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'tjsl_eval' has no attribute {name!r}")
