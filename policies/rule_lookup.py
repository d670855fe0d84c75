"""RulePolicy's search for the rules that match a conversation, without work that cannot change the result.

Rasa 3.6 checks every rule against every past state of the conversation, from the latest back to the
first: each check first copies the rule's states, even for a rule shorter than the distance already
walked (which matches by definition), and the walk goes on after no rule is left. With this assistant's
292 rules and a screening of 40 states, that was 10 % of the Rasa server's CPU per message. Here a rule is
set aside as matching as soon as the walk is past its length, and the walk stops when no rule is left to
check; every other rule goes through Rasa's own check (``_is_rule_applicable``). The set returned is the
same. Installed on the Rasa server by launch/rasa_patches.py.
"""

from __future__ import annotations

from typing import Any


def possible_keys(policy: Any, lookup: dict[str, str], states: list[dict[str, Any]]) -> set[str]:
    """Replaces ``RulePolicy._get_possible_keys``: the rule keys of `lookup` that match `states`."""
    matched: set[str] = set()  # rules already walked past: they match whatever came before
    pending = set(lookup)
    for turn, state in enumerate(reversed(states)):
        if not pending:
            break
        still = set()
        for key in pending:
            if turn >= len(policy._rule_key_to_state(key)):
                matched.add(key)
            elif policy._is_rule_applicable(key, turn, state):
                still.add(key)
        pending = still
    return matched | pending


_rasa_own: list[Any] = []  # Rasa's own _get_possible_keys, kept when it is replaced


def rasa_possible_keys() -> Any:
    """Rasa's own ``RulePolicy._get_possible_keys``, installed or not."""
    from rasa.core.policies.rule_policy import RulePolicy

    return _rasa_own[0] if _rasa_own else RulePolicy._get_possible_keys


def install() -> None:
    """``RulePolicy._get_possible_keys`` as above; idempotent."""
    from rasa.core.policies.rule_policy import RulePolicy

    if RulePolicy._get_possible_keys is not possible_keys:
        _rasa_own[:] = [RulePolicy._get_possible_keys]
        RulePolicy._get_possible_keys = possible_keys  # type: ignore[method-assign,assignment]
