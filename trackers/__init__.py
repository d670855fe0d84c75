"""Changes to how Rasa builds its in-memory conversation trackers: the same trackers, built with less work."""
