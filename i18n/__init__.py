"""Languages and wording: the supported languages, which one a person writes in, the reply catalog and
the formatting of dates, numbers and lists. Knows nothing of Rasa; actions, channels, the engine and leads
use it. Import the submodules directly."""
