"""Executed report notebook -> HTML with our nbconvert template (outputs only, print CSS)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from salesaudit.errors import NotebookError
from salesaudit.report._style import report_css
from salesaudit.report.i18n import check_lang, t

#: folder holding the ``salesaudit`` nbconvert template (conf.json + index.html.j2)
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "salesaudit"


def exporter() -> Any:
    """An nbconvert ``HTMLExporter`` configured with the salesaudit template (no inputs, no prompts)."""
    from nbconvert import HTMLExporter

    exp = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
    )
    exp.exclude_input = True
    exp.exclude_input_prompt = True
    exp.exclude_output_prompt = True
    exp.exclude_raw = True
    exp.embed_images = True
    return exp


def notebook_to_html(notebook: Any, *, lang: str = "ru", client: str = "") -> str:
    """Convert an executed notebook (path or ``NotebookNode``) to one standalone HTML document.

    Only outputs appear (HTML fragments, SVG/PNG images, rendered Markdown); code, prompts,
    streams and plain-text reprs are dropped. The report CSS gives A4 pages, the running header
    with ``client`` and the ``page x of y`` footer in ``lang``.
    """
    check_lang(lang)
    import nbformat

    if isinstance(notebook, (str, Path)):
        path = Path(notebook)
        try:
            node = nbformat.read(str(path), as_version=4)
        except FileNotFoundError as exc:
            raise NotebookError("notebook not found", file=path) from exc
        except Exception as exc:  # nbformat raises several kinds for bad JSON
            raise NotebookError(
                f"cannot read the notebook: {exc}", file=path, hint="is it a valid .ipynb file?"
            ) from exc
    else:
        node = notebook
    resources = {
        "salesaudit_css": report_css(lang, client),
        "salesaudit_lang": lang,
        "salesaudit_title": f"{t('report_title', lang)} — {client}"
        if client
        else t("report_title", lang),
    }
    try:
        body, _ = exporter().from_notebook_node(node, resources=resources)
    except Exception as exc:
        raise NotebookError(
            f"cannot convert the notebook to HTML: {exc}",
            hint="check that the notebook was executed without errors",
        ) from exc
    return body
