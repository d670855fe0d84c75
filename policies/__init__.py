"""Changes to how Rasa's policies predict the next action: the same predictions, with less work."""
