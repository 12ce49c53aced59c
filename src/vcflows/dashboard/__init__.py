"""``vcflows serve``: a live dashboard to explore cross-border AI VC flows in the browser.

Why Dash (over Streamlit, Panel or Shiny for Python): the dashboard is a multi-page analytic
app whose views share one selection, and Dash fits that shape. Its figures are plotly
figures, so the report's chart functions (:mod:`vcflows.presentation.charts`) are reused as they
are and a chart reads the same on screen and in print; ``dcc.Location`` puts the whole state
in the URL, so a view can be shared as a link; and its callbacks are plain Python functions
on a Flask server, testable server-side (HTTP POSTs to ``/_dash-update-component``) as well
as in a browser. Streamlit reruns the whole script on each interaction and has no URL-routed
pages with shared state of this kind; Panel and Shiny would need the figures re-plumbed.

Layout: :mod:`.state` (URL <-> validated selection, the one place parameters are checked),
:mod:`.data` (cached library calls on a read-only database), :mod:`.figures` (the report's
charts plus the dashboard's own), :mod:`.views` (one module per view), :mod:`.layout`,
:mod:`.callbacks` and :mod:`.app` (:func:`create_app`).
"""

from vcflows.dashboard.app import create_app, explorer_of
from vcflows.dashboard.data import Explorer
from vcflows.dashboard.state import Catalog, Selection, parse, to_search, to_url

__all__ = [
    "Catalog",
    "Explorer",
    "Selection",
    "create_app",
    "explorer_of",
    "parse",
    "to_search",
    "to_url",
]
