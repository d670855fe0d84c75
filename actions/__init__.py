"""The assistant's custom actions, served by rasa-sdk's action server (launch/action_server.py).

Importing this package changes nothing in rasa-sdk: the action server installs its patches (log masking,
the fault guard, the first reply's not-advice notice) explicitly, from launch/rasa_patches.py.
"""
