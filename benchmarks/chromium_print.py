"""Headless Chromium printing an HTML page to PDF, for the benchmark's engine comparison only.

The browser is driven over its DevTools pipe (``--remote-debugging-pipe``: no port, no extra library), kept
open for every page, and its processor time read from ``/proc`` for the browser and all its processes.
The project's PDF stays WeasyPrint's (docs/performance.md, "What each format costs"): this measures what
printing the same pages in the browser would cost.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions"]
PRINT = {"preferCSSPageSize": True, "printBackground": True}
NUMBER_CONTENTS = "document.querySelectorAll('.tjsl-toc a').forEach((a, i) => a.append(' ' + (i + 1)))"


def browser() -> str | None:
    """The Chromium on this machine's path, if there is one."""
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


class ChromiumPrinter:
    """One headless Chromium with one tab; :meth:`print_pdf` lays a page out and prints it."""

    def __init__(self, program: str) -> None:
        read_end, write_end = os.pipe()  # the browser reads commands on its fd 3 ...
        answer_read, answer_write = os.pipe()  # ... and answers on its fd 4
        read_end, answer_write = (_above_four(fd) for fd in (read_end, answer_write))
        self.process = subprocess.Popen(
            [program, *FLAGS, "--remote-debugging-pipe", "about:blank"],
            preexec_fn=lambda: (os.dup2(read_end, 3), os.dup2(answer_write, 4)),
            pass_fds=(3, 4),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(read_end)
        os.close(answer_write)
        self._commands, self._answers = write_end, answer_read
        self._sent, self._pending = 0, b""
        try:
            target = self._send("Target.createTarget", url="about:blank")["targetId"]
            self._session = self._send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            self._frame = self._send("Page.getFrameTree", session=True)["frameTree"]["frame"]["id"]
        except (OSError, RuntimeError):
            self.close()
            raise

    def print_pdf(self, html: str, number_contents: bool = False) -> bytes:
        """``html`` printed as its ``@page`` rules say; with ``number_contents``, printed twice, as a browser must to
        write page numbers into a contents list (it has no ``target-counter``)."""
        self._send("Page.setDocumentContent", session=True, frameId=self._frame, html=html)
        printed = self._send("Page.printToPDF", session=True, **PRINT)
        if number_contents:
            self._send("Runtime.evaluate", session=True, expression=NUMBER_CONTENTS)
            printed = self._send("Page.printToPDF", session=True, **PRINT)
        return base64.b64decode(printed["data"])

    def cpu_seconds(self) -> float:
        """Processor seconds used so far by the browser and every process it started."""
        return sum(_cpu(pid) for pid in _tree(self.process.pid))

    def close(self) -> None:
        try:
            self._send("Browser.close")
        except (OSError, RuntimeError):  # it stopped answering: stopped here
            self.process.kill()
        finally:
            os.close(self._commands)
            os.close(self._answers)
            self.process.wait(timeout=30)

    def _send(self, method: str, session: bool = False, **params) -> dict:
        self._sent += 1
        message = {"id": self._sent, "method": method, "params": params}
        if session:
            message["sessionId"] = self._session
        os.write(self._commands, json.dumps(message).encode("utf-8") + b"\0")
        while True:
            while b"\0" not in self._pending:
                chunk = os.read(self._answers, 1 << 20)
                if not chunk:
                    raise RuntimeError(f"Chromium closed its pipe during {method}")
                self._pending += chunk
            raw, self._pending = self._pending.split(b"\0", 1)
            answer = json.loads(raw)
            if answer.get("id") == self._sent:
                if "error" in answer:
                    raise RuntimeError(f"Chromium: {method}: {answer['error']}")
                return answer.get("result", {})


def _above_four(fd: int) -> int:
    """``fd`` moved to a number above 4, so that setting the browser's fds 3 and 4 cannot overwrite it."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 5)
    os.close(fd)
    return moved


def _stat(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def _tree(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))):
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        found.add(pid)
        todo += children.get(pid, [])
    return found


def _cpu(pid: int) -> float:
    fields = _stat(pid)  # utime, stime, and those of its children that ended
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK") if fields else 0.0
