"""Rasa's check of action server replies, with the schema compiled once: same verdicts, same error."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from channels.action_response_check import validate_action_result
from launch.rasa_patches import install_rasa_server_patches


def test_valid_replies_pass_and_invalid_ones_fail_with_rasas_message() -> None:
    install_rasa_server_patches()  # as launch.rasa_server does before Rasa starts
    assert RemoteAction._validate_action_result is validate_action_result
    action = RemoteAction("action_x", EndpointConfig("http://127.0.0.1:1/webhook"))
    assert action._validate_action_result({"events": [{"event": "slot", "name": "a", "value": 1}],
                                           "responses": [{"text": "hi"}]})
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": "not a list", "responses": []})
