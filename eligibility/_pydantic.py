"""One import point for pydantic, so the package runs under pydantic 1.10 (Rasa's pin) and pydantic 2."""

try:  # pydantic 2 ships the 1.x API as pydantic.v1
    from pydantic.v1 import BaseModel, Extra, StrictBool, ValidationError, create_model
except ImportError:  # pydantic 1.10, as pinned by Rasa 3.6
    from pydantic import (  # type: ignore[assignment]
        BaseModel,
        Extra,
        StrictBool,
        ValidationError,
        create_model,
    )

__all__ = ["BaseModel", "Extra", "StrictBool", "ValidationError", "create_model"]
