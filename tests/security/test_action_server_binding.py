"""The action server (launch.action_server) listens on loopback only, in the default settings: nothing
but the local Rasa server can run the actions (and save leads) directly."""

from __future__ import annotations

import socket
import subprocess
import urllib.request

import pytest

from tests.security.shared_servers import SecurityServers


def non_loopback_address() -> str | None:
    """An IPv4 address of this machine other than loopback, or None if it has none."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:  # picks the interface of the default route; a UDP connect sends nothing
            probe.connect(("10.254.254.254", 9))
            candidates = [str(probe.getsockname()[0])]
        except OSError:
            candidates = []
    listed = subprocess.run(["hostname", "-I"], capture_output=True, text=True, check=False).stdout.split()
    for address in candidates + listed:
        if "." in address and not address.startswith(("127.", "0.")):
            return address
    return None


def accepts(address: str, port: int) -> bool:
    try:
        with socket.create_connection((address, port), timeout=5):
            return True
    except ConnectionRefusedError:
        return False


def test_action_server_answers_on_loopback(servers: SecurityServers) -> None:
    port = servers.assistant.action_port
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=10) as response:
        assert response.status == 200


def test_action_server_refuses_the_network_address(servers: SecurityServers) -> None:
    address = non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address")
    # The address is reachable: a socket listening on every interface accepts on it...
    with socket.socket() as everywhere:
        everywhere.bind(("0.0.0.0", 0))
        everywhere.listen()
        assert accepts(address, everywhere.getsockname()[1])
    # ...but the action server, on 127.0.0.1, is not there.
    assert not accepts(address, servers.assistant.action_port)
