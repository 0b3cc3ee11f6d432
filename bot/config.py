"""The application's configuration: every layer's settings composed, validated once at start-up.

Sources, strongest first: environment variables ``POLICYBOT_<SECTION>__<KEY>``, then the YAML file,
then the defaults. Secrets (``TELEGRAM_BOT_TOKEN`` and any API key) are never part of the settings:
they are read from the environment only where they are used.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from bot.answering.llm_settings import LLMSettings
from bot.answering.settings import AnswerSettings
from bot.telegram.settings import TelegramSettings
from ingest.settings import ChunkingSettings, CorpusSettings
from vectorstore.settings import EmbeddingSettings, RetrievalSettings, StoreSettings
from vectorstore.text import one_line

CONFIG_ENV = "POLICYBOT_CONFIG"
ENV_PREFIX = "POLICYBOT_"


class ConfigError(Exception):
    """The configuration cannot be used; the message lists one ``key: problem`` per line."""


class LoggingSettings(BaseModel):
    """Logging of the command line and the bot."""

    model_config = ConfigDict(extra="forbid")

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="Log level.")


class AppSettings(BaseSettings):
    """All settings of policybot, one section per layer."""

    model_config = SettingsConfigDict(
        extra="forbid",
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        nested_model_default_partial_update=True,
    )

    corpus: CorpusSettings = Field(default_factory=CorpusSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Environment first, then the YAML file (passed as init values), then defaults."""
        return (env_settings, init_settings)



def default_config_path() -> Path | None:
    """Return the config file named by POLICYBOT_CONFIG, else ./config.yaml when it exists."""
    named = os.environ.get(CONFIG_ENV)
    if named:
        return Path(named)
    local = Path("config.yaml")
    return local if local.exists() else None


def load_settings(path: Path | None = None) -> AppSettings:
    """Read, validate and resolve the configuration; raise ConfigError with a readable message."""
    path = path if path is not None else default_config_path()
    values: dict[str, Any] = {}
    base = Path.cwd()
    if path is not None:
        if not path.is_file():
            raise ConfigError(f"config: file not found: {path}")
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise ConfigError(f"config: cannot read {path}: {one_line(exc)}") from exc
        if loaded is not None and not isinstance(loaded, dict):
            raise ConfigError(f"config: {path} must hold a mapping of sections")
        values = loaded or {}
        base = path.resolve().parent
    try:
        settings = AppSettings(**values)
    except ValidationError as exc:
        raise ConfigError(render_errors(exc)) from None
    return resolve_paths(settings, base)


def resolve_paths(settings: AppSettings, base: Path) -> AppSettings:
    """Make the settings' paths absolute, relative to ``base`` (the config file's folder)."""

    def absolute(path: Path) -> Path:
        path = path.expanduser()
        return path if path.is_absolute() else (base / path).resolve()

    corpus = settings.corpus.model_copy(
        update={"paths": [absolute(p) for p in settings.corpus.paths]}
    )
    store = settings.store.model_copy(update={"path": absolute(settings.store.path)})
    embedding = settings.embedding
    model = embedding.model
    if not model.startswith("bundled:") and ("/" in model or model.startswith(".")):
        embedding = embedding.model_copy(update={"model": str(absolute(Path(model)))})
    telegram = settings.telegram.model_copy(
        update={"upload_dir": absolute(settings.telegram.upload_dir)}
    )
    return settings.model_copy(
        update={"corpus": corpus, "store": store, "embedding": embedding, "telegram": telegram}
    )


def render_errors(exc: ValidationError) -> str:
    """Turn a validation error into one ``section.key: problem`` line per error."""
    lines = []
    for error in exc.errors():
        location = ".".join(str(part) for part in error["loc"]) or "config"
        problem = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
        lines.append(f"{location}: {problem}")
    return "\n".join(lines)

