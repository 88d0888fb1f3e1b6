"""`flask demo load`: seed-based demo data, idempotent, one working account per role."""

import shutil

import pytest
from sqlalchemy import func, select

from tests.support.helpers import login, post_form, totp_code
from workflow_app.accounts.service import passwords
from workflow_app.demo.data import DEMO_DIR, DemoDataError, read_demo_data
from workflow_app.demo.loader import DemoError, load_demo
from workflow_app.models import (
    AuditEvent,
    Cluster,
    ClusterMembership,
    OrgUnit,
    Person,
    RoleGrant,
    User,
)
from workflow_app.models.user import ROLES

TOTP_ROLES = ("admin", "chair", "signer")

# Seed 001: the 12 members of Cụm thi đua số III in 2017.
CLUSTER_III = {
    "Cục Hộ tịch, quốc tịch, chứng thực",
    "Tổng cục Thi hành án dân sự",
    "Cục Bồi thường Nhà nước",
    "Cục Kiểm tra văn bản quy phạm pháp luật",
    "Cục Đăng ký Quốc gia giao dịch bảo đảm",
    "Cục Trợ giúp pháp lý",
    "Cục Con nuôi",
    "Cục Công nghệ thông tin",
    "Thanh tra Bộ",
    "Cục Công tác phía Nam",
    "Cục Bổ trợ tư pháp",
    "Cục Quản lý xử lý vi phạm hành chính và theo dõi thi hành pháp luật",
}


@pytest.fixture
def demo(app, session, data_snapshots):
    def load():
        report = load_demo(session, totp_required_roles=TOTP_ROLES)
        session.commit()
        return report

    return data_snapshots.build_or_restore(("demo", TOTP_ROLES), app, load)


def _officer(cluster: Cluster, year: int, role: str) -> str:
    [unit_name] = [m.unit.name for m in cluster.members_in(year) if m.role == role]
    return unit_name


def test_cluster_iii_has_its_12_members_and_the_2018_head_and_deputy(session, demo):
    cluster = session.scalar(select(Cluster).where(Cluster.code == "CUM-III"))
    for year in (2017, 2018):
        assert {m.unit.name for m in cluster.members_in(year)} == CLUSTER_III
    assert _officer(cluster, 2017, "head") == "Cục Hộ tịch, quốc tịch, chứng thực"
    # Quyết định 2307/QĐ-BTP (seed 001).
    assert _officer(cluster, 2018, "head") == (
        "Cục Quản lý xử lý vi phạm hành chính và theo dõi thi hành pháp luật")
    assert _officer(cluster, 2018, "deputy") == "Cục Trợ giúp pháp lý"
    assert {2025, 2026} <= set(cluster.years())
    assert _officer(cluster, 2025, "head") != _officer(cluster, 2026, "head")  # rotating


def test_seed_units_and_people_are_in_the_tree(session, demo):
    def unit(name):
        return session.scalar(select(OrgUnit).where(OrgUnit.name == name))

    ministry = unit("Bộ Tư pháp")
    assert ministry.code == "BTP" and ministry.symbol == "BTP" and ministry.parent is None
    for name in ("Vụ Thi đua - Khen thưởng", "Sở Tư pháp tỉnh Quảng Bình",
                 "Sở Tư pháp tỉnh Bình Định", "Cục Thi hành án dân sự tỉnh Đồng Tháp",
                 "Cục Thi hành án dân sự tỉnh Vĩnh Phúc"):
        assert unit(name).is_within(ministry), name
    quang_binh = unit("Cục Thi hành án dân sự tỉnh Quảng Bình")
    assert any(child.kind == "thads_district" for child in quang_binh.children)
    danh = session.scalar(select(Person).where(Person.full_name == "Mai Công Danh"))
    assert danh.unit == quang_binh and danh.position == "Cục trưởng" and danh.is_leader
    assert danh.national_id is None  # no invented personal data for people named in seeds
    assert session.scalar(select(func.count(Person.id))) >= 30
    assert session.scalar(select(func.count(Person.id)).where(Person.national_id.is_not(None)))
    block = session.scalar(select(Cluster).where(Cluster.kind == "block"))
    assert "Cục Thi hành án dân sự tỉnh Quảng Bình" in {m.unit.name for m in block.members_in(2018)}


def _counts(session) -> dict[str, int]:
    models = (OrgUnit, Person, Cluster, ClusterMembership, User, RoleGrant, AuditEvent)
    return {m.__name__: session.scalar(select(func.count()).select_from(m)) for m in models}


