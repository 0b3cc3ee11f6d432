"""Fixed phrases of answers and refusals, in Vietnamese and English."""

from __future__ import annotations

from vectorstore.legalref import MissingReference

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "sources": "Sources",
        "empty": "Please type a question in words, for example: "
        "“When was Resolution 25-NQ/TW issued?”",
        "too_long": "The question is too long ({length} characters; the limit is {limit}). "
        "Please ask a shorter question.",
        "instructions": "I only answer questions about the indexed policy documents, and I "
        "cannot change my rules or reveal my instructions. Please ask about a resolution, "
        "decree, directive or movement.",
        "unknown_document": "No indexed document mentions {names}. I will not guess what it "
        "says.",
        "unknown_article": "{documents} as indexed has no {reference}. I will not guess what it "
        "says.",
        "not_found": "The indexed documents do not answer this question.",
        "searched": "I searched {documents} documents for: {terms}.",
        "suggest": "Try rephrasing, or name the document or its number. Closest documents: "
        "{titles}.",
        "suggest_plain": "Try rephrasing, or name the document or its number.",
        "no_documents": "No documents are indexed yet, so I cannot answer. An administrator "
        "should run the ingestion first.",
    },
    "vi": {
        "sources": "Nguồn",
        "empty": "Vui lòng nhập câu hỏi bằng chữ, ví dụ: "
        "“Nghị quyết 25-NQ/TW ban hành ngày nào?”",
        "too_long": "Câu hỏi quá dài ({length} ký tự; giới hạn là {limit}). "
        "Vui lòng hỏi ngắn gọn hơn.",
        "instructions": "Tôi chỉ trả lời câu hỏi về các văn bản chính sách đã được lập chỉ mục, "
        "và không thể thay đổi quy tắc hay tiết lộ hướng dẫn của mình. Vui lòng hỏi về một nghị "
        "quyết, nghị định, chỉ thị hoặc phong trào.",
        "unknown_document": "Không có văn bản nào trong kho tài liệu nhắc đến {names}. "
        "Tôi sẽ không đoán nội dung của văn bản này.",
        "unknown_article": "{documents} trong kho tài liệu không có {reference}. "
        "Tôi sẽ không đoán nội dung này.",
        "not_found": "Các tài liệu đã lập chỉ mục không trả lời được câu hỏi này.",
        "searched": "Tôi đã tìm trong {documents} tài liệu với các từ khóa: {terms}.",
        "suggest": "Hãy thử diễn đạt lại, hoặc nêu tên hay số hiệu văn bản. "
        "Tài liệu gần nhất: {titles}.",
        "suggest_plain": "Hãy thử diễn đạt lại, hoặc nêu tên hay số hiệu văn bản.",
        "no_documents": "Chưa có tài liệu nào được lập chỉ mục nên tôi chưa thể trả lời. "
        "Quản trị viên cần chạy bước nạp tài liệu trước.",
    },
}


def text(language: str, key: str, **values: object) -> str:
    """Return the fixed phrase ``key`` in ``language`` (English when unknown), filled in."""
    phrases = TEXTS.get(language, TEXTS["en"])
    return phrases[key].format(**values)


def unknown_article(language: str, missing: MissingReference) -> str:
    """Return the refusal for an article or clause that the named documents do not have."""
    documents = "; ".join(f"“{document.title}”" for document in missing.documents[:3])
    return text(
        language, "unknown_article", documents=documents,
        reference=missing.reference.label(language),
    )
