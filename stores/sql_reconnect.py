"""Rasa's SQL tracker store through a dropped database connection, without losing a turn.

Found by the soak test (benchmarks/soak.py): after PostgreSQL's connections are cut, the next query on each
pooled connection fails, and Rasa falls back to memory. A failed read makes Rasa treat the conversation as
new, so its next save skips as many events as are already stored and the person's message is silently
dropped; a failed save keeps the turn in memory only. Both answered the person with a 200.

Two changes, installed on the Rasa server by launch/rasa_patches.py:
- every pooled connection is checked before use (``pool_pre_ping``), which covers a cut between requests;
- a query whose connection was lost mid-way is run once more on a new connection. That is safe: the failed
  transaction was rolled back, and Rasa's save only adds the events beyond those already stored.

And one fix: with ``POSTGRESQL_SCHEMA`` set, Rasa passes its own connection ``options`` (the search path),
which replaced the URL's and with them the statement timeout; the URL already carries the search path
(project_settings.tracker_database_url), so Rasa's copy is dropped when the URL has options.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import sqlalchemy.exc
from sqlalchemy.engine import make_url

logger = logging.getLogger(__name__)

EngineKwargs = Callable[[Any], dict[str, Any]]


def with_pre_ping(kwargs_for: EngineKwargs) -> EngineKwargs:
    """Rasa's engine options: each pooled connection checked before use, and the URL's own options kept."""

    @functools.wraps(kwargs_for)
    def engine_kwargs(url: Any) -> dict[str, Any]:
        kwargs = {**kwargs_for(url), "pool_pre_ping": True}
        connect_args = dict(kwargs.get("connect_args") or {})
        if "options" in connect_args and "options" in make_url(str(url)).query:
            del connect_args["options"]  # the URL's options hold the search path and the statement timeout
            kwargs["connect_args"] = connect_args
        return kwargs

    return engine_kwargs


def retried_on_disconnect(method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """The tracker store method, run once more when its connection was lost mid-way."""

    @functools.wraps(method)
    async def once_more(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await method(self, *args, **kwargs)
        except sqlalchemy.exc.DBAPIError as error:
            if not error.connection_invalidated:
                raise
            logger.warning("The tracker store's database connection was lost: trying again on a new one.")
            return await method(self, *args, **kwargs)

    return once_more


def install() -> None:
    """Patches Rasa's SQL tracker store (create_engine_kwargs is looked up at each SQLTrackerStore())."""
    import rasa.core.tracker_store as tracker_store

    tracker_store.create_engine_kwargs = with_pre_ping(tracker_store.create_engine_kwargs)
    for name in ("retrieve", "retrieve_full_tracker", "save", "keys"):
        setattr(tracker_store.SQLTrackerStore, name,
                retried_on_disconnect(getattr(tracker_store.SQLTrackerStore, name)))
