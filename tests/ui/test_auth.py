"""HTTP Basic authentication protects both the Gradio page and the API."""

from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient

from hoidap.errors import InputError
from ui.auth import parse_credentials


def _basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def test_parse_credentials():
    assert parse_credentials("canbo:mật:khẩu") == ("canbo", "mật:khẩu")
    for bad in ("canbo", ":x", "canbo:", ""):
        with pytest.raises(InputError, match="tên:mật_khẩu"):
            parse_credentials(bad)


@pytest.mark.e2e
def test_everything_needs_the_password(service, corpus_settings):
    from ui.server import create_app

    app = create_app(service, corpus_settings, auth=[("canbo", "mật khẩu")])
    with TestClient(app) as client:
        for path in ("/", "/api/health", "/api/docs", "/config", "/openapi.json"):
            r = client.get(path)
            assert r.status_code == 401, path
            assert r.headers["www-authenticate"].startswith("Basic")
            assert r.json()["message"].startswith("Cần đăng nhập")
        assert client.get("/api/health", headers=_basic("canbo", "sai")).status_code == 401
        assert client.get("/api/health", headers={"Authorization": "Basic !!"}).status_code == 401
        good = _basic("canbo", "mật khẩu")
        assert client.get("/api/health", headers=good).json()["status"] == "ok"
        page = client.get("/", headers=good)
        assert page.status_code == 200 and "<html" in page.text.lower()
        r = client.post(
            "/api/ask", json={"question": "Phòng Kinh tế chịu trách nhiệm gì?"}, headers=good
        )
        assert r.status_code == 200 and r.json()["citations"]
