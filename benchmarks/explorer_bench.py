"""How responsive the review explorer is.

    python benchmarks/explorer_bench.py [--groups 400] [--repeat 5] [--voila]

On the bundled sample: each kind of update (a filter, the sort, the year, the discount-rate
slider, another adjustment slider, another group) is made ``--repeat`` times and the slowest
is printed against the target (< 0.5 s). On a synthetic workbook of ``--groups`` groups: the
time to open the explorer (the review's figures and every widget) with no cache (a review
neither run nor opened before), again (the validated workbook kept by the first opening) and
with the figures that ``tjsl-eval run`` caches, against the target (< 10 s); with ``--voila``
also the time until Voila sends the explorer's page (kernel start, imports and every cell
included), with the figures cached and with no cache.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

from tjsl_eval.batch.cache import GroupFiles, load_validated
from tjsl_eval.batch.entries import compute_entries, plan_entries
from tjsl_eval.explore.session import open_session
from tjsl_eval.explore.widgets import Explorer
from tjsl_eval.inputs.params import load_review
from tjsl_eval.inputs.synthetic import write_synthetic_workbook

ROOT = Path(__file__).parent.parent
UPDATE_TARGET, OPEN_TARGET = 0.5, 10.0


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def review_file(folder: Path, workbook: str, name: str = "review.yaml", output: str = "out") -> Path:
    """The sample review's params, on ``workbook``, writing into ``folder/<output>``."""
    params = yaml.safe_load((ROOT / "params" / "review-2023.yaml").read_text(encoding="utf-8"))
    params.update(workbook=workbook, output_folder=output)
    path = folder / name
    path.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    return path


def updates(folder: Path, repeat: int) -> dict[str, float]:
    """The slowest of ``repeat`` updates of each kind, on the sample."""
    app = Explorer(open_session(review_file(folder, "sample")))
    pillars = [option[1] for option in app.pillars.options]
    groups = [option[1] for option in app.group.options]
    years = list(app.year.options)
    kinds = {
        "filter (pillar)": lambda i: setattr(app.pillars, "value", (pillars[i % len(pillars)],)),
        "sort of the group table": lambda i: setattr(app.sort_by, "value", ("sroi_ratio", "ikm_score")[i % 2]),
        "year": lambda i: setattr(app.year, "value", years[i % len(years)]),
        "discount-rate slider": lambda i: setattr(app.rate, "value", 4.0 + i),
        "deadweight slider": lambda i: setattr(app.sliders["deadweight"], "value", 20 + i),
        "another group (what-if)": lambda i: setattr(app.group, "value", groups[(i + 1) % len(groups)]),
    }
    slowest = {name: max(timed(lambda c=change, i=i: c(i)) for i in range(repeat)) for name, change in kinds.items()}
    app.tabs.selected_index = 1  # the group view, drawn when its tab is open: for each group
    group = lambda i: setattr(app.group, "value", groups[i % len(groups)])  # noqa: E731
    slowest["another group (group view open)"] = max(timed(lambda i=i: group(i)) for i in range(repeat))
    return slowest


def opening(folder: Path, workbook: Path, groups: int) -> dict[str, float]:
    """Seconds to open the explorer on ``workbook`` (``groups`` groups): with no cache; again (the
    validated workbook kept, the figures computed again); and once a run has cached every group's figures."""
    params = review_file(folder, str(workbook))
    seconds = {
        f"open {groups} groups, no cache": timed(lambda: Explorer(open_session(params))),
        f"open {groups} groups again, figures not cached": timed(lambda: Explorer(open_session(params))),
    }
    cache_figures(params)
    seconds[f"open {groups} groups, figures cached by a run"] = timed(lambda: Explorer(open_session(params)))
    return seconds


def cache_figures(params: Path) -> None:
    """Every group's figures, computed and cached as ``tjsl-eval run`` does before the reports."""
    review = load_review(params)
    workbook, _ = load_validated(review.workbook_source, review.output_path)
    plan = plan_entries(review, workbook, GroupFiles.split(workbook, review.output_path))
    plan.collect(compute_entries(plan.tasks, os.cpu_count() or 1))


def voila_page(folder: Path, params: Path) -> float:
    """Seconds until Voila sends the explorer's page on the review of ``params``."""
    notebook = (ROOT / "notebooks" / "explorer.ipynb").read_text(encoding="utf-8")
    (folder / "explorer.ipynb").write_text(
        notebook.replace("../params/review-2023.yaml", str(params)), encoding="utf-8"
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "voila", "explorer.ipynb", "--no-browser", f"--port={port}"]
    command += ["--Voila.ip=127.0.0.1", "--Voila.port_retries=0"]
    server = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        return timed(lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=600).read())
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=400, help="0: only the updates on the sample")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--voila", action="store_true", help="also time Voila's page, with and without the cache")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        (folder / "sample").mkdir()
        (folder / "large").mkdir()
        rows = [
            (name, seconds, None if "group view" in name else UPDATE_TARGET)  # a view drawn, not an update
            for name, seconds in updates(folder / "sample", arguments.repeat).items()
        ]
        if arguments.groups:
            large, groups = folder / "large", arguments.groups
            workbook = write_synthetic_workbook(large / f"review-{groups}.xlsx", groups)
            rows += [(name, seconds, OPEN_TARGET) for name, seconds in opening(large, workbook, groups).items()]
            if arguments.voila:
                cached = voila_page(large, large / "review.yaml")
                rows.append((f"Voila page, {groups} groups, figures cached", cached, OPEN_TARGET))
                fresh = review_file(large, str(workbook), "fresh.yaml", "out-fresh")
                rows.append((f"Voila page, {groups} groups, no cache", voila_page(large, fresh), OPEN_TARGET))
    print(f"{'measure':<44} {'seconds':>8}  target   met")
    for name, seconds, target in rows:
        if target is None:
            print(f"{name:<44} {seconds:8.2f}")
        else:
            print(f"{name:<44} {seconds:8.2f}  < {target:<5g}  {'yes' if seconds < target else 'NO'}")


if __name__ == "__main__":
    main()
