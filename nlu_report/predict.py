"""Runs the trained model on sentences: the only module of the report that loads Rasa."""

from __future__ import annotations

import asyncio
import logging
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Parse:
    """What the assistant sees of one message: the intent (after the fallback) and the extracted facts."""

    intent: str
    confidence: float
    facts: dict[str, str] = field(default_factory=dict)


def load_agent(model: Path) -> Any:
    """Loads the model once for all sentences (the slow part, some seconds); quiet TensorFlow first."""
    for name, value in (("TF_CPP_MIN_LOG_LEVEL", "3"), ("SQLALCHEMY_SILENCE_UBER_WARNING", "1"),
                        ("TQDM_DISABLE", "1")):
        os.environ.setdefault(name, value)
    warnings.filterwarnings("ignore", category=DeprecationWarning)  # click/typer/spaCy import noise
    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)  # else one debug line per parsed message
    # Again, ahead of Rasa's "once" filter for UserWarning (pyparsing's deprecations are both kinds).
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    return Agent.load(str(model))


def parse_all(agent: Any, texts: list[str]) -> list[Parse]:
    """Parses every text with the full pipeline; the last entity of a field wins, as in the action."""

    async def run() -> list[Parse]:
        parses = []
        for text in texts:
            result = await agent.parse_message(text)
            facts = {entity["entity"]: str(entity["value"]) for entity in result.get("entities", [])}
            intent = result.get("intent") or {}
            parses.append(Parse(intent.get("name") or "None", float(intent.get("confidence") or 0.0), facts))
        return parses

    return asyncio.run(run())
