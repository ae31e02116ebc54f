"""The deployment files in packaging/hub, checked without a container engine or systemd
running: they parse, agree with each other, and name only what ``moot-hub`` has.

- compose.yaml: its services, volumes and networks are declared and used; every
  ``depends_on`` waits for a health check the service has; the hub's probes
  ``/healthz``; the hub trusts Caddy's address, and only it; the variables it needs
  are in .env.example; pg_dump in the image is of the postgres image's version.
- Caddyfile.compose proxies to the hub's service and port and probes ``/healthz``.
- Containerfile: the project without its development tools, run by a user of its own,
  with a health check on ``/healthz``; what it copies exists and is not ignored.
- The systemd units pass ``systemd-analyze verify`` (where it is installed) and every
  ``moot-hub`` command line in them parses with the real command's parser.
"""

from __future__ import annotations

import ipaddress
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from sync.hub import cli

REPO = Path(__file__).resolve().parents[2]
HUB = REPO / "packaging" / "hub"
SOURCES = [*(REPO / "sync").rglob("*.py")]
VARIABLES_NOT_OURS = {"PGPASSWORD"}  # read by libpq, for psycopg and pg_dump alike


def _compose() -> dict[str, Any]:
    found: dict[str, Any] = yaml.safe_load((HUB / "compose.yaml").read_text(encoding="utf-8"))
    return found


def _read_by_the_hub(variable: str) -> bool:
    """A variable some module of the hub reads (or libpq does)."""
    return variable in VARIABLES_NOT_OURS or any(
        f'"{variable}"' in path.read_text(encoding="utf-8") for path in SOURCES
    )


def _parses(argv: list[str]) -> Any:
    """``moot-hub ARGV`` as the command's own parser reads it; fails on an unknown option."""
    assert Path(argv[0]).name == "moot-hub", argv
    try:
        return cli._parser().parse_args(argv[1:])
    except SystemExit:
        pytest.fail(f"moot-hub does not take: {shlex.join(argv)}")


def _commands(shell_line: str) -> list[list[str]]:
    """The moot-hub command lines in ``sh -c`` text joined with ``&&``."""
    parts = [part.strip().removeprefix("exec ") for part in shell_line.split("&&")]
    return [shlex.split(part) for part in parts if "moot-hub" in part]


def test_compose_services_volumes_and_networks_agree() -> None:
    compose = _compose()
    services = compose["services"]
    assert set(services) == {"postgres", "hub", "caddy"}
    named = set(compose["volumes"])
    used, networks = set(), set()
    for service in services.values():
        for mount in service.get("volumes", []):
            source = mount.split(":")[0]
            if source.startswith("."):
                assert (HUB / source).exists(), mount
            else:
                used.add(source)
        networks |= set(service.get("networks", []))
        for other, wait in service.get("depends_on", {}).items():
            assert wait == {"condition": "service_healthy"}
            assert "healthcheck" in services[other], f"{other} has no health check to wait on"
    assert used == named
    assert networks == set(compose["networks"])
    assert compose["networks"]["back"]["internal"] is True  # PostgreSQL is not reachable
    assert "ports" not in services["hub"]
    assert "ports" not in services["postgres"]
    assert services["postgres"]["volumes"] == ["postgres-data:/var/lib/postgresql/data"]


def test_the_hub_in_compose_is_probed_trusts_caddy_and_keeps_its_key() -> None:
    compose = _compose()
    hub, caddy = compose["services"]["hub"], compose["services"]["caddy"]
    assert "127.0.0.1:8470/healthz" in " ".join(hub["healthcheck"]["test"])
    env = hub["environment"]
    assert env["MOOT_HUB_DB"].startswith("postgresql://moot@postgres:5432/")
    caddy_address = caddy["networks"]["front"]["ipv4_address"]
    assert env["MOOT_HUB_TRUSTED_PROXIES"] == caddy_address
    subnet = compose["networks"]["front"]["ipam"]["config"][0]["subnet"]
    assert ipaddress.ip_address(caddy_address) in ipaddress.ip_network(subnet)
    key_folder = str(Path(env["MOOT_HUB_KEY"]).parent)
    assert f"hub-key:{key_folder}" in hub["volumes"]
    for variable in env:
        assert _read_by_the_hub(variable), f"nothing reads {variable}"
    migrate, serve = _commands(hub["command"][2])
    assert _parses(migrate).run is cli._migrate
    args = _parses(serve)
    assert (args.run, args.host, args.port) == (cli._serve, "0.0.0.0", 8470)
    assert hub["build"]["dockerfile"] == "packaging/hub/Containerfile"
    assert (HUB / hub["build"]["context"] / hub["build"]["dockerfile"]).is_file()


def test_compose_variables_are_in_the_example_env_file() -> None:
    wanted = set(re.findall(r"\$\{(\w+)", (HUB / "compose.yaml").read_text(encoding="utf-8")))
    example = (HUB / ".env.example").read_text(encoding="utf-8")
    given = set(re.findall(r"^(\w+)=", example, re.M))
    assert wanted == given == {"MOOT_HUB_DOMAIN", "POSTGRES_PASSWORD"}
    assert ".env" in (HUB / ".gitignore").read_text(encoding="utf-8").split()


def test_pg_dump_in_the_image_is_of_the_servers_version() -> None:
    compose = _compose()
    server = compose["services"]["postgres"]["image"]
    major = re.fullmatch(r"postgres:(\d+)", server)
    assert major is not None, server
    assert compose["services"]["hub"]["build"]["args"]["PG_MAJOR"] == major.group(1)
    containerfile = (HUB / "Containerfile").read_text(encoding="utf-8")
    assert f"ARG PG_MAJOR={major.group(1)}" in containerfile
    assert '"postgresql-client-${PG_MAJOR}"' in containerfile


