"""The consultants' desk: a small web page (Sanic and Jinja2, no JavaScript) on its own port, where the
consultancy reads the "Book a call" leads, their screening and conversation, follows them up, exports or
erases them, and sees the funnel. ``python -m desk`` serves it; ``python -m desk hash-password`` makes
the DESK_PASSWORD_HASH setting. It imports neither Rasa nor the actions."""
