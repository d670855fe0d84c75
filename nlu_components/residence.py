"""The residence a message states: the place mentions in its text, and the one that says where the user lives.

Place names come from the shared place index (`places.gazetteer`); this module searches a message's
words for its keys (every word sequence that is a key, overlaps included, as a spaCy PhraseMatcher on the
tokens' text would find them, without its copy of 20,000 keys as documents: 90 MB) and decides which
mention, if any, states a residence. Names that are also ordinary words (the index's gated keys) only count
when capitalised or after a residence verb, and right after a location preposition ("in Nice", "à
Tours").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from nlu_components.clause_scope import FIRST_PERSON, SECOND_PERSON, MessageContext
from places.gazetteer import PROVINCE_ZONES, PROVINCES, Place, get_gazetteer, stop_words

# Province codes that are also words or common abbreviations: only valid after a city.
PROVINCE_CODES: dict[str, str] = {
    "on": "ON", "ont": "ON", "nb": "NB", "ns": "NS", "ab": "AB", "mb": "MB", "sk": "SK", "nl": "NL",
    "pe": "PE", "yt": "YT", "nt": "NT", "nu": "NU", "bc": "BC", "qc": "QC",
}

LOCATION_PREPOSITIONS = frozenset(
    {"in", "at", "near", "from", "to", "around", "a", "au", "aux", "en", "dans", "de", "d", "du", "pres",
     "vers", "of"}
)
RESIDENCE_CUES = frozenset(
    {"live", "lives", "living", "reside", "resides", "residing", "resident", "based", "located", "stay",
     "staying", "currently", "presently", "now", "moved", "relocated", "settled", "m", "am", "re", "here",
     "habite", "habites", "habitons", "habitent", "habitant", "residons", "reste", "restons",
     "demeure", "demeurons", "vis", "vit", "vivons", "installe", "installee", "installes", "installees",
     "demenage", "demenagee", "demenages", "actuellement", "presentement", "maintenant", "chu", "chui",
     "jsuis", "suis", "sommes", "ici", "établi", "etabli", "etablie", "basee", "base", "im", "jhabite",
     "jvis", "jreste"}
)
ORIGIN_CUES = frozenset(
    {"born", "ne", "nee", "native", "originally", "originaire", "origin", "origine", "citizen",
     "citizenship", "citoyen", "citoyenne", "nationality", "nationalite", "passport", "passeport", "from",
     "viens", "venu", "venue", "came", "come", "lived", "grew", "studied", "worked", "before", "avant",
     "previously", "auparavant", "arrive", "arrivee", "parti", "partie", "ex", "formerly", "anciennement"}
)
DESIRE_CUES = frozenset(
    {"want", "wants", "wanna", "would", "d", "wish", "hope", "hoping", "plan", "planning", "plans",
     "intend", "going", "gonna", "will", "ll", "shall", "future", "eventually", "veux", "voudrais",
     "voudrait", "aimerais", "aimerait", "souhaite", "souhaiterais", "compte", "vais", "va", "allons",
     "prevois", "projette", "espere", "planifie", "dream", "reve", "interested", "interesse", "interessee"}
)
# "for example Lyon, Ottawa or Sherbrooke" lists places without living there.
EXAMPLE_CUES = frozenset({"example", "exemple", "eg", "instance", "such", "including"})
DESTINATION_CUES = frozenset(
    {"to", "move", "moving", "relocate", "relocating", "immigrate", "immigrating", "go", "visit", "visiting",
     "visited", "went", "travel", "traveling", "travelling", "trip", "vacation", "holiday", "holidays",
     "travailler", "vivre", "habiter", "aller", "venir", "immigrer", "installer", "demenager", "voyage",
     "vacances", "visite", "pour", "only", "seulement", "uniquement", "valid", "valide", "restricted",
     "restreint", "limited", "limite", "specific", "allowed", "permis", "partout", "anywhere", "everywhere",
     "job", "jobs", "emploi", "emplois", "find", "trouver", "looking", "cherche", "chercher", "for",
     "stuck", "coinces", "coince", "must", "need", "dois", "doit", "faut", "arrive", "arriving", "arrivant",
     "land", "landing", "atterrir"}
)
# A place used as an adjective for the government, a program or a certificate.
NON_RESIDENCE_PREVIOUS = frozenset(
    {"gouvernement", "government", "ministere", "ministry", "immigration", "selected", "selection",
     "selectionne", "selectionnee", "issued", "delivre", "delivree", "csq", "certificat", "certificate",
     "by", "par", "pnp", "ircc", "mifi", "programme", "program", "embassy", "ambassade",
     "consulat", "consulate", "visa", "bureau", "imp", "pmi", "plus", "permit", "permis", "bowp", "ptop",
     "eligibility", "admissibilite", "requirements", "exigences", "candidates", "candidats", "nomination",
     "nominee", "pcp"}
)
NON_RESIDENCE_NEXT = frozenset(
    {"government", "gouvernement", "immigration", "selection", "experience", "skilled", "certificate",
     "certificat", "program", "programme", "ministry", "pnp", "csq", "issued", "selected", "nominee",
     "pilot", "stream", "embassy", "consulate", "visa", "s", "nomination", "nominations", "candidate",
     "candidates", "pcp", "bowp", "ptop", "permit", "permis", "eligibility"}
)
# "applied for PR in Quebec", "CSQ du Québec": the place qualifies the file, not the home.
APPLICATION_WORDS = frozenset(
    {"pr", "rp", "csq", "applied", "application", "demande", "dossier", "selection", "selected", "issued",
     "delivre", "delivree", "candidats", "candidat", "nomination", "nominee", "ptop", "bowp", "imp", "pmi",
     "qualifies", "qualifie", "workers", "worker", "skilled", "travailleurs", "eligibility", "admissibilite",
     "immigration", "ministere", "ministry"}
)
# "a CSQ from Quebec", "certificate of selection of Quebec": the issuer, not the home.
CERTIFICATE_WORDS = frozenset({"csq", "csqs", "certificate", "certificat", "selection", "selected", "issued",
                               "delivre", "delivree", "selectionne", "selectionnee"})
ARTICLES = frozenset({"l", "la", "le", "les", "the"})
# What may surround a first-name city given as a bare answer ("in Regina", "à Victoria").
# Words that may surround a bare place answer ("small town near Sherbrooke", "home is Bogota").
PLACE_FILLERS = frozenset(
    {"town", "city", "ville", "area", "region", "suburb", "suburbs", "banlieue", "near", "close", "pres",
     "proche", "downtown", "centre", "center", "small", "petite", "petit", "big", "grande", "grand", "right",
     "now", "currently", "actually", "fait", "canada", "province", "state", "country", "pays", "capital",
     "capitale", "metro", "greater", "north", "south", "east", "west", "nord", "sud", "est", "ouest", "home",
     "chez", "yes", "yeah", "oui", "ok", "okay", "sorry", "desole", "desolee", "correction", "wait",
     "attends", "meant", "mean", "thanks", "merci", "hi", "hello", "bonjour", "salut", "still", "toujours",
     "encore", "moment", "today", "aujourd", "hui", "village", "rural", "outskirts", "old", "new"}
)
CONNECTORS = frozenset({"en", "au", "aux", "in", "dans", "de", "du", "d", "province", "state", "etat", "the"})
BARE_ANSWER_WORDS = PLACE_FILLERS | LOCATION_PREPOSITIONS | CONNECTORS


@dataclass
class PlaceMention:
    """A gazetteer hit in a message (token span) and what the message says about it."""

    start: int
    end: int
    key: str
    candidates: list[Place]
    chosen: Place | None = None
    negated: bool = False
    score: int = 0
    usable: bool = True
    gate_pending: bool = False  # a gated name seen without context: needs a container or to stand alone


@dataclass
class ResidenceResult:
    """The residence a message states, the display name and the deciding token span."""

    residence: str
    display: str
    start: int
    end: int
    not_in_canada: tuple[int, int] | None = None
    extra: dict[str, str] = field(default_factory=dict)
    place: Place | None = None  # the index entry: country, province and time zone for the booking


@cache
def key_beginnings() -> frozenset[str]:
    """Every place key and each of its leading word sequences ("new", "new york" for "new york city"),
    built once per process: a search stops lengthening a phrase as soon as no key begins with it."""
    beginnings: set[str] = set()
    for key in get_gazetteer().entries:
        words = key.split(" ")
        beginnings.update(" ".join(words[:length]) for length in range(1, len(words) + 1))
    return frozenset(beginnings)


def place_spans(words: list[str]) -> list[tuple[int, int]]:
    """(start, end) of every word sequence of the message that is a place key, overlapping ones too."""
    entries, beginnings = get_gazetteer().entries, key_beginnings()
    spans: list[tuple[int, int]] = []
    for start in range(len(words)):
        phrase = words[start]
        for end in range(start + 1, len(words) + 1):
            if end > start + 1:
                phrase = f"{phrase} {words[end - 1]}"
            if phrase not in beginnings:
                break
            if phrase in entries:
                spans.append((start, end))
    return spans


# -- finding ----------------------------------------------------------------------------------

def _longest_first(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-overlapping spans, preferring longer then earlier ones; returned in text order."""
    taken: list[tuple[int, int]] = []
    used: set[int] = set()
    for start, end in sorted(set(spans), key=lambda s: (s[0] - s[1], s[0])):
        if any(i in used for i in range(start, end)):
            continue
        taken.append((start, end))
        used.update(range(start, end))
    return sorted(taken)


