"""Research conveniences of :class:`jurisdex.Index`: tables, crosstabs, plots and exports over
all matches. Mixed into Index; the counting and streaming happen in C++."""

from __future__ import annotations

__all__ = ["ResearchMixin"]


class ResearchMixin:
    """Methods that Index gains for research in notebooks (see issue 5)."""
