"""Reading a person's message into the conversation's slots: its language and every profile fact it states.

This runs in the Rasa server, where the message is parsed (`in_process` installs it), so a message costs no
call to the action server before the next action is chosen. The readers are rasa-sdk actions working on
plain state (slots, the latest message, the active form), so the action server's code can share them:
`conversation_state` reads that state, `profile_updates` turns entities and answers into profile facts.
Nothing here imports the action server's package (`actions`) or the leads database.
"""
