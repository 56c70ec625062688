"""The review params file (``params/review-YYYY.yaml``) and the notebooks' parameters.

Relative paths in a params file are read from the folder the file is in, so a
review gives the same result whatever folder the command is started from. Only a regular file of at most
:data:`~tjsl_eval.common.limits.MAX_PARAMS_BYTES` is read; YAML anchors and aliases are allowed, but the document is
refused before any value is built when it nests deeper than :data:`~tjsl_eval.common.limits.MAX_YAML_DEPTH` or holds
more than :data:`~tjsl_eval.common.limits.MAX_YAML_NODES` values once every alias is expanded (an "alias bomb").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path

from tjsl_eval.common.bounded_read import NotARegularFile, TooLarge, read_bounded
from tjsl_eval.common.files import REPORT_FORMATS
from tjsl_eval.common.languages import LANGUAGES
from tjsl_eval.common.limits import LIMITS_PAGE, MAX_PARAMS_BYTES, MAX_YAML_DEPTH, MAX_YAML_NODES
from tjsl_eval.common.problems import InputError, Problem
from tjsl_eval.inputs import cells
from tjsl_eval.inputs.brand import DEFAULT_BRAND, Brand, brand_from_params, chart_brand_parameter
from tjsl_eval.inputs.schema import FIRST_YEAR, LAST_YEAR, is_group_id
from tjsl_eval.inputs.settings import MethodSettings
from tjsl_eval.inputs.sources import SAMPLE_NAME
from tjsl_eval.inputs.survey_params import SurveyExport, export_entries

# key: (required, description) — the documentation of docs/params.md is checked against this.
KEYS = {
    "title": (True, "title of the review, shown on every report"),
    "organiser": (True, "who holds the review (the company or unit)"),
    "fgd_date": (True, "date of the FGD, e.g. 2023-01-17"),
    "venue": (True, "where the FGD is held"),
    "report_date": (
        False,
        "the reports' date when no approval row dates them (default: the FGD date); never the clock",
    ),
    "evaluated_year": (True, "the programme year being evaluated"),
    "plan_year": (False, "the year whose work plan is reviewed (default: evaluated_year + 1)"),
    "workbook": (
        True,
        "the review workbook (.xlsx, .xlsm, .xls, .ods or a folder of .csv), or `sample` for the bundled data",
    ),
    "groups": (False, "`all` (default) or a list of group ids to report on"),
    "language": (False, "`id` (default) or `en`"),
    "output_folder": (True, "where the reports are written"),
    "notebook_timeout_minutes": (False, "a report whose notebook runs longer fails (default 10)"),
    "methods": (False, "settings of the evaluation methods (IKM, SROI, independence, DAC thresholds)"),
    "formats": (
        False,
        "the formats `run` writes by default, a list of `html`, `pdf`, `docx`, `pptx` (default `[html]`)",
    ),
    "docx_reference": (
        False,
        "the company's own .docx whose styles, letterhead, page size and margins the Word reports use",
    ),
    "pptx_reference": (False, "the company's own .pptx whose slide master and layouts the decks use"),
    "survey_exports": (
        False,
        "IKM survey exports (KoboToolbox, ODK Central, Google Forms) joined to `survei_ikm`: a list of entries "
        "`file` (.xlsx or .csv) and, where not inferred, `year`, `group_id` or `group_column`, `columns` "
        "(see docs/surveys.md)",
    ),
    "brand": (False, "the company's name, logo (PNG or SVG), primary_color, accent_color (hex) and font"),
}


@dataclass(frozen=True)
class Review:
    """One annual review, as described by its params file."""

    title: str
    organiser: str
    fgd_date: dt.date
    venue: str
    evaluated_year: int
    plan_year: int
    workbook: str
    groups: tuple[str, ...] | None  # None = every group
    language: str
    output_folder: str
    params_path: Path  # the params file, resolved
    notebook_timeout_minutes: float = 10.0
    methods: MethodSettings = MethodSettings()
    formats: tuple[str, ...] = ("html",)
    docx_reference: str | None = None  # as written, relative to the params file's folder
    pptx_reference: str | None = None
    survey_exports: tuple[SurveyExport, ...] = ()  # paths resolved
    brand: Brand = DEFAULT_BRAND  # the neutral design when the params have no ``brand``
    report_date: dt.date | None = None  # None: the FGD date (see tjsl_eval.methods.approval.report_date)

    @property
    def chart_brand(self) -> Brand | None:
        """The brand the charts are drawn in: None without a ``brand`` (the charts' own colours)."""
        return None if self.brand == DEFAULT_BRAND else self.brand

    @property
    def base_folder(self) -> Path:
        """The params file's folder, which relative paths start from."""
        return self.params_path.parent

    @property
    def workbook_source(self) -> str:
        """The workbook as :func:`~tjsl_eval.inputs.workbook.load_workbook` takes it: ``sample``,
        or the path resolved from the params file's folder."""
        return SAMPLE_NAME if self.workbook == SAMPLE_NAME else str((self.base_folder / self.workbook).resolve())

    def reference_path(self, kind: str) -> Path | None:
        """The resolved path of the ``docx`` or ``pptx`` reference document, or None."""
        written = getattr(self, f"{kind}_reference")
        return (self.base_folder / written).resolve() if written else None

    @property
    def output_path(self) -> Path:
        return (self.base_folder / self.output_folder).resolve()

    def as_dict(self) -> dict[str, object]:
        """The params as written (paths relative, dates ISO), for ``metrics.json``."""
        values = asdict(self)
        values.pop("params_path")
        values["fgd_date"] = self.fgd_date.isoformat()
        values["report_date"] = self.report_date.isoformat() if self.report_date else None
        values["groups"] = "all" if self.groups is None else list(self.groups)
        values["methods"] = self.methods.as_dict()
        values["formats"] = list(self.formats)
        values["survey_exports"] = [export.as_dict() for export in self.survey_exports]
        values["brand"] = self.brand.as_dict(self.base_folder)
        return values


def load_review(path: str | Path) -> Review:
    """Read and check a params file; raise :class:`InputError` listing every problem."""
    path = Path(path)
    label = str(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError([Problem(label, message="expected a YAML mapping of keys such as title: ...")])
    problems = [
        Problem(label, column=str(key), message=f"unknown key; expected one of {', '.join(KEYS)}")
        for key in data
        if key not in KEYS
    ]
    problems += [
        Problem(label, column=key, message=f"missing: {description}")
        for key, (required, description) in KEYS.items()
        if required and data.get(key) in (None, "")
    ]
    values = {}
    checkers = {**_CHECKERS, "brand": lambda value: brand_from_params(value, path.resolve().parent)}
    for key, checker in checkers.items():
        if data.get(key) in (None, ""):
            continue
        try:
            values[key] = checker(data[key])
        except (ValueError, TypeError) as error:
            problems.append(Problem(label, column=key, message=str(error)))
    if data.get("survey_exports") not in (None, "", []) and "evaluated_year" in values:
        try:
            values["survey_exports"] = export_entries(
                data["survey_exports"], path.resolve().parent, values["evaluated_year"], _year, _group_id
            )
        except ValueError as error:
            problems.append(Problem(label, column="survey_exports", message=str(error)))
    if problems:
        raise InputError(problems)
    values.setdefault("plan_year", values["evaluated_year"] + 1)
    values.setdefault("groups", None)
    values.setdefault("language", "id")
    return Review(params_path=path.resolve(), **values)


def read_yaml(path: Path) -> object:
    """The YAML document of the params file ``path``, read within the limits of :mod:`tjsl_eval.common.limits`;
    raises :class:`InputError` naming the file and what is wrong (missing, not a regular file, too large, not
    YAML, too deep, an alias bomb)."""
    import yaml

    label = str(path)
    try:
        text = _read_text(path)
        loader = yaml.SafeLoader(text)
        try:
            _check_depth(yaml.parse(text, Loader=yaml.SafeLoader))
            node = loader.get_single_node()
            _check_expanded_size(node)
            return None if node is None else loader.construct_document(node)
        finally:
            loader.dispose()
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise InputError([Problem(label, message=f"is not a valid YAML file ({error})")]) from None
    except ValueError as error:
        raise InputError([Problem(label, message=f"{error} (see {LIMITS_PAGE})")]) from None


def _read_text(path: Path) -> str:
    """The text of a regular file of at most MAX_PARAMS_BYTES (its size taken before it is read)."""
    try:
        data = read_bounded(path, MAX_PARAMS_BYTES)
    except FileNotFoundError:
        raise InputError([Problem(str(path), message="file not found")]) from None
    except NotARegularFile as error:
        raise ValueError(f"expected a params file (.yaml); this is {error}") from None
    except TooLarge as error:
        raise ValueError(
            f"expected a params file of at most {MAX_PARAMS_BYTES:,} bytes; it has {error.size:,}"
        ) from None
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        reason = getattr(error, "strerror", None) or error
        raise InputError([Problem(str(path), message=f"cannot be read ({reason})")]) from None
    return data.decode("utf-8")


def _check_depth(events) -> None:
    """Refuse a document that nests mappings and lists deeper than MAX_YAML_DEPTH (read event by event, without
    building anything)."""
    import yaml

    depth = 0
    for event in events:
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise ValueError(
                    f"expected values nested at most {MAX_YAML_DEPTH} deep (line {event.start_mark.line + 1})"
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _check_expanded_size(node) -> None:
    """Refuse a composed document holding more than MAX_YAML_NODES values once every alias is expanded; each
    shared node is sized once, so the check costs as much as the text, not as the expansion."""
    import yaml

    sizes: dict[int, int] = {}

    def size(current) -> int:
        if id(current) in sizes:
            return sizes[id(current)]
        sizes[id(current)] = 1  # a node that holds itself (a recursive alias) counts once
        total = 1
        if isinstance(current, yaml.SequenceNode):
            total += sum(size(item) for item in current.value)
        elif isinstance(current, yaml.MappingNode):
            total += sum(size(key) + size(value) for key, value in current.value)
        if total > MAX_YAML_NODES:
            raise ValueError(
                f"expected at most {MAX_YAML_NODES:,} values with every YAML alias (*name) expanded; "
                "this file holds more (an alias bomb?)"
            )
        sizes[id(current)] = total
        return total

    if node is not None:
        size(node)


def _text(value: object) -> str:
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ValueError(f"expected text, found {value!r}")
    return str(value).strip()


def _year(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"expected a year such as 2023, found {value!r}")
    try:
        year = int(value)
    except ValueError:
        raise ValueError(f"expected a year such as 2023, found {value!r}") from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"expected a year between {FIRST_YEAR} and {LAST_YEAR}, found {year}")
    return year


def _date(value: object) -> dt.date:
    try:
        return cells.parse_date(value)
    except cells.CellError as error:
        raise ValueError(f"expected a date such as 2023-01-17; {error}") from None


def _group_id(value: str) -> str:
    if not is_group_id(value.strip()):
        raise ValueError(f"not a valid group id: {value!r}")
    return value.strip()


def _groups(value: object) -> tuple[str, ...] | None:
    if value == "all":
        return None
    if not isinstance(value, list) or not value:
        raise ValueError("expected `all` or a list of group ids")
    return _group_ids(value)


def _group_ids(value: object) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"expected a list of group ids, found {value!r}")
    ids = tuple(_text(item) for item in value)
    bad = [group_id for group_id in ids if not is_group_id(group_id)]
    if bad:
        raise ValueError(f"not a valid group id: {', '.join(map(repr, bad))}")
    return ids


def _minutes(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 24 * 60:
        raise ValueError(f"expected a number of minutes between 0 and 1440, found {value!r}")
    return float(value)


def report_formats(value: object) -> tuple[str, ...]:
    """Formats as a list (``[html, pdf]``) or comma-separated text (``html,pdf``), checked,
    in the order of :data:`REPORT_FORMATS`, ``html`` always included."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"expected a list of formats such as [html, pdf], found {value!r}")
    asked = {item.strip().lower() for item in value if item.strip()}
    unknown = sorted(asked - set(REPORT_FORMATS))
    if unknown:
        raise ValueError(f"unknown format {', '.join(unknown)}: the formats are {', '.join(REPORT_FORMATS)}")
    return tuple(kind for kind in REPORT_FORMATS if kind in asked or kind == "html")


def _reference(suffix: str):
    def check(value: object) -> str:
        path = _text(value)
        if not path.lower().endswith(suffix):
            raise ValueError(f"expected a {suffix} file, found {path!r}")
        return path

    return check


def _language(value: object) -> str:
    if value not in LANGUAGES:
        raise ValueError(f"expected one of {', '.join(LANGUAGES)}, found {value!r}")
    return str(value)


_CHECKERS = {
    "title": _text,
    "organiser": _text,
    "fgd_date": _date,
    "venue": _text,
    "report_date": _date,
    "evaluated_year": _year,
    "plan_year": _year,
    "workbook": _text,
    "groups": _groups,
    "language": _language,
    "output_folder": _text,
    "methods": MethodSettings.from_mapping,
    "notebook_timeout_minutes": _minutes,
    "formats": report_formats,
    "docx_reference": _reference(".docx"),
    "pptx_reference": _reference(".pptx"),
}


def _checked(name: str, value: object, checker) -> object:
    try:
        return checker(value)
    except (ValueError, TypeError) as error:
        raise ValueError(f"parameter {name}: {error}") from None


def _check_review_parameters(
    year: object,
    workbook: object,
    language: object,
    methods: object,
    title: object,
    organiser: object,
    fgd_date: object,
    venue: object,
    report_date: object = "",
) -> dict[str, object]:
    """The parameters both notebooks take, checked and typed."""
    return {
        "year": _checked("year", year, _year),
        "workbook": _checked("workbook", workbook, _text),
        "language": _checked("language", language, _language),
        "methods": _checked("methods", methods, MethodSettings.from_mapping),
        "review": {
            "title": _checked("title", title, _text),
            "organiser": _checked("organiser", organiser, _text),
            "fgd_date": _checked("fgd_date", fgd_date, _date).isoformat() if fgd_date else "",
            "venue": _checked("venue", venue, _text),
            "report_date": _checked("report_date", report_date, _date).isoformat() if report_date else "",
        },
    }


def check_report_parameters(
    *,
    group_id: object,
    year: object,
    workbook: object,
    language: object,
    plan_year: object = None,
    title: object = "",
    organiser: object = "",
    fgd_date: object = "",
    venue: object = "",
    methods: object = None,
    report_date: object = "",
    chart_brand: object = None,
) -> dict[str, object]:
    """The group notebook's parameters, checked and typed (Papermill does not); ``ValueError``
    names the bad one."""
    group = _checked("group_id", group_id, _text)
    if not is_group_id(group):
        raise ValueError(f"parameter group_id: {group_id!r} is not a valid group id")
    return {
        "group_id": group,
        "plan_year": None if plan_year in (None, "") else _checked("plan_year", plan_year, _year),
        "brand": _checked("chart_brand", chart_brand, chart_brand_parameter),
        **_check_review_parameters(year, workbook, language, methods, title, organiser, fgd_date, venue, report_date),
    }


def check_portfolio_parameters(
    *,
    year: object,
    workbook: object,
    language: object,
    output_folder: object = "",
    methods: object = None,
    title: object = "",
    organiser: object = "",
    fgd_date: object = "",
    venue: object = "",
    linked_groups: object = None,
    report_date: object = "",
    chart_brand: object = None,
) -> dict[str, object]:
    """The portfolio notebook's parameters, checked and typed; ``ValueError`` names the bad one."""
    return {
        "brand": _checked("chart_brand", chart_brand, chart_brand_parameter),
        "output_folder": _checked("output_folder", output_folder, _text),
        "linked_groups": None if linked_groups is None else _checked("linked_groups", linked_groups, _group_ids),
        **_check_review_parameters(year, workbook, language, methods, title, organiser, fgd_date, venue, report_date),
    }
