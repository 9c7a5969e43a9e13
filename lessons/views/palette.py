"""The colours of :mod:`lessons.views.style`, under the module name lessons.live imports.

The palette is defined once, in :mod:`lessons.views.style`; this module only re-exports it
for :mod:`lessons.live` until that layer imports :mod:`lessons.views.style` itself.
"""

from __future__ import annotations

from lessons.views.style import (
    BLOC_SYMBOLS,
    BLOCS,
    FRIENDLY,
    HIGHLIGHT,
    HOSTILE,
    NEUTRAL,
    OKABE_ITO,
)

__all__ = ["BLOCS", "BLOC_SYMBOLS", "FRIENDLY", "HIGHLIGHT", "HOSTILE", "NEUTRAL", "OKABE_ITO"]