def _gate_ok(ctx: MessageContext, start: int) -> bool:
    """A gated (word-like) name needs a location preposition and a capital or residence verb."""
    if start == 0 or ctx.words[start - 1] not in LOCATION_PREPOSITIONS:
        return False
    if ctx.clause[start - 1] != ctx.clause[start]:
        return False
    first_char = ctx.folded.original[ctx.offsets[start][0]]
    return first_char.isupper() or bool(ctx.has_word_before(start - 1, RESIDENCE_CUES, 3))


def find_mentions(ctx: MessageContext, blocked: set[int] | None = None) -> list[PlaceMention]:
    """Gazetteer hits in the message, longest first, minus gated words out of context.

    Two-letter province codes that are also words ("ON", "NB", "AB") only count right after a
    city ("London, ON"), where they pick the Canadian namesake.
    """
    gaz = get_gazetteer()
    blocked = blocked or set()
    spans = place_spans(ctx.words)
    mentions: list[PlaceMention] = []
    for start, end in _longest_first(spans):
        if any(i in blocked for i in range(start, end)):
            continue
        key = " ".join(ctx.words[start:end])
        pending = key in gaz.gated and not _gate_ok(ctx, start)
        if pending and not ctx.original_word(start)[:1].isupper():
            continue
        mentions.append(PlaceMention(start, end, key, gaz.entries[key], gate_pending=pending))
    extra = []
    starts = {m.start for m in mentions}
    for m in mentions:
        code = ctx.words[m.end] if m.end < len(ctx.words) else ""
        followed = m.end in starts
        if code in PROVINCE_CODES and m.candidates[0].kind == "city" and not followed:
            o_start, o_end = ctx.offsets[m.end]
            if ctx.folded.original[o_start:o_end].isupper():
                province = PROVINCE_CODES[code]
                cand = Place("province", "CA", province, 0, PROVINCES[province], "other_province",
                             timezone=PROVINCE_ZONES[province])
                extra.append(PlaceMention(m.end, m.end + 1, code, [cand]))
    return sorted(mentions + extra, key=lambda m: m.start)


