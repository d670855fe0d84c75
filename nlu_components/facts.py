"""Rule-based extraction of IMP+ pre-screening facts from one user message (English/French).

`extract_facts(text)` returns `Fact(field, value, start, end, text)` items, with offsets into
the original text. It only reports what the message literally says; implications between
fields (a valid CSQ implies having one...) are the caller's business. Bare "yes"/"no" answers
give no facts either: only the caller knows which question they answer.

The patterns live in `data/fact_patterns.json` (see its `_doc`), the residence in `residence.py`; this
module compiles the patterns into a spaCy `Matcher` over a blank pipeline and then decides, for
every match, whether the clause negates it, asks it as a question, or only wishes it.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from spacy.matcher import Matcher

from eligibility.fields import FIELD_VALUES as PROFILE_VALUES
from eligibility.fields import PROFILE_FIELDS
from i18n.text_folding import fold, fold_with_index
from nlu_components import residence as residences
from nlu_components.clause_scope import FIRST_PERSON, SECOND_PERSON, MessageContext
from nlu_components.nlp import get_nlp, make_doc
from places.gazetteer import Place, stop_words

PATTERN_FILE = Path(__file__).parent / "data" / "fact_patterns.json"

# The order of facts that start at the same word ("AI pilot CSQ": csq_program, then has_csq); a profile
# field not named here comes after these, in the engine's order.
_SAME_START_ORDER = (
    "residence", "place", "status_in_canada", "csq_program", "has_csq", "csq_valid", "has_invitation",
    "application_complete", "pr_applied", "pr_decision", "pr_filed_while_csq_valid",
)
FIELDS = (*_SAME_START_ORDER, *(name for name in PROFILE_FIELDS if name not in _SAME_START_ORDER))
_BOOL = ("true", "false")
# The values each field's entities may take: the engine's (eligibility/fields.py) as entity strings
# ("true" / "false"); "place" is free text. Pattern groups are checked against this when they are loaded.
FIELD_VALUES: dict[str, tuple[str, ...]] = {
    name: tuple(_BOOL[0] if v is True else _BOOL[1] if v is False else str(v) for v in values)
    for name, values in PROFILE_VALUES.items()
}
# Default `if_negated` of a group whose value is one of these ("no work permit" = no status).
DEFAULT_NEGATED = {"true": "false", "false": "true", "work_or_study_permit": "none"}
# Fields whose mentions count as "the last topic" for pronoun patterns ("it expired").
TOPIC_FIELDS = frozenset(
    {"has_csq", "csq_valid", "has_invitation", "application_complete", "pr_applied", "pr_decision",
     "status_in_canada"}
)
# "the PRTQ was replaced by the PSTQ": a program named after one of these is not the user's.
REPLACEMENT_CUES = frozenset({"replaced", "replace", "replaces", "replacing", "remplace", "remplacee",
                              "remplacant", "remplacante", "succeeded", "succede", "successor", "successeur",
                              "superseded", "instead", "lieu", "remplacer"})
# A wish or a plan is not a fact: "I hope they invite me", "je veux avoir mon CSQ".
WISH_CUES = frozenset(
    {"want", "wants", "wanna", "would", "wish", "hope", "hoping", "plan", "planning", "intend", "will",
     "ll", "gonna", "shall", "veux", "voudrais", "voudrait", "aimerais", "aimerait", "souhaite",
     "souhaiterais", "espere", "esperons", "compte", "vais", "prevois", "should", "devrais", "must",
     "need", "needs", "besoin", "faut", "dois", "doit"}
)
WISH_REACH = 12  # tokens (within the clause) a wish cue reaches forward
SHORT_MESSAGE = 6  # tokens: a short answer ("CSQ expired", "en attente") needs no context
PERSONAL_SHORT = 8  # tokens: "la RP est en traitement depuis 2023" is still an answer about oneself
INDEFINITE_ARTICLES = frozenset({"a", "an", "un", "une", "any"})
EXPIRE_AUXILIARIES = frozenset({"est", "a", "ete", "sont", "etait", "is", "s", "has", "was", "been", "deja"})
# Words joining a bare mention to the statement before it: "I have a CSQ and the MIFI letter".
COORDINATION = frozenset({"and", "et", "plus", "also", "aussi", "as", "well", "ainsi", "que", "or", "ou",
                          "ni", "nor", "neither"})
CLAUSE_FILLERS = frozenset({"a", "an", "the", "my", "our", "un", "une", "le", "la", "les", "l", "mon", "ma",
                            "mes", "notre", "du", "de", "des", "d", "also", "aussi", "even", "meme"})
ANSWER_WORDS = frozenset({"no", "non", "nope", "nah", "yes", "oui", "yeah", "ouais"})
# Words an `alone` match may stand with: "yes, a work permit", "oui, le nouveau", "currently PGWP".
ALONE_WORDS = CLAUSE_FILLERS | frozenset(
    {"yes", "yeah", "yep", "yup", "oui", "ouais", "ok", "okay", "well", "bien", "ben", "bon", "currently",
     "actuellement", "presentement", "now", "maintenant", "still", "toujours", "encore", "just", "juste",
     "only", "seulement", "i", "je", "j", "m", "im", "it", "its", "c", "s", "est", "is", "am", "suis",
     "on", "en", "sur", "with", "avec", "under", "sous", "through", "via", "par", "one", "that", "this",
     "ca", "ce", "cest", "thats", "actually", "fait", "in", "fact", "non", "no", "nope", "oops", "sorry"}
)


@dataclass(frozen=True)
class Fact:
    """One extracted fact: `text` is original[start:end]."""

    field: str
    value: str
    start: int
    end: int
    text: str
    place: Place | None = None  # residence and place facts: the index entry (country, time zone)


@dataclass(frozen=True)
class PatternGroup:
    """Patterns that give one field a value (see the `_doc` of fact_patterns.json)."""

    field: str
    value: str | None
    if_negated: str | None
    neg: str = "flip"
    upper: bool = False
    possession: bool = False
    inherit: bool = False
    shadow: bool = True
    exclusive: frozenset[str] = frozenset()
    needs_topic: frozenset[str] = frozenset()
    antecedent: frozenset[str] = frozenset()
    veto_after: frozenset[str] = frozenset()
    short_only: bool = False
    clause_end: bool = False
    alone: bool = False
    first_person: bool = False
    personal: bool = False
    no_indefinite: bool = False
    inherit_as: tuple[tuple[str, str | None], ...] = ()
    neg_yields: bool = False
    masks: frozenset[str] = frozenset()
    needs_sentence_topic: frozenset[str] = frozenset()
    main_clause_neg: bool = False
    list_item: bool = False


@dataclass
class Candidate:
    """A pattern match on its way to becoming a fact."""

    group: PatternGroup
    start: int
    end: int
    value: str | None = None
    negated: bool = False


@dataclass
class FactEngine:
    """Compiled patterns: the spaCy Matcher, the group behind each key, and anchor words.

    Every pattern needs at least one anchor word (a domain word such as "csq", "permit",
    "invited"); sentences without one are not given to the Matcher, whose cost grows with
    pattern count times tokens. That keeps long chatty or repetitive messages cheap.
    """

    matcher: Matcher
    groups: dict[int, PatternGroup] = field(default_factory=dict)
    anchors: set[str] = field(default_factory=set)
    pattern_count: int = 0
    load_seconds: float = 0.0


# -- compiling --------------------------------------------------------------------------------

def _token_spec(item: str, classes: dict[str, list[str]]) -> dict[str, Any]:
    """One DSL item ("word", "a|b", "@CLASS", "_", with optional ?*+) as a Matcher token dict."""
    op = ""
    if len(item) > 1 and item[-1] in "?*+":
        item, op = item[:-1], item[-1]
    spec: dict[str, Any]
    if item == "_":
        spec = {}
    elif item.startswith("@"):
        spec = {"ORTH": {"IN": classes[item[1:]]}}
    elif "|" in item:
        spec = {"ORTH": {"IN": [fold(w) for w in item.split("|")]}}
    else:
        spec = {"ORTH": fold(item)}
    if op:
        spec["OP"] = op
    return spec


def compile_pattern(
    pattern: str, classes: dict[str, list[str]], macros: dict[str, list[str]]
) -> list[list[dict[str, Any]]]:
    """Expand the macros of one DSL pattern and return its Matcher token patterns."""
    choices: list[list[list[dict[str, Any]]]] = []
    for item in pattern.split():
        if item.startswith("$"):
            # One-word phrases share a single token test; longer ones each get a sequence.
            phrases = [fold(phrase).split() for phrase in macros[item[1:]]]
            single = sorted({p[0] for p in phrases if len(p) == 1})
            options = [[{"ORTH": w} for w in p] for p in phrases if len(p) > 1]
            if single:
                options.append([{"ORTH": {"IN": single}}])
            choices.append(options)
        else:
            choices.append([[_token_spec(item, classes)]])
    return [[tok for part in combo for tok in part] for combo in itertools.product(*choices)]


def _load_groups() -> tuple[dict[str, list[str]], dict[str, list[str]], list[tuple[PatternGroup, list[str]]]]:
    raw = json.loads(PATTERN_FILE.read_text(encoding="utf-8"))
    classes: dict[str, list[str]] = {}
    for name, words in raw["classes"].items():
        folded = sorted({fold(w) for w in words})
        if any(" " in w for w in folded):
            raise ValueError(f"class {name} has a multi-word member; use a macro")
        classes[name] = folded
    macros = {name: list(dict.fromkeys(fold(p) for p in phrases)) for name, phrases in raw["macros"].items()}
    groups = []
    for spec in raw["groups"]:
        value = spec["value"]
        default_negated = DEFAULT_NEGATED.get(value) if value else None
        group = PatternGroup(
            field=spec["field"],
            value=value,
            if_negated=spec.get("if_negated", default_negated),
            neg=spec.get("neg", "flip"),
            upper=spec.get("upper", False),
            possession=spec.get("possession", False),
            inherit=spec.get("inherit", False),
            shadow=spec.get("shadow", True),
            exclusive=frozenset(spec.get("exclusive", [])),
            needs_topic=frozenset(fold(w) for w in spec.get("needs_topic", [])),
            antecedent=frozenset(spec.get("antecedent", [])),
            veto_after=frozenset(fold(w) for w in spec.get("veto_after", [])),
            short_only=spec.get("short_only", False),
            alone=spec.get("alone", False),
            clause_end=spec.get("clause_end", False),
            first_person=spec.get("first_person", False),
            personal=spec.get("personal", False),
            no_indefinite=spec.get("no_indefinite", False),
            inherit_as=tuple(sorted(spec.get("inherit_as", {}).items())),
            neg_yields=spec.get("neg_yields", False),
            masks=frozenset(spec.get("masks", [])),
            needs_sentence_topic=frozenset(fold(w) for w in spec.get("needs_sentence_topic", [])),
            main_clause_neg=spec.get("main_clause_neg", False),
            list_item=spec.get("list_item", False),
        )
        if group.field not in FIELD_VALUES:
            raise ValueError(f"unknown field {group.field}")
        allowed = FIELD_VALUES[group.field]
        for given in (group.value, group.if_negated, *(v for _, v in group.inherit_as)):
            if given is not None and given not in allowed:
                raise ValueError(f"{group.field}: value {given!r} is not one of {allowed}")
        for name in group.masks:
            if name not in FIELD_VALUES:
                raise ValueError(f"unknown masked field {name}")
        groups.append((group, spec["patterns"]))
    return classes, macros, groups


FILLER_CLASSES = ("FILL", "FILLP", "FILLV", "PRON", "BE", "ON", "ALL", "STATUSVERB", "HAVE")


def _anchor_values(tokens: list[dict[str, Any]], fillers: set[str], common: frozenset[str]) -> list[str]:
    """Values of the most selective required token of a pattern (fewest filler/common words)."""
    best: list[str] | None = None
    best_key: tuple[int, int, int] | None = None
    for tok in tokens:
        if tok.get("OP") in ("?", "*") or "ORTH" not in tok:
            continue
        orth = tok["ORTH"]
        values = [orth] if isinstance(orth, str) else list(orth["IN"])
        key = (sum(v in fillers for v in values), sum(v in common for v in values), len(values))
        if best_key is None or key < best_key:
            best, best_key = values, key
    if best is None:
        raise ValueError(f"pattern without a required word: {tokens}")
    return best


def build_engine(validate: bool = False) -> FactEngine:
    """Compile fact_patterns.json into a Matcher (call `get_engine` instead).

    spaCy's schema check of every token pattern costs most of the build time and our compiler only
    writes ORTH/IN/OP dicts, so it is off at run time; the tests build once with `validate=True`.
    """
    started = time.perf_counter()
    classes, macros, groups = _load_groups()
    fillers = {w for name in FILLER_CLASSES for w in classes.get(name, [])}
    common = stop_words()
    nlp = get_nlp()
    matcher = Matcher(nlp.vocab, validate=validate)
    engine = FactEngine(matcher)
    for index, (group, patterns) in enumerate(groups):
        compiled = [tokens for p in patterns for tokens in compile_pattern(p, classes, macros)]
        key = f"G{index}"
        matcher.add(key, compiled, greedy="LONGEST")
        engine.groups[nlp.vocab.strings[key]] = group
        engine.pattern_count += len(compiled)
        for tokens in compiled:
            engine.anchors.update(_anchor_values(tokens, fillers, common))
    engine.load_seconds = time.perf_counter() - started
    return engine


@cache
def get_engine() -> FactEngine:
    """The process-wide compiled patterns, built on first use (the extractor builds them at start)."""
    return build_engine()


def warm_up() -> float:
    """Build the gazetteer and the patterns now (e.g. at server start); returns seconds taken."""
    started = time.perf_counter()
    get_engine()
    residences.key_beginnings()
    return time.perf_counter() - started


# -- matching ---------------------------------------------------------------------------------

def _raw_candidates(ctx: MessageContext, engine: FactEngine) -> list[Candidate]:
    """Matcher hits, running the Matcher only on sentences that contain an anchor word."""
    bounds: dict[int, list[int]] = {}
    for i, sid in enumerate(ctx.sentence):
        bounds.setdefault(sid, [i, i + 1])[1] = i + 1
    out: list[Candidate] = []
    for start, end in bounds.values():
        if not any(w in engine.anchors for w in ctx.words[start:end]):
            continue
        for span in engine.matcher(ctx.doc[start:end], as_spans=True):
            out.append(Candidate(engine.groups[span.label], span.start, span.end))
    out.sort(key=lambda c: (c.start, -c.end))
    return out


def _clause_has_field(ctx: MessageContext, raw: list[Candidate], token: int, fields: frozenset[str]) -> bool:
    clause = ctx.clause[token]
    return any(c.group.field in fields and ctx.clause[c.start] == clause for c in raw)


def _previous_topic(ctx: MessageContext, raw: list[Candidate], cand: Candidate) -> str | None:
    best: Candidate | None = None
    for other in raw:
        if other is cand or other.end > cand.start or other.group.field not in TOPIC_FIELDS:
            continue
        if ctx.sentence[other.start] != ctx.sentence[cand.start]:
            continue
        if best is None or other.end > best.end:
            best = other
    return best.group.field if best else None


def _keep(ctx: MessageContext, raw: list[Candidate], cand: Candidate) -> bool:
    """Filters that do not depend on other candidates' values."""
    group, start, end = cand.group, cand.start, cand.end
    if ctx.kind_at(start) != "statement" or ctx.is_uncertain(start):
        return False
    if ctx.has_word_before(start, WISH_CUES, WISH_REACH):
        return False  # a wish covers the rest of its clause: "I hope to get my CSQ from the PEQ soon"
    if group.short_only and len(ctx.words) > SHORT_MESSAGE:
        return False
    if group.clause_end and end < len(ctx.words) and ctx.clause[end] == ctx.clause[end - 1]:
        return False
    if group.alone and not all(
        w in ALONE_WORDS for k, w in enumerate(ctx.words) if not start <= k < end
    ) and not (group.list_item and _alone_in_clause(ctx, start, end)):
        return False
    if group.first_person and not _sentence_has_first_person(ctx, start):
        return False
    if group.personal and len(ctx.words) > PERSONAL_SHORT and not _sentence_has_first_person(ctx, start):
        return False
    clause = ctx.clause_words(start)
    if clause & SECOND_PERSON and not clause & FIRST_PERSON:
        return False  # "you must hold a valid CSQ" describes the rules, not the user
    if group.no_indefinite and start > 0 and ctx.words[start - 1] in INDEFINITE_ARTICLES:
        return False  # "an expired CSQ only counts if..." is a general statement
    if _present_tense_expire(ctx, start, end):
        return False
    if group.upper:
        o_start, o_end = ctx.offsets[start][0], ctx.offsets[end - 1][1]
        if not ctx.folded.original[o_start:o_end].isupper():
            return False
    if group.veto_after and any(
        ctx.words[k] in group.veto_after and ctx.clause[k] == ctx.clause[end - 1]
        for k in range(end, min(end + 3, len(ctx.words)))
    ):
        return False  # "work permit application"; not "work permit, my PR application was refused"
    if group.exclusive and _clause_has_field(ctx, raw, start, group.exclusive):
        return False
    topical = ctx.clause_words(start) & group.needs_topic
    if group.needs_topic and len(ctx.words) > SHORT_MESSAGE and not topical:
        return False
    answer_length = sum(w not in ANSWER_WORDS for w in ctx.words)  # "non, avant l'expiration de mon CSQ"
    if group.needs_sentence_topic and answer_length > SHORT_MESSAGE and not any(
        ctx.words[k] in group.needs_sentence_topic for k in ctx.sentence_tokens(ctx.sentence[start])
    ):
        return False
    if group.antecedent and _previous_topic(ctx, raw, cand) not in group.antecedent:
        return False
    return True


