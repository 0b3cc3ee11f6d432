"""The ingest manifest: which file versions are indexed, under which document and chunk ids.

Written atomically after every committed batch, so a run killed at any point leaves a manifest
that describes a subset of what the store holds; the next run re-processes whatever the manifest
does not vouch for and deletes what nothing vouches for.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

FORMAT_VERSION = 1


@dataclass
class ManifestEntry:
    """One indexed document version."""

    doc_id: str
    source: str  # the path its chunks cite
    paths: list[str]  # every path currently holding this content (duplicates share one entry)
    chunk_ids: list[str]
    title: str = ""
    size: int = 0
    indexed_at: str = ""


@dataclass
class Manifest:
    """All indexed documents of one collection, and the pipeline signature they were built with."""

    signature: dict[str, Any] = field(default_factory=dict)
    entries: dict[str, ManifestEntry] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """Read the manifest at ``path``; a missing file is an empty manifest."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        if raw.get("format") != FORMAT_VERSION:
            return cls()
        entries = {doc_id: ManifestEntry(**entry) for doc_id, entry in raw["entries"].items()}
        return cls(signature=raw.get("signature", {}), entries=entries)

    def save(self, path: Path) -> None:
        """Write the manifest atomically (write a temporary file, then rename it)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "format": FORMAT_VERSION,
            "signature": self.signature,
            "entries": {doc_id: asdict(entry) for doc_id, entry in sorted(self.entries.items())},
        }
        handle, temporary = tempfile.mkstemp(prefix=".manifest-", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(payload, stream, ensure_ascii=False)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def expected_chunk_ids(self) -> set[str]:
        """Return every chunk id the manifest vouches for."""
        return {chunk_id for entry in self.entries.values() for chunk_id in entry.chunk_ids}

    def by_path(self) -> dict[str, str]:
        """Map every recorded path to its document id."""
        return {path: entry.doc_id for entry in self.entries.values() for path in entry.paths}
