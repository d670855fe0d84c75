"""Clause, sentence, question and negation analysis of a folded message.

Facts are only worth extracting from statements the user makes about themselves, so every
match is checked against its clause: is it negated ("I don't have", "je n'ai pas"), is it a
question ("do I need a CSQ?") or a hypothesis ("if my CSQ expired")? Clause boundaries come
from the punctuation of the original text (folding removed it) and from conjunctions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc

from nlu_components.text_folding import FoldedText

SENTENCE_PUNCT = frozenset(".!?;\n")
CLAUSE_PUNCT = frozenset(",:()[]{}\"«»“”—–")
# Periods after these tokens are abbreviation dots, not sentence ends.
ABBREVIATIONS = frozenset({"st", "ste", "mt", "mr", "mrs", "ms", "dr", "etc", "vs", "no", "p", "e"})

# A conjunction starts a new clause: negation and verbs do not reach across it.
CONJUNCTIONS = frozenset(
    {
        "and", "but", "or", "because", "since", "so", "although", "though", "while", "however",
        "if", "whether", "unless", "when", "then", "whereas",
        "mais", "et", "ou", "car", "parce", "puisque", "donc", "alors", "cependant", "pourtant",
        "si", "quand", "lorsque", "puis", "ensuite", "tandis", "sinon",
    }
)
# Words that may open a clause before its real first word ("and can I...", "ok so if...").
CLAUSE_OPENERS = frozenset(
    {"and", "but", "so", "then", "ok", "okay", "well", "also", "et", "mais", "alors", "donc", "puis",
     "ensuite", "bon", "ben", "pis", "hi", "hello", "bonjour", "salut", "hey", "oh", "ah", "yes", "no",
     "oui", "non", "please", "svp"}
)
HYPOTHETICAL_STARTS = frozenset({"if", "whether", "unless", "si", "suppose", "supposing", "imagine"})
QUESTION_STARTS = frozenset(
    {
        "do", "does", "did", "can", "could", "should", "would", "will", "shall", "may", "might", "must",
        "is", "are", "am", "was", "were", "what", "how", "where", "why", "which", "who", "whom", "whose",
        "est", "quel", "quelle", "quels", "quelles", "comment", "pourquoi", "combien", "dois", "doit",
        "puis", "peux", "peut", "pourrais", "pourrait", "faut", "quoi", "lequel", "laquelle", "qu",
        "y", "ai", "suis", "existe", "avez", "sais",
    }
)
# "can I", "is it", "do you": an auxiliary before its subject asks a question.
ENGLISH_AUX = frozenset(
    {"can", "could", "do", "does", "did", "am", "is", "are", "was", "were", "will", "would", "should",
     "shall", "may", "might", "must", "have", "has"}
)
ENGLISH_SUBJECTS = frozenset({"i", "you", "we", "it", "they", "he", "she", "there", "u"})
# "puis-je", "est-il", "a-t-elle", "y'a-tu", "marche-tu": French inversion (on the original text).
FRENCH_INVERSION = re.compile(r"\w[-‐](?:t[-‐])?(?:je|tu|il|elle|on|ils|elles|vous|nous)\b", re.IGNORECASE)
# An interrogative word anywhere makes the impersonal clauses of its sentence questions.
INTERROGATIVES = frozenset(
    {"what", "how", "why", "which", "when", "where", "who", "quoi", "combien", "comment", "pourquoi",
     "quel", "quelle", "quels", "quelles", "quand", "qui"}
)
# Saying one does not know: a negated one of these, or one of DOUBT_WORDS, voids the clause after it.
EPISTEMIC_WORDS = frozenset(
    {"know", "sure", "certain", "remember", "recall", "think", "sais", "sait", "savais", "sur", "certaine",
     "rappelle", "souviens", "pense", "crois", "idea", "idee", "clue", "souvenir"}
)
DOUBT_WORDS = frozenset({"unsure", "wonder", "wondering", "doubt", "doute", "maybe", "perhaps", "probably",
                         "possibly", "peutetre", "probablement"})
COORDINATORS = frozenset({"and", "et", "or", "ou", "ni", "nor"})
# "could I apply when I arrive in Montreal": a time clause inside a question is hypothetical.
TIME_CONJUNCTIONS = frozenset({"when", "quand", "lorsque", "once", "after", "before", "until", "des", "avant",
                               "apres"})
# Question words that also introduce ordinary statements ("when I got my CSQ, ...").
QUESTION_IF_MARK = frozenset({"when", "quand", "ou", "where"})

# Negation cues and how many tokens ahead of them they reach (within the clause).
NEGATION_WINDOWS: dict[str, int] = {
    "not": 5, "never": 5, "without": 3, "nor": 3, "neither": 3, "none": 2, "no": 2, "nope": 1,
    "cannot": 5, "didnt": 5, "doesnt": 5, "havent": 5, "hasnt": 5, "hadnt": 5, "isnt": 5, "arent": 5,
    "wasnt": 5, "werent": 5, "cant": 5, "wont": 5, "couldnt": 5, "wouldnt": 5, "shouldnt": 5,
    "aint": 5, "lacking": 3,
    "n": 5, "ne": 5, "pas": 5, "jamais": 5, "sans": 3, "aucun": 3, "aucune": 3, "aucuns": 3,
    "aucunes": 3, "pantoute": 5, "ni": 3, "non": 1, "nullement": 5,
}
# "don't" folds to "don t": the "t" is the cue when it follows one of these.
CONTRACTION_HEADS = frozenset(
    {"don", "doesn", "didn", "haven", "hasn", "hadn", "isn", "aren", "wasn", "weren", "can", "couldn",
     "won", "wouldn", "shouldn", "ain", "mustn", "needn"}
)
# "dont" without apostrophe is also French ("dont" = "of which"): a cue only before these verbs.
DONT_VERBS = frozenset({"have", "live", "know", "think", "need", "hold", "own", "reside", "stay", "work",
                        "got", "get", "see", "yet", "currently"})
# Extra cues that deny a place without a grammatical negation ("outside Quebec").
PLACE_NEGATION_WINDOWS: dict[str, int] = {
    "outside": 2, "hors": 2, "dehors": 3, "except": 2, "excepte": 2, "sauf": 2, "besides": 2,
    "ailleurs": 4, "left": 3, "quitte": 3, "quittee": 3, "exclu": 2, "excluding": 2,
}
FIRST_PERSON = frozenset(
    {"i", "im", "ive", "me", "my", "mine", "we", "our", "us", "j", "je", "moi", "mon", "ma", "mes", "nous",
     "notre", "nos", "chu", "chui", "jsuis", "jai", "m"}
)
INTERJECTION_FOLLOWERS = frozenset({"it", "its", "c", "ce", "that", "actually", "en", "wait", "sorry",
                                    "pardon",
                                    "desole", "desolee", "oups", "oops", "thanks", "merci"})
SECOND_PERSON = frozenset({"you", "your", "vous", "votre", "vos", "tu", "ton", "ta", "tes", "u"})


@dataclass
class MessageContext:
    """Tokens of one folded message with their original offsets, clauses and negation cues."""

    folded: FoldedText
    doc: Doc
    words: list[str] = field(default_factory=list)
    offsets: list[tuple[int, int]] = field(default_factory=list)
    clause: list[int] = field(default_factory=list)
    sentence: list[int] = field(default_factory=list)
    clause_kind: list[str] = field(default_factory=list)
    clause_first: list[int] = field(default_factory=list)
    neg_window: list[int] = field(default_factory=list)
    place_neg_window: list[int] = field(default_factory=list)
    _clause_sets: dict[int, frozenset[str]] = field(default_factory=dict)
    uncertain_from: dict[int, int] = field(default_factory=dict)
    _clause_tokens: list[list[int]] = field(default_factory=list)
    _sentence_tokens: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, folded: FoldedText, doc: Doc) -> MessageContext:
        """Analyse `doc` (tokens of `folded.text`)."""
        ctx = cls(folded=folded, doc=doc)
        ctx.words = [t.text for t in doc]
        ctx.offsets = [folded.original_span(t.idx, t.idx + len(t.text)) for t in doc]
        ctx._segment()
        ctx._find_negations()
        ctx._find_uncertainty()
        return ctx

    # -- segmentation -------------------------------------------------------------------------
    def _gap(self, i: int) -> str:
        """Original text between token i-1 and token i."""
        prev_end = self.offsets[i - 1][1] if i > 0 else 0
        return self.folded.original[prev_end:self.offsets[i][0]]

    def _segment(self) -> None:
        words = self.words
        clause_id = sentence_id = 0
        ends_with_q: dict[int, bool] = {}
        for i, word in enumerate(words):
            if i > 0:
                gap = self._gap(i)
                new_sentence = any(c in SENTENCE_PUNCT for c in gap)
                if new_sentence and set(gap.strip()) == {"."} and (
                    len(words[i - 1]) == 1 or words[i - 1] in ABBREVIATIONS
                ):
                    new_sentence = False
                if new_sentence:
                    ends_with_q[sentence_id] = "?" in gap
                    sentence_id += 1
                    clause_id += 1
                elif (
                    any(c in CLAUSE_PUNCT for c in gap)
                    or " - " in gap
                    or word in CONJUNCTIONS
                    or (word == "s" and i + 1 < len(words) and words[i + 1] in ("il", "ils"))
                ):
                    clause_id += 1
            self.clause.append(clause_id)
            self.sentence.append(sentence_id)
        if words:
            tail = self.folded.original[self.offsets[-1][1]:]
            ends_with_q[sentence_id] = "?" in tail
        n_clauses = (self.clause[-1] + 1) if words else 0
        self.clause_first = [0] * n_clauses
        self._clause_tokens = [[] for _ in range(n_clauses)]
        for i, cid in enumerate(self.clause):
            if not self._clause_tokens[cid]:
                self.clause_first[cid] = i
            self._clause_tokens[cid].append(i)
        self.clause_kind = ["statement"] * n_clauses
        for cid in range(n_clauses):
            self.clause_kind[cid] = self._kind_of_clause(cid, ends_with_q)
        self._refine_kinds(ends_with_q)

    def _kind_of_clause(self, cid: int, ends_with_q: dict[int, bool]) -> str:
        """Question/hypothesis from the clause's first word or an inverted subject."""
        first = self.clause_first[cid]
        n = len(self.words)
        i = first
        while i < n and self.clause[i] == cid and self.words[i] in CLAUSE_OPENERS:
            i += 1
        if i >= n or self.clause[i] != cid:
            return "statement"
        word = self.words[i]
        nxt = self.words[i + 1] if i + 1 < n and self.clause[i + 1] == cid else ""
        question_mark = ends_with_q.get(self.sentence[i], False)
        if_clause = word == "s" and nxt in ("il", "ils")  # "s'il"
        if word in HYPOTHETICAL_STARTS or (word == "what" and nxt == "if") or if_clause:
            return "hypothetical"
        if word == "est" and nxt == "ce":
            return "question"
        if word in ("ou", "qu") and self.original_word(i).lower() in ("où", "qu"):
            return "question"
        if word in ("y", "ai", "suis", "sais", "avez", "existe", "qu", "qui") and not question_mark:
            return "question" if self._inverted(cid) else "statement"
        if word in QUESTION_STARTS:
            return "question"
        if word in QUESTION_IF_MARK and (question_mark or nxt in ENGLISH_AUX):
            return "question"
        return "question" if self._inverted(cid) else "statement"

    def original_word(self, i: int) -> str:
        """The original text of token `i`."""
        start, end = self.offsets[i]
        return self.folded.original[start:end]

    def _inverted(self, cid: int) -> bool:
        """Inverted subject: "can I", "is it", "puis-je", "est-il", "a-t-elle", "marche-tu"."""
        idx = self._clause_tokens[cid]
        start, end = self.offsets[idx[0]][0], self.offsets[idx[-1]][1]
        if FRENCH_INVERSION.search(self.folded.original[start:end]):
            return True
        words = [self.words[i] for i in idx]
        return any(a in ENGLISH_AUX and b in ENGLISH_SUBJECTS for a, b in zip(words, words[1:], strict=False))

    def _refine_kinds(self, ends_with_q: dict[int, bool]) -> None:
        """Spread question marks: the last clause of a "?" sentence, "and ..." after a question,
        "when ..." in a question, and impersonal clauses of a question."""
        by_sentence: dict[int, list[int]] = {}
        for cid, first in enumerate(self.clause_first):
            by_sentence.setdefault(self.sentence[first], []).append(cid)
        for sid, cids in by_sentence.items():
            if ends_with_q.get(sid) and self.clause_kind[cids[-1]] == "statement":
                self.clause_kind[cids[-1]] = "question"
            for before, cid in zip(cids, cids[1:], strict=False):
                opener = self.words[self.clause_first[cid]]
                if opener in COORDINATORS and self.clause_kind[before] == "question":
                    self.clause_kind[cid] = "question"
            asks = ends_with_q.get(sid) or "question" in (self.clause_kind[c] for c in cids)
            for cid in cids:
                if asks and self.words[self.clause_first[cid]] in TIME_CONJUNCTIONS:
                    self.clause_kind[cid] = "hypothetical"
            # "I applied for PR when the CSQ was valid": a "when/quand" opening a later clause joins it
            # to the statement before; it asks nothing.
            words = {
                self.words[i] for c in cids for i in self._clause_tokens[c]
                if not (c != cids[0] and i == self.clause_first[c] and self.words[i] in CONJUNCTIONS)
            }
            signal = ends_with_q.get(sid) or "question" in (self.clause_kind[c] for c in cids) or bool(
                words & INTERROGATIVES
            )
            if not signal:
                continue
            for cid in cids:
                if self.clause_kind[cid] == "statement" and not (self.clause_words_by_id(cid) & FIRST_PERSON):
                    self.clause_kind[cid] = "question"

    def clause_words_by_id(self, cid: int) -> frozenset[str]:
        """All words of clause `cid` (cached)."""
        if cid not in self._clause_sets:
            self._clause_sets[cid] = frozenset(self.words[i] for i in self._clause_tokens[cid])
        return self._clause_sets[cid]

    def _find_uncertainty(self) -> None:
        """Clauses where the user says they do not know ("I don't know which program my CSQ is")."""
        self.uncertain_from = {}
        for i, word in enumerate(self.words):
            prev = self.words[i - 1] if i > 0 else ""
            marker = word in DOUBT_WORDS or (word == "etre" and prev == "peut")
            if word in EPISTEMIC_WORDS and any(
                self.neg_window[k] and i - k <= max(self.neg_window[k], 3) for k in self.before(i, 4)
            ):
                marker = True
            if marker:
                self.uncertain_from.setdefault(self.clause[i], i)

    def is_uncertain(self, token: int) -> bool:
        """True if an "I don't know"/"not sure"/"maybe" precedes `token` in its clause."""
        start = self.uncertain_from.get(self.clause[token])
        return start is not None and start < token

    def _find_negations(self) -> None:
        words = self.words
        n = len(words)
        self.neg_window = [0] * n
        self.place_neg_window = [0] * n
        for i, word in enumerate(words):
            nxt = words[i + 1] if i + 1 < n else ""
            window = NEGATION_WINDOWS.get(word, 0)
            if word == "t" and i > 0 and words[i - 1] in CONTRACTION_HEADS:
                window = 5
            elif word == "dont" and nxt in DONT_VERBS:
                window = 5
            elif word == "yet" and nxt == "to":
                window = 4
            elif word == "n" and nxt in ("importe", "est"):
                # "n'importe" is not a negation; "n'est" is ("n'est pas", "n'est plus").
                window = 5 if nxt == "est" else 0
            elif word == "no" and nxt in ("longer", "more"):
                window = 4
            elif word in ("no", "non", "nope", "nah") and nxt in FIRST_PERSON | INTERJECTION_FOLLOWERS:
                # "no I live in Ottawa", "non j'ai mon CSQ": an answer word, not a negation.
                window = 0
            self.neg_window[i] = window
            place_window = PLACE_NEGATION_WINDOWS.get(word, 0)
            if word == "out" and nxt == "of":
                place_window = 3
            if word == "other" and nxt == "than":
                place_window = 3
            if word == "autre" and nxt in ("que", "qu"):
                place_window = 3
            self.place_neg_window[i] = max(window, place_window)

    # -- queries ------------------------------------------------------------------------------
    def kind_at(self, token: int) -> str:
        """Clause kind ("statement", "question", "hypothetical") of the clause holding `token`."""
        return self.clause_kind[self.clause[token]]

    def before(self, start: int, size: int) -> range:
        """Indexes of up to `size` tokens before `start`, stopping at the clause start."""
        first = self.clause_first[self.clause[start]] if start < len(self.words) else start
        return range(max(first, start - size), start)

    def is_negated(self, start: int, end: int, *, inside: bool = True, place: bool = False) -> bool:
        """True if a negation cue reaches tokens [start, end) from its clause, or sits inside."""
        windows = self.place_neg_window if place else self.neg_window
        for k in self.before(start, 6):
            if windows[k] and start - k <= windows[k]:
                return True
        if inside:
            return any(windows[k] for k in range(start, end))
        return False

    def has_word_before(self, start: int, words: frozenset[str] | set[str], size: int) -> int:
        """Distance to the nearest of `words` within `size` tokens before `start` (0 if none)."""
        for k in reversed(self.before(start, size)):
            if self.words[k] in words:
                return start - k
        return 0

    def sentence_tokens(self, sentence: int) -> list[int]:
        """Token indexes of sentence `sentence` (cached)."""
        if not self._sentence_tokens:
            for i, sid in enumerate(self.sentence):
                self._sentence_tokens.setdefault(sid, []).append(i)
        return self._sentence_tokens.get(sentence, [])

    def clause_words(self, token: int) -> frozenset[str]:
        """All words of the clause holding `token` (cached per clause)."""
        return self.clause_words_by_id(self.clause[token])
