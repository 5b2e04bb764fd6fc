"""jurisdex: full-text and faceted search over case law and legislation on migrant smuggling
and trafficking in persons. A C++ core on Xapian and ICU; this package is a thin, typed layer.

>>> import jurisdex
>>> jurisdex.fold("ÊTRES Humains")
'etres humains'
"""

from ._core import __version__, fold
from .errors import IndexLockedError, IndexNotFoundError, JurisdexError, QueryError, RecordError, RecordWarning
from .index import FACETS, Index, all_of, validate
from .results import Hit, IngestReport, Rejection, Results
from .suggest import Audit, Evidence, Finding, Suggestion, Suggestions, suggest
from .vocabulary import default_vocabulary_path, language_name, place_name, region_of

__all__ = [
    "__version__",
    "Index",
    "Results",
    "Hit",
    "IngestReport",
    "Rejection",
    "FACETS",
    "all_of",
    "validate",
    "suggest",
    "Suggestions",
    "Suggestion",
    "Evidence",
    "Audit",
    "Finding",
    "fold",
    "place_name",
    "language_name",
    "region_of",
    "default_vocabulary_path",
    "JurisdexError",
    "RecordError",
    "RecordWarning",
    "QueryError",
    "IndexLockedError",
    "IndexNotFoundError",
]
