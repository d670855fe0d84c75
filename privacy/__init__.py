"""Privacy, for every process of the assistant: no personal data in logs (log_masking, with Rasa's
structured records redacted by rasa_log_redaction), and conversations erased from Rasa's tracker store
on request (tracker_erasure), after the retention period (tracker_retention) or when a booking is refused
or cancelled (tracker_redaction). Pure Python: importing it neither imports Rasa nor installs anything."""
