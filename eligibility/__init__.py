"""Pre-screening for Canada's IMP+ (PMI+) open work permit for Quebec-selected skilled workers.

Pure functions over a validated Profile and frozen results, with no Rasa import: the assistant's actions
call ``assess``, ``question`` and ``value``; the program facts live in data/program.yaml, the wording
(reasons, notes, each field's question) in data/texts.yaml.
"""

from .assessment_models import (
    Assessment,
    CodedText,
    Criterion,
    DatedValue,
    Note,
    Profile,
    ProgramName,
    Reference,
    Source,
    Text,
)
from .engine import assess, program_status, question, word
from .engine_errors import DataFileError, ProfileError, UnknownKeyError
from .fields import FIELD_VALUES, PROFILE_FIELDS, QUESTION_ORDER
from .program import ProgramData, cap_for, load_program, value
from .wording import Button, Question

__all__ = [
    "Assessment",
    "Button",
    "CodedText",
    "Criterion",
    "DataFileError",
    "DatedValue",
    "FIELD_VALUES",
    "Note",
    "PROFILE_FIELDS",
    "Profile",
    "ProfileError",
    "ProgramData",
    "ProgramName",
    "Question",
    "QUESTION_ORDER",
    "Reference",
    "Source",
    "Text",
    "UnknownKeyError",
    "assess",
    "cap_for",
    "load_program",
    "program_status",
    "question",
    "value",
    "word",
]
