"""Clause, sentence, question and negation analysis of a folded message.

Facts are only worth extracting from statements the user makes about themselves, so every
match is checked against its clause: is it negated ("I don't have", "je n'ai pas"), is it a
question ("do I need a CSQ?") or a hypothesis ("if my CSQ expired")? Clause boundaries come
from the punctuation of the original text (folding removed it), from conjunctions and from
question tails ("... csq from arrima do i qualify", "... est-ce que je peux"). A question only
covers the clauses that ask: the statements before "do I qualify?" keep their facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc

from i18n.text_folding import FoldedText

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
        # Québécois "pis" (= puis, "and") and "faque" (= "so").
        "pis", "faque", "fak", "fac",
    }
)
# Words that may open a clause before its real first word ("and can I...", "ok so if...").
CLAUSE_OPENERS = frozenset(
    {"and", "but", "so", "then", "ok", "okay", "well", "also", "et", "mais", "alors", "donc", "puis",
     "ensuite", "bon", "ben", "pis", "hi", "hello", "bonjour", "salut", "hey", "oh", "ah", "yes", "no",
     "oui", "non", "please", "svp", "faque", "fak", "fac", "allo", "bonsoir", "coucou", "slt", "bjr", "yo",
     "salam", "hii", "hiya", "greetings", "sup"}
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
# ("rendez-vous" and "chez-nous" are nouns, not inversions.)
FRENCH_INVERSION = re.compile(
    r"(?<!\brende)(?<!\bche)\w[-‐](?:t[-‐])?(?:je|tu|il|elle|on|ils|elles|vous|nous)\b", re.IGNORECASE
)
# An interrogative word makes its own impersonal clause a question ("processing time how long").
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
# A question tail inside a clause starts a clause of its own: "csq from arrima do i qualify",
# "jai mon csq du peq est ce que je peux appliquer", "je peux-tu appliquer", "suis-je admissible".
# English: an auxiliary before one of these subjects...
TAIL_AUX = frozenset({"can", "could", "do", "does", "did", "am", "are", "would", "should", "will", "may",
                      "might", "shall", "have"})
TAIL_SUBJECTS = frozenset({"i", "we", "u", "you"})
# ...unless the word before joins the two ("so do I", "what can I...", "than do I").
NO_TAIL_BEFORE = frozenset({"so", "neither", "nor", "than", "as", "only", "what", "how", "why", "which",
                            "where", "who", "whom", "whose", "when", "that", "if", "whether", "not", "then",
                            "or", "and", "but"})
# French: a verb inverted with its subject ("suis-je", "peut-on", "y a-t-il") or followed by the
# Québécois question particle "tu" ("je peux tu", "ça compte-tu", "c'est-tu").
FRENCH_TAIL_VERBS = frozenset(
    {"ai", "as", "a", "avons", "avez", "ont", "suis", "es", "est", "sommes", "etes", "sont", "peux", "puis",
     "peut", "pouvons", "pouvez", "peuvent", "pourrais", "pourrait", "pourrions", "pourriez", "dois", "doit",
     "devons", "devez", "doivent", "devrais", "devrait", "faut", "faudrait", "vais", "vas", "va", "allons",
     "allez", "serais", "serait", "sera", "serai", "sais", "sait", "savez", "veux", "veut", "voulez",
     "compte", "comptent", "marche", "existe", "fait", "faites", "chu", "chui", "jpeux", "jsuis"}
)
FRENCH_TAIL_PRONOUNS = frozenset({"je", "tu", "on", "il", "elle", "ils", "elles", "nous", "vous"})
TAIL_TRIGGERS = TAIL_AUX | FRENCH_TAIL_VERBS | {"est"}
FIRST_SECOND_INVERSION = frozenset({"je", "on", "nous", "vous"})
THIRD_PERSON = frozenset({"il", "elle", "ils", "elles"})
SECOND_PERSON_VERBS = frozenset({"peux", "pourrais", "sais", "as", "es", "vas", "dois", "veux", "serais",
                                 "devrais", "crois", "penses", "connais", "aurais"})
# A subject clitic before such a verb belongs to the tail ("je peux-tu", "y a-t-il", "ça compte-tu").
FRENCH_TAIL_SUBJECTS = frozenset({"je", "j", "on", "ca", "c", "y", "ce", "il", "elle"})
# "c'est ce que j'ai", "ce qu'est ce programme": "est ce que" after these asks nothing.
NO_EST_CE_BEFORE = frozenset({"c", "ce", "ca", "cela", "n", "qui", "que", "tout", "voila", "ne"})
# Clause-initial words that make the clause ask, for the statement restarts below.
SPLIT_QUESTION_STARTS = frozenset(
    {"do", "does", "did", "can", "could", "should", "would", "will", "is", "are", "am", "what", "how",
     "why", "which", "who", "where", "est", "quel", "quelle", "quels", "quelles", "comment", "pourquoi",
     "combien", "puis", "peux", "peut", "pourrais", "pourrait", "dois", "doit", "faut"}
)
# Inside a question, these start a statement about oneself ("can i apply for imp+ i have a csq").
STATEMENT_STARTS: dict[str, frozenset[str]] = {
    "i": frozenset({"have", "live", "m", "am", "got", "hold", "applied", "received", "own", "already",
                    "currently", "also", "just", "work", "study", "stay", "reside", "filed", "submitted"}),
    "j": frozenset({"ai", "habite", "vis", "reste", "suis"}),
    "je": frozenset({"suis", "vis", "habite", "reste", "detiens", "possede", "travaille", "etudie"}),
}
STATEMENT_STARTS_ONE = frozenset({"im", "ive", "jai", "chu", "chui", "jsuis", "jhabite"})
# ...unless the word before ties it to the question.
NO_RESTART_BEFORE = frozenset(
    {"if", "whether", "that", "until", "till", "unless", "once", "after", "before", "since", "because", "as",
     "when", "while", "than", "so", "prove", "show", "say", "said", "mention", "think", "believe", "know",
     "sure", "guess", "mean", "declare", "state", "claim", "to", "what", "where", "how", "why", "which",
     "who", "que", "qu", "si", "quand", "lorsque", "pense", "crois", "dire", "prouver", "montrer", "avant",
     "apres", "sais", "ce", "ou", "and", "or", "but", "et", "mais", "pis", "tant", "parce", "puisque",
     "the", "a", "an", "le", "la", "un", "une", "not", "pas", "ne", "n", "don", "t"}
)
# A question with one of these subjects asks about the person, not about the thing named before it.
FIRST_PERSON_SUBJECTS = frozenset({"i", "im", "ive", "we", "j", "je", "nous", "chu", "chui", "jsuis", "jai",
                                   "jpeux", "on"})
INDEFINITE_OPENERS = frozenset({"a", "an", "un", "une", "any", "some", "des"})
# A question about the thing named just before it ("a CSQ from Arrima, is that enough?",
# "un CSQ expiré, ça compte-tu?"): its subject is a pronoun and it judges that thing.
ANAPHORIC_SUBJECTS = frozenset({"it", "that", "this", "those", "these", "they", "ca", "cela", "ce", "c",
                                "il", "elle", "ils", "elles", "celui", "celle", "ceux", "thats", "its",
                                "one", "which", "lequel", "laquelle", "lesquels", "lesquelles"})
EVALUATIVE_WORDS = frozenset(
    {"count", "counts", "counted", "compte", "comptent", "enough", "sufficient", "suffisant", "suffisante",
     "suffit", "assez", "valid", "valide", "accepted", "accepte", "acceptee", "acceptable", "recognized",
     "recognised", "reconnu", "reconnue", "work", "works", "marche", "fonctionne", "qualify", "qualifies",
     "ok", "okay", "correct", "good", "bon", "bonne", "fine", "eligible", "admissible", "open", "ouvert",
     "ouverte", "considered", "considere", "matter", "pertinent", "better", "mieux", "best", "meilleur",
     "meilleure", "preferable"}
)
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
    _tail_starts: frozenset[int] = frozenset()
    _complex_inversions: frozenset[int] = frozenset()

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
        self._tail_starts = self._find_question_tails()
        asking = False  # the current clause asks ("can i apply for imp+ | i have a csq from peq")
        opening = True  # still at the clause's first words (openers such as "hi", "so")
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
                    asking, opening = False, True
                elif (
                    any(c in CLAUSE_PUNCT for c in gap)
                    or " - " in gap
                    or word in CONJUNCTIONS
                    or (word == "s" and i + 1 < len(words) and words[i + 1] in ("il", "ils"))
                    or (i in self._tail_starts and words[i - 1] not in CLAUSE_OPENERS)
                    or (asking and self._restarts_statement(i))
                ):
                    clause_id += 1
                    asking, opening = False, True
            if i in self._tail_starts or (opening and word in SPLIT_QUESTION_STARTS):
                asking = True
            opening = opening and word in CLAUSE_OPENERS
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

    def _restarts_statement(self, i: int) -> bool:
        """"can i apply for imp+ i have a csq from peq", "how are you i live in ottawa": inside a
        question, "I have / I live / j'ai / je suis..." starts a statement of its own, unless the
        word before makes it part of the question ("until I have", "prove I have", "si j'ai")."""
        words = self.words
        word = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if word in STATEMENT_STARTS_ONE:
            pass
        elif word not in STATEMENT_STARTS or nxt not in STATEMENT_STARTS[word]:
            return False
        prev = words[i - 1]
        return prev not in NO_RESTART_BEFORE and prev not in TAIL_AUX and prev not in FRENCH_TAIL_VERBS

    def _find_question_tails(self) -> frozenset[int]:
        """Token indexes where a question tail starts: "do i", "can we", "est-ce que", "suis-je",
        "je peux-tu", "ça compte tu". Cheap: one pass, only looking at neighbours."""
        words = self.words
        n = len(words)
        starts: set[int] = set()
        complex_inversions: set[int] = set()
        for i in range(n - 1):
            word = words[i]
            if word not in TAIL_TRIGGERS:
                continue
            nxt = words[i + 1]
            prev = words[i - 1] if i > 0 else ""
            if word in TAIL_AUX and nxt in TAIL_SUBJECTS:
                if prev not in NO_TAIL_BEFORE:
                    starts.add(i)
            elif word == "est" and nxt == "ce" and i + 2 < n and words[i + 2] in ("que", "qu"):
                if prev == "qu" and self.original_word(i - 1).lower() == "qu":
                    if i < 2 or words[i - 2] not in NO_EST_CE_BEFORE:
                        starts.add(i - 1)  # "qu'est-ce que"
                elif prev not in NO_EST_CE_BEFORE:
                    starts.add(i)
            elif word in FRENCH_TAIL_VERBS and nxt in FRENCH_TAIL_PRONOUNS | {"t"}:
                gap = self._gap(i + 1)
                hyphen = "-" in gap or "‐" in gap
                pronoun = words[i + 2] if nxt == "t" and i + 2 < n else nxt
                if nxt == "t" and not (hyphen and pronoun in FRENCH_TAIL_PRONOUNS):
                    continue
                clitic = i > 0 and prev in FRENCH_TAIL_SUBJECTS
                if clitic:
                    # "je peux-tu", "ça compte tu", "y a-t-il", "c'est-tu": the clitic opens the tail.
                    if hyphen or pronoun == "tu":
                        starts.add(i - 1)
                elif hyphen and pronoun in THIRD_PERSON:
                    complex_inversions.add(i)  # "un CSQ du PEQ est-il valable": the noun is the subject
                elif hyphen and (pronoun in FIRST_SECOND_INVERSION or (
                        pronoun == "tu" and word in SECOND_PERSON_VERBS)):
                    # "suis-je", "peut-on", "pouvez-vous", "peux-tu": a question of its own. But with
                    # "il/elle" or a third-person "-tu" the words before are its subject: "un CSQ du PEQ
                    # est-il valable", "le CSQ du PSTQ marche-tu" ask about that CSQ.
                    starts.add(i)
                elif word in ("chu", "chui", "jsuis", "jpeux") and pronoun == "tu":
                    starts.add(i)
        self._complex_inversions = frozenset(complex_inversions)
        return frozenset(starts)

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
        if i in self._tail_starts:
            return "question"
        # A "?" closes the sentence's last clause; it does not make "suis à Ottawa, ..." a question.
        question_mark = ends_with_q.get(self.sentence[i], False) and self._last_clause_of_sentence(cid)
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

    def _last_clause_of_sentence(self, cid: int) -> bool:
        last = self._clause_tokens[cid][-1]
        return last + 1 >= len(self.words) or self.sentence[last + 1] != self.sentence[last]

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
        "when ..." next to a question, and impersonal clauses that belong to the question.

        A question only reaches the clauses that ask: "hey im in hamilton with a pgwp, csq from arrima,
        no invite yet, do i qualify" states three things and asks one. An impersonal clause (no I/my/je)
        is part of the question when it follows the asking clause ("does it count, a PSTQ CSQ?"), when
        it is named just before a question that judges it ("a CSQ from Arrima, is that enough?"), or
        when it holds an interrogative word itself.
        """
        by_sentence: dict[int, list[int]] = {}
        for cid, first in enumerate(self.clause_first):
            by_sentence.setdefault(self.sentence[first], []).append(cid)
        kinds = self.clause_kind
        for sid, cids in by_sentence.items():
            if ends_with_q.get(sid) and kinds[cids[-1]] == "statement":
                kinds[cids[-1]] = "question"
            for before, cid in zip(cids, cids[1:], strict=False):
                opener = self.words[self.clause_first[cid]]
                if opener in COORDINATORS and kinds[before] == "question":
                    kinds[cid] = "question"
            asking = [pos for pos, c in enumerate(cids) if kinds[c] == "question"]
            if not asking and not ends_with_q.get(sid) and not self._has_interrogative(cids):
                continue
            # "could I apply when I arrive in Montreal", "when I arrive, can I apply": a time clause
            # next to the question is part of it.
            near = {p + d for p in asking for d in (-1, 1)}
            for pos, cid in enumerate(cids):
                if self._time_clause(cid) and (pos in near or not asking):
                    kinds[cid] = "hypothetical"
            first_ask = asking[0] if asking else len(cids)
            judged = self._judged_clauses(cids, asking)
            for pos, cid in enumerate(cids):
                if kinds[cid] != "statement" or self.clause_words_by_id(cid) & FIRST_PERSON:
                    continue
                if pos > first_ask or pos in judged or self._has_interrogative([cid]):
                    kinds[cid] = "question"

    def _time_clause(self, cid: int) -> bool:
        """A clause opening with "when/quand/after/dès..." ("des" only when written "dès")."""
        first = self.clause_first[cid]
        word = self.words[first]
        return word in TIME_CONJUNCTIONS and (word != "des" or self.original_word(first).lower() == "dès")

    def _has_interrogative(self, cids: list[int]) -> bool:
        """An interrogative word in these clauses, not counting a "when/quand" that opens a later
        clause ("I applied for PR when the CSQ was valid" asks nothing)."""
        for c in cids:
            for i in self._clause_tokens[c]:
                if self.words[i] in INTERROGATIVES and not (
                    c != cids[0] and i == self.clause_first[c] and self.words[i] in CONJUNCTIONS
                ):
                    return True
        return False

    def _judged_clauses(self, cids: list[int], asking: list[int]) -> set[int]:
        """Positions of the impersonal clauses that belong to a later question of their sentence.

        - Named just before a question that judges them ("a CSQ from Arrima, is that enough?",
          "le PEQ, est-ce qu'il est encore ouvert?"), unless the person already spoke of themselves
          and lists their situation ("I live in Ottawa, PGWP, CSQ from PEQ, is that enough?"; an
          indefinite "a CSQ / un CSQ" is still generic).
        - Alternatives before a question ("PEQ or PSTQ, which one is better?").
        """
        judged: set[int] = set()
        if not asking:
            return judged
        first_ask = asking[0]
        for pos in range(1, first_ask):
            if self._opener(cids[pos]) in ("or", "ou") and self._impersonal(cids[pos]):
                judged.add(pos)
                if self._impersonal(cids[pos - 1]):
                    judged.add(pos - 1)
        for pos in asking:
            cid = cids[pos]
            words = self.clause_words_by_id(cid)
            idx = self._clause_tokens[cid]
            if not any(i in self._complex_inversions for i in idx):
                if words & FIRST_PERSON_SUBJECTS or not words & EVALUATIVE_WORDS:
                    continue
                head = [self.words[i] for i in idx[:6] if self.words[i] not in CLAUSE_OPENERS]
                if not ANAPHORIC_SUBJECTS.intersection(head[:4]):
                    continue
            k = pos - 1
            # Walk back over the impersonal clauses (a long name may hold commas).
            while k >= 0 and self._impersonal(cids[k]) and self.clause_kind[cids[k]] != "question":
                k -= 1
            personal_before = k >= 0 and any(
                self.clause_words_by_id(c) & FIRST_PERSON for c in cids[:k + 1]
            )
            for j in range(k + 1, pos):
                if self.clause_kind[cids[j]] == "statement" and (
                    not personal_before or self._opener(cids[j]) in INDEFINITE_OPENERS
                ):
                    judged.add(j)
        return judged

    def _impersonal(self, cid: int) -> bool:
        return not self.clause_words_by_id(cid) & FIRST_PERSON

    def _opener(self, cid: int) -> str:
        """The first word of clause `cid` after greetings and "so/and"-like openers."""
        for i in self._clause_tokens[cid]:
            if self.words[i] not in CLAUSE_OPENERS or self.words[i] in ("or", "ou"):
                return self.words[i]
        return ""

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
