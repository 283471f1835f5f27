"""The files in deploy/ pass their own tools' validators: ``systemd-analyze
verify`` for the units, ``nginx -t`` for the site, ``caddy validate`` for the
Caddyfile. The tools come from Debian (tests/deploy/install.sh, which make
runs first); where one is missing the test skips, except in CI (CI=true),
where it fails, so a missing install step cannot hide behind a green run.
"""
from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = ("fedchapter.service", "fedchapter-web.service", "fedchapter-worker@.service")
INSTALLED_BINARY = "/srv/fedchapter/.venv/bin/fedchapter"


def tool(name: str, *also: str) -> str:
    for candidate in (shutil.which(name), *also):
        if candidate and Path(candidate).is_file():
            return candidate
    message = f"{name} is not installed (bash tests/deploy/install.sh installs it from Debian)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60, cwd=cwd, check=False,
                          env={**os.environ, **(env or {})})


def test_the_systemd_units_verify(tmp_path: Path) -> None:
    analyze = tool("systemd-analyze")
    # verify insists that ExecStart's program exists: point it at this checkout's
    # fedchapter, the only change made to the files.
    here = Path(sys.executable).parent / "fedchapter"
    assert here.is_file(), "the fedchapter console script is installed in the test environment"
    names = []
    for unit in UNITS:
        text = (DEPLOY / unit).read_text(encoding="utf-8")
        assert INSTALLED_BINARY in text
        # A template is verified through an instance of it.
        name = unit.replace("@.service", "@1.service")
        (tmp_path / name).write_text(text.replace(INSTALLED_BINARY, str(here)), encoding="utf-8")
        names.append(f"./{name}")
    result = run(analyze, "verify", *names, cwd=tmp_path)
    # Unknown or misspelt keys are only warnings (exit 0): any output fails too.
    assert (result.returncode, result.stderr.strip(), result.stdout.strip()) == (0, "", "")


def test_the_web_unit_serves_without_workers_and_the_worker_unit_works() -> None:
    web = (DEPLOY / "fedchapter-web.service").read_text(encoding="utf-8")
    worker = (DEPLOY / "fedchapter-worker@.service").read_text(encoding="utf-8")
    assert re.search(r"^ExecStart=\S+ serve --no-workers ", web, re.MULTILINE)
    assert re.search(r"^ExecStart=\S+ worker$", worker, re.MULTILINE)


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "chapter.example.org")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now)
                   .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_the_nginx_site_passes_nginx_t(tmp_path: Path) -> None:
    nginx = tool("nginx", "/usr/sbin/nginx")
    cert, key = _self_signed(tmp_path)
    site = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    # Only the paths that must exist on a real server are moved into tmp_path.
    site = (site.replace("/etc/letsencrypt/live/chapter.example.org/fullchain.pem", str(cert))
                .replace("/etc/letsencrypt/live/chapter.example.org/privkey.pem", str(key))
                .replace("/var/log/nginx/", f"{tmp_path}/"))
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    # The site goes inside nginx's http block, as Debian's nginx.conf includes sites-enabled/.
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    include {tmp_path}/site.conf;\n}}\n", encoding="utf-8")
    result = run(nginx, "-t", "-c", str(main), "-p", f"{tmp_path}/", "-e", f"{tmp_path}/error.log")
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_nginx_site_keeps_what_signatures_and_the_app_rely_on() -> None:
    site = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    assert "proxy_set_header Host $host;" in site
    # Overwritten, not appended ($proxy_add_x_forwarded_for would keep what the client sent).
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in site
    assert "$proxy_add_x_forwarded_for" not in site
    assert "client_max_body_size 2m;" in site
    assert re.search(r"location = /metrics \{[^}]*deny all;", site)


def test_the_caddyfile_validates(tmp_path: Path) -> None:
    caddy = tool("caddy")
    # Caddy keeps state under HOME/XDG folders: keep it in tmp_path.
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    result = run(caddy, "validate", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile", env=env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Valid configuration" in result.stdout + result.stderr
    # The compose file's upstream and domain, through Caddy's environment placeholders.
    env |= {"FEDCHAPTER_DOMAIN": "london.example.net", "FEDCHAPTER_UPSTREAM": "web:8000"}
    adapted = run(caddy, "adapt", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile", env=env)
    assert adapted.returncode == 0, adapted.stderr
    assert "london.example.net" in adapted.stdout and "web:8000" in adapted.stdout


def test_the_container_files_name_what_exists() -> None:
    root = DEPLOY.parent
    containerfile = (DEPLOY / "Containerfile").read_text(encoding="utf-8")
    for source in re.findall(r"^COPY (.+) \S+$", containerfile, re.MULTILINE):
        for name in source.split():
            assert (root / name).exists(), f"Containerfile copies {name}, which does not exist"
    assert "/healthz" in containerfile
    compose = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    assert "dockerfile: deploy/Containerfile" in compose and "./Caddyfile:/etc/caddy/Caddyfile" in compose
    assert 'command: ["serve", "--no-workers"' in compose and 'command: ["worker"]' in compose
    assert "POOL_MODE: transaction" in compose
    # Tabs are not YAML indentation.
    assert "\t" not in compose
