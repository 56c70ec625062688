"""An executed report notebook as an HTML page, through the package's nbconvert template.

The template (``templates/tjsl_report``) shows the notebook's outputs only, no code and no
prompts, and adds the page's head (viewport, page and A4 print styles, no scripts), and a
footer with the fingerprint of the report's data and the package's version. The cover and
the table of contents are the report's first output (:func:`tjsl_eval.render.blocks.cover`).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from tjsl_eval import __version__

if TYPE_CHECKING:
    from nbformat import NotebookNode

TEMPLATE_FOLDER = Path(__file__).parent / "templates"
TEMPLATE_NAME = "tjsl_report"
DEFAULT_LANGUAGE = "id"  # the notebooks' default ``language`` parameter
_made = threading.local()  # each thread's exporter (an exporter is not safe to share between threads)


def template_file(name: str) -> str:
    """The text of the template's file ``name``, e.g. ``static/page.css`` or ``static/sort.js``."""
    return (TEMPLATE_FOLDER / TEMPLATE_NAME / name).read_text(encoding="utf-8")


def page_values(language: str, data_hash: str | None = None) -> dict[str, object]:
    """What the pages' head and footer show (``templates/tjsl_report/page_parts.j2``): the
    language, the package's version, and the fingerprint of the page's data when there is one."""
    from tjsl_eval.common.messages import text  # pandas and Babel: imported only when a page is made

    return {
        "language": language,
        "version": __version__,
        "data_hash": data_hash,
        "data_label": text("footer.data", language),
        "made_with": text("footer.version", language, version=__version__),
    }


def export_html(notebook: NotebookNode | Path, page_title: str, data_hash: str | None = None) -> str:
    """The executed ``notebook`` (or the notebook file at that path) as a report page titled
    ``page_title``.

    ``data_hash`` is the SHA-256 (hex) of the report's data, shown in the footer. The page's
    language is the notebook's ``language`` parameter, as Papermill recorded it. Cell ids are
    renumbered (Papermill gives the injected-parameters cell a random id), so the same notebook
    outputs always give the same bytes; the cells of ``notebook`` are changed so.
    """
    if isinstance(notebook, Path):
        import nbformat

        notebook = nbformat.read(notebook, as_version=4)
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{number}"
    parameters = notebook.metadata.get("papermill", {}).get("parameters", {})
    language = str(parameters.get("language", DEFAULT_LANGUAGE))
    resources = {"metadata": {"name": page_title}, "report": page_values(language, data_hash)}
    body, _ = _exporter().from_notebook_node(notebook, resources=resources)
    return body


def _exporter():
    """This thread's HTML exporter, made once: its template is compiled on first use, which
    costs more than exporting a report."""
    if not hasattr(_made, "exporter"):
        from nbconvert import HTMLExporter
        from nbconvert.exporters import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        class ReportExporter(HTMLExporter):
            """nbconvert's HTML exporter without its last pass, which parses the whole page with
            BeautifulSoup to give images without alternative text a placeholder and to make the
            outputs of a ``.jp-Notebook`` focusable. Every image of a report has its alternative
            text (tested) and the report template has no ``.jp-Notebook``: the pass only wrote
            the page out again, for a tenth of the cost of a report's export."""

            def from_notebook_node(self, nb, resources=None, **kw):
                resources = self._init_resources(resources)
                self.register_filter("highlight_code", Highlight2HTML(parent=self))  # inputs are not shown
                self.register_filter(
                    "filter_data_type",
                    WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources),
                )
                return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

        _made.exporter = ReportExporter(
            extra_template_basedirs=[str(TEMPLATE_FOLDER)],
            template_name=TEMPLATE_NAME,
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            exclude_markdown=True,
        )
    return _made.exporter
