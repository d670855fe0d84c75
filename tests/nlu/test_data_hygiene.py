"""Hygiene checks for the NLU training data and the held-out test sets.

- the YAML files parse and follow the Rasa 3 NLU shape (every example line is "- text");
- every intent block is tagged `metadata: {lang: en|fr}` and its examples do not look like the
  other language (a crude marker-word detector; mixed or marker-less examples are allowed);
- every intent has at least MIN_PER_LANG training examples that the detector itself reads as
  English and as French (so the count cannot be inflated by mislabelled blocks);
- no example is duplicated in training, even after normalisation;
- every held-out intent exists in training, and no held-out example is in training after
  normalisation (case, punctuation, accents and spaces ignored) or is a word-order shuffle of one;
- no training example repeats a sentence of the public evaluation sample, apart from the bare
  one-word answers listed in SAMPLE_ALLOWED.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

from tests.servers import shared_dir

ROOT = Path(__file__).resolve().parents[2]
TRAIN_FILES = sorted((ROOT / "data" / "nlu").glob("*.yml"))
HELDOUT_FILES = {lang: ROOT / "tests" / "nlu" / f"heldout_{lang}.yml" for lang in ("en", "fr")}

MIN_PER_LANG = 20
# Single-word answers the brief itself asks for; they also appear in the public sample.
SAMPLE_ALLOWED = {"yes", "oui", "non"}

FR_WORDS = set(
    """le la là les un une des du de je tu il elle on nous vous ils elles mon ma mes ton ta tes son sa ses
    est et ou où pour pas ne avec sans sur dans chez oui non ouais ouin quoi qui que quel quelle quels
    quelles comment combien pourquoi quand suis ai as avons avez sont ça ca ce cette ces merci bonjour
    salut bonsoir allô allo coucou au aux a-t-il faut peut peux puis-je est-ce encore toujours déjà deja
    parle parlez français francais anglais svp stp plaît plait moi toi être etre avoir fait faire demande
    permis travail j'ai c'est qu'est-ce chu tsé pis pantoute ben bin chai chais ché kossé koi aucune idée sais
    veux voudrais aimerais habite vis reste réside demeure reçu déposé été mais pas encore rien jamais
    tout très trop plus moins aussi bien sûr exact exactement certainement absolument effectivement voilà
    arrête arrêter annuler annule laisse tomber oublie quitter sortir là-dedans programme candidats
    conjoint conjointe enfants femme mari frais coût combien durée délai délais traitement valide plafond
    lettre invitation admissible admissibilité critères conditions exigences pourquoi rendez-vous conseiller
    humain robot vraie personne bonne bon journée soirée nuit matin revoir bientôt
    prochaine tantôt demain tard salutations adieu reparle allez""".split()
)
EN_WORDS = set(
    """the is are am was were be been i i'm i've i'd you your what what's whats how who why when where which
    my me do does did don't doesn't didn't can can't could would should will have has had of to for with in
    at from and or not no yes yeah yep yup nope nah sure thanks thank hi hello hey bye goodbye please it
    it's this that there they we our an any anyone someone about get got apply applied living live work
    permit program eligible qualify requirements fee fees cost long valid spouse wife husband kids children
    processing letter invitation stop cancel quit forget mind know idea sorry actually meant speak english
    french language talk human consultant book call appointment real person weather joke good morning evening
    afternoon night day see later soon take care go gotta leaving now next time greetings howdy hiya
    heya hii helo farewell cya all again nice meet bunch much appreciated appreciate""".split()
)
# Words spelt identically in both languages are ignored by the detector.
SHARED = {"a", "on", "ok", "me", "son", "an", "as", "invitation", "robot", "bot", "conditions", "plus",
          "sure", "stop", "exact", "correct", "message", "question", "nation"}
FR_WORDS -= SHARED
EN_WORDS -= SHARED
FR_ACCENTS = re.compile(r"[éèêëàâîïôûùüçœ]")
TOKEN = re.compile(r"[a-zàâäçéèêëîïôöûùüœ']+")


def detect_language(text: str) -> str:
    """Return 'en', 'fr', 'mixed' or '?' from marker words and French accents. Crude on purpose."""
    low = text.lower().replace("’", "'")
    tokens = TOKEN.findall(low)
    parts = []
    for tok in tokens:
        parts.append(tok)
        parts.extend(p for p in tok.split("'") if p)
    fr = sum(1 for t in parts if t in FR_WORDS)
    en = sum(1 for t in parts if t in EN_WORDS)
    # Accents only count when there is a word around them, not for bare proper nouns.
    if FR_ACCENTS.search(low) and len(tokens) > 2:
        fr += 1
    if fr and not en:
        return "fr"
    if en and not fr:
        return "en"
    if fr and en:
        return "mixed"
    return "?"


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def squeeze(text: str) -> str:
    """Stricter key: also ignores where spaces fall ("what's" == "what s" == "whats")."""
    return normalise(text).replace(" ", "")


def bag(text: str) -> tuple[str, ...]:
    return tuple(sorted(normalise(text).split()))


def load_blocks(path: Path) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path}: not a mapping"
    assert str(data.get("version")) == "3.1", f"{path}: version must be \"3.1\""
    blocks = []
    for block in data.get("nlu") or []:
        assert "intent" in block, f"{path}: only intent blocks are expected, got {block}"
        raw = block["examples"]
        lines = [ln for ln in raw.splitlines() if ln.strip()]
        bad = [ln for ln in lines if not ln.startswith("- ")]
        assert not bad, f"{path}: {block['intent']}: lines not of the form '- text': {bad}"
        examples = [ln[2:].strip() for ln in lines]
        for ex in examples:
            # Entities are not annotated in this project; brackets would be parsed as annotations.
            assert not re.search(r"\[[^\]]*\]\s*[({]", ex), f"{path}: entity-like markup in {ex!r}"
        lang = (block.get("metadata") or {}).get("lang")
        blocks.append({"intent": block["intent"], "lang": lang, "examples": examples, "file": path.name})
    return blocks


@pytest.fixture(scope="module")
def training() -> list[dict]:
    assert TRAIN_FILES, "no training files in data/nlu"
    blocks = []
    for f in TRAIN_FILES:
        blocks.extend(load_blocks(f))
    return blocks


@pytest.fixture(scope="module")
def heldout() -> dict[str, list[dict]]:
    return {lang: load_blocks(path) for lang, path in HELDOUT_FILES.items()}


def test_training_blocks_are_language_tagged(training):
    untagged = [(b["file"], b["intent"]) for b in training if b["lang"] not in ("en", "fr")]
    assert not untagged, f"blocks without metadata lang en/fr: {untagged}"


def test_training_examples_match_their_block_language(training):
    wrong = []
    for b in training:
        other = "fr" if b["lang"] == "en" else "en"
        wrong += [(b["intent"], b["lang"], ex) for ex in b["examples"] if detect_language(ex) == other]
    assert not wrong, f"examples that read as the other language: {wrong}"


def test_every_intent_has_enough_examples_per_language(training):
    counts: dict[str, Counter] = defaultdict(Counter)
    for b in training:
        for ex in b["examples"]:
            if detect_language(ex) == b["lang"]:
                counts[b["intent"]][b["lang"]] += 1
    short = {i: dict(c) for i, c in counts.items() if c["en"] < MIN_PER_LANG or c["fr"] < MIN_PER_LANG}
    intents = {b["intent"] for b in training}
    missing = intents - set(counts)
    assert not missing, f"intents with no detectable example: {missing}"
    assert not short, f"intents with fewer than {MIN_PER_LANG} detected examples in a language: {short}"


def test_no_duplicates_in_training(training):
    seen: dict[str, tuple[str, str]] = {}
    dups = []
    for b in training:
        for ex in b["examples"]:
            key = squeeze(ex)
            if key in seen:
                dups.append((ex, b["intent"], seen[key]))
            else:
                seen[key] = (b["intent"], ex)
    assert not dups, f"duplicated training examples (after normalisation): {dups}"


def test_heldout_intents_exist_in_training(training, heldout):
    intents = {b["intent"] for b in training}
    for lang, blocks in heldout.items():
        unknown = {b["intent"] for b in blocks} - intents
        assert not unknown, f"held-out {lang} intents not in training: {unknown}"


def test_heldout_covers_every_intent(training, heldout):
    intents = {b["intent"] for b in training}
    for lang, blocks in heldout.items():
        counts = Counter()
        for b in blocks:
            counts[b["intent"]] += len(b["examples"])
        thin = {i: counts[i] for i in intents if counts[i] < 6}
        assert not thin, f"held-out {lang}: intents with fewer than 6 examples: {thin}"


def test_heldout_language_matches_file(heldout):
    for lang, blocks in heldout.items():
        other = "fr" if lang == "en" else "en"
        wrong = [ex for b in blocks for ex in b["examples"] if detect_language(ex) == other]
        assert not wrong, f"held-out {lang} examples that read as {other}: {wrong}"


def test_heldout_does_not_overlap_training(training, heldout):
    train_keys = {squeeze(ex) for b in training for ex in b["examples"]}
    train_bags = {bag(ex) for b in training for ex in b["examples"]}
    overlap = []
    seen = set()
    for lang, blocks in heldout.items():
        for b in blocks:
            for ex in b["examples"]:
                key = squeeze(ex)
                if key in train_keys or bag(ex) in train_bags:
                    overlap.append((lang, b["intent"], ex))
                assert key not in seen, f"held-out example repeated: {ex!r}"
                seen.add(key)
    assert not overlap, f"held-out examples also in training: {overlap}"


def test_training_does_not_copy_the_public_eval_sample(training):
    shared = shared_dir()
    if shared is None:
        pytest.skip("the public evaluation sample (shared/eval or IMPPLUS_SHARED_DIR) is not available")
    sample = yaml.safe_load((shared / "eval" / "public" / "sample.yml").read_text(encoding="utf-8"))
    sentences = [p["say"] for p in sample.get("probes", []) if p.get("say")]
    for persona in sample.get("personas", []):
        sentences.append(persona["opening"])
        sentences.extend(str(v) for v in persona.get("answers", {}).values())
    forbidden = {squeeze(s) for s in sentences} - {squeeze(s) for s in SAMPLE_ALLOWED}
    copied = [ex for b in training for ex in b["examples"] if squeeze(ex) in forbidden]
    assert not copied, f"training examples copied from the public evaluation sample: {copied}"


def test_detector_sanity():
    assert detect_language("what is a CSQ") == "en"
    assert detect_language("c'est quoi un CSQ") == "fr"
    assert detect_language("I have my CSQ mais pas la lettre") == "mixed"
    assert detect_language("Sherbrooke") == "?"
