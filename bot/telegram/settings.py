"""Settings of the Telegram front end."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class TelegramSettings(BaseModel):
    """How the bot reaches Telegram and who may use it. The token comes from TELEGRAM_BOT_TOKEN."""

    model_config = ConfigDict(extra="forbid")

    base_url: str = Field(
        "https://api.telegram.org/bot",
        description="Bot API base URL (python-telegram-bot's base_url); the token is appended.",
    )
    base_file_url: str | None = Field(
        None, description="Bot API file URL; derived from base_url when unset."
    )
    webhook_url: str | None = Field(
        None, description="Public HTTPS URL for webhook mode; long polling when unset."
    )
    listen: str = Field("0.0.0.0", description="Address the webhook server listens on.")
    port: int = Field(8443, ge=1, le=65535, description="Port the webhook server listens on.")
    allowed_user_ids: list[int] = Field(default_factory=list, description="Users who may ask.")
    allowed_chat_ids: list[int] = Field(
        default_factory=list, description="Group chats whose members may ask."
    )
    admin_user_ids: list[int] = Field(
        default_factory=list,
        description="Users who may run /stats, /reindex and /remove and add documents by sending "
        "them to the bot in a private chat.",
    )
    upload_dir: Path = Field(
        Path("uploads"),
        description="Folder of the documents admins send to the bot; always ingested with the "
        "corpus. Relative paths are relative to the config file.",
    )
    open_to_all: bool = Field(False, description="Answer everyone; the allow-lists are ignored.")
    rate_limit_per_minute: int = Field(10, ge=1, description="Questions per user per minute.")
    default_language: Literal["vi", "en"] = Field(
        "vi", description="Language of fixed texts when the user's language is unknown."
    )
    history_turns: int = Field(3, ge=0, le=20, description="Earlier turns kept per chat.")
    concurrent_updates: int = Field(
        16, ge=1, le=256, description="Updates processed at the same time."
    )
