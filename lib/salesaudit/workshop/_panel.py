"""What every dashboard panel shares: the state it shows, its root widget, a status line."""

from __future__ import annotations

import ipywidgets as w

from salesaudit.workshop._html import esc
from salesaudit.workshop._text import t, why_text
from salesaudit.workshop.state import WorkshopState


class Panel:
    """Base of the panels: ``widget`` is the root to display; ``refresh()`` redraws the figures.

    Subclasses build their controls in ``__init__`` and observe them; an observer only filters
    precomputed tables or does arithmetic, so an update stays far below 200 ms.
    """

    #: label key of the panel's tab
    title_key = ""
    #: DOM class of the panel's root (stable, for the browser test)
    css_class = ""

    def __init__(self, state: WorkshopState) -> None:
        self._state = state
        self.widget: w.Widget = w.VBox()
        if self.css_class:
            self.widget.add_class(self.css_class)

    @property
    def state(self) -> WorkshopState:
        """The state the panel currently shows."""
        return self._state

    @property
    def lang(self) -> str:
        return self._state.lang

    def title(self) -> str:
        """The tab title in the state's language."""
        return t(self.title_key, self.lang)

    def refresh(self) -> None:  # pragma: no cover - every panel overrides it
        """Redraw the panel's figures from the current control values."""
        raise NotImplementedError

    def _insufficient(self, analysis: str) -> str:
        """An HTML note saying why an analysis has nothing to show."""
        res = self._state.analysis(analysis)
        why = why_text(res.message if res is not None else "", self.lang)
        return f'<p class="sa-note">{esc(t("insufficient", self.lang))}: {esc(why)}</p>'


#: the picker value meaning "the whole team" / "all periods" (a Dropdown shows None as blank)
ALL = ""


def dropdown(options: list[tuple[str, object]], value: object, label: str, css: str) -> w.Dropdown:
    """A labelled dropdown with a stable DOM class; use :data:`ALL` rather than None as a value."""
    dd = w.Dropdown(
        options=options,
        value=value,
        description=label,
        style={"description_width": "initial"},
        layout=w.Layout(width="auto", flex="0 0 auto"),
    )
    dd.add_class(css)
    return dd
