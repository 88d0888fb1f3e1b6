"""The API's description: the OpenAPI document and its reference page.

Both are public (no sign-in): they describe the API and expose no data, and integrators
generate clients from the document before they have an account. The page is Swagger UI,
vendored under static/vendor/swagger-ui (no CDN); its start-up code is a static file
(static/js/api-docs.js), so the page keeps the app's strict CSP (no inline script or style).
"""

from __future__ import annotations

from flask import current_app, jsonify, render_template

from workflow_app.api.operations import operation
from workflow_app.api.spec import build_document


@operation("GET", "/openapi.json", summary="This OpenAPI 3.1 document", tags=["meta"],
           public=True, raw_content_type="application/json")
def openapi_document():
    document = current_app.extensions.get("api_openapi")
    if document is None:
        document = current_app.extensions["api_openapi"] = build_document()
    return jsonify(document)


@operation("GET", "/docs", summary="The API reference page (HTML)", tags=["meta"],
           public=True, raw_content_type="text/html")
def docs_page():
    return render_template("api/docs.html")
