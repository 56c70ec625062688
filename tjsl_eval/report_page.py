"""An executed report notebook as an HTML page, through the package's nbconvert template.

The template (``templates/tjsl_report``) shows the notebook's outputs only, no code and no
prompts, and adds the page's head (viewport, page and A4 print styles, no scripts), and a
footer with the fingerprint of the report's data and the package's version. The cover and
the table of contents are the report's first output (:func:`tjsl_eval.report.cover`).
"""

from __future__ import annotations

import threading
from pathlib import Path

from tjsl_eval import __version__

TEMPLATE_FOLDER = Path(__file__).parent / "templates"
TEMPLATE_NAME = "tjsl_report"
DEFAULT_LANGUAGE = "id"  # the notebooks' default ``language`` parameter
_made = threading.local()  # each thread's exporter (an exporter is not safe to share between threads)


def export_html(notebook_path: Path, page_title: str, data_hash: str | None = None) -> str:
    """The executed notebook at ``notebook_path`` as a report page titled ``page_title``.

    ``data_hash`` is the SHA-256 (hex) of the report's data, shown in the footer. The page's
    language is the notebook's ``language`` parameter, as Papermill recorded it. Cell ids are
    renumbered (Papermill gives the injected-parameters cell a random id), so the same notebook
    outputs always give the same bytes.
    """
    import nbformat

    from tjsl_eval.messages import text  # pandas and Babel: imported only when a page is made

    notebook = nbformat.read(notebook_path, as_version=4)
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{number}"
    parameters = notebook.metadata.get("papermill", {}).get("parameters", {})
    language = str(parameters.get("language", DEFAULT_LANGUAGE))
    report = {
        "language": language,
        "version": __version__,
        "data_hash": data_hash,
        "data_label": text("footer.data", language),
        "made_with": text("footer.version", language, version=__version__),
    }
    body, _ = _exporter().from_notebook_node(notebook, resources={"metadata": {"name": page_title}, "report": report})
    return body


def _exporter():
    """This thread's HTML exporter, made once: its template is compiled on first use, which
    costs more than exporting a report."""
    if not hasattr(_made, "exporter"):
        from nbconvert import HTMLExporter

        _made.exporter = HTMLExporter(
            extra_template_basedirs=[str(TEMPLATE_FOLDER)],
            template_name=TEMPLATE_NAME,
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            exclude_markdown=True,
        )
    return _made.exporter