def test_caddy_in_compose_proxies_to_the_hub() -> None:
    caddyfile = (HUB / "Caddyfile.compose").read_text(encoding="utf-8")
    compose = _compose()
    assert re.search(r"^\{\$MOOT_HUB_DOMAIN\} \{$", caddyfile, re.M)
    assert "MOOT_HUB_DOMAIN" in compose["services"]["caddy"]["environment"]
    (upstream,) = re.findall(r"reverse_proxy (\S+)", caddyfile)
    service, port = upstream.split(":")
    assert service in compose["services"]
    serve = _commands(compose["services"][service]["command"][2])[1]
    assert int(port) == _parses(serve).port
    assert re.search(r"^\s+health_uri /healthz$", caddyfile, re.M)
    assert "./Caddyfile.compose:/etc/caddy/Caddyfile:ro" in compose["services"]["caddy"]["volumes"]


def test_the_containerfile_builds_the_hub_alone() -> None:
    text = (HUB / "Containerfile").read_text(encoding="utf-8")
    lines = re.sub(r"\\\n\s*", " ", text).splitlines()
    instructions = [line.split(" ", 1) for line in lines if line and not line.startswith("#")]
    by_name: dict[str, list[str]] = {}
    for name, rest in instructions:
        by_name.setdefault(name, []).append(rest)
    assert re.fullmatch(r"python:3\.11-slim(-\w+)?", by_name["FROM"][0])
    assert by_name["USER"] == ["moot-hub"]
    (health,) = by_name["HEALTHCHECK"]
    assert "http://127.0.0.1:8470/healthz" in health
    installs = [run for run in by_name["RUN"] if "pip install" in run]
    assert installs
    assert all("[dev]" not in run and " -e " not in run for run in installs)
    ignored = (HUB / "Containerfile.dockerignore").read_text(encoding="utf-8").split()
    for copy in by_name["COPY"]:
        *sources, _target = copy.split()
        for source in sources:
            assert (REPO / source).exists(), source
            assert f"!{source}" in ignored, f"{source} is not sent to the build"
    cmd = yaml.safe_load(by_name["CMD"][0])  # a JSON array
    migrate, serve = _commands(cmd[2])
    assert _parses(migrate).run is cli._migrate
    assert _parses(serve).host == "0.0.0.0"
    for variable in re.findall(r"\b(MOOT_HUB_\w+)=", " ".join(by_name["ENV"])):
        assert _read_by_the_hub(variable), f"nothing reads {variable}"


def _unit(name: str) -> dict[str, list[str]]:
    """A systemd unit's settings, each key with every value given (keys may repeat)."""
    found: dict[str, list[str]] = {}
    for line in (HUB / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            found.setdefault(key, []).append(value)
    return found


def test_the_systemd_units_run_real_moot_hub_commands() -> None:
    unit = _unit("moot-hub.service")
    assert unit["User"] == unit["Group"] == ["moot-hub"]
    assert unit["EnvironmentFile"] == ["/etc/moot-hub/env"]
    assert unit["StateDirectory"] == ["moot-hub"]
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "PrivateTmp": "yes",
        "Restart": "on-failure",
        "UMask": "0077",
    }.items():
        assert unit[key] == [value], key
    (pre,) = unit["ExecStartPre"]
    assert _parses(shlex.split(pre)).run is cli._migrate
    (start,) = unit["ExecStart"]
    args = _parses(shlex.split(start))
    assert (args.run, args.host, args.port) == (cli._serve, "127.0.0.1", 8470)
    help_text = subprocess.run(
        [sys.executable, "-m", "sync.hub.cli", "serve", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for option in re.findall(r"--[\w-]+", start):
        assert option in help_text

    backup = _unit("moot-hub-backup.service")
    (line,) = backup["ExecStart"]
    script = shlex.split(line)[-1].replace("$$", "$").replace("%%", "%")
    (command,) = _commands(script)
    args = _parses(command)
    assert args.run is cli._backup
    assert args.force
    assert str(Path(args.file).parent) in backup["ReadWritePaths"]


def test_the_env_file_names_what_the_hub_reads() -> None:
    text = (HUB / "moot-hub.env").read_text(encoding="utf-8")
    variables = re.findall(r"^#?([A-Z][A-Z_]+)=", text, re.M)
    assert {"MOOT_HUB_DB", "MOOT_HUB_KEY", "MOOT_HUB_PUBLIC_URL"} <= set(variables)
    for variable in variables:
        assert _read_by_the_hub(variable), f"nothing reads {variable}"
    state = "/var/lib/moot-hub/"  # the unit's StateDirectory
    assert re.search(rf"^MOOT_HUB_DB=sqlite:///{state}", text, re.M)
    assert re.search(rf"^MOOT_HUB_KEY={state}", text, re.M)


def test_systemd_analyze_verifies_the_units(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("no systemd-analyze here: the units are checked by parsing alone")
    moot_hub = Path(sys.executable).with_name("moot-hub")
    if not moot_hub.exists():
        pytest.skip(f"no {moot_hub}: install the project (pip install -e .)")
    names = ["moot-hub.service", "moot-hub-backup.service", "moot-hub-backup.timer"]
    for name in names:  # the commands where this machine has them
        text = (HUB / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace("/opt/moot/bin/moot-hub", str(moot_hub)))
    done = subprocess.run(
        [analyze, "verify", *(str(tmp_path / name) for name in names)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    said = (done.stdout + done.stderr).strip()
    if done.returncode != 0 and "Failed to" in said and "bus" in said.lower():
        pytest.skip(f"systemd-analyze cannot run here: {said}")
    assert done.returncode == 0, said
    assert said == ""  # no unknown key, no unsafe setting, nothing it would ignore
