"""The methods' results of one group and year (IKM, SROI, independence), as the DAC criteria, the findings and the
``metrics.json`` entry read them."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from tjsl_eval.methods.ikm import IkmResult
from tjsl_eval.methods.independence import IndependenceResult
from tjsl_eval.methods.sroi import SroiResult


@dataclass(frozen=True)
class MethodResults:
    """IKM, SROI and independence of one group and year."""

    ikm: IkmResult
    sroi: SroiResult
    independence: IndependenceResult
    independence_trend: pd.DataFrame  # year, index, stage over every year the workbook has
    ready_to_graduate: bool
    stage_change: str | None  # naik, turun, tetap; None without a previous year
