"""The status of every indexed document as of a date, derived from the catalogue.

Nothing here is stored: statuses follow from what each document states (its effective date,
expiry and relations, see ``ingest.validity``) resolved against what is indexed now, so the order
in which documents were ingested never matters, and removing a replacing document gives the old
one back its status. A relation counts from the acting document's effective date; a document that
is named as the replacement but is not indexed still marks the old text replaced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from vectorstore.model import DocumentInfo, ValidityClause

IN_FORCE = "in_force"
NOT_YET = "not_yet_in_force"
AMENDED = "amended"
REPLACED = "replaced"
REPEALED = "repealed"
EXPIRED = "expired"
SUPERSEDED = frozenset({REPLACED, REPEALED, EXPIRED})  # the text no longer states the rule


@dataclass(frozen=True)
class Link:
    """Another document acting on this one (or acted on), with the clause that says so."""

    number: str | None  # canonical number; None for a sidecar entry about an unnumbered text
    doc_id: str | None  # None when that document is not in the library
    title: str | None = None
    effective_date: str | None = None  # when the acting document takes effect, if known
    articles: tuple[str, ...] = ()
    clause: ValidityClause | None = None
    pending: bool = False  # the acting document is not in force yet on the date asked


@dataclass(frozen=True)
class DocumentStatus:
    """One document's status as of ``as_of``, and the documents behind it."""

    doc_id: str
    number: str | None
    status: str | None  # one of the constants above; None when nothing is known
    as_of: date
    effective_date: str | None = None
    expires: str | None = None
    replaces: tuple[Link, ...] = ()
    replaced_by: tuple[Link, ...] = ()
    amends: tuple[Link, ...] = ()
    amended_by: tuple[Link, ...] = ()
    repeals: tuple[Link, ...] = ()
    repealed_by: tuple[Link, ...] = ()
    guides: tuple[Link, ...] = ()
    effective_clause: ValidityClause | None = None
    expires_clause: ValidityClause | None = None

    def to_dict(self) -> dict[str, object]:
        """Return the status fields of `policybot sources --json`."""
        return {
            "number": self.number,
            "effective_date": self.effective_date,
            "expires": self.expires,
            "status": self.status,
            "replaces": numbers(self.replaces),
            "replaced_by": numbers(self.replaced_by),
            "amends": numbers(self.amends),
            "amended_by": numbers(self.amended_by),
            "repeals": numbers(self.repeals),
            "repealed_by": numbers(self.repealed_by),
        }

    def amended_articles(self) -> tuple[str, ...]:
        """Return the articles changed by amending documents in force, in order of mention."""
        found = [a for link in self.amended_by if not link.pending for a in link.articles]
        return tuple(dict.fromkeys(found))


@dataclass
class _Acc:
    replaces: list[Link] = field(default_factory=list)
    replaced_by: list[Link] = field(default_factory=list)
    amends: list[Link] = field(default_factory=list)
    amended_by: list[Link] = field(default_factory=list)
    repeals: list[Link] = field(default_factory=list)
    repealed_by: list[Link] = field(default_factory=list)
    guides: list[Link] = field(default_factory=list)


def reached(iso: str | None, as_of: date) -> bool:
    """Whether the (possibly partial) ISO date ``iso`` is on or before ``as_of``."""
    return iso is not None and as_of.isoformat()[: len(iso)] >= iso


def passed(iso: str | None, as_of: date) -> bool:
    """Whether the last day ``iso`` (possibly partial: a month, a year) is before ``as_of``."""
    return iso is not None and as_of.isoformat()[: len(iso)] > iso


