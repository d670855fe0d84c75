"""The assistant's Rasa channels (REST, socket.io, Telegram) and what they share.

Rasa imports this package to load credentials.yml, however it is started (`make run`, `rasa shell`, a
hand-run `rasa run`). From then on, personal data is masked in what the process logs, and Rasa waits for
the action server no longer than the conversation lock allows (action_timeout).
"""

from channels.action_timeout import bound_action_request_timeout
from leads.masking import install_masking

install_masking()
bound_action_request_timeout()