# -- resolving --------------------------------------------------------------------------------

def _choose(mention: PlaceMention, countries: set[str], admins: set[tuple[str, str]]) -> Place:
    """Pick a candidate: province/country keys first, then a city inside a named container."""
    best = mention.candidates[0]
    if best.kind != "city":
        return best
    for cand in mention.candidates:
        if cand.kind == "city" and ((cand.country, cand.admin) in admins or cand.country in countries):
            return cand
    return best


def _nearest(ctx: MessageContext, start: int, words: frozenset[str], size: int) -> int:
    return ctx.has_word_before(start, words, size)


def _neighbours(ctx: MessageContext, m: PlaceMention) -> tuple[str, str, str]:
    """(previous, the one before, next) words around a mention, skipping articles before it."""
    before = [k for k in ctx.before(m.start, 6) if ctx.words[k] not in ARTICLES]
    prev = ctx.words[before[-1]] if before else ""
    prev2 = ctx.words[before[-2]] if len(before) > 1 else ""
    nxt = ctx.words[m.end] if m.end < len(ctx.words) and ctx.clause[m.end] == ctx.clause[m.start] else ""
    return prev, prev2, nxt


def _impersonal_noise(
    ctx: MessageContext, m: PlaceMention, place_tokens: set[int], memo: dict[int, bool]
) -> bool:
    """A message with no "I" and other content words ("best pizza in Québec") names no home."""
    sentence = ctx.sentence[m.start]
    if sentence not in memo:
        memo[sentence] = _sentence_is_noise(ctx, sentence, place_tokens)
    return memo[sentence]


