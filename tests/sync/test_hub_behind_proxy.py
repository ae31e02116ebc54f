"""The sample reverse-proxy config (packaging/hub/nginx.conf) in front of a real hub.

The config is used as a council would use it, with only what a council edits changed:
the server name, the ports, the certificate (a self-signed one made here) and the
hub's address. A real nginx terminates TLS; a laptop joins and syncs through it, and
the hub sees the browser's scheme, so its cookies are Secure.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.services.groups import set_my_name
from app.store import Store, open_store
from sync import hubs
from tests.hubs import (
    PROTOCOL_HEADERS,
    create_group,
    free_port,
    make_invite,
    running_hub,
    sqlite_url,
)

SAMPLE = Path(__file__).resolve().parents[2] / "packaging" / "hub" / "nginx.conf"
SERVER_NAME = "hub.example.gov.uk"


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _site(hub_port: int, http_port: int, https_port: int, cert: Path, key: Path) -> str:
    """The sample, edited as its comments tell a council to: names, ports, certificate."""
    site = SAMPLE.read_text(encoding="utf-8")
    site = site.replace("[::]:", "#")  # this machine may have no IPv6
    site = re.sub(r"listen #\S+.*\n", "", site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
    site = site.replace("127.0.0.1:8470", f"127.0.0.1:{hub_port}")
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", site)
    return site.replace(SERVER_NAME, "127.0.0.1")


@pytest.fixture
def proxied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str, str]]:
    """(https base URL, plain http base URL, hub database URL) of a hub behind nginx."""
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if nginx is None:
        pytest.skip("no nginx here (apt-get install nginx-light)")
    db = sqlite_url(tmp_path)
    cert, key = _self_signed(tmp_path)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
    with running_hub(db, knows_its_address=False) as hub_url:
        hub_port = int(hub_url.rsplit(":", 1)[1])
        for _attempt in range(5):
            http_port, https_port = free_port(), free_port()
            prefix = tmp_path / "nginx"
            (prefix / "logs").mkdir(parents=True, exist_ok=True)
            (prefix / "nginx.conf").write_text(
                # Run as root (in CI), nginx's workers would be nobody, who cannot
                # write bodies to the test's temporary folder.
                ("user root;\n" if os.geteuid() == 0 else "")
                + "pid nginx.pid;\nerror_log logs/error.log;\nevents {}\nhttp {\n"
                "  access_log off;\n"
                f"  client_body_temp_path {prefix}/body;\n  proxy_temp_path {prefix}/proxy;\n"
                f"{_site(hub_port, http_port, https_port, cert, key)}\n}}\n",
                encoding="utf-8",
            )
            process = subprocess.Popen(
                [nginx, "-p", str(prefix), "-c", "nginx.conf", "-g", "daemon off;"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            base = f"https://127.0.0.1:{https_port}"
            if _up(base, process):
                break
            process.wait(timeout=10)
        else:
            pytest.fail("nginx did not start: " + (process.stderr.read() or b"").decode())
        try:
            yield base, f"http://127.0.0.1:{http_port}", db
        finally:
            process.terminate()
            process.wait(timeout=10)


def _up(base: str, process: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            if requests.get(f"{base}/v1/hub", timeout=2).status_code < 500:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.05)
    return False


def _laptop(folder: Path, name: str) -> Store:
    store = open_store(folder / name)
    set_my_name(store=store, name=name)
    return store


def test_plain_http_is_sent_to_https(proxied: tuple[str, str, str]) -> None:
    _base, plain, _db = proxied
    answer = requests.get(f"{plain}/council/sign-in", allow_redirects=False, timeout=10)
    assert answer.status_code == 301
    assert answer.headers["Location"].startswith("https://")


def test_a_laptop_joins_and_syncs_through_the_proxy(
    proxied: tuple[str, str, str], tmp_path: Path
) -> None:
    base, _plain, db = proxied
    group = create_group(db, "Ashby Parish")
    ann = _laptop(tmp_path, "Ann")
    joined = hubs.join_hub(store=ann, hub_url=base, code=make_invite(db, group))
    assert joined.group_id == group
    assert joined.group_name == "Ashby Parish"
    outcomes = hubs.sync_all(store=ann)
    assert [type(o).__name__ for o in outcomes] == ["GroupSynced"]


def test_a_large_push_gets_the_hubs_own_refusal_not_the_proxys(
    proxied: tuple[str, str, str],
) -> None:
    base, _plain, _db = proxied
    answer = requests.post(
        f"{base}/v1/groups/nothing/ops",
        data=b"{" + b" " * (9 * 1024 * 1024) + b"}",
        headers={"Content-Type": "application/json", **PROTOCOL_HEADERS},
        timeout=60,
    )
    assert answer.status_code == 413
    assert answer.headers["Content-Type"].startswith("application/json")
    assert "error" in answer.json()


def test_the_officers_pages_know_they_came_over_https(proxied: tuple[str, str, str]) -> None:
    base, _plain, _db = proxied
    answer = requests.get(f"{base}/council/sign-in", timeout=10)
    assert answer.status_code == 200
    cookies = answer.headers.get("Set-Cookie", "")
    assert cookies, "the sign-in page sets its form cookie"
    assert "Secure" in cookies
    assert "HttpOnly" in cookies
