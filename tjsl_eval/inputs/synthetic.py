"""Synthetic review workbooks of any size, for demonstrations, load tests and benchmarks.

**The data is SYNTHETIC (fictional).** Every group, figure, FGD input, survey answer,
score and SROI value is drawn at random from small Indonesian vocabularies (the package data file
``tjsl_eval/data/synthetic/vocabulary.yaml``, read by :mod:`~tjsl_eval.inputs.synthetic_vocabulary`); it describes
no real group, company, agency or person. Only the setting (the kelurahan and kecamatan
of Balikpapan and the kinds of agencies at a TJSL review FGD) echoes the bundled sample
(see ``tjsl_eval/data/sample/README.md``).

The headers, sheet names and sheet order come from :data:`tjsl_eval.inputs.schema.SHEETS`; this
module only decides the value of each column; :func:`tjsl_eval.inputs.template.write_workbook` writes
the file in the layout of the blank template (formats, drop-downs, instructions), without its
example rows. The output depends on the arguments only: the same arguments give a byte-identical file.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tjsl_eval.common import codes
from tjsl_eval.inputs.schema import DAC_CRITERIA, FIRST_YEAR, LAST_YEAR, LIGHTS, REPORT_SECTIONS, SHEETS
from tjsl_eval.inputs.synthetic_photos import write_pictures
from tjsl_eval.inputs.synthetic_vocabulary import Theme, vocabulary
from tjsl_eval.inputs.template import write_workbook

__all__ = ["SYNTHETIC_NOTE", "write_synthetic_workbook"]

SYNTHETIC_NOTE = (
    "Data sintetis (rekaan) dari tjsl_eval.inputs.synthetic, bukan data nyata. / "
    "Synthetic (fictional) data made by tjsl_eval.inputs.synthetic, not real data."
)


@dataclass(frozen=True)
class _Group:
    group_id: str
    name: str
    theme: Theme
    kelurahan: str
    start_year: int
    members: int
    quality: float  # 0 (struggling) .. 1 (excellent): drives achievement, satisfaction and independence
    indicators: tuple[int, ...]  # which of the theme's indicators the group reports
    data_years: tuple[int, ...]


def write_synthetic_workbook(
    path: Path, groups: int, years: tuple[int, int] = (2021, 2023), seed: int = 0, language: str = "id"
) -> Path:
    """Write a valid, synthetic review workbook (.xlsx) of ``groups`` groups to ``path``; return ``path``.

    Every sheet of :data:`tjsl_eval.inputs.schema.SHEETS` is filled, in the contract's order, for every
    group and every year of the inclusive range ``years`` (a group in about twenty starts in
    the last year and has data for that year only), plus plans for the year after the last:
    budget lines with the planned amount only, indicator targets with a blank actual, and
    activities with status ``belum``. FGD inputs include a few programme-wide rows (blank
    group id); the IKM survey has about 30 respondents per group and year; independence is
    scored on six dimensions. The data has realistic gaps: unmeasured indicators, over-spent
    budget lines, cancelled activities, open FGD follow-ups, small survey samples.

    The photo sheet refers to a few small synthetic pictures (:data:`PICTURES`, labelled as synthetic), written
    into the folder ``dokumentasi`` beside ``path``.

    ``language`` ``"id"`` writes the Indonesian sheet names and headers (``name_id``), ``"en"``
    the English ones (``name``) and the English aliases of enumeration values; free text stays
    Indonesian. Money is in whole Rupiah and dates are real Excel dates, in the layout of
    ``tjsl-eval template`` (see :mod:`tjsl_eval.inputs.template`).

    The file depends on the arguments only (``random.Random(seed)``, fixed document and zip
    times): the same arguments give byte-identical files with the same openpyxl (which writes
    other, equally valid bytes when lxml is installed). It is written with openpyxl's write-only
    mode and replaced atomically (the folder of ``path`` is made if needed); 1000 groups over three
    years (about 1.7 million cells) take about 30 s of CPU. The data is synthetic: see :data:`SYNTHETIC_NOTE`.

    Raises ValueError for ``groups`` < 1, a year range outside the contract's years (the plan
    year must fit too) or another ``language``.
    """
    if isinstance(groups, bool) or not isinstance(groups, int) or groups < 1:
        raise ValueError(f"groups: expected a whole number of at least 1, found {groups!r}")
    first, last = years
    if not (isinstance(first, int) and isinstance(last, int) and FIRST_YEAR <= first <= last < LAST_YEAR):
        raise ValueError(
            f"years: expected (first, last) with {FIRST_YEAR} ≤ first ≤ last < {LAST_YEAR}, found {years!r}"
        )
    if language not in ("id", "en"):
        raise ValueError(f"language: expected 'id' or 'en', found {language!r}")
    rng = random.Random(seed)
    members = _groups(rng, groups, first, last)
    makers = {
        "groups": _group_rows,
        "budget": _budget_rows,
        "indicators": _indicator_rows,
        "activities": _activity_rows,
        "fgd_feedback": _feedback_rows,
        "survey": _survey_rows,
        "sroi": _sroi_rows,
        "independence": _independence_rows,
        "narrative": _narrative_rows,
        "photos": _photo_rows,
        "dac_judgement": _judgement_rows,
        "approval": _approval_rows,
        "beneficiaries": _beneficiary_rows,
    }
    sheet_seeds = {sheet.name: rng.getrandbits(64) for sheet in SHEETS}
    tables = {
        sheet.name: makers[sheet.name](random.Random(sheet_seeds[sheet.name]), members, first, last)
        for sheet in SHEETS
        if sheet.name in makers
    }
    tables["fgd_feedback"] = list(tables["fgd_feedback"])  # the follow-up rows name some of these inputs
    tables["follow_up"] = _follow_up_rows(random.Random(sheet_seeds["follow_up"]), tables["fgd_feedback"], last)
    properties = {
        "title": "Synthetic TJSL review workbook",
        "creator": "tjsl-eval (synthetic data)",
        "description": SYNTHETIC_NOTE,
    }
    written = write_workbook(Path(path), language, tables, properties=properties)
    write_pictures(written.parent, PICTURES)
    return written


# --- the groups and their rows, sheet by sheet ---------------------------------------------------------------


def _groups(rng: random.Random, count: int, first: int, last: int) -> list[_Group]:
    width = max(4, len(str(count)))
    result = []
    for number in range(1, count + 1):
        theme = rng.choice(vocabulary().themes)
        kelurahan = rng.choice(list(vocabulary().kelurahan))
        late = number > 1 and rng.random() < 0.05  # the first group always covers every year
        start = last if late else max(FIRST_YEAR, first - rng.choice((0, 0, 0, 1, 2)))
        name = f"{theme.prefix} {rng.choice(vocabulary().name_words)} {kelurahan} RT {rng.randint(1, 45):02d}"
        chosen = sorted(rng.sample(range(len(theme.indicators)), rng.choice((3, 3, 4))))
        result.append(
            _Group(
                f"GRP-{number:0{width}d}",
                name,
                theme,
                kelurahan,
                start,
                rng.randint(12, 60),
                rng.betavariate(3, 2),
                tuple(chosen),
                tuple(range(max(first, start), last + 1)),
            )
        )
    return result


Rows = Iterator[dict[str, object]]


def _group_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    for group in groups:
        yield {
            "group_id": group.group_id,
            "name": group.name,
            "program": group.theme.program,
            "pillar": group.theme.pillar,
            "kelurahan": group.kelurahan,
            "kecamatan": None if rng.random() < 0.03 else vocabulary().kelurahan[group.kelurahan],
            "start_year": group.start_year,
            "members": None if rng.random() < 0.03 else group.members,
            "sdgs": group.theme.sdgs,
        }


def _budget_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    for group in groups:
        for year in (*group.data_years, last + 1):
            items = [*rng.sample(group.theme.budget, rng.choice((2, 3, 3, 4))), *vocabulary().common_budget]
            for item, category, low, high in items:
                planned = rng.randint(low * 2, high * 2) * 500_000
                realized = None
                if year <= last:
                    draw = rng.random()
                    if draw < 0.08:
                        share = rng.uniform(1.03, 1.3)  # over-spent
                    elif draw < 0.12 and year == last:
                        share = None  # nothing spent yet
                    else:
                        share = rng.uniform(0.7, 1.0) if rng.random() < 0.7 else 1.0
                    realized = None if share is None else int(round(planned * share, -3))
                yield {
                    "group_id": group.group_id,
                    "year": year,
                    "item": item,
                    "category": None if rng.random() < 0.02 else category,
                    "planned": planned,
                    "realized": realized,
                }


def _indicator_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    for group in groups:
        for index in group.indicators:
            name, level, unit, direction, low, high = group.theme.indicators[index]
            value = _indicator_value(rng.uniform(low, high), unit)
            for year in (*group.data_years, last + 1):
                baseline = value
                if direction == "naik":
                    target = baseline * rng.uniform(1.1, 1.5) + (high - low) * 0.1
                else:
                    target = baseline * rng.uniform(0.7, 0.9)
                target = _indicator_value(target, unit)
                step = 0.1 if unit == "ha" else 1
                if direction == "naik" and target <= baseline:
                    target = _indicator_value(baseline + step, unit)
                elif direction == "turun" and target >= baseline:
                    target = baseline - step
                target = max(target, step)  # the contract wants a target above 0
                actual = None
                if year <= last and rng.random() >= 0.07:  # about one in 14 not measured
                    reach = rng.uniform(0.55, 1.05) + 0.25 * group.quality
                    actual = target * reach if direction == "naik" else target / reach
                    actual = _indicator_value(actual, unit)
                    value = actual
                yield {
                    "group_id": group.group_id,
                    "year": year,
                    "indicator": name,
                    "level": level,
                    "unit": unit,
                    "direction": None if direction == "naik" and rng.random() < 0.05 else direction,
                    "baseline": None if rng.random() < 0.04 else baseline,
                    "target": target,
                    "actual": actual,
                }


def _indicator_value(value: float, unit: str) -> float | int:
    if unit == "%":
        return min(100, max(0, round(value)))
    if unit == "ha":
        return round(value, 1)
    if unit.startswith("Rp"):
        return int(round(value, -4))
    return max(0, round(value))


def _activity_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    for group in groups:
        for year in (*group.data_years, last + 1):
            names = rng.sample(group.theme.activities, rng.choice((3, 4, 4, 5)))
            months = sorted(rng.sample(range(1, 12), len(names)))
            for name, month in zip(names, months, strict=True):
                start = dt.datetime(year, month, rng.randint(1, 20))
                end = min(start + dt.timedelta(days=rng.randint(7, 120)), dt.datetime(year, 12, 31))
                status = _activity_status(rng, year, last)
                progress = {"selesai": 100, "belum": 0, "batal": None}.get(status)
                if status == "berjalan":
                    progress = rng.randint(2, 9) * 10
                if status == "batal" and rng.random() < 0.5:
                    progress = rng.randint(1, 4) * 10
                if rng.random() < 0.03:
                    progress = None
                yield {
                    "group_id": group.group_id,
                    "year": year,
                    "activity": name,
                    "planned_start": start,
                    "planned_end": end,
                    "status": status,
                    "progress": progress,
                }


def _activity_status(rng: random.Random, year: int, last: int) -> str:
    if year > last:
        return "belum"
    if year < last:
        return rng.choices(("selesai", "berjalan", "batal"), (86, 9, 5))[0]
    return rng.choices(("selesai", "berjalan", "belum", "batal"), (60, 28, 7, 5))[0]


def _feedback_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    for year in range(first, last + 1):
        fgd = dt.datetime(year + 1, 1, rng.randint(12, 26))
        for stakeholder, kind, criterion, feedback, recommendation in rng.sample(
            vocabulary().programme_feedback, rng.randint(2, 3)
        ):
            yield {
                "year": year,
                "group_id": None,
                "fgd_date": fgd,
                "stakeholder": stakeholder,
                "stakeholder_type": kind,
                "criterion": criterion,
                "feedback": feedback,
                "recommendation": recommendation,
                "follow_up": _follow_up(rng, year, last),
                "due_date": fgd + dt.timedelta(days=rng.randint(60, 300)),
            }
        for group in groups:
            if year not in group.data_years:
                continue
            for _ in range(rng.choice((1, 1, 2))):
                stakeholder, kind = rng.choice(
                    (
                        (group.theme.agency, "pemerintah"),
                        (group.theme.agency, "pemerintah"),
                        (f"Lurah {group.kelurahan}", "pemerintah"),
                        (f"Ketua RT {group.kelurahan}", "masyarakat"),
                        ("Tim TJSL perusahaan", "perusahaan"),
                        ("LSM pendamping", "lainnya"),
                    )
                )
                criterion = rng.choice(list(vocabulary().feedback))
                inputs, recommendations = vocabulary().feedback[criterion]
                yield {
                    "year": year,
                    "group_id": group.group_id,
                    "fgd_date": fgd,
                    "stakeholder": stakeholder,
                    "stakeholder_type": kind,
                    "criterion": None if rng.random() < 0.05 else criterion,
                    "feedback": rng.choice(inputs).format(kelurahan=group.kelurahan),
                    "recommendation": None
                    if rng.random() < 0.08
                    else rng.choice(recommendations).format(agency=group.theme.agency),
                    "follow_up": None if rng.random() < 0.03 else _follow_up(rng, year, last),
                    "due_date": None if rng.random() < 0.05 else fgd + dt.timedelta(days=rng.randint(60, 300)),
                }


def _follow_up(rng: random.Random, year: int, last: int) -> str:
    weights = (10, 20, 70) if year < last else (50, 35, 15)
    return rng.choices(("belum", "proses", "selesai"), weights)[0]


OWNERS = ("Ketua kelompok", "Pendamping TJSL", "Sekretaris kelompok")


def _follow_up_rows(rng: random.Random, feedback: list[dict], last: int) -> Rows:
    """Follow-up rows for about half of the groups' FGD inputs still open (findings whose code is known from the
    data alone: :func:`~tjsl_eval.common.codes.fgd_input_codes`), some done, some overdue, some without owner."""
    by_group: dict[str, list[dict]] = {}
    for row in feedback:
        if row["group_id"] is not None:
            by_group.setdefault(row["group_id"], []).append(row)
    for number, (group_id, rows) in enumerate(by_group.items()):
        names = codes.fgd_input_codes((row["year"], row["stakeholder"]) for row in rows)
        for row, code in zip(rows, names, strict=True):
            if row["follow_up"] not in ("belum", "proses") or rng.random() < 0.4:
                continue
            complete = number == 0  # the first group's rows have every column filled
            status = rng.choices(("belum", "proses", "selesai"), (30, 40, 30))[0]
            fgd = row["fgd_date"]
            yield {
                "group_id": group_id,
                "year": row["year"],
                "finding_code": code,
                "recommendation": None if rng.random() < 0.7 and not complete else row["feedback"],
                "owner": None if rng.random() < 0.1 and not complete else rng.choice(OWNERS),
                "deadline": fgd + dt.timedelta(days=rng.randint(30, 400)),
                "status": status,
                "note": None if rng.random() < 0.6 and not complete else "Dibahas dalam rapat kelompok (rekaan).",
            }


def _approval_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    """The whole review of each year prepared and reviewed; earlier years approved as a whole, the last year approved
    group by group for about half of the groups (the others stay drafts)."""
    signers = (
        ("disusun", "Evaluator Program TJSL (rekaan)", "Evaluator"),
        ("diperiksa", "Koordinator CSR (rekaan)", "Koordinator CSR"),
        ("disetujui", "Manajer CSR (rekaan)", "Manajer CSR"),
    )
    for year in range(first, last + 1):
        day = dt.datetime(year + 1, 2, rng.randint(1, 20))
        for role, name, position in signers:
            if role != "disetujui" or year < last:
                yield {
                    "group_id": None,
                    "year": year,
                    "role": role,
                    "name": name,
                    "position": position,
                    "date": day,
                    "place": "Balikpapan",
                }
    for group in groups:
        if last in group.data_years and rng.random() < 0.5:
            role, name, position = signers[2]
            yield {
                "group_id": group.group_id,
                "year": last,
                "role": role,
                "name": name,
                "position": position,
                "date": dt.datetime(last + 1, 2, rng.randint(21, 28)),
                "place": "Balikpapan",
            }


def _beneficiary_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    for group in groups:
        for year in group.data_years:
            women_share = rng.uniform(0.2, 0.9)
            for category, size in (
                ("anggota", group.members),
                ("penerima_langsung", group.members * rng.randint(2, 8)),
                ("penerima_tidak_langsung", group.members * rng.randint(10, 40)),
            ):
                women = round(size * women_share)
                yield {
                    "group_id": group.group_id,
                    "year": year,
                    "category": category,
                    "men": size - women,
                    "women": women,
                    "with_disability": None if rng.random() < 0.1 else round(size * rng.uniform(0, 0.05)),
                    "other_vulnerable": round(size * rng.uniform(0.05, 0.3)),
                    "total": None if rng.random() < 0.3 else size,
                }


def _survey_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    answers = (1, 2, 3, 4)
    for group in groups:
        for year in group.data_years:
            level = 1.5 + 2 * group.quality + 0.1 * (year - group.data_years[0])  # mean answer, roughly
            weights = list(itertools.accumulate(max(0.02, 1 - abs(level - answer)) for answer in answers))
            respondents = rng.randint(18, 29) if rng.random() < 0.06 else rng.randint(30, 35)
            for number in range(1, respondents + 1):
                row: dict[str, object] = {"group_id": group.group_id, "year": year, "respondent_id": f"R{number:02d}"}
                values = rng.choices(answers, cum_weights=weights, k=9)
                if rng.random() < 0.01:
                    values[rng.randrange(9)] = None  # not answered
                row.update(zip(_U_COLUMNS, values, strict=True))
                yield row


_U_COLUMNS = tuple(f"u{i}" for i in range(1, 10))


def _sroi_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    for group in groups:
        specs = group.theme.sroi
        for year in group.data_years:
            for spec in rng.sample(specs, min(len(specs), rng.choice((2, 2, 3)))):
                (
                    stakeholder,
                    outcome,
                    q_low,
                    q_high,
                    p_low,
                    p_high,
                    source,
                    duration,
                    deadweight,
                    attribution,
                    displacement,
                    drop_off,
                ) = spec
                quantity = rng.randint(q_low, q_high) if q_high > 5 else round(rng.uniform(q_low, q_high), 2)
                yield {
                    "group_id": group.group_id,
                    "year": year,
                    "stakeholder": stakeholder,
                    "outcome": outcome,
                    "quantity": quantity,
                    "proxy_value": rng.randint(p_low // 10, p_high // 10) * 10_000,
                    "proxy_source": None if rng.random() < 0.05 else source,
                    "duration_years": duration,
                    "deadweight": _jitter(rng, deadweight),
                    "attribution": _jitter(rng, attribution),
                    "displacement": _jitter(rng, displacement),
                    "drop_off": _jitter(rng, drop_off),
                }


def _jitter(rng: random.Random, percent: int) -> int:
    return min(100, max(0, percent + rng.choice((-5, 0, 0, 5))))


def _independence_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    for group in groups:
        for step, year in enumerate(group.data_years):
            level = 1.5 + 2.5 * group.quality + 0.35 * step
            for dimension, evidence_by_score in vocabulary().evidence.items():
                score = min(5, max(1, round(level + rng.uniform(-1, 1))))
                evidence = evidence_by_score[0 if score <= 2 else 1 if score == 3 else 2]
                yield {
                    "group_id": group.group_id,
                    "year": year,
                    "dimension": dimension,
                    "score": score,
                    "evidence": None if rng.random() < 0.1 else evidence,
                }


# --- the evaluator's narrative, photos and DAC judgements ---------------------------------------------------------

PICTURES = {f"dokumentasi/sintetis-{number}.jpg": f"Kegiatan kelompok {number}" for number in range(1, 5)}


def _narrative_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    sections = list(REPORT_SECTIONS)
    for year in range(first, last + 1):
        yield {
            "group_id": None,
            "year": year,
            "section": "kesimpulan",
            "text": f"Program tahun {year} berjalan; rincian per kelompok ada di laporannya.",
            "author": "Tim evaluator (rekaan)",
        }
        for group in groups:
            if year not in group.data_years:
                continue
            notes = vocabulary().narrative
            for template in rng.sample(notes, 2):
                section = "kesimpulan" if template == notes[-1] else rng.choice(sections)
                yield {
                    "group_id": group.group_id,
                    "year": year,
                    "section": section,
                    "text": template.format(name=group.name, kelurahan=group.kelurahan),
                    "author": None if rng.random() < 0.3 else "Evaluator (rekaan)",
                }


def _photo_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    for group in groups:
        for year in group.data_years:
            for file in rng.sample(list(PICTURES), rng.choice((1, 2, 2, 3))):
                yield {
                    "group_id": group.group_id,
                    "year": year,
                    "file": file,
                    "caption": f"{PICTURES[file]}, {group.name} (ilustrasi sintetis)",
                    "date": None if rng.random() < 0.1 else dt.datetime(year, rng.randint(1, 12), rng.randint(1, 28)),
                    "section": None if rng.random() < 0.5 else rng.choice(("kegiatan", "anggaran", "indikator")),
                }


def _judgement_rows(rng: random.Random, groups: list[_Group], first: int, last: int) -> Rows:
    for number, group in enumerate(groups):
        if (number < 2 or rng.random() < 0.3) and last in group.data_years:
            yield {
                "group_id": group.group_id,
                "year": last,
                "criterion": rng.choice(list(DAC_CRITERIA)),
                "light": rng.choice(list(LIGHTS)),
                "justification": "Penilaian evaluator berdasarkan kunjungan lapangan (rekaan).",
            }