def _sentence_is_noise(ctx: MessageContext, sentence: int, place_tokens: set[int]) -> bool:
    tokens = ctx.sentence_tokens(sentence)
    words = {ctx.words[k] for k in tokens}
    if words & FIRST_PERSON or words & RESIDENCE_CUES:
        return False
    stop = stop_words()
    content = [k for k in tokens if k not in place_tokens and ctx.words[k] not in PLACE_FILLERS
               and ctx.words[k] not in stop and not ctx.words[k].isdigit()]
    return len(content) > 1


def _score(ctx: MessageContext, m: PlaceMention, place_tokens: set[int], memo: dict[int, bool]) -> None:
    """Mark mentions that do not say where the user lives, and score residence cues."""
    start = m.start
    res = _nearest(ctx, start, RESIDENCE_CUES, 4)
    origin = _nearest(ctx, start, ORIGIN_CUES, 4)
    kind = ctx.kind_at(start)
    clause = ctx.clause_words(start)
    prev, prev2, nxt = _neighbours(ctx, m)
    if kind == "question" or (kind == "hypothetical" and not res) or ctx.is_uncertain(start):
        m.usable = False
    elif _nearest(ctx, start, DESIRE_CUES, 8) or _nearest(ctx, start, EXAMPLE_CUES, 8):
        m.usable = False
    elif not res and _nearest(ctx, start, DESTINATION_CUES, 3):
        m.usable = False
    elif clause & SECOND_PERSON and not clause & FIRST_PERSON and not res:
        m.usable = False
    elif m.chosen and m.chosen.kind not in ("phrase", "canada") and (
        prev in NON_RESIDENCE_PREVIOUS
        or nxt in NON_RESIDENCE_NEXT
        or (prev in CONNECTORS and prev2 in APPLICATION_WORDS and not _nearest(ctx, start, RESIDENCE_CUES, 8))
        or (prev in ("from", "of") and prev2 in CERTIFICATE_WORDS)  # "I have a CSQ from Quebec"
    ):
        m.usable = False
    elif _impersonal_noise(ctx, m, place_tokens, memo):
        m.usable = False
    if res and (not origin or res < origin):
        m.score = 2
    elif origin:
        m.score = -1


def _contains(container: Place, inner: Place) -> bool:
    if container.kind == "country":
        return container.country == inner.country
    if container.kind in ("province", "region"):
        return container.country == inner.country and bool(container.admin) and container.admin == inner.admin
    return False