def _alone_in_clause(ctx: MessageContext, start: int, end: int) -> bool:
    """"I'm in Mississauga, open work permit, CSQ PSTQ": the match is a list item of the person's
    situation, alone in its clause (but for fillers) in a sentence that says I/je."""
    clause = ctx.clause[start]
    k = ctx.clause_first[clause]
    n = len(ctx.words)
    while k < n and ctx.clause[k] == clause:
        if not start <= k < end and ctx.words[k] not in ALONE_WORDS:
            return False
        k += 1
    return _sentence_has_first_person(ctx, start)


def _sentence_has_first_person(ctx: MessageContext, token: int) -> bool:
    return any(ctx.words[k] in FIRST_PERSON for k in ctx.sentence_tokens(ctx.sentence[token]))


def _present_tense_expire(ctx: MessageContext, start: int, end: int) -> bool:
    """"expire" without accent and without an auxiliary is a future date, not a past expiry.

    Folding merges French "expiré" (expired) with "expire" (expires); "mon CSQ expire le mois
    prochain" says nothing about today, "mon CSQ est expire" (typed without accent) does; a match
    that itself starts with "avant (que)" is a subjunctive ("avant que mon CSQ expire").
    """
    for k in range(start, end):
        if ctx.words[k] in ("expire", "expires") and "é" not in ctx.original_word(k).lower():
            if "avant" in ctx.words[start:k] and ctx.words[k] == "expire":
                continue  # "avant que mon CSQ expire": a subjunctive inside the match, not a date
            if k == 0 or ctx.words[k - 1] not in EXPIRE_AUXILIARIES:
                return True
    return False


