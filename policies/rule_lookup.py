"""RulePolicy's search for the rules that match a conversation, without work that cannot change the result.

Rasa 3.6 checks every rule against every past state of the conversation, from the latest back to the
first: each check first copies the rule's states, even for a rule shorter than the distance already
walked (which matches by definition), and the walk goes on after no rule is left. With this assistant's
292 rules and a screening of 40 states, that was 10 % of the Rasa server's CPU per message. Here:

- at the latest state, only the rules whose last state follows the same action are checked: a rule whose
  last state names another previous action cannot match (Rasa's check compares that name first among the
  rest); rules that name no previous action, and conversation starts, are all checked;
- a rule is set aside as matching as soon as the walk is past its length;
- the walk stops when no rule is left to check.

Every rule still checked goes through Rasa's own check (``_is_rule_applicable``): the set returned is the
same. Installed on the Rasa server by launch/rasa_patches.py.
"""

from __future__ import annotations

from typing import Any

ANY_ACTION = None  # rules whose last state names no previous action: checked whatever the action
# id of a lookup table → (the table, its keys grouped): the policy loads its tables once and keeps them.
_by_last_action: dict[int, tuple[dict[str, str], dict[str | None, set[str]]]] = {}


def previous_action_name(state: dict[str, Any]) -> str | None:
    return (state.get("prev_action") or {}).get("action_name")


def keys_by_last_action(policy: Any, lookup: dict[str, str]) -> dict[str | None, set[str]]:
    """The lookup's rule keys grouped by the previous action their last state names (once per lookup)."""
    cached = _by_last_action.get(id(lookup))
    if cached is not None and cached[0] is lookup:
        return cached[1]
    groups: dict[str | None, set[str]] = {}
    for key in lookup:
        last = policy._rule_key_to_state(key)[-1]
        groups.setdefault(previous_action_name(last), set()).add(key)
    _by_last_action[id(lookup)] = (lookup, groups)  # holding the table keeps its id from being reused
    return groups


def candidates(policy: Any, lookup: dict[str, str], latest: dict[str, Any]) -> set[str]:
    """The rules that can match a conversation whose latest state is `latest`."""
    action = previous_action_name(latest)
    if action is None:  # a conversation start, or a previous action given by text: check every rule
        return set(lookup)
    groups = keys_by_last_action(policy, lookup)
    return groups.get(action, set()) | groups.get(ANY_ACTION, set())


def possible_keys(policy: Any, lookup: dict[str, str], states: list[dict[str, Any]]) -> set[str]:
    """Replaces ``RulePolicy._get_possible_keys``: the rule keys of `lookup` that match `states`."""
    matched: set[str] = set()  # rules already walked past: they match whatever came before
    pending = candidates(policy, lookup, states[-1]) if states else set(lookup)
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


def install() -> None:
    """``RulePolicy._get_possible_keys`` as above; idempotent."""
    from rasa.core.policies.rule_policy import RulePolicy

    from launch.rasa_replacements import replace

    replace(RulePolicy, "_get_possible_keys", possible_keys)
