"""The rule search finds the same rules as Rasa's own, with this assistant's trained rules, at every turn
of the conversation tests (tests/stories) and of longer conversations made from them."""

from __future__ import annotations

import json
import tarfile
import warnings

import pytest

from launch.rasa_replacements import original
from policies.rule_lookup import install, possible_keys
from tests.servers import ROOT, current_model

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader


@pytest.fixture(scope="module")
def lookup() -> dict[str, dict[str, str]]:
    with tarfile.open(current_model()) as archive:
        member = next(member for member in archive.getmembers()
                      if member.name.endswith("train_RulePolicy0/rule_policy.json"))
        return json.load(archive.extractfile(member))["lookup"]


def conversation_states(domain: Domain) -> list[list[dict]]:
    """The states after each event of each conversation test, and of all of them played one after another."""
    reader = YAMLStoryReader(domain)
    stories = [step for path in sorted((ROOT / "tests" / "stories").glob("*.yml"))
               for step in reader.read_from_file(path)]
    everything = [event for story in stories for event in story.events]
    states = []
    for events in [story.events for story in stories] + [everything]:
        for end in range(1, len(events) + 1):
            tracker = DialogueStateTracker.from_events(
                "rules", [ActionExecuted("action_listen"), *events[:end]], slots=domain.slots)
            states.append(tracker.past_states(domain))
    return states


def test_the_same_rules_match_as_with_rasas_search(lookup: dict[str, dict[str, str]]) -> None:
    install()
    domain = Domain.load(ROOT / "domain.yml")
    policy = RulePolicy.__new__(RulePolicy)  # the search reads no state of the policy but its lookup
    compared = matched = 0
    every_states = conversation_states(domain)
    for states in every_states:
        for table in ("rules", "rules_for_loop_unhappy_path"):
            ours = possible_keys(policy, lookup[table], states)
            assert ours == original(RulePolicy, "_get_possible_keys")(policy, lookup[table], states)
            compared += 1
            matched += bool(ours)
    assert compared > 200 and matched > 50
    assert max(len(states) for states in every_states) > 40  # long conversations too
