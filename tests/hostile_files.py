"""Files made to hurt a document loader, shared by the loader and the Telegram upload tests."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx

from ingest.loaders import MAX_DOCX_UNPACKED


def write_zip_bomb(path: Path) -> Path:
    """A real DOCX plus one member of zeros that unpacks past the loader's limit (~260 KB)."""
    document = docx.Document()
    document.add_paragraph("A decree that is not what it seems.")
    document.save(str(path))
    zeros = bytes(2**20)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive, archive.open(
        "word/media/padding.bin", "w", force_zip64=True
    ) as member:
        for _ in range(MAX_DOCX_UNPACKED // 2**20 + 1):
            member.write(zeros)
    return path
