"""Loading and validating `states/*.toml`: the shipped files load; broken ones fail by name."""

from __future__ import annotations

import pytest

from workflow_app.models.catalogue import WORKFLOWS
from workflow_app.models.user import ROLES
from workflow_app.workflow import DefinitionError, load_workflows
from workflow_app.workflow.context import EFFECTS, GUARDS
from workflow_app.workflow.registry import STATES_DIR

NORMAL = (STATES_DIR / "normal.toml").read_text(encoding="utf-8")

EXTRA_STATE = """
[[states]]
id = "{id}"
label_vi = "Trạng thái {id}"
label_en = "State {id}"
"""

EXTRA_TRANSITION = """
[[transitions]]
trigger = "{trigger}"
sources = ["{source}"]
dest = "{dest}"
roles = ["reviewer"]
label_vi = "Chuyển {trigger}"
label_en = "Move {trigger}"
"""

SUBMIT_GUARDS = 'guards = ["dossier_complete", "eligibility_met", "registration_respected"]'


def _load(tmp_path, text: str, name: str = "normal.toml"):
    states = tmp_path / "states"
    states.mkdir(exist_ok=True)
    (states / name).write_text(text, encoding="utf-8")
    return load_workflows(states, require=())


def _problems(tmp_path, text: str) -> str:
    with pytest.raises(DefinitionError) as error:
        _load(tmp_path, text)
    return str(error.value)


def _replace_once(old: str, new: str) -> str:
    assert old in NORMAL, old
    return NORMAL.replace(old, new, 1)


def test_shipped_definitions_load_and_cover_every_workflow():
    registry = load_workflows()
    assert registry.names() == sorted(WORKFLOWS)
    for definition in registry:
        assert definition.machine.models == []  # a rulebook only: no model is attached
        assert definition.initial == "draft"
        for transition in definition.transitions:
            assert set(transition.roles) <= set(ROLES) - {"admin", "auditor"}
            assert set(transition.guards) <= set(GUARDS)
            assert set(transition.effects) <= set(EFFECTS)


def test_simplified_procedure_has_no_disclosure_and_no_council():
    simplified = load_workflows().get("simplified")
    assert not {"public_disclosure", "awaiting_council", "in_voting"} & set(simplified.states)
    assert simplified.transition_for("record_decision", "appraised").dest == "decided"
    assert simplified.transition_for("forward", "appraised").dest == "forwarded"


def test_only_the_revocation_limit_claims_a_legal_source():
    for definition in load_workflows():
        for state in definition.states.values():
            if state.sla_basis == "legal":
                assert state.id == "revocation_proposed"
                assert "LEGAL_FACTS" in state.sla_source


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (SUBMIT_GUARDS, 'guards = ["foo"]',
         "states/normal.toml: transition 'submit': unknown guard 'foo'"),
        ('effects = ["stamp_received_at", "notify_reviewers"]', 'effects = ["bar"]',
         "states/normal.toml: transition 'submit': unknown effect 'bar'"),
        ('roles = ["signer"]', 'roles = ["mayor"]',
         "states/normal.toml: transition 'record_decision': unknown role 'mayor'"),
        ('roles = ["signer"]', 'roles = ["admin"]',
         "states/normal.toml: transition 'record_decision': role 'admin' may not change dossiers"),
        ('sources = ["submitted"]', 'sources = ["submited"]',
         "states/normal.toml: transition 'accept': unknown state 'submited' in sources"),
        ('dest = "in_appraisal"', 'dest = "appraisal"',
         "states/normal.toml: transition 'accept': unknown dest state 'appraisal'"),
        ('label_en = "Accept for appraisal"\n', "",
         "states/normal.toml: transition 'accept': missing label_en"),
        ('label_vi = "Đang thẩm định"\n', "",
         "states/normal.toml: state 'in_appraisal': missing label_vi"),
        (SUBMIT_GUARDS, 'gaurds = ["dossier_complete"]',
         "states/normal.toml: transition 'submit': unknown key 'gaurds'"),
        ('clock = "paused"', 'clock = "stopped"',
         "states/normal.toml: state 'returned': clock must be one of runs, paused"),
        ('sla_working_days = 20\nsla_basis = "configurable"\nnote',
         'sla_working_days = 20\nsla_basis = "legal"\nnote',
         "states/normal.toml: state 'submitted': sla_basis = \"legal\" needs sla_source"),
        ('label_en = "Award decided"\nterminal = true',
         'label_en = "Award decided"\nterminal = true\nsla_working_days = 3\n'
         'sla_basis = "configurable"',
         "states/normal.toml: state 'decided': a terminal state has no time limit"),
        ('label_en = "In appraisal"\nstep = "appraisal"\nsla_working_days = 20',
         'label_en = "In appraisal"\nstep = "appraisal"\nsla_working_days = 15',
         "states/normal.toml: state 'in_appraisal': step 'appraisal' already has "
         "sla_working_days = 20"),
        ('id = "normal"', 'id = "other"',
         "states/normal.toml: [workflow]: id 'other' must match the file name 'normal'"),
        ('initial = "draft"', 'initial = "start"',
         "states/normal.toml: [workflow]: initial state 'start' is not defined"),
        ('creators = ["submitter"]', 'creators = ["auditor"]',
         "states/normal.toml: [workflow]: creators: role 'auditor' may not create dossiers"),
        ('reason_required = true', 'reason_required = "yes"',
         "states/normal.toml: transition 'return_for_supplement': reason_required must be "
         "true or false"),
        ('dest = "in_appraisal"', 'dest = "submitted"',
         "states/normal.toml: transition 'accept': dest 'submitted' is also a source"),
    ],
)
def test_broken_definition_names_the_file_and_the_entry(tmp_path, old, new, expected):
    assert expected in _problems(tmp_path, _replace_once(old, new))


