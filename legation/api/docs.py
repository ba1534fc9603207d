"""API documentation that works offline: Swagger UI from the ``swagger-ui-bundle`` package, served here.

``/api/docs`` is a page whose assets are all local (``/api/docs/static/...``) and whose only script
besides Swagger UI is ``/api/docs/init.js``, so the page's strict Content-Security-Policy holds;
``/api`` leads there.
"""
from __future__ import annotations

import html
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

DOCS_URL = "/api/docs"

INIT_JS = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: document.body.dataset.openapi,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null,
    tryItOutEnabled: true
  });
});
"""


def swagger_ui_path() -> Path | None:
    """The folder of Swagger UI's files inside the installed ``swagger-ui-bundle`` package."""
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    path = Path(swagger_ui_bundle.swagger_ui_path)
    return path if (path / "swagger-ui-bundle.js").exists() else None


def page(title: str, openapi_url: str) -> str:
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)} API</title>"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<link rel=\"stylesheet\" href=\"{DOCS_URL}/static/swagger-ui.css\">"
        f"<link rel=\"icon\" href=\"{DOCS_URL}/static/favicon-32x32.png\">"
        f"</head><body data-openapi=\"{html.escape(openapi_url)}\"><div id=\"swagger-ui\"></div>"
        f"<script src=\"{DOCS_URL}/static/swagger-ui-bundle.js\"></script>"
        f"<script src=\"{DOCS_URL}/init.js\"></script></body></html>")


def install_docs(app: FastAPI) -> None:
    """Routes /api, /api/docs, /api/docs/init.js and /api/docs/static/* on ``app``."""
    assets = swagger_ui_path()
    openapi_url = app.openapi_url or "/api/openapi.json"

    @app.get("/api", include_in_schema=False)
    @app.get("/api/", include_in_schema=False)
    def api_root() -> Response:
        return RedirectResponse(DOCS_URL, status_code=307)

    @app.get(DOCS_URL, include_in_schema=False)
    def docs() -> Response:
        if assets is None:
            return HTMLResponse(
                "<!doctype html><title>API docs</title><p>[E076] The API docs need the swagger-ui-bundle package: "
                f"pip install swagger-ui-bundle. The schema is at <a href=\"{html.escape(openapi_url)}\">"
                f"{html.escape(openapi_url)}</a>.</p>", status_code=503)
        return HTMLResponse(page(app.title, openapi_url), headers={"Cache-Control": "no-cache"})

    @app.get(DOCS_URL + "/init.js", include_in_schema=False)
    def init_js() -> Response:
        return Response(INIT_JS, media_type="text/javascript; charset=utf-8")

    if assets is not None:
        app.mount(DOCS_URL + "/static", StaticFiles(directory=str(assets)), name="swagger-ui")
