"""End to end: the explorer served by Voila, opened in headless Chromium (Selenium): the sample's
programme figures are on the page, and moving the discount-rate slider changes the SROI ratio.

Every wait has a deadline; the Voila server, its kernels and the browser are stopped at the end
and checked to be gone."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import needs

ROOT = Path(__file__).parent.parent
PAGE_SECONDS = 240  # Voila runs every cell before sending the page: computing the sample's figures
START_ATTEMPTS = 3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def explorer_copy(folder: Path) -> Path:
    """The explorer notebook opening a review of the sample whose output folder is in ``folder``."""
    params = yaml.safe_load((ROOT / "params" / "review-2023.yaml").read_text(encoding="utf-8"))
    params["output_folder"] = "out"
    for export in params.get("survey_exports", []):  # read where the params file has it
        export["file"] = str(ROOT / "params" / export["file"])
    (folder / "review.yaml").write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    notebook = json.loads((ROOT / "notebooks" / "explorer.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if "parameters" in c["metadata"].get("tags", []))
    cell["source"] = 'PARAMS = "review.yaml"\nWORKBOOK, YEAR, LANGUAGE = None, None, None'
    path = folder / "explorer.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return path


def descendants(pid: int) -> set[int]:
    """Every process started by ``pid``, at any depth (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, pending = set(), [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            found.add(child)
            pending.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def start_voila(notebook: Path, log: Path) -> tuple[subprocess.Popen, int]:
    """Voila on a free port (``port_retries=0``: never another port). A port taken between the
    probe and the start is tried again, at most :data:`START_ATTEMPTS` times."""
    for _ in range(START_ATTEMPTS):
        port = free_port()
        command = [
            sys.executable, "-m", "voila", str(notebook), "--no-browser", f"--port={port}",
            "--Voila.ip=127.0.0.1", "--Voila.port_retries=0",
        ]  # fmt: skip
        with open(log, "w") as output:
            server = subprocess.Popen(
                command, cwd=notebook.parent, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            if f"127.0.0.1:{port}" in log.read_text(errors="replace"):
                return server, port
            time.sleep(0.2)
        stop(server)
        if "already in use" not in log.read_text(errors="replace"):
            break
    pytest.fail(f"Voila did not start: {log.read_text(errors='replace')[-2000:]}")


def stop(server: subprocess.Popen) -> None:
    """Stop Voila and every process it started (its kernels run in sessions of their own)."""
    started = descendants(server.pid)
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    for pid in started:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(pid) for pid in started):
        time.sleep(0.1)
    assert not [pid for pid in started if alive(pid)], "a process Voila started is still running"


def expected_figures() -> tuple[list[str], object]:
    """The sample's programme figures as the explorer shows them, and BSM-01's SROI what-if."""
    from tjsl_eval.inputs.settings import MethodSettings
    from tjsl_eval.inputs.workbook import load_workbook
    from tjsl_eval.methods import explorer, portfolio
    from tjsl_eval.methods.metrics import format_figure

    workbook = load_workbook("sample")
    entries = {
        g: portfolio.group_entries(d, g, [2023], MethodSettings(), dt.date(2024, 1, 16))[2023]
        for g, d in workbook.split_by_group().items()
    }
    figures = portfolio.programme_figures(workbook, 2023, entries)
    shown = [format_figure(key, figures[key]) for key in ("budget_planned", "budget_realized", "sroi_ratio")]
    return shown, explorer.WhatIf.of_group(workbook, "BSM-01", 2023, MethodSettings())


def test_voila_serves_the_explorer_and_the_slider_changes_the_ratio(tmp_path):
    needs("chromium", "chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    from tjsl_eval.methods.metrics import format_figure

    programme, what_if = expected_figures()
    server, port = start_voila(explorer_copy(tmp_path), tmp_path / "voila.log")
    browser = None
    try:
        options = webdriver.ChromeOptions()
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1300,1800"):
            options.add_argument(argument)
        options.binary_location = shutil.which("chromium")
        browser = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
        browser.set_page_load_timeout(PAGE_SECONDS)
        browser.get(f"http://127.0.0.1:{port}/")
        wait = WebDriverWait(browser, PAGE_SECONDS)
        figures = wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, ".tjsl-key-figures table"))[0]
        for value in programme:
            assert value in figures.text
        assert "def " not in browser.page_source and "open_explorer(" not in browser.page_source  # no code shown

        browser.find_element(By.XPATH, "//*[contains(@class,'lm-TabBar-tab')][contains(., 'SROI what-if')]").click()
        results = wait.until(lambda b: [e for e in b.find_elements(By.CSS_SELECTOR, ".tjsl-what-if-results") if e.text])
        ratio = format_figure("sroi_ratio", what_if.result().ratio)
        assert ratio in results[0].text
        handle = browser.find_element(By.CSS_SELECTOR, ".tjsl-discount-rate .noUi-handle")
        handle.click()
        for _ in range(13):  # 0.5 points a step: from 3.5 % to 10 %
            handle.send_keys(Keys.ARROW_RIGHT)
        what_if.set_rate(10)
        moved = format_figure("sroi_ratio", what_if.result().ratio)
        assert moved != ratio
        WebDriverWait(browser, 60).until(
            lambda b: moved in b.find_element(By.CSS_SELECTOR, ".tjsl-what-if-results").text
        )
        text = browser.find_element(By.CSS_SELECTOR, ".tjsl-what-if-results").text
        assert ratio in text  # the workbook's ratio stays beside the scenario's
    finally:
        if browser is not None:
            browser.quit()
        stop(server)