def _main_clause_negated(ctx: MessageContext, start: int) -> bool:
    """"I didn't apply for PR | while my CSQ was valid": a negation in the clause just before.

    Only for a candidate that opens its clause (the subordinate "while/when/quand..." clause).
    """
    clause = ctx.clause[start]
    first = ctx.clause_first[clause]
    while first < start and ctx.words[first] in CLAUSE_FILLERS:
        first += 1
    if first != start or clause == 0 or ctx.sentence[ctx.clause_first[clause - 1]] != ctx.sentence[start]:
        return False
    prev = range(ctx.clause_first[clause - 1], ctx.clause_first[clause])
    # A bare answer word opening the clause ("non, après son expiration") denies nothing in it.
    return any(ctx.neg_window[k] for k in prev if not (k == prev[0] and ctx.words[k] in ANSWER_WORDS))


def _drop_generic_programs(ctx: MessageContext, cands: list[Candidate]) -> list[Candidate]:
    """Program names that describe the programs rather than the user's CSQ.

    "the PRTQ was replaced by the PSTQ": a program right after a replacement word is dropped,
    and a sentence naming several programs without "I/my/je..." says nothing about the user.
    """
    programs = [c for c in cands if c.group.field == "csq_program" and not c.negated and c.value]
    if not programs:
        return cands
    dropped = {id(c) for c in programs if ctx.has_word_before(c.start, REPLACEMENT_CUES, 4)}
    by_sentence: dict[int, list[Candidate]] = {}
    for cand in programs:
        by_sentence.setdefault(ctx.sentence[cand.start], []).append(cand)
    for group in by_sentence.values():
        if len({c.value for c in group}) > 1 and not _sentence_has_first_person(ctx, group[0].start):
            dropped.update(id(c) for c in group)
    return [c for c in cands if id(c) not in dropped]


