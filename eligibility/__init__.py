"""Pre-screening for Canada's IMP+ (PMI+) open work permit for Quebec-selected skilled workers.

Pure functions over a validated Profile and frozen results, with no Rasa import: the assistant's actions
call ``assess`` and ``value``; the program facts live in data/program.yaml, the wording in data/texts.yaml.
"""

from .engine import assess, program_status, word
from .errors import DataFileError, ProfileError, UnknownKeyError
from .fields import FIELD_VALUES, PROFILE_FIELDS, QUESTION_ORDER
from .models import (
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
from .program import ProgramData, cap_for, load_program, value

__all__ = [
    "Assessment",
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
    "QUESTION_ORDER",
    "Reference",
    "Source",
    "Text",
    "UnknownKeyError",
    "assess",
    "cap_for",
    "load_program",
    "program_status",
    "value",
    "word",
]
