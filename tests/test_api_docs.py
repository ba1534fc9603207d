"""API docs offline: Swagger UI's files come from a package and are served here; /api leads to them."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from legation.api import create_app  # noqa: E402
from legation.store import Store  # noqa: E402


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("docs") / "store.duckdb"
    Store(path).close()
    with TestClient(create_app(path)) as test_client:
        yield test_client


def test_api_leads_to_the_docs(client) -> None:
    for path in ("/api", "/api/"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 307 and response.headers["location"] == "/api/docs"


def test_docs_page_loads_everything_from_here(client) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "http://" not in page.text and "https://" not in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.text, flags=re.S)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts)  # no inline script
    assets = re.findall(r'(?:src|href)="(/[^"]+)"', page.text)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert len(response.content) > 100, asset
    assert len(client.get("/api/docs/static/swagger-ui-bundle.js").content) > 500_000
    assert "SwaggerUIBundle" in client.get("/api/docs/init.js").text
    schema = client.get(re.search(r'data-openapi="([^"]+)"', page.text).group(1)).json()
    assert "/api/events" in schema["paths"] and "/api/events.parquet" in schema["paths"]
    assert "/api/docs" not in schema["paths"] and "/api" not in schema["paths"]
