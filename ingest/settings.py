"""Settings owned by the ingestion layer."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")

OcrMode = Literal["auto", "off"]


class CorpusSettings(BaseModel):
    """Which files make up the corpus."""

    model_config = ConfigDict(extra="forbid")

    paths: list[Path] = Field(
        default_factory=lambda: [Path("examples/corpus")],
        description="Folders or files to ingest; relative paths are relative to the config file.",
    )
    include: list[str] = Field(
        default_factory=lambda: [f"*{suffix}" for suffix in SUPPORTED_SUFFIXES],
        description="Glob patterns (matched against file names) of files to ingest.",
    )
    exclude: list[str] = Field(
        default_factory=lambda: ["*.meta.yaml", ".*", "~$*"],
        description="Glob patterns of files to skip; sidecar metadata files are never documents.",
    )
    ocr: OcrMode = Field(
        "auto",
        description="auto: PDF pages without a text layer are read by Tesseract (Vietnamese and "
        "English); off: such pages are skipped and a wholly scanned PDF is reported as failed.",
    )


class ChunkingSettings(BaseModel):
    """How documents are cut into passages."""

    model_config = ConfigDict(extra="forbid")

    min_chars: int = Field(600, ge=50, description="Chunks grow to at least this many characters.")
    max_chars: int = Field(1200, ge=100, description="Chunks never exceed this many characters.")
    overlap_sentences: int = Field(
        1, ge=0, le=5, description="Sentences repeated from the previous chunk of a section."
    )

    @model_validator(mode="after")
    def _check_bounds(self) -> ChunkingSettings:
        if self.min_chars >= self.max_chars:
            raise ValueError("min_chars must be smaller than max_chars")
        return self
