"""Incremental ingestion against a real Chroma in tmp_path (fake embedder: fast and countable)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.services import Services
from ingest.pipeline import IngestError
from tests.conftest import EXAMPLE_CORPUS, HashingEmbedder, make_settings
from vectorstore.lexical import DerivedIndexes
from vectorstore.store import StoreError


def services_for(data: Path, corpus: list[Path], embedder: Any, **sections: Any) -> Services:
    services = Services(make_settings(data, corpus, **sections))
    services.__dict__["embedder"] = embedder
    return services


@pytest.fixture
def corpus(tmp_path: Path, shared_corpus: Path) -> Path:
    """A writable copy of the reference corpus."""
    folder = tmp_path / "corpus"
    shutil.copytree(shared_corpus, folder)
    return folder


def assert_consistent(services: Services) -> None:
    """The store holds exactly the chunks the manifest vouches for, once each."""
    from ingest.manifest import Manifest

    manifest = Manifest.load(services.ingestor.manifest_path)
    expected = manifest.expected_chunk_ids()
    assert services.store.all_ids() == expected
    assert services.store.count() == len(expected)


def test_first_ingest_indexes_every_document(tmp_path: Path, corpus: Path) -> None:
    embedder = HashingEmbedder()
    services = services_for(tmp_path / "data", [corpus, EXAMPLE_CORPUS], embedder)
    summary = services.ingest()
    assert summary.ok, summary.format()
    assert summary.added == 9
    assert summary.chunks_embedded == services.store.count() > 20
    assert_consistent(services)
    documents = {Path(d.source).name: d for d in services.documents()}
    assert len(documents) == 9
    military = documents["001_5b8c9dc2988af090.txt"]
    assert military.title == "The Military improves the effectiveness of the mass mobilization work"
    assert military.date == "2018-10-14"
    assert "Ngo Thanh Hai" in (military.author or "")
    assert {"25-NQ/TW", "49-NQ/QUTW", "120-KL/TW", "590-CT/DUQSTW"} <= set(
        military.document_numbers
    )
    security = documents["000_bae2ce22076c3df2.txt"]
    assert {"25-NQ/TW", "06/2014/ND-CP"} <= set(security.document_numbers)
    conference = documents["003_dbb4f5a35c7f96d2.txt"]
    assert conference.url and conference.url.startswith("https://nhandan.vn/")
    assert "23-QD/TW" in conference.document_numbers


def test_indexed_text_keeps_header_and_drops_debris(tmp_path: Path, corpus: Path) -> None:
    services = services_for(tmp_path / "data", [corpus], HashingEmbedder())
    services.ingest()
    texts = [text for _, text, _ in services.store.records()]
    joined = "\n".join(texts)
    bodies = "\n".join(text.split("\n\n", 1)[1] for text in texts)
    assert "Comment (0)" not in joined
    assert "Source: https://" not in bodies  # the URL lives in the header, not the body
    assert not any(line.rstrip().endswith("|") for text in texts for line in text.splitlines())
    # The title and the byline travel with every chunk of the military article.
    military = [
        t
        for _, t, m in services.store.records()
        if m["source"].endswith("001_5b8c9dc2988af090.txt")
    ]
    assert military and all(t.startswith("The Military improves") for t in military)
    assert all("Date: 2018-10-14" in t.split("\n\n")[0] for t in military)
    # The lead paragraph of 004, published twice, is indexed once.
    lead = "Since its inception and establishment of its revolutionary leadership position"
    assert joined.count(lead) == 1


def test_rerun_on_unchanged_corpus_embeds_nothing(tmp_path: Path, corpus: Path) -> None:
    services = services_for(tmp_path / "data", [corpus], HashingEmbedder())
    services.ingest()
    again = HashingEmbedder()
    rerun = services_for(tmp_path / "data", [corpus], again)
    summary = rerun.ingest()
    assert (summary.added, summary.updated, summary.unchanged, summary.removed) == (0, 0, 5, 0)
    assert summary.chunks_embedded == 0 and again.embedded == 0
    assert_consistent(rerun)


def test_changed_file_has_exactly_its_chunks_replaced(tmp_path: Path, corpus: Path) -> None:
    services = services_for(tmp_path / "data", [corpus], HashingEmbedder())
    services.ingest()
    before = {cid: m["doc_id"] for cid, _, m in services.store.records()}
    target = corpus / "003_dbb4f5a35c7f96d2.txt"
    target.write_text(
        target.read_text(encoding="utf-8").replace(
            "Conference delegates take a group photo. |",
            "The delegates agreed to meet again in the second quarter of 2025 in Da Nang.",
        ),
        encoding="utf-8",
    )
    embedder = HashingEmbedder()
    summary = services_for(tmp_path / "data", [corpus], embedder).ingest()
    assert (summary.added, summary.updated, summary.unchanged) == (0, 1, 4)
    after = {cid: m["doc_id"] for cid, _, m in services.store.records()}
    changed_doc_ids = set(before.values()) - set(after.values())
    assert len(changed_doc_ids) == 1
    untouched = {cid for cid, doc in before.items() if doc not in changed_doc_ids}
    assert untouched <= set(after)
    assert 0 < embedder.embedded < len(after)
    assert any("Da Nang" in text for _, text, _ in services.store.records())
    assert_consistent(services)


def test_deleted_and_renamed_files(tmp_path: Path, corpus: Path) -> None:
    services = services_for(tmp_path / "data", [corpus], HashingEmbedder())
    services.ingest()
    (corpus / "000_bae2ce22076c3df2.txt").unlink()
    moved = corpus / "sub" / "renamed.txt"
    moved.parent.mkdir()
    (corpus / "002_fcf7149a0a3f8bbb.txt").rename(moved)
    embedder = HashingEmbedder()
    rerun = services_for(tmp_path / "data", [corpus], embedder)
    summary = rerun.ingest()
    assert (summary.removed, summary.renamed, summary.unchanged, summary.added) == (1, 1, 4, 0)
    assert embedder.embedded == 0
    sources = {Path(d.source).name for d in rerun.documents()}
    assert "000_bae2ce22076c3df2.txt" not in sources and "renamed.txt" in sources
    assert all(
        m["source"] == str(moved)
        for _, _, m in rerun.store.records()
        if "Truong Thi Mai" in str(m.get("author", ""))
    )
    assert_consistent(rerun)


def test_identical_files_are_indexed_once(tmp_path: Path, corpus: Path) -> None:
    shutil.copy(corpus / "003_dbb4f5a35c7f96d2.txt", corpus / "copy-of-003.txt")
    services = services_for(tmp_path / "data", [corpus], HashingEmbedder())
    summary = services.ingest()
    assert summary.added == 5
    assert len(services.documents()) == 5
    assert_consistent(services)


def test_bad_files_are_reported_and_the_rest_lands(tmp_path: Path, corpus: Path) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\n this is not really a pdf \x00\x01\x02")
    (corpus / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    services = services_for(tmp_path / "data", [corpus], HashingEmbedder())
    summary = services.ingest()
    assert summary.added == 5
    failed = {Path(path).name: reason for path, reason in summary.failed}
    assert set(failed) == {"empty.txt", "broken.pdf", "broken.docx"}
    assert all(reason and "\n" not in reason for reason in failed.values())
    assert "failed: " in summary.format() and not summary.ok
    assert_consistent(services)


def test_failed_update_keeps_the_previous_version(tmp_path: Path, corpus: Path) -> None:
    services = services_for(tmp_path / "data", [corpus], HashingEmbedder())
    services.ingest()
    count = services.store.count()
    (corpus / "003_dbb4f5a35c7f96d2.txt").write_bytes(b"")
    summary = services_for(tmp_path / "data", [corpus], HashingEmbedder()).ingest()
    assert len(summary.failed) == 1 and summary.removed == 0
    assert services.store.count() == count


class CrashingEmbedder(HashingEmbedder):
    """Fails on its n-th call, like a process killed in the middle of a run."""

    def __init__(self, fail_on_call: int) -> None:
        super().__init__()
        self.fail_on_call = fail_on_call

    def embed(self, texts: Any, *, query: bool = False, progress: Any = None) -> Any:
        if self.calls + 1 == self.fail_on_call:
            raise KeyboardInterrupt
        return super().embed(texts, query=query, progress=progress)


def test_interrupted_run_is_repaired_without_duplicates(tmp_path: Path, corpus: Path) -> None:
    for index in range(12):  # enough documents for several write batches
        shutil.copy(corpus / "002_fcf7149a0a3f8bbb.txt", corpus / f"extra-{index}.txt")
        with (corpus / f"extra-{index}.txt").open("a", encoding="utf-8") as stream:
            stream.write(f"\nCopy number {index} of the article, kept for the batch test.\n")
    crashing = services_for(tmp_path / "data", [corpus], CrashingEmbedder(fail_on_call=3))
    crashing.ingestor.batch_chunks = 16
    with pytest.raises(KeyboardInterrupt):
        crashing.ingest()
    partial = crashing.store.count()
    assert partial > 0
    embedder = HashingEmbedder()
    repaired = services_for(tmp_path / "data", [corpus], embedder)
    summary = repaired.ingest()
    assert summary.ok
    assert_consistent(repaired)
    assert embedder.embedded == repaired.store.count() - partial  # stored chunks are reused
    assert len(repaired.documents()) == 17


def test_orphans_left_by_a_lost_manifest_are_removed(tmp_path: Path, corpus: Path) -> None:
    services = services_for(tmp_path / "data", [corpus], HashingEmbedder())
    services.ingest()
    services.ingestor.manifest_path.unlink()
    (corpus / "004_456814b8bddf3dd3.txt").unlink()
    rerun = services_for(tmp_path / "data", [corpus], HashingEmbedder())
    summary = rerun.ingest()
    assert summary.ok and summary.chunks_deleted > 0
    assert len(rerun.documents()) == 4
    assert_consistent(rerun)


def test_chunking_change_redoes_everything(tmp_path: Path, corpus: Path) -> None:
    services_for(tmp_path / "data", [corpus], HashingEmbedder()).ingest()
    rerun = services_for(
        tmp_path / "data",
        [corpus],
        HashingEmbedder(),
        chunking={"min_chars": 300, "max_chars": 700},
    )
    summary = rerun.ingest()
    assert summary.updated == 5
    assert_consistent(rerun)


def test_sidecar_overrides_extracted_fields(tmp_path: Path, corpus: Path) -> None:
    (corpus / "003_dbb4f5a35c7f96d2.meta.yaml").write_text(
        "title: Coordination conference on mass mobilization 2024\n"
        "date: '2024-12-30'\nissuer: Central Mass Mobilization Commission\n",
        encoding="utf-8",
    )
    services = services_for(tmp_path / "data", [corpus], HashingEmbedder())
    services.ingest()
    conference = next(
        d for d in services.documents() if d.source.endswith("003_dbb4f5a35c7f96d2.txt")
    )
    assert conference.title == "Coordination conference on mass mobilization 2024"
    assert conference.date == "2024-12-30"
    assert conference.issuer == "Central Mass Mobilization Commission"


def test_ingesting_one_folder_keeps_the_others(tmp_path: Path, corpus: Path) -> None:
    services = services_for(tmp_path / "data", [corpus, EXAMPLE_CORPUS], HashingEmbedder())
    services.ingest()
    summary = services.ingest([corpus])
    assert summary.unchanged == 5 and summary.removed == 0
    assert len(services.documents()) == 9


def test_missing_corpus_path_is_a_clear_error(tmp_path: Path) -> None:
    services = services_for(tmp_path / "data", [tmp_path / "nowhere"], HashingEmbedder())
    with pytest.raises(IngestError, match="corpus path not found"):
        services.ingest()


def test_unwritable_store_path_is_a_clear_error(tmp_path: Path, corpus: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    services = services_for(blocker / "data", [corpus], HashingEmbedder())
    with pytest.raises(StoreError, match="not writable"):
        services.ingest()


def test_lexical_index_follows_the_store(tmp_path: Path, corpus: Path) -> None:
    services = services_for(tmp_path / "data", [corpus], HashingEmbedder())
    services.ingest()
    indexes = DerivedIndexes.load_or_build(services.store)
    assert len(indexes.lexical.chunk_ids) == services.store.count()
    assert indexes.lexical.document_frequency("590-ct/duqstw") >= 1
    # A write from elsewhere changes the revision: the persisted index is rebuilt, not trusted.
    services.store.delete(indexes.lexical.chunk_ids[:3])
    rebuilt = DerivedIndexes.load_or_build(services.store)
    assert rebuilt.revision != indexes.revision
    assert len(rebuilt.lexical.chunk_ids) == services.store.count()


@pytest.mark.slow
def test_a_killed_ingest_process_is_repaired(tmp_path: Path, corpus: Path) -> None:
    """SIGKILL a real `policybot ingest` after its first commit; the next run repairs the store."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from ingest.manifest import Manifest

    for index in range(2):
        text = (corpus / "004_456814b8bddf3dd3.txt").read_text(encoding="utf-8")
        (corpus / f"copy-{index}.txt").write_text(f"{text}\nCopy {index}.\n", encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(
        f"corpus:\n  paths: [{corpus}]\nstore:\n  path: data\n  collection: killed\n"
        "embedding:\n  batch_size: 4\n",
        encoding="utf-8",
    )
    env = {**os.environ, "POLICYBOT_CONFIG": str(config)}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "-q", "ingest"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    manifest_path: Path | None = None
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        found = list((tmp_path / "data" / "indexes").glob("*.manifest.json"))
        if found:
            manifest_path = found[0]
            break
        time.sleep(0.05)
    assert manifest_path is not None and process.poll() is None, "ingest ended before a commit"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    committed = len(Manifest.load(manifest_path).entries)
    assert 0 < committed < 7

    rerun = subprocess.run(
        [sys.executable, "-m", "bot.cli", "-q", "ingest"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert f"{7 - committed} added" in rerun.stdout
    settings = make_settings(tmp_path / "data", [corpus], store={"collection": "killed"})
    services = Services(settings)
    assert_consistent(services)
    assert len(services.documents()) == 7


def test_pdf_pages_and_docx_sections_reach_the_chunks(tmp_path: Path) -> None:
    """A PDF made here keeps its page numbers per chunk; DOCX headings become sections."""
    import docx
    from fpdf import FPDF

    folder = tmp_path / "docs"
    folder.mkdir()
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for page in range(1, 4):
        pdf.add_page()
        for line in range(6):
            pdf.multi_cell(
                0,
                6,
                f"Page {page} paragraph {line}: the commune mass mobilization team met voters "
                f"to explain policy number {page}{line} and recorded their opinions carefully.",
            )
            pdf.ln(2)
    pdf.output(str(folder / "report.pdf"))
    document = docx.Document()
    document.add_heading("Guidance on dialogue with citizens", level=0)
    document.add_heading("Regulation on grassroots dialogue", level=1)
    document.add_paragraph("Dialogue with citizens is held every quarter in each commune. " * 8)
    document.add_heading("Handling complaints", level=1)
    document.add_paragraph("Complaints are answered within fifteen days by the commune. " * 8)
    document.save(str(folder / "regulation.docx"))

    services = services_for(tmp_path / "data", [folder], HashingEmbedder())
    summary = services.ingest()
    assert summary.ok and summary.added == 2
    metadata = [m for _, _, m in services.store.records()]
    pages = {m["page"] for m in metadata if m["source"].endswith("report.pdf")}
    assert pages == {1, 2, 3}
    sections = {m.get("section") for m in metadata if m["source"].endswith("regulation.docx")}
    assert {"Regulation on grassroots dialogue", "Handling complaints"} <= sections
    titles = {m["title"] for m in metadata if m["source"].endswith("regulation.docx")}
    assert titles == {"Guidance on dialogue with citizens"}


def test_editing_one_of_two_copies_keeps_the_other(tmp_path: Path, corpus: Path) -> None:
    shutil.copy(corpus / "003_dbb4f5a35c7f96d2.txt", corpus / "copy.txt")
    services = services_for(tmp_path / "data", [corpus], HashingEmbedder())
    services.ingest()
    with (corpus / "copy.txt").open("a", encoding="utf-8") as stream:
        stream.write("\nA paragraph that only the copy has, about the 2025 coordination plan.\n")
    summary = services.ingest()
    assert (summary.added, summary.updated, summary.removed) == (1, 0, 0)
    sources = {Path(d.source).name for d in services.documents()}
    assert {"003_dbb4f5a35c7f96d2.txt", "copy.txt"} <= sources
    assert_consistent(services)


def test_a_new_file_at_a_renamed_files_old_path_keeps_both(tmp_path: Path, corpus: Path) -> None:
    services = services_for(tmp_path / "data", [corpus], HashingEmbedder())
    services.ingest()
    (corpus / "003_dbb4f5a35c7f96d2.txt").rename(corpus / "conference.txt")
    (corpus / "003_dbb4f5a35c7f96d2.txt").write_text(
        "A new note\nThe commune held a dialogue with farmers about the new irrigation canal.\n",
        encoding="utf-8",
    )
    summary = services.ingest()
    assert (summary.added, summary.renamed, summary.removed) == (1, 1, 0)
    assert len(services.documents()) == 6
    assert_consistent(services)


def test_a_copy_in_another_folder_survives_partial_ingests(tmp_path: Path, corpus: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(corpus / "003_dbb4f5a35c7f96d2.txt", other / "003-copy.txt")
    services = services_for(tmp_path / "data", [corpus, other], HashingEmbedder())
    services.ingest()
    services.ingest([corpus])
    (corpus / "003_dbb4f5a35c7f96d2.txt").unlink()
    summary = services.ingest([corpus])
    assert summary.removed == 0 and summary.renamed == 1
    conference = [d for d in services.documents() if d.source.endswith("003-copy.txt")]
    assert len(conference) == 1
    assert_consistent(services)


def test_a_settings_change_and_a_partial_ingest_keep_other_folders(
    tmp_path: Path, corpus: Path
) -> None:
    services_for(tmp_path / "data", [corpus, EXAMPLE_CORPUS], HashingEmbedder()).ingest()
    changed = services_for(
        tmp_path / "data",
        [corpus, EXAMPLE_CORPUS],
        HashingEmbedder(),
        chunking={"min_chars": 300, "max_chars": 700},
    )
    summary = changed.ingest([corpus])
    assert summary.updated == 5 and summary.removed == 0
    assert len(changed.documents()) == 9
    assert_consistent(changed)