def _apply_masks(cands: list[Candidate]) -> list[Candidate]:
    """A group's `masks`: drop those fields' candidates lying inside its (kept) match."""
    maskers = [c for c in cands if c.group.masks and c.value is not None]
    if not maskers:
        return cands
    return [
        c for c in cands
        if not any(c.group.field in m.group.masks and m.start <= c.start and c.end <= m.end for m in maskers)
    ]


def _yield_weak_negations(cands: list[Candidate]) -> list[Candidate]:
    """"I don't have a work permit, I'm a visitor": a negated `neg_yields` mention gives way to any
    positive statement of the same field in the message."""
    positive = {c.group.field for c in cands if c.value is not None and not c.negated}
    return [c for c in cands if not (c.negated and c.group.neg_yields and c.group.field in positive)]


def _resolve_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Per field, keep the longest of overlapping candidates (a value beats a bare mention)."""
    kept: list[Candidate] = []
    used: dict[str, set[int]] = {}
    order = sorted(cands, key=lambda c: (c.start - c.end, c.value is None, c.start))
    for cand in order:
        taken = used.setdefault(cand.group.field, set())
        if any(i in taken for i in range(cand.start, cand.end)):
            continue
        taken.update(range(cand.start, cand.end))
        kept.append(cand)
    return sorted(kept, key=lambda c: c.start)


def _polarity(cand: Candidate) -> str:
    """"true"/"false" of a possession ("I have..." / "I don't have...", "I have valid status")."""
    if cand.value in _BOOL:
        return str(cand.value)
    return "false" if cand.negated else "true"


def _inherit(ctx: MessageContext, cands: list[Candidate]) -> None:
    """Give a bare mention the value of the possession it is coordinated with.

    The possession's polarity ("I have" = true, "I don't have" = false) becomes the mention's value,
    or, for a non-boolean field, the value its group's `inherit_as` maps that polarity to.
    """
    for cand in cands:
        if cand.value is not None or not cand.group.inherit or cand.negated:
            continue
        k = cand.start - 1
        while k >= 0 and ctx.words[k] in CLAUSE_FILLERS:
            k -= 1
        if k < 0 or ctx.words[k] not in COORDINATION:
            continue
        owners = [
            o for o in cands
            if o.group.possession and (o.value is not None or not o.negated) and o.end <= cand.start
            and ctx.sentence[o.start] == ctx.sentence[cand.start]
        ]
        if owners:
            polarity = _polarity(max(owners, key=lambda o: o.end))
            cand.value = dict(cand.group.inherit_as).get(polarity) if cand.group.inherit_as else polarity


def _span(ctx: MessageContext, start: int, end: int) -> tuple[int, int]:
    return ctx.offsets[start][0], ctx.offsets[end - 1][1]


def _fact(
    ctx: MessageContext, name: str, value: str, start: int, end: int, place: Place | None = None
) -> Fact:
    o_start, o_end = _span(ctx, start, end)
    original = ctx.folded.original
    if len(ctx.words[end - 1]) == 1 and original[o_end:o_end + 1] == ".":
        o_end += 1  # keep the closing dot of an abbreviation ("B.C.")
    return Fact(name, value, o_start, o_end, ctx.folded.original[o_start:o_end], place)


def _negation_start(ctx: MessageContext, start: int, place: bool = True) -> int:
    """Token index of the earliest negation cue reaching `start` ("not in Canada"), else `start`."""
    windows = ctx.place_neg_window if place else ctx.neg_window
    found = start
    for k in ctx.before(start, 6):
        if windows[k] and start - k <= windows[k]:
            found = k
            break
    if found < start and ctx.words[found] == "t" and found > 0 and ctx.clause[found - 1] == ctx.clause[found]:
        found -= 1
    return found


def extract_from_context(ctx: MessageContext) -> list[Fact]:
    """All facts of an analysed message, one per field (the last statement wins)."""
    engine = get_engine()
    raw = _raw_candidates(ctx, engine)
    shadow: set[int] = set()
    non_shadow: set[int] = set()
    for cand in raw:
        (shadow if cand.group.shadow else non_shadow).update(range(cand.start, cand.end))

    kept = [c for c in raw if _keep(ctx, raw, c)]
    for cand in kept:
        group = cand.group
        cand.negated = group.neg != "ignore" and (
            ctx.is_negated(cand.start, cand.end)
            or (group.main_clause_neg and _main_clause_negated(ctx, cand.start))
        )
        cand.value = group.if_negated if cand.negated else group.value
    kept = _apply_masks(kept)
    resolved = _drop_generic_programs(ctx, _resolve_overlaps(kept))
    _inherit(ctx, resolved)
    resolved = _yield_weak_negations(resolved)

    by_field: dict[str, Fact] = {}
    for cand in resolved:
        if cand.value is not None:
            start = _negation_start(ctx, cand.start, place=False) if cand.negated else cand.start
            by_field[cand.group.field] = _fact(ctx, cand.group.field, cand.value, start, cand.end)

    mentions = residences.find_mentions(ctx, shadow)
    residence = residences.resolve_residence(ctx, mentions, shadow | non_shadow)
    if residence is not None:
        start = residence.start
        if residence.not_in_canada == (residence.start, residence.end):
            start = _negation_start(ctx, residence.start)
        end, place = residence.end, residence.place
        by_field["residence"] = _fact(ctx, "residence", residence.residence, start, end, place)
        by_field["place"] = _fact(ctx, "place", residence.display, start, end, place)
    # "I'm not in Canada" gives residence abroad only: status_in_canada is asked of people in another
    # province, so living abroad says nothing about it.
    return sorted(by_field.values(), key=lambda f: (f.start, FIELDS.index(f.field)))


def extract_facts(text: str) -> list[Fact]:
    """Facts stated in `text` (see module docstring). Never raises on odd input."""
    if not text or not text.strip():
        return []
    folded = fold_with_index(text)
    if not folded.text.strip():
        return []
    ctx = MessageContext.build(folded, make_doc(folded.text))
    return extract_from_context(ctx)
