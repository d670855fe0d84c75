"""The assistant's Rasa channels (REST, socket.io, Telegram) and what they share.

Rasa imports this package to load credentials.yml, however it is started (`make run`, `rasa shell`, a
hand-run `rasa run`). From then on, personal data is masked in what the process logs, Rasa waits for the
action server no longer than the conversation lock allows (action_timeout), and checks its replies with a
schema compiled once (action_response_check).
"""

from channels.action_response_check import compile_action_response_check
from channels.action_timeout import bound_action_request_timeout
from leads.masking import install_masking

install_masking()
bound_action_request_timeout()
compile_action_response_check()
