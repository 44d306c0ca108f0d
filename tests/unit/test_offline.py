"""The suite itself: no test may reach the network (pytest-socket, see pytest.ini)."""

import socket

import pytest
import requests
from pytest_socket import SocketConnectBlockedError


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_a_real_connection_attempt_fails_the_test():
    with pytest.raises(SocketConnectBlockedError):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    with pytest.raises(SocketConnectBlockedError):
        requests.get("http://192.0.2.1/", timeout=1)
