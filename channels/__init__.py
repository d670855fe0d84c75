"""The assistant's Rasa channels (REST, socket.io, Telegram) and what they share.

Rasa imports this package to load credentials.yml. Importing it changes nothing in Rasa: the Rasa server
installs its patches (log masking, the action request timeout, the compiled action response check)
explicitly, from launch/rasa_patches.py (launch/rasa_server.py, launch/rasa_shell.py).
"""
