"""The people, chats, token and settings of the Telegram end-to-end tests."""

from __future__ import annotations

import random
import secrets
from pathlib import Path
from typing import Any

from botapi_emulator import Chat, User

from bot.config import AppSettings

ALICE = User(101, "Alice", "en")
BINH = User(102, "Bình", "vi")
ADMIN = User(900, "Admin", "en")
STRANGER = User(666, "Stranger", "en")
GROUP = Chat.group(-1001001, "Cadres of the commune")
OTHER_GROUP = Chat.group(-1002002, "Unlisted group")


def make_token() -> str:
    """A token of Telegram's shape, different in every test."""
    return f"{random.randint(10**8, 10**10)}:AA{secrets.token_urlsafe(32)}"


def make_settings(data: Path, base_url: str, **telegram: Any) -> AppSettings:
    values: dict[str, Any] = {
        "base_url": base_url,
        "allowed_user_ids": [ALICE.id, BINH.id],
        "allowed_chat_ids": [GROUP.id],
        "admin_user_ids": [ADMIN.id],
        "upload_dir": data / "uploads",
    }
    values.update(telegram)
    return AppSettings(store={"path": data}, telegram=values)
