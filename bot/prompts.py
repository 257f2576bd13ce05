"""Prompt templates live as files in `prompts/` so they can be read and edited without code."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


@lru_cache(maxsize=32)
def load_prompt(name: str, directory: Path = PROMPTS_DIR) -> str:
    path = directory / name
    return path.read_text(encoding="utf-8").strip()
