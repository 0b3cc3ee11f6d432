"""The ``policybot`` command line."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import AppSettings, ConfigError, load_settings

if TYPE_CHECKING:
    from bot.answering.types import Answerer

logger = logging.getLogger("policybot")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A command cannot do its job; the message is printed as one line."""


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="policybot",
        description="Answers questions about mass mobilization policy from indexed documents, "
        "with verified citations.",
    )
    parser.add_argument(
        "--config", type=Path, default=None,
        help="configuration file (default: $POLICYBOT_CONFIG, else ./config.yaml)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print only results and errors")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debugging details")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = commands.add_parser("ingest", help="index documents (incremental)")
    ingest.add_argument(
        "paths", nargs="*", type=Path,
        help="files or folders (default: corpus.paths and telegram.upload_dir)",
    )

    sources = commands.add_parser("sources", help="list the indexed documents")
    sources.add_argument("--json", action="store_true", help="print a JSON array")

    ask = commands.add_parser("ask", help="answer a question from the indexed documents")
    ask.add_argument("question", nargs="?", help="the question (omit with --jsonl)")
    mode = ask.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="print one JSON object")
    mode.add_argument(
        "--jsonl", action="store_true",
        help="read one question per line from standard input, print one JSON object per line",
    )

    evaluate = commands.add_parser("eval", help="score answers against a question set")
    evaluate.add_argument("file", type=Path, help="questions in JSONL (see tests/eval/README.md)")
    evaluate.add_argument("--json", action="store_true", help="print the full report as JSON")
    evaluate.add_argument(
        "--baseline", action="store_true",
        help="also measure the stock LangChain recipe's retrieval on the same questions",
    )
    evaluate.add_argument(
        "--curve", metavar="SETTING=V1,V2,...",
        help="also score the answers at each value of one answer threshold, e.g. "
        "answer.min_coverage=0.3,0.45,0.6: refusals against accuracy, to choose a trade-off",
    )
    evaluate.add_argument(
        "--check", action="append", default=[], metavar="METRIC>=VALUE",
        help="fail (exit 1) when a metric is below/above a threshold, e.g. hit@5>=0.95",
    )

    commands.add_parser("serve", help="run the Telegram bot (token from TELEGRAM_BOT_TOKEN)")

    feedback = commands.add_parser("feedback", help="work with feedback recorded by the bot")
    feedback_commands = feedback.add_subparsers(dest="feedback_command", required=True)
    export = feedback_commands.add_parser("export", help="write feedback as eval JSONL")
    export.add_argument("--only", choices=["down", "up"], help="only this vote")
    export.add_argument("-o", "--output", type=Path, help="output file (default: stdout)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        for line in str(exc).splitlines():
            print(f"policybot: config error: {line}", file=sys.stderr)
        return EXIT_USAGE
    configure_logging(settings, quiet=args.quiet, verbose=args.verbose)
    handler = COMMANDS[args.command]
    try:
        return handler(settings, args)
    except ConfigError as exc:
        for line in str(exc).splitlines():
            print(f"policybot: config error: {line}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("policybot: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        known = _known_error(exc)
        if known is None:
            raise
        print(f"policybot: error: {known}", file=sys.stderr)
        return EXIT_FAILED


def _known_error(exc: Exception) -> str | None:
    """Return the one-line message of an expected failure, or None for a bug."""
    from ingest.pipeline import IngestError
    from vectorstore.embeddings import EmbeddingError
    from vectorstore.store import StoreError

    if isinstance(exc, CommandError | IngestError | StoreError | EmbeddingError):
        return str(exc)
    return None


def configure_logging(settings: AppSettings, *, quiet: bool, verbose: bool) -> None:
    """Send log records to standard error at the configured level."""
    level = (
        logging.DEBUG if verbose
        else logging.WARNING if quiet
        else logging.getLevelNamesMapping()[settings.logging.level]
    )
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    for noisy in ("httpx", "httpcore", "chromadb", "sentence_transformers", "urllib3", "bm25s"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


# --- commands -------------------------------------------------------------------------------


def cmd_ingest(settings: AppSettings, args: argparse.Namespace) -> int:
    """Index the given paths (or the configured corpus) incrementally."""
    from tqdm import tqdm

    from bot.services import Services

    services = Services(settings)
    bar: Any = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if args.quiet:
            return
        if bar is None:
            bar = tqdm(total=total, unit="chunk", desc="embedding", file=sys.stderr, delay=0.5)
        bar.total = total
        bar.update(done - bar.n)

    try:
        summary = services.ingest(args.paths or None, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    print(summary.format())
    return EXIT_OK if summary.ok else EXIT_FAILED


def cmd_sources(settings: AppSettings, args: argparse.Namespace) -> int:
    """List the indexed documents."""
    from bot.answering.validity import status_lines
    from bot.services import Services
    from vectorstore.validity import compute_statuses

    documents = Services(settings).documents()
    statuses = compute_statuses(documents, settings.answer.as_of)
    if args.json:
        listing = [
            {**_public(asdict(d)), **statuses[d.doc_id].to_dict()} for d in documents
        ]
        print(json.dumps(listing, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not documents:
        print("no documents indexed yet: run `policybot ingest`")
        return EXIT_OK
    for document in documents:
        details = ", ".join(
            part for part in (
                document.date,
                document.author and f"by {document.author}",
                f"{document.chunk_count} chunks",
            ) if part
        )
        print(f"{document.title} ({details})")
        print(f"    {document.source}")
        if document.url:
            print(f"    {document.url}")
        if document.document_numbers:
            print(f"    mentions: {', '.join(document.document_numbers)}")
        for line in status_lines(statuses[document.doc_id], document, "en"):
            print(f"    {line}")
    return EXIT_OK


def _public(entry: dict[str, Any]) -> dict[str, Any]:
    """Drop the catalogue's raw validity facts; the derived status fields replace them."""
    for key in ("clauses", "declared_status"):
        entry.pop(key, None)
    return entry


def cmd_ask(settings: AppSettings, args: argparse.Namespace) -> int:
    """Answer one question, or one question per line of standard input with --jsonl."""
    from bot.answering import build_answerer

    if args.jsonl:
        if args.question:
            raise CommandError("give the question as an argument or with --jsonl, not both")
        answerer = build_answerer(settings)
        for line in sys.stdin:
            answer = answerer.answer(line.rstrip("\r\n"))
            print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
        return EXIT_OK
    question = (args.question or "").strip()
    problem = question_problem(question, settings.answer.max_question_chars)
    if problem:
        print(f"policybot: {problem}", file=sys.stderr)
        return EXIT_USAGE
    answer = build_answerer(settings).answer(question)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        from bot.terminal import render_answer

        print(render_answer(answer))
    return EXIT_OK


def question_problem(question: str, limit: int) -> str | None:
    """Return why ``question`` cannot be asked at all (empty, no words, too long), or None."""
    if not question:
        return 'the question is empty: try policybot ask "When was Resolution 25-NQ/TW issued?"'
    if not any(ch.isalnum() for ch in question):
        return "the question has no words or numbers in it"
    if len(question) > limit:
        return f"the question is {len(question)} characters long; the limit is {limit}"
    return None


def cmd_eval(settings: AppSettings, args: argparse.Namespace) -> int:
    """Score the answerer (and optionally the stock baseline) against a question file."""
    import tempfile

    from bot.answering import build_answerer
    from bot.evaluation import (
        BaselineRetriever,
        EvalError,
        evaluate,
        format_curve,
        load_questions,
        parse_curve,
        threshold_curve,
    )
    from bot.services import Services

    try:
        questions = load_questions(args.file)
        setting, values = parse_curve(args.curve) if args.curve else ("", [])
        services = Services(settings)
        answerer = build_answerer(settings, services)
        with tempfile.TemporaryDirectory(prefix="policybot-baseline-") as work:
            baseline = (
                BaselineRetriever.build(
                    settings.corpus.paths, settings.corpus, services.embedder, Path(work)
                )
                if args.baseline
                else None
            )
            report = evaluate(answerer, questions, baseline=baseline)

        def answerer_at(value: float) -> Answerer:
            answer = settings.answer.model_copy(update={setting: value})
            return build_answerer(settings.model_copy(update={"answer": answer}), services)

        curve = threshold_curve(((value, answerer_at(value)) for value in values), questions)
        violations = report.check(args.check)
    except EvalError as exc:
        raise CommandError(str(exc)) from exc
    if args.json:
        print(json.dumps(report.to_dict() | ({"curve": {setting: curve}} if values else {}),
                         ensure_ascii=False, indent=2))
    else:
        print(report.format())
        if values:
            print("\n" + format_curve(setting, curve))
    for violation in violations:
        print(f"policybot: threshold not met: {violation}", file=sys.stderr)
    return EXIT_FAILED if violations else EXIT_OK


def cmd_serve(settings: AppSettings, args: argparse.Namespace) -> int:
    """Run the Telegram bot until interrupted; the model and indexes load before polling."""
    from telegram.error import InvalidToken

    from bot.answering import build_answerer
    from bot.services import Services
    from bot.telegram.app import read_token, run
    from bot.uploads import UploadFolder

    token = read_token()
    services = Services(settings)
    answerer = build_answerer(settings, services)
    catalog = services.documents()
    from vectorstore.embeddings import similarity_range

    # The first question must not load the model nor measure its similarity scale.
    similarity_range(services.embedder)
    logger.info("loaded %d indexed documents; starting the bot", len(catalog))
    try:
        run(settings, answerer, services, token, UploadFolder(services))
    except InvalidToken:
        # python-telegram-bot puts the token itself in this exception's message.
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN: rejected by the Bot API (revoked or mistyped?)"
        ) from None
    return EXIT_OK


def cmd_feedback(settings: AppSettings, args: argparse.Namespace) -> int:
    """Export recorded feedback as JSONL in the format `policybot eval` reads."""
    from bot.records import Records

    path = settings.store.path / "records.sqlite3"
    if not path.exists():
        raise CommandError(f"no feedback recorded yet ({path} does not exist)")
    records = Records(path)
    lines = [json.dumps(item, ensure_ascii=False) for item in records.export_feedback(
        only_down=args.only == "down"
    ) if args.only != "up" or item.get("vote") == "up"]
    text = "".join(f"{line}\n" for line in lines)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {len(lines)} cases to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


COMMANDS = {
    "ingest": cmd_ingest,
    "sources": cmd_sources,
    "ask": cmd_ask,
    "eval": cmd_eval,
    "serve": cmd_serve,
    "feedback": cmd_feedback,
}


if __name__ == "__main__":
    sys.exit(main())