def test_loading_twice_adds_no_row_and_no_audit_event(session, demo):
    before = _counts(session)
    assert before["AuditEvent"] > before["OrgUnit"]  # every addition was audited
    again = load_demo(session, totp_required_roles=TOTP_ROLES)
    session.commit()
    assert not again.created
    assert _counts(session) == before
    assert [row.username for row in again.accounts] == [row.username for row in demo.accounts]
    assert not any(row.created for row in again.accounts)


def test_every_role_has_a_demo_account_with_a_working_password(session, demo):
    rows = {row.username: row for row in demo.accounts}
    users = session.scalars(select(User).where(User.username.in_(rows))).all()
    assert len(users) == len(rows)
    assert {role for user in users for role in user.roles} == set(ROLES)
    assert sum("council_member" in user.roles for user in users) >= 3
    for user in users:
        assert user.person is not None, user.username
        assert passwords.verify_password(user.password_hash, rows[user.username].password)
        needs_totp = user.has_role(*TOTP_ROLES)
        assert bool(user.totp_secret) == needs_totp, user.username
        if needs_totp:
            assert user.totp_secret == rows[user.username].totp_secret
    reviewer = next(u for u in users if u.has_role("reviewer"))
    assert reviewer.person.unit.name == "Vụ Thi đua - Khen thưởng"
    assert [g.unit.code for g in reviewer.grants] == ["BTP"]  # the whole ministry


def test_printed_credentials_sign_in_including_the_second_factor(client, demo):
    rows = {row.roles: row for row in demo.accounts}
    submitter = next(r for r in demo.accounts if r.roles == "submitter")
    assert login(client, submitter.username, submitter.password).status_code == 302
    post_form(client, "/logout", {}, token_from="/")
    admin = rows["admin"]
    response = login(client, admin.username, admin.password)
    assert response.headers["Location"].startswith("/login/code")
    response = post_form(client, "/login/code", {"code": totp_code(admin.totp_secret)})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_demo_submitter_of_quang_binh_cannot_see_ministry_people(client, session, demo):
    row = next(r for r in demo.accounts if r.username == "demo.submitter.qb")
    login(client, row.username, row.password)
    ministry_person = session.scalar(select(Person).where(Person.full_name == "Lý Thị Thu Trang"))
    own = session.scalar(select(Person).where(Person.full_name == "Phạm Thị Ngọc Lan"))
    assert client.get(f"/org/persons/{ministry_person.id}").status_code == 404
    page = client.get(f"/org/persons/{own.id}").get_data(as_text=True)
    assert own.national_id in page  # a submitter sees full numbers within their scope


def test_cli_prints_the_accounts_table_and_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "DEMO-ONLY" in first.output and "added" in first.output
    for row in read_demo_data().accounts:
        assert row.username in first.output and row.password in first.output
        if row.totp_secret:
            assert row.totp_secret in first.output
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0 and "nothing added" in second.output


def test_missing_totp_secret_for_a_two_factor_role_loads_nothing(session):
    with pytest.raises(DemoError, match="totp_secret"):
        load_demo(session, totp_required_roles=(*TOTP_ROLES, "auditor"))
    session.rollback()
    assert session.scalar(select(func.count(OrgUnit.id))) == 0


def _broken_copy(tmp_path, file, old, new):
    directory = tmp_path / "demo"
    shutil.copytree(DEMO_DIR, directory)
    path = directory / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return directory


@pytest.mark.parametrize(("file", "old", "new", "reason"), [
    ("units.toml", 'parent = "BTP"', 'parent = "NOPE"', "parent 'NOPE'"),
    ("units.toml", 'kind = "department"', 'kind = "vu"', "unknown kind 'vu'"),
    ("persons.toml", 'national_id = "001068900103"', 'national_id = "12345"', "12 digits"),
    ("clusters.toml", 'deputy = "BTP-CTGPL"', 'deputy = "STP-QB"', "not a member"),
    ("accounts.toml", 'role = "auditor"', 'role = "boss"', "bad grant"),
    ("accounts.toml", 'username = "demo.chair"', 'usernam = "demo.chair"', "unknown key"),
])
def test_broken_data_file_names_the_file_entry_and_reason(tmp_path, file, old, new, reason):
    directory = _broken_copy(tmp_path, file, old, new)
    with pytest.raises(DemoDataError) as error:
        read_demo_data(directory)
    message = str(error.value)
    assert message.startswith(f"{file}: ") and reason in message


