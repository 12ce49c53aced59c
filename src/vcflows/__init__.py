"""vcflows: cross-border venture-capital flows into AI companies.

The public API is re-exported here; everything else is private to its module.
"""

from vcflows.errors import InputFileError, MappingError, OptionError, StoreError, VcflowsError
from vcflows.sources import FORMATS, FileAccount, SourceBatch, read_source
from vcflows.store import IngestResult, connect, info, ingest_batch

__version__ = "0.1.0"

__all__ = [
    "FORMATS",
    "FileAccount",
    "IngestResult",
    "InputFileError",
    "MappingError",
    "OptionError",
    "SourceBatch",
    "StoreError",
    "VcflowsError",
    "__version__",
    "connect",
    "info",
    "ingest_batch",
    "read_source",
]
