"""Accessibility checks in the browser journeys: axe-core (vendored in tests/support/axe/,
never served to users) run on the page under test.

`page.evaluate` puts axe in the page through the browser's debugging protocol, so the
page's Content-Security-Policy stays as users get it and nothing is fetched. WCAG 2.0/2.1
A and AA rules and axe's best practices run; a "serious" or "critical" violation fails the
test, unless listed in `KNOWN` with the reason it is accepted for now (empty: none is).
"""

from __future__ import annotations

from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_JS = Path(__file__).parent / "axe" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# rule id → why it is accepted for now. A new serious violation fails the journey.
KNOWN: dict[str, str] = {}

_source: str | None = None


def _axe_source() -> str:
    global _source
    if _source is None:
        _source = AXE_JS.read_text(encoding="utf-8")
        assert f"axe v{AXE_VERSION}" in _source[:200], "tests/support/axe/axe.min.js changed"
    return _source


def axe_violations(page, impacts: tuple[str, ...] = FAILING_IMPACTS) -> list[dict]:
    """The page's axe violations of the given impacts: id, impact, help and the first
    offending elements (CSS selector and a snippet)."""
    # Judge the page at rest: no button left hovered by the last click, no colour caught
    # halfway through Bootstrap's 0.15 s transitions.
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source() + "\n;undefined")
    result = page.evaluate(
        """async (tags) => {
             const r = await window.axe.run(document, {runOnly: {type: "tag", values: tags},
                                                       resultTypes: ["violations"]});
             return r.violations.map(v => ({
               id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(" "),
                                                      html: n.html.slice(0, 200),
                                                      summary: n.failureSummary}))}));
           }""", TAGS)
    return [v for v in result if v["impact"] in impacts]


def assert_accessible(page, where: str) -> list[dict]:
    """Fail when axe finds a serious or critical violation not in `KNOWN` on `page`.
    Returns the accepted ones (for a report)."""
    found = axe_violations(page)
    new = [v for v in found if v["id"] not in KNOWN]
    assert not new, f"axe {AXE_VERSION} on {where} ({page.url}):\n" + "\n".join(
        f"- {v['impact']} {v['id']}: {v['help']}\n" + "\n".join(
            f"    {n['target']}: {n['html']}\n      {n['summary']}" for n in v["nodes"])
        for v in new)
    return [v for v in found if v["id"] in KNOWN]
