"""Optical character recognition of PDF pages that have no text layer (scanned documents).

Pages are rendered with PDFium (the ``pypdfium2`` wheel) to grey-scale bitmaps and read by the
Tesseract command-line program with its Vietnamese and English models, one page at a time. The
program is called directly rather than through a wrapper so that its absence, its language data
and its run time are checked and bounded here.
"""

from __future__ import annotations

import functools
import logging
import math
import os
import shutil
import subprocess
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pypdfium2 import PdfPage

logger = logging.getLogger(__name__)

LANGUAGES = ("vie", "eng")
INSTALL_HINT = "install the Debian packages tesseract-ocr and tesseract-ocr-vie"
DPI = 300  # Tesseract's accuracy drops below about 300 dpi for body text
MAX_PIXELS = 40_000_000  # a huge page is rendered at a lower resolution rather than exhaust memory
PAGE_TIMEOUT_S = 180.0
_PACKAGES = {"vie": "tesseract-ocr-vie", "eng": "tesseract-ocr-eng"}


class OcrError(Exception):
    """Recognition could not run; the message is the one-line reason."""


def tesseract_problem() -> str | None:
    """Return why OCR cannot run here (Tesseract or its language data missing), or None."""
    binary = shutil.which("tesseract")
    if binary is None:
        return f"Tesseract is not installed ({INSTALL_HINT})"
    available = _languages(binary, os.environ.get("TESSDATA_PREFIX"))
    missing = [language for language in LANGUAGES if language not in available]
    if missing:
        packages = " and ".join(_PACKAGES[language] for language in missing)
        return f"Tesseract has no {'+'.join(missing)} language data (install {packages})"
    return None


@functools.cache
def _languages(binary: str, tessdata: str | None) -> frozenset[str]:
    """Return the language models ``binary`` finds (cached per binary and data folder)."""
    del tessdata  # part of the cache key only: Tesseract reads it from the environment
    try:
        listing = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        logger.warning("tesseract --list-langs failed: %s", error)
        return frozenset()
    # The first line is a heading ("List of available languages in ..."), then one per line.
    return frozenset(line.strip() for line in listing.stdout.splitlines()[1:] if line.strip())


def recognise_pages(data: bytes, page_indexes: Sequence[int]) -> dict[int, str]:
    """Return the text Tesseract reads on each page (0-based index) of the PDF ``data``.

    Raises OcrError when Tesseract is unavailable or fails on a page.
    """
    problem = tesseract_problem()
    if problem is not None:
        raise OcrError(problem)
    binary = shutil.which("tesseract")
    assert binary is not None
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise OcrError(f"PDFium cannot open the file for OCR: {error}") from error
    texts: dict[int, str] = {}
    try:
        for index in page_indexes:
            page = document[index]
            try:
                image, dpi = _render(page)
            finally:
                page.close()
            texts[index] = _tesseract(binary, image, dpi, index)
    finally:
        document.close()
    return texts


def _render(page: PdfPage) -> tuple[bytes, int]:
    """Render ``page`` to a binary PGM image; return it and its resolution in dpi."""
    width_pt, height_pt = page.get_size()
    scale = DPI / 72
    pixels = width_pt * height_pt * scale * scale
    if pixels > MAX_PIXELS:
        scale *= math.sqrt(MAX_PIXELS / pixels)
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        width, height, stride = bitmap.width, bitmap.height, bitmap.stride
        buffer = bytes(bitmap.buffer)
    finally:
        bitmap.close()
    # PDFium pads each row to its stride; PGM rows are exactly ``width`` bytes.
    rows = b"".join(buffer[row * stride : row * stride + width] for row in range(height))
    return f"P5\n{width} {height}\n255\n".encode() + rows, round(scale * 72)


def _tesseract(binary: str, image: bytes, dpi: int, index: int) -> str:
    # One thread per process: Tesseract's OpenMP threads slow it down on a shared machine.
    environment = dict(os.environ, OMP_THREAD_LIMIT="1")
    command = [binary, "-", "-", "-l", "+".join(LANGUAGES), "--dpi", str(dpi), "--psm", "3"]
    try:
        result = subprocess.run(
            command, input=image, capture_output=True, timeout=PAGE_TIMEOUT_S,
            env=environment, check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise OcrError(f"Tesseract took over {PAGE_TIMEOUT_S:.0f} s on page {index + 1}") from error
    except OSError as error:
        raise OcrError(f"Tesseract could not run: {error.strerror or error}") from error
    if result.returncode != 0:
        reason = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(
            f"Tesseract failed on page {index + 1}: {reason[-1] if reason else result.returncode}"
        )
    return result.stdout.decode("utf-8", "replace")
