"""Production values pass Django's deployment checks, and unsafe ones stop the start-up."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k7#r9f2@x!w0q^u8v$e3z&l5m*n1b)p6c(t4y-h_j+g=d[s]a{o}i|k;",
    "ALLOWED_HOSTS": "mentorship.example.org",
    "DATABASE_URL": "sqlite:////tmp/deploy-check.sqlite3",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in PRODUCTION.items() if key != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _manage("check", env={**PRODUCTION, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY is too short" in result.stderr


def test_resumes_folder_has_no_public_url(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (settings.MEDIA_ROOT / "resumes").mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "resumes" / "someone.pdf").write_bytes(b"%PDF-1.4 private")
    for url in ("/media/resumes/someone.pdf", f"{settings.MEDIA_URL}resumes/someone.pdf"):
        assert client.get(url).status_code == 404, url
