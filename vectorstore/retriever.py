"""The hybrid search as a LangChain retriever: one Document per passage.

Kept apart from :mod:`vectorstore.retrieval` so that commands which never retrieve through
LangChain (``policybot ingest``) do not pay for importing it.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from vectorstore.model import Passage


class HybridRetriever(BaseRetriever):
    """LangChain retriever over :class:`HybridSearcher`: one Document per passage."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Any
    k: int | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        result = self.searcher.search(query, k=self.k)
        return [passage_to_document(p) for p in result.passages]


def passage_to_document(passage: Passage) -> Document:
    """Return ``passage`` as a LangChain Document (text plus metadata, score included)."""
    metadata = {
        key: value for key, value in vars(passage).items() if key != "text" and value is not None
    }
    metadata["document_numbers"] = list(passage.document_numbers)
    return Document(page_content=passage.text, metadata=metadata, id=passage.chunk_id)