def test_demo_cli_seats_the_council_and_reproduces_the_seed_001_acclamation(app, session):
    from tests.support.helpers import run_cli
    from workflow_app.models.acclamation import AcclamationContest
    from workflow_app.models.council import Council
    from workflow_app.models.dossier import Dossier

    assert run_cli(app, "catalogue", "load").exit_code == 0
    first = run_cli(app, "demo", "load")
    assert first.exit_code == 0, first.output
    assert "seed 001 acclamation" in first.output
    council = session.scalar(select(Council).where(Council.code == "HDTDKT-BTP"))
    assert sorted(m.role for m in council.members) == ["chair", "member", "member", "member",
                                                      "secretary"]
    acclaimed = {c.award.code: sorted(r.unit.name for r in c.results if r.acclaimed)
                 for c in session.scalars(select(AcclamationContest))}
    assert acclaimed["CO_CP"] == ["Cục Hộ tịch, quốc tịch, chứng thực", "Thanh tra Bộ"]
    assert len(acclaimed["CO_BO"]) == 4
    flags = session.scalar(select(func.count()).select_from(Dossier).where(
        Dossier.award_id.in_([c.award_id for c in session.scalars(select(AcclamationContest))])))
    assert flags == 6
    dossiers = session.scalar(select(func.count()).select_from(Dossier))
    again = run_cli(app, "demo", "load")
    assert again.exit_code == 0
    assert session.scalar(select(func.count()).select_from(Dossier)) == dossiers
    # demo history: the Cục trưởng meets the HCLD3 route of Law Art. 44 k1 e
    from datetime import date

    from flask_babel import force_locale

    from workflow_app.eligibility.service.evaluate import evaluate
    from workflow_app.models.registry import PerformanceRating

    ratings = session.scalar(select(func.count()).select_from(PerformanceRating))
    assert ratings > 0
    quang = session.scalar(select(Person).where(Person.full_name == "Nguyễn Văn Quang"))
    with app.test_request_context(), force_locale("en"):
        results = evaluate(session, quang, "HCLD3", 2025, on=date(2026, 11, 22))
    assert results[0].status == "met"
    run_cli(app, "demo", "load")
    assert session.scalar(select(func.count()).select_from(PerformanceRating)) == ratings


def test_demo_leaves_five_dossiers_awaiting_the_council_driven_through_the_engine(
        app, session, tx):
    """The walk-through's agenda: five dossiers of the Ministry's units awaiting HDTDKT-BTP,
    submitted by the demo submitters and sent on by the demo reviewer (audited transitions),
    one whose nominee's unit is a council member's (recused automatically) and one whose
    rule lets an absent member vote in writing."""
    from datetime import date

    from tests.support.helpers import run_cli
    from workflow_app.council.service import rules, sessions
    from workflow_app.models.council import Council
    from workflow_app.models.dossier import Dossier

    assert run_cli(app, "catalogue", "load").exit_code == 0
    loaded = run_cli(app, "demo", "load")
    assert loaded.exit_code == 0, loaded.output
    assert "5 dossiers awaiting the council HDTDKT-BTP" in loaded.output
    waiting = session.scalars(select(Dossier).where(Dossier.state == "awaiting_council")).all()
    assert len(waiting) >= 5
    for dossier in waiting:
        steps = [(e.action, e.actor_label) for e in session.scalars(
            select(AuditEvent).where(AuditEvent.subject_type == "dossier",
                                     AuditEvent.subject_id == str(dossier.id))
            .order_by(AuditEvent.seq))]
        actions = [action for action, _actor in steps]
        assert actions[0] == "dossier.created" and actions[-3:] == [
            "dossier.submit", "dossier.accept", "dossier.send_to_council"], actions
        assert steps[-1][1] == "demo.reviewer"
        assert steps[-3][1] in ("demo.submitter", "demo.vutdkt")
        assert "dossier.document_added" in actions
    council = tx.scalar(select(Council).where(Council.code == "HDTDKT-BTP"))
    secretary = tx.scalar(select(User).where(User.username == "demo.secretary"))
    meeting = sessions.schedule(tx, council, held_on=date.today(), actor=secretary)
    offered = sessions.eligible_dossiers(tx, meeting)
    assert {d.id for d in waiting} <= {d.id for d in offered}
    items = [sessions.add_item(tx, meeting, d, actor=secretary) for d in offered]
    recused = {(i.dossier.nominee_name, r.member.user.username, r.kind)
               for i in items for r in i.recusals}
    assert ("Ngô Thị Thanh Huyền", "demo.council2", "nominee_unit") in recused
    written = [i.dossier.award.code for i in items if rules.written_allowed(
        rules.dossier_rule(i))]
    assert written == ["CSTD_BO"]
    tx.rollback()
    assert run_cli(app, "audit", "verify").exit_code == 0
