"""``python -m launch.action_server [-i HOST] [-p PORT]``: rasa_sdk's action server, bound to ACTION_HOST.

``python -m rasa_sdk`` always listens on every interface (0.0.0.0), which would let anyone who can reach
the machine run the assistant's actions (and save leads) directly. Only Rasa calls the action server, so
it listens on ACTION_HOST (default 127.0.0.1) and ACTION_PORT; set ACTION_HOST=0.0.0.0 only when Rasa
runs on another machine, behind a firewall. The server itself is rasa_sdk's: /webhook, /actions and
/health, rasa_sdk's logging options and plugins, and no CORS (no browser ever calls it), with the patches
of launch/rasa_patches.py installed first (log masking, fault guard, not-advice notice). Like every
server it also answers /health/live, /health/ready (the leads and tracker databases) and /metrics
(launch/health.py, launch/metrics.py).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_app, create_argument_parser, create_ssl_context
from rasa_sdk.plugin import plugin_manager

from launch.health import action_server_checks, add_sanic_routes
from launch.rasa_patches import UnsupportedRasaVersion, install_action_server_patches
from places.gazetteer import preload as preload_places
from project_settings import SettingsError, get_settings

logger = logging.getLogger(__name__)


def argument_parser() -> argparse.ArgumentParser:
    """rasa_sdk's own options, with ``--interface`` added and the defaults taken from the settings."""
    settings = get_settings()
    parser = create_argument_parser()
    parser.add_argument("-i", "--interface", default=settings.action_host,
                        help="address to listen on (default: ACTION_HOST)")
    parser.set_defaults(port=settings.action_port, actions="actions")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Configure logging as ``python -m rasa_sdk`` does, then serve the actions on the chosen address."""
    try:
        args = argument_parser().parse_args(argv)  # the settings are checked here, before any action runs
    except SettingsError as exc:
        sys.exit(f"Not starting the action server: {exc}.")
    try:
        install_action_server_patches()
    except UnsupportedRasaVersion as exc:
        sys.exit(f"Not starting the action server: {exc}.")
    # The booking's place index, built before the first conversation: built on first use it held every
    # conversation's actions for 2-3 s (make bench).
    preload_places()
    logging.getLogger("matplotlib").setLevel(logging.WARN)
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(logging.getLogger(APPLICATION_ROOT_LOGGER_NAME), args.log_file,
                                 args.loglevel, args.logging_config_file)
    utils.update_sanic_log_level()

    app = create_app(args.actions, cors_origins=args.cors, auto_reload=args.auto_reload)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    add_sanic_routes(app, action_server_checks(get_settings()))  # /health/live, /health/ready, /metrics
    ssl_context = create_ssl_context(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    protocol = "https" if ssl_context else "http"
    logger.info("Action endpoint is up and running on %s://%s:%s", protocol, args.interface, args.port)
    app.run(args.interface, args.port, ssl=ssl_context, workers=utils.number_of_sanic_workers())


if __name__ == "__main__":
    main(sys.argv[1:])
