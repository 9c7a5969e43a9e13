"""Interactive lessons on "The Folly of Interlinking NATO and US Asian Alliances".

The package holds everything the notebooks in ``notebooks/`` call: access to the
article by paragraph ID (:mod:`lessons.sources.article`), the sourced data (:mod:`lessons.data`),
the lesson catalog (:mod:`lessons.sources.catalog`), the model of the authors' argument
(:mod:`lessons.model`), charts, widgets, and batch rendering.
"""

__version__ = "0.1.0"