def test_unreachable_state_is_refused(tmp_path):
    text = (NORMAL + EXTRA_STATE.format(id="limbo")
            + EXTRA_TRANSITION.format(trigger="leave_limbo", source="limbo", dest="decided"))
    assert ("states/normal.toml: state 'limbo': unreachable from the initial state 'draft'"
            in _problems(tmp_path, text))


def test_dead_end_state_is_refused(tmp_path):
    text = (NORMAL + EXTRA_STATE.format(id="stuck")
            + EXTRA_TRANSITION.format(trigger="park", source="in_appraisal", dest="stuck"))
    assert ("states/normal.toml: state 'stuck': dead end (not terminal, and no transition "
            "leaves it)" in _problems(tmp_path, text))


def test_duplicate_trigger_from_one_state_is_refused(tmp_path):
    text = NORMAL + EXTRA_TRANSITION.format(trigger="accept", source="submitted",
                                            dest="rejected")
    assert ("states/normal.toml: transition 'accept': trigger 'accept' is defined twice from "
            "state 'submitted'" in _problems(tmp_path, text))


def test_same_trigger_from_different_states_is_allowed(tmp_path):
    text = NORMAL + EXTRA_TRANSITION.format(trigger="accept", source="returned",
                                            dest="in_appraisal")
    definition = _load(tmp_path, text).get("normal")
    assert definition.transition_for("accept", "returned").dest == "in_appraisal"
    assert definition.transition_for("accept", "submitted").dest == "in_appraisal"


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    text = _replace_once(SUBMIT_GUARDS, 'guards = ["foo"]')
    text = text.replace('effects = ["open_disclosure_window"]', 'effects = ["bar"]')
    problems = _problems(tmp_path, text)
    assert "unknown guard 'foo'" in problems and "unknown effect 'bar'" in problems


def test_invalid_toml_is_refused_with_the_file_name(tmp_path):
    assert "states/normal.toml: invalid TOML" in _problems(tmp_path, "[workflow\n")


def test_missing_workflow_file_is_refused(tmp_path):
    _load(tmp_path, NORMAL)
    with pytest.raises(DefinitionError) as error:
        load_workflows(tmp_path / "states")
    assert "no definition for workflow(s) simplified" in str(error.value)


def test_empty_directory_is_refused(tmp_path):
    with pytest.raises(DefinitionError) as error:
        load_workflows(tmp_path)
    assert "no workflow definitions" in str(error.value)