def compute_statuses(
    catalog: Sequence[DocumentInfo], as_of: date | None = None
) -> dict[str, DocumentStatus]:
    """Return every document's status as of ``as_of`` (default: today), by doc_id."""
    as_of = as_of or date.today()
    by_number: dict[str, DocumentInfo] = {}
    for info in catalog:
        if info.number:
            by_number.setdefault(info.number, info)
    acc = {info.doc_id: _Acc() for info in catalog}

    def indexed(number: str | None) -> DocumentInfo | None:
        return by_number.get(number) if number else None

    for info in catalog:
        for clause in info.clauses:
            if clause.kind not in ("replaces", "amends", "repeals", "guides"):
                continue
            actor_number = clause.by or info.number
            actor = info if clause.by is None else indexed(clause.by)
            target = info if clause.target is None else indexed(clause.target)
            if clause.target is None and clause.by is None:
                continue  # nothing acts on nothing
            actor_date = actor.effective_date if actor is not None else None
            pending = actor is not None and _declares_not_in_force(actor, as_of)
            backward = Link(
                actor_number, actor.doc_id if actor else None, actor.title if actor else None,
                actor_date, clause.articles, clause, pending,
            )
            forward = Link(
                clause.target, target.doc_id if target else None,
                target.title if target else None,
                target.effective_date if target else None, clause.articles, clause, pending,
            )
            if target is not None and target is not actor:
                getattr(acc[target.doc_id], _BACKWARD[clause.kind]).append(backward)
            if actor is not None and target is not actor:
                getattr(acc[actor.doc_id], clause.kind).append(forward)

    result = {}
    for info in catalog:
        links = acc[info.doc_id]
        effective_clause = next((c for c in info.clauses if c.kind == "effective"), None)
        expires_clause = next((c for c in info.clauses if c.kind == "expires"), None)
        result[info.doc_id] = DocumentStatus(
            doc_id=info.doc_id,
            number=info.number,
            status=_status(info, links, as_of),
            as_of=as_of,
            effective_date=info.effective_date,
            expires=info.expires,
            replaces=_unique(links.replaces),
            replaced_by=_unique(links.replaced_by),
            amends=_unique(links.amends),
            amended_by=_unique(links.amended_by),
            repeals=_unique(links.repeals),
            repealed_by=_unique(links.repealed_by),
            guides=_unique(links.guides),
            effective_clause=effective_clause,
            expires_clause=expires_clause,
        )
    return result


_BACKWARD = {
    "replaces": "replaced_by", "amends": "amended_by", "repeals": "repealed_by",
    "guides": "guides",
}  # fmt: skip


def _declares_not_in_force(info: DocumentInfo, as_of: date) -> bool:
    return info.declared_status == NOT_YET or (
        info.effective_date is not None and not reached(info.effective_date, as_of)
    )


def _status(info: DocumentInfo, links: _Acc, as_of: date) -> str | None:
    if info.declared_status:
        return info.declared_status
    if info.effective_date and not reached(info.effective_date, as_of):
        return NOT_YET
    # A repeal of named articles only changes those articles: the text stays, amended.
    if any(not link.pending and not link.articles for link in links.repealed_by):
        return REPEALED
    if any(not link.pending for link in links.replaced_by):
        return REPLACED
    if passed(info.expires, as_of):
        return EXPIRED
    if any(not link.pending for link in [*links.amended_by, *links.repealed_by]):
        return AMENDED
    if info.effective_date or info.expires or links.replaces or links.amends or links.repeals:
        return IN_FORCE
    return None


def _unique(links: list[Link]) -> tuple[Link, ...]:
    """Merge links to the same document: articles united, the first clause with a quote kept."""
    merged: dict[tuple[str | None, str | None], Link] = {}
    for link in links:
        key = (link.doc_id, link.number)
        known = merged.get(key)
        if known is None:
            merged[key] = link
            continue
        articles = tuple(dict.fromkeys((*known.articles, *link.articles)))
        # The fullest clause naming articles is the best quote: "Điều 6 ... được sửa đổi như
        # sau: ..." rather than the heading "Sửa đổi Điều 6".
        clause = max(
            (c for c in (known.clause, link.clause) if c is not None),
            key=lambda c: (bool(c.quote), bool(c.articles), len(c.quote)),
            default=None,
        )
        merged[key] = Link(known.number, known.doc_id, known.title, known.effective_date,
                           articles, clause, known.pending and link.pending)
    return tuple(merged.values())


def numbers(links: Sequence[Link]) -> list[str]:
    """Return the canonical numbers of ``links`` (for the JSON contract), in order."""
    return list(dict.fromkeys(link.number for link in links if link.number))
