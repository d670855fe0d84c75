"""The assistant's Rasa channels (REST, socket.io, Telegram) and what they share.

Rasa imports this package to load credentials.yml; from then on it waits for the action server no
longer than the conversation lock allows (action_timeout).
"""

from channels.action_timeout import bound_action_request_timeout

bound_action_request_timeout()
