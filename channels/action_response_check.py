"""Rasa checks every action server reply against a fixed JSON schema; here with a validator built once.

Rasa 3.6 calls `jsonschema.validate(reply, schema)` for each action call, which first re-checks the schema
itself: py-spy put that at about 15% of the Rasa server's CPU per turn (benchmarks, `make bench`). The
check is kept, with the same error, but the schema is compiled once: launch/rasa_patches.py puts
``validate_action_result`` in place of Rasa's method when the Rasa server starts.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@cache
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    return validator_for(schema)(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result``: True, or jsonschema's ValidationError with Rasa's message."""
    try:
        _validator().validate(result)
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the Action "
            f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise
    return True
