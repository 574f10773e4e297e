"""HTTPS to a real backend: the server on loopback with a certificate from a throwaway
CA (trustme). With the CA in the config every request verifies; without it the
console refuses the connection and says why, never silently trusting it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from agent_console.backend_process import EmbeddedBackend
from agent_console.client import BackendClient, BackendUnavailable
from agent_console.config import parse
from tests.ui.helpers import wait_for


@pytest.fixture(scope="module")
def tls_server(
    demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EmbeddedBackend]:
    import shutil

    work = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert.private_key_and_cert_chain_pem.write_to_path(str(work / "server.pem"))
    ca.cert_pem.write_to_path(str(work / "ca.pem"))
    shutil.copy(demo_db_template, work / "backend.db")
    backend = EmbeddedBackend(
        work / "backend.db",
        demo_data=False,
        log_file=work / "server.log",
        tls=(work / "server.pem", work / "server.pem", work / "ca.pem"),
    ).start()
    yield backend
    backend.stop()


def settings_for(server: EmbeddedBackend, ca_line: str) -> object:
    text = f'[backend]\nurl = "{server.url}"\n{ca_line}\n[events]\nenabled = false\n'
    return parse(text, "<test>")


async def test_with_the_ca_in_the_config_every_request_verifies(
    tls_server: EmbeddedBackend,
) -> None:
    assert tls_server.url.startswith("https://")
    assert tls_server.tls is not None
    settings = settings_for(tls_server, f'ca_bundle = "{tls_server.tls[2]}"')
    client = BackendClient.from_settings(settings, tls_server.login("1001", "demo"))  # type: ignore[arg-type]
    try:
        assert (await client.me()).id == "1001"
        assert (await client.find_callers("4718085468")).items[0].name == "Anna Schmidt"
    finally:
        await client.aclose()


async def test_without_the_ca_the_connection_is_refused_with_a_reason(
    tls_server: EmbeddedBackend,
) -> None:
    settings = settings_for(tls_server, "")
    client = BackendClient.from_settings(settings, None)  # type: ignore[arg-type]
    try:
        with pytest.raises(BackendUnavailable) as failure:
            await client.health()
        assert "certificate" in failure.value.message.lower()
    finally:
        await client.aclose()


@pytest.mark.parametrize("with_ca", [True, False])
async def test_the_console_over_https_signs_in_only_with_the_ca(
    tls_server: EmbeddedBackend, with_ca: bool
) -> None:
    from agent_console.app import AgentConsole

    assert tls_server.tls is not None
    ca_line = f'ca_bundle = "{tls_server.tls[2]}"' if with_ca else ""
    settings = settings_for(tls_server, ca_line)
    settings = dataclasses.replace(
        settings,
        backend=dataclasses.replace(settings.backend, health_interval=0.5),  # type: ignore[attr-defined]
    )
    client = BackendClient.from_settings(settings, tls_server.login("1001", "demo"))  # type: ignore[arg-type]
    app = AgentConsole(settings, client, remember_login=False)  # type: ignore[arg-type]
    async with app.run_test(size=(100, 30)) as pilot:
        if with_ca:
            await wait_for(pilot, lambda: app.session.agent is not None)
            assert app.session.backend_ok
        else:
            await wait_for(pilot, lambda: app.session.backend_ok is False)
            assert app.session.agent is None
