"""Every action the code can write to the audit chain has a Vietnamese label.

The actions are read from the source (every `record(session, <action>, …)` call of the
audit chain), not from a list kept by hand: a new capability's action without a label fails
here, naming it and where it is written. Dynamic actions are expanded: the engine's
`dossier.<trigger>` by every transition of states/*.toml, the catalogue loader's
`catalogue.version_<change>` by its change kinds, a reorganisation's `org.<kind>` by its
kinds, a local variable by the strings assigned to it in the same function. An action written
some other way fails with a request to teach this test how to list it.
"""

from __future__ import annotations

import ast
import sys

from babel.support import Translations

from workflow_app.auditor.service import labels
from workflow_app.catalogue.service.loader import ACTIONS as CATALOGUE_ACTIONS
from workflow_app.config import PROJECT_ROOT
from workflow_app.org.service.reorg import CHANGE_KINDS as REORG_KINDS
from workflow_app.workflow.definition import SUBJECT_KINDS
from workflow_app.workflow.registry import load_workflows

SOURCE = PROJECT_ROOT / "workflow_app"
TRANSLATIONS = PROJECT_ROOT / "workflow_app" / "translations"


def _strings(node: ast.AST) -> set[str]:
    """The strings an expression can be: a literal, or either branch of `a if c else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _strings(node.body), _strings(node.orelse)
        return body | orelse if body and orelse else set()
    return set()


def _f_string(node: ast.JoinedStr, triggers: dict[str, set[str]]) -> set[str] | None:
    text = "".join(part.value if isinstance(part, ast.Constant) else "{}"
                   for part in node.values)
    if text == "dossier.{}":
        return {f"dossier.{t}" for t in triggers["dossier"]}
    if text == "{}.{}":  # the engine: <subject kind>.<trigger>
        return {f"{kind}.{t}" for kind, kind_triggers in triggers.items() for t in kind_triggers}
    if text == "{}.created":  # the engine opening a subject of any kind
        return {f"{kind}.created" for kind in triggers}
    if text == "scoring.{}_scored":
        return {"scoring.self_scored", "scoring.assessor_scored"}
    if text == "org.{}":  # a reorganisation of units, by its kind
        return {f"org.{kind}" for kind in REORG_KINDS}
    if text == "catalogue.version_{}":
        return {f"catalogue.version_{a}" for a in CATALOGUE_ACTIONS if a != "unchanged"}
    return None


def _assigned(function: ast.AST, name: str) -> set[str]:
    found = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets):
            found |= _strings(node.value)
    return found


def emitted_actions() -> tuple[dict[str, str], list[str]]:
    """({action: "file:line"}, [calls this test cannot read])."""
    registry = load_workflows()
    triggers = {kind: {t.trigger for d in registry.for_subject(kind) for t in d.transitions}
                for kind in SUBJECT_KINDS}
    actions, unreadable = {}, []
    for path in sorted(SOURCE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "audit.chain import" not in text and "audit import chain" not in text:
            continue
        tree = ast.parse(text)
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and len(node.args) >= 2 and (
                    (isinstance(node.func, ast.Name) and node.func.id == "record")
                    or (isinstance(node.func, ast.Attribute) and node.func.attr == "record"
                        and isinstance(node.func.value, ast.Name)
                        and node.func.value.id == "chain"))):
                continue
            where = f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}"
            arg = node.args[1]
            found: set[str] | None
            if isinstance(arg, ast.JoinedStr):
                found = _f_string(arg, triggers)
            elif isinstance(arg, ast.Name):
                scope = node
                while scope in parents and not isinstance(scope, ast.FunctionDef):
                    scope = parents[scope]
                found = _assigned(scope, arg.id) or None
            else:
                found = _strings(arg) or None
            if found is None:
                unreadable.append(where)
                continue
            for action in found:
                actions.setdefault(action, where)
    return actions, unreadable


def test_every_emitted_action_has_a_vietnamese_label():
    actions, unreadable = emitted_actions()
    assert not unreadable, f"teach this test to read the action written at {unreadable}"
    # Sanity: the scan sees the kinds of action the issue names.
    for expected in ("eligibility.overridden", "dossier.send_to_council", "decision.issued",
                     "council.ballot_cast", "user.disabled", "catalogue.version_changed"):
        assert expected in actions, expected
    missing = {a: w for a, w in actions.items() if not labels.known_action(a)}
    assert not missing, f"actions without a label in auditor/service/labels.py: {missing}"

    catalogue = Translations.load(str(TRANSLATIONS), ["vi"])
    untranslated = sorted(str(label._args[0]) for label in labels.ACTION_LABELS.values()
                          if catalogue.gettext(label._args[0]) == label._args[0])
    assert not untranslated, f"action labels without Vietnamese: {untranslated}"
    for definition in load_workflows():
        for transition in definition.transitions:
            assert transition.label_vi and transition.label_vi != transition.label_en


def test_an_unknown_action_still_reads_as_words(app):
    with app.test_request_context():
        label = labels.action_label("movement.launched", "vi")
        assert "movement.launched" in label and label != "movement.launched"
        assert labels.action_label("dossier.send_to_council", "vi") == "Trình Hội đồng xét"
        assert labels.state_label("awaiting_council", "vi") == "Chờ Hội đồng xét"
        labels.register_action_labels({"movement.launched": "Phát động phong trào"})
        try:
            assert labels.action_label("movement.launched", "vi") == "Phát động phong trào"
        finally:
            labels.ACTION_LABELS.pop("movement.launched")


def test_the_scan_fails_on_an_action_it_cannot_read(tmp_path, monkeypatch):
    (tmp_path / "workflow_app").mkdir()
    (tmp_path / "workflow_app" / "odd.py").write_text(
        "from workflow_app.audit.chain import record\n"
        "def f(session, kind):\n    record(session, kind.upper(), 'x', 1)\n"
        "def g(session):\n    record(session, 'odd.thing', 'x', 1)\n")
    monkeypatch.setattr(sys.modules[__name__], "SOURCE", tmp_path / "workflow_app")
    monkeypatch.setattr(sys.modules[__name__], "PROJECT_ROOT", tmp_path)
    actions, unreadable = emitted_actions()
    assert actions == {"odd.thing": "workflow_app/odd.py:5"}
    assert unreadable == ["workflow_app/odd.py:3"]