def _place_negated(ctx: MessageContext, m: PlaceMention, blocked: set[int]) -> bool:
    """A negation denies the place unless a fact mention sits in between.

    "I don't have any status in Canada" negates the status, not Canada; "not in Canada" and
    "je n'habite pas au Canada" deny living in Canada (reach of 3 tokens for "Canada").
    """
    reach = 3 if m.key == "canada" else 6
    for k in ctx.before(m.start, reach):
        window = ctx.place_neg_window[k]
        if window and m.start - k <= window and not any(i in blocked for i in range(k + 1, m.start)):
            return True
    return False


def resolve_residence(
    ctx: MessageContext, mentions: list[PlaceMention], blocked: set[int] | None = None
) -> ResidenceResult | None:
    """Decide the residence stated by a message from its place mentions (or None).

    `blocked` are the tokens of fact patterns (a negation reaching across them is theirs).
    """
    blocked = blocked or set()
    if not mentions:
        return None
    for m in mentions:
        m.negated = _place_negated(ctx, m, blocked)
    live = [m for m in mentions if not m.negated]
    countries = {c.country for m in live for c in m.candidates[:1] if c.kind in ("country", "canada")}
    admins = {
        (c.country, c.admin) for m in live for c in m.candidates[:1] if c.kind in ("province", "region")
    }
    place_tokens = {k for m in mentions for k in range(m.start, m.end)}
    memo: dict[int, bool] = {}
    for m in mentions:
        m.chosen = _choose(m, countries, admins)
        _score(ctx, m, place_tokens, memo)

    # "London, Ontario" / "Alger, en Algérie": the city and its container form one span.
    merged: list[PlaceMention] = []
    skip: set[int] = set()
    for i, m in enumerate(mentions):
        if i in skip:
            continue
        if m.chosen and m.chosen.kind == "city" and i + 1 < len(mentions):
            nxt = mentions[i + 1]
            between = ctx.words[m.end:nxt.start]
            if (
                len(between) <= 2
                and all(w in CONNECTORS for w in between)
                and nxt.chosen is not None
                and _contains(nxt.chosen, m.chosen)
                and not nxt.negated
            ):
                m.end = nxt.end
                m.score = max(m.score, nxt.score)
                m.usable = m.usable or nxt.usable
                skip.add(i + 1)
        merged.append(m)

    gaz = get_gazetteer()
    merged_away = {k for m in merged for k in range(m.start, m.end)}
    for m in merged:
        if not m.gate_pending:
            continue
        contained = m.end - m.start > len(m.key.split())
        alone = m.key in gaz.gated_names and all(
            k in merged_away or ctx.words[k] in BARE_ANSWER_WORDS for k in range(len(ctx.words))
        )
        if not (contained or alone):
            m.usable = False
            m.chosen = None

    not_in_canada: tuple[int, int] | None = None
    quebec_denied = False
    canada_mentions: list[PlaceMention] = []
    options: list[PlaceMention] = []
    for m in merged:
        chosen = m.chosen
        if chosen is None:
            continue
        if chosen.kind == "canada":
            if m.negated and m.usable:
                not_in_canada = (m.start, m.end)
                m.chosen = Place("phrase", "", "", 0, "outside Canada", "abroad")
                options.append(m)
            elif not m.negated and m.usable:
                canada_mentions.append(m)
            continue
        if m.negated:
            if chosen.residence == "quebec":
                quebec_denied = True
            continue
        if m.usable and chosen.residence:
            options.append(m)

    if quebec_denied and canada_mentions and not any(
        m.chosen and m.chosen.residence in ("other_province", "abroad") for m in options
    ):
        m = canada_mentions[-1]
        m.chosen = Place("phrase", "", "", 0, "Canada (outside Québec)", "other_province")
        options.append(m)

    if not options:
        return None
    best = max(options, key=lambda m: (m.score, m.start))
    assert best.chosen is not None and best.chosen.residence is not None
    return ResidenceResult(
        best.chosen.residence, best.chosen.display, best.start, best.end, not_in_canada, place=best.chosen
    )
