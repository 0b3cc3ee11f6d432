"""The command line: configuration errors, bad questions, stubs that fail loudly, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[1]


def write_config(folder: Path, text: str) -> Path:
    path = folder / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_key_fails_with_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, "store:\n  modee: http\n")
    assert main(["--config", str(config), "sources"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["policybot: config error: store.modee: unknown key"]


def test_bad_value_and_unknown_section(tmp_path: Path) -> None:
    config = write_config(tmp_path, "store:\n  mode: ftp\nretrievel: {}\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    lines = str(caught.value).splitlines()
    assert any(line.startswith("store.mode: ") for line in lines)
    assert "retrievel: unknown key" in lines


def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = write_config(tmp_path, "store:\n  path: here\ntelegram:\n  allowed_user_ids: [1]\n")
    monkeypatch.setenv("POLICYBOT_TELEGRAM__ALLOWED_USER_IDS", "[123, 456]")
    monkeypatch.setenv("POLICYBOT_STORE__MODE", "http")
    monkeypatch.setenv("POLICYBOT_CONFIG", str(config))
    settings = load_settings()
    assert settings.telegram.allowed_user_ids == [123, 456]
    assert settings.store.mode == "http"
    assert settings.store.path == tmp_path / "here"  # relative to the config file's folder


def test_unknown_environment_key_is_rejected(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("POLICYBOT_STORE__PORTT", "1")
    with pytest.raises(ConfigError, match=r"store\.portt: unknown key"):
        load_settings(write_config(tmp_path, "{}\n"))


def test_missing_config_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["--config", str(tmp_path / "nope.yaml"), "sources"]) == 2
    assert "file not found" in capsys.readouterr().err


def test_repository_config_is_valid() -> None:
    settings = load_settings(ROOT / "config.yaml")
    assert settings.corpus.paths == [ROOT / "examples" / "corpus"]
    assert settings.store.path == ROOT / "data"


@pytest.mark.parametrize("question", ["", "   ", "🙂🙏", "x" * 4001])
def test_ask_rejects_unaskable_questions(
    question: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, "store:\n  path: data\n")
    assert main(["--config", str(config), "ask", question]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("policybot: ") and "\n" not in err


def test_missing_corpus_path_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, "store:\n  path: data\n")
    status = main(["--config", str(config), "-q", "ingest", str(tmp_path / "missing")])
    err = capsys.readouterr().err.strip()
    assert status == 1
    assert err.startswith("policybot: error: corpus path not found") and "\n" not in err


def test_serve_without_token_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    config = write_config(tmp_path, "store:\n  path: data\ntelegram:\n  open_to_all: true\n")
    assert main(["--config", str(config), "serve"]) == 2
    err = capsys.readouterr().err.strip()
    assert "TELEGRAM_BOT_TOKEN" in err and "\n" not in err


@pytest.mark.slow
def test_ingest_then_sources_and_ask_in_a_fresh_process(
    tmp_path: Path, shared_corpus: Path
) -> None:
    """The README flow, run as a user would: separate processes, real model, real store."""
    config = write_config(
        tmp_path,
        f"corpus:\n  paths: [{shared_corpus}, {ROOT / 'examples' / 'corpus'}]\n"
        "store:\n  path: data\n",
    )
    env = {**os.environ, "POLICYBOT_CONFIG": str(config)}

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            input=stdin,
            timeout=600,
            check=False,
        )

    ingested = run("-q", "ingest")
    assert ingested.returncode == 0, ingested.stderr
    assert "9 added" in ingested.stdout

    listed = run("sources", "--json")
    documents = json.loads(listed.stdout)
    assert len(documents) == 9
    assert {
        "doc_id",
        "source",
        "title",
        "date",
        "url",
        "author",
        "document_numbers",
        "chunk_count",
        "effective_date",
        "status",
        "replaces",
        "replaced_by",
        "amends",
        "amended_by",
    } <= set(documents[0])

    asked = run("ask", "--json", "When was Resolution No.25-NQ/TW issued?")
    answer = json.loads(asked.stdout)
    assert set(answer) == {
        "question",
        "answer",
        "refused",
        "language",
        "citations",
        "retrieved",
        "timings_ms",
        "answerer",
        "dropped_sentences",
        "fallback",
    }
    assert (answer["answerer"], answer["dropped_sentences"], answer["fallback"]) == (
        "extractive", 0, None
    )
    assert not answer["refused"] and "2013" in answer["answer"]
    for citation in answer["citations"]:
        assert set(citation) == {
            "n",
            "chunk_id",
            "doc_id",
            "source",
            "title",
            "page",
            "quote",
            "score",
            "status",
            "ocr",
            "section",
        }
        chunk = next(r for r in answer["retrieved"] if r["chunk_id"] == citation["chunk_id"])
        assert citation["quote"] in chunk["text"]

    batch = run(
        "ask",
        "--jsonl",
        stdin="Who wrote about the Military's mass mobilization?\n\n"
        "🙂\nWhat does Resolution 99-NQ/TW say?\n",
    )
    lines = [json.loads(line) for line in batch.stdout.splitlines()]
    assert batch.returncode == 0 and len(lines) == 4
    assert [line["refused"] for line in lines] == [False, True, True, True]
    assert "99-NQ/TW" in lines[3]["answer"]
