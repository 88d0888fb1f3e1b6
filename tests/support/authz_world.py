"""The world of the authorization matrix: one object of each kind in unit B, the callers in
unit A (one per role, and one without a role), and an insider of unit B.

Every secret of unit B — names of its people, its dossier's title, file names and contents,
its accounts, its council's name … — contains SECRET (or is listed in `World.secrets`), so a
leak is found by searching an answer for them. What is public by design (unit and cluster
names, the award catalogue) carries no secret.

Objects are made as their users make them where an operation exists (a document is
uploaded through the API by the insider, so that downloads have a stored file), else with
the test factories and services.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import select

from tests.support.council_factories import TERM_START
from tests.support.workflow_factories import place
from workflow_app.attachments.storage import Storage
from workflow_app.council.service import acclamation, councils, recusal, rounds
from workflow_app.decisions.service import forwarding, issue, revocation_issue
from workflow_app.decisions.service import revocation as revocation_service
from workflow_app.disclosure.service import comments as disclosure_service
from workflow_app.models.audit import AuditEvent
from workflow_app.models.catalogue import AwardVersion
from workflow_app.models.council import Council, CouncilSession
from workflow_app.models.dossier import Dossier
from workflow_app.models.eligibility import EligibilityExceptionRequest
from workflow_app.models.org import Cluster
from workflow_app.models.registry import AwardRecord
from workflow_app.models.user import ROLES, RoleGrant, User
from workflow_app.models.webhook import WebhookDelivery, WebhookSubscription
from workflow_app.org.service import clusters as cluster_service
from workflow_app.org.service import history, reorg
from workflow_app.workflow import fire

SECRET = "Zqx"
NATIONAL_ID = "079186000417"
SECRET_PDF = (b"%PDF-1.4\n% Zqx secret content of unit B\n1 0 obj << /Type /Catalog >> "
              b"endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
NO_ROLE = "none"
CALLER_ROLES = (*ROLES, NO_ROLE)
LAST_YEAR = date.today().year - 1


@dataclass
class World:
    objects: dict[str, Any] = field(default_factory=dict)  # kind → path value
    secrets: tuple[str, ...] = (SECRET, NATIONAL_ID)
    callers: dict[str, User] = field(default_factory=dict)  # role → user over unit A
    insider: User | None = None  # every role over unit B


@dataclass
class Makers:
    """The test's factories and sessions (function-scoped fixtures, passed in once)."""

    app: Any
    session: Any
    tx: Any
    make_unit: Any
    make_user: Any
    make_person: Any
    make_award: Any
    make_dossier: Any
    call_as: Any
    make_council: Any
    vote_award: Any
    meeting: Any
    unit_a: Any
    root: Any


def _ok(response, status: int = 201) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def _organisation(m: Makers, world: World):
    unit_b = m.make_unit("Cục Thi hành án dân sự tỉnh B", kind="thads_provincial",
                         code="CTHADS-B", symbol="THADSB", parent=m.root)
    unit_b1 = m.make_unit("Chi cục Thi hành án dân sự huyện B1", kind="thads_district",
                          code="CCTHADS-B1", parent=unit_b)
    world.objects["unit"] = unit_b.id
    world.objects["person"] = m.make_person(f"{SECRET} Person Of B", unit=unit_b,
                                            national_id=NATIONAL_ID).id
    user_b = m.make_user("zqx-user-b", roles=["submitter"], unit=unit_b,
                         email="zqx-user-b@example.vn")
    world.objects["user"] = user_b.id
    world.objects["grant"] = m.session.scalar(
        select(RoleGrant.id).where(RoleGrant.user_id == user_b.id))
    cluster = cluster_service.create_cluster(m.session, code="CUM-B", name="Cụm thi đua B",
                                             kind="cluster", organiser=unit_b)
    membership = cluster_service.set_membership(m.session, cluster, unit_b, LAST_YEAR, "head")
    cluster_service.set_membership(m.session, cluster, unit_b1, LAST_YEAR, "member")
    # A reorganisation event of unit B's subtree (issue 19): a unit established in 2025.
    created = reorg.create_unit(
        m.session, code="CCTHADS-B2", name="Chi cục Thi hành án dân sự huyện B2",
        kind="thads_district", parent=unit_b, effective_date=date(2025, 1, 1),
        decision_number="1/QĐ-TCTHADS", decision_date=date(2024, 12, 1),
        decision_issuer="Tổng cục Thi hành án dân sự")
    m.session.commit()
    world.objects.update(cluster=cluster.id, membership=membership.id,
                         org_event=history.events_of(m.session, created)[0].id)
    world.insider = m.make_user("insider-b", roles=list(ROLES), unit=unit_b, locale="en")
    for role in CALLER_ROLES:
        world.callers[role] = m.make_user(
            f"caller-{role}", roles=[] if role == NO_ROLE else [role], unit=m.unit_a,
            locale="en")
    return unit_b


def _dossier(m: Makers, world: World, unit_b, insider_api) -> Dossier:
    """Unit B's dossier under public disclosure, with an uploaded document and an objection."""
    award = m.make_award(disclosure=True, disclosure_days=10)
    world.objects["award"] = award.code
    nominee = m.make_person(f"{SECRET} Nominee Of B", unit=unit_b)
    dossier = m.make_dossier(unit=unit_b, award=award, nominee=nominee, documents=[],
                             creator=world.insider, title=f"{SECRET} dossier title",
                             summary=f"{SECRET} achievements of the nominee")
    world.objects["dossier"] = dossier.id
    for doc_type in ("TO_TRINH", "BAO_CAO_THANH_TICH"):
        uploaded = _ok(insider_api("POST", f"/api/v1/dossiers/{dossier.id}/documents",
                                   data={"doc_type": doc_type, "file": (
                                       io.BytesIO(SECRET_PDF), f"{SECRET}-{doc_type}.pdf")},
                                   content_type="multipart/form-data"))
        world.objects.setdefault("document", uploaded["id"])
    tx = m.tx
    dossier = tx.get(Dossier, dossier.id)
    place(tx, dossier, "in_appraisal")
    fire(tx, dossier, "open_disclosure", tx.get(User, world.insider.id))
    comment = disclosure_service.add_comment(
        tx, dossier, kind="objection", body=f"{SECRET} objection from the public",
        client=disclosure_service.client_hash("matrix", "192.0.2.1"),
        author_name=f"{SECRET} Author", author_contact="zqx@example.vn")
    asked = EligibilityExceptionRequest(dossier_id=dossier.id, rule_id="1", answer="",
                                        reason=f"{SECRET} reason for an exception",
                                        requested_by_id=world.insider.id)
    tx.add(asked)
    tx.commit()
    world.objects["comment"] = comment.id
    world.objects["exception_request"] = asked.id
    world.objects["audit_event"] = m.session.scalar(
        select(AuditEvent.seq).where(AuditEvent.subject_type == "dossier",
                                     AuditEvent.subject_id == str(dossier.id))
        .order_by(AuditEvent.seq))
    world.objects["trigger"] = "withdraw"
    return dossier


def _batch(m: Makers, world: World, unit_b, insider_api) -> None:
    people = [m.make_person(f"{SECRET} Batch Nominee {n}", unit=unit_b).id for n in (1, 2)]
    batch = _ok(insider_api("POST", "/api/v1/batches", json={
        "unit_id": unit_b.id, "title": f"{SECRET} covering letter", "award_id":
        m.make_award().id, "commendation_type": "CONG_TRANG", "year": 2025,
        "person_ids": people}))
    world.objects["batch"] = batch["id"]
    document = _ok(insider_api("POST", f"/api/v1/batches/{batch['id']}/documents",
                               data={"doc_type": "TO_TRINH", "file": (
                                   io.BytesIO(SECRET_PDF), f"{SECRET}-batch.pdf")},
                               content_type="multipart/form-data"))
    world.objects["batch_document"] = document["document"]["id"]


def _council(m: Makers, world: World, unit_b) -> None:
    """Unit B's council in session: two dossiers on the agenda, one member absent with a
    written vote, a conflict declared and accepted, a round open (the insider, seated, has
    not voted yet)."""
    tx = m.tx
    kit = m.make_council(4, unit=unit_b)
    council = tx.get(Council, kit.council.id)
    council.name = f"{SECRET} council of unit B"
    seat = councils.add_member(tx, council, tx.get(User, world.insider.id), "member",
                               term_from=TERM_START)
    tx.commit()
    award = m.vote_award(absent_may_vote_in_writing=True)
    dossiers = [m.make_dossier("awaiting_council", unit=unit_b, award=award,
                               creator=world.insider, title=f"{SECRET} before the council",
                               nominee=m.make_person(f"{SECRET} Council Nominee {n}",
                                                     unit=unit_b)) for n in (1, 2)]
    absent = kit.members[-1]
    meeting = m.meeting(kit, dossiers, present=[*kit.members[:-1], seat], written=[absent])
    meeting = tx.get(CouncilSession, meeting.id)
    item = next(i for i in meeting.items if i.dossier_id == dossiers[0].id)
    declarer = kit.members[1]
    conflict = recusal.declare(tx, item, declarer, f"{SECRET} reason for a conflict",
                               actor=declarer.user)
    recusal.decide(tx, conflict, True, actor=kit.chair)
    voting_round = rounds.open_round(tx, meeting, actor=kit.secretary)
    tx.commit()
    world.objects.update(council=council.id, session=meeting.id, item=item.id,
                         recusal=conflict.id, round=voting_round.id, member=absent.id)


def _acclamation(m: Makers, world: World) -> None:
    tx = m.tx
    cluster = tx.get(Cluster, world.objects["cluster"])
    insider = tx.get(User, world.insider.id)
    conference = acclamation.open_conference(tx, cluster, LAST_YEAR, date.today(),
                                             place=f"{SECRET} conference hall", actor=insider)
    contest = acclamation.open_contest(tx, conference, m.vote_award(), 1, actor=insider)
    tx.commit()
    world.objects.update(conference=conference.id, contest=contest.id)


def _decision(m: Makers, world: World, unit_b) -> None:
    """Unit B's documents: an award decision for two dossiers (with its annex rows and the
    registry entries it made); against one entry a revocation proposed, against the other
    one decided (its document issued); and a tờ trình forwarding a dossier upwards."""
    tx = m.tx
    signer = m.make_user("signer-b", roles=["signer", "reviewer"], unit=unit_b,
                         person=m.make_person("Lê Văn Ký", position="Cục trưởng", unit=unit_b))
    award, higher = m.make_award(), _higher_award(m)
    made = [m.make_dossier("council_approved", unit=unit_b, creator=world.insider, award=a,
                           title=f"{SECRET} approved",
                           nominee=m.make_person(f"{SECRET} Awardee {n}", unit=unit_b))
            for n, a in enumerate((award, award, higher))]
    signer = tx.get(User, signer.id)
    today = date.today()
    storage = Storage(current_app.extensions["workflow_config"].instance_dir / "documents")
    decided = [tx.get(Dossier, d.id) for d in made[:2]]
    decision = issue.issue_decision(tx, signer, issue.default_input(signer, decided, today),
                                    storage, today)
    tx.commit()
    revocations = []
    for dossier in decided:
        entry = tx.scalar(select(AwardRecord).where(AwardRecord.dossier_id == dossier.id))
        revocations.append(revocation_service.propose(
            tx, tx.get(User, world.insider.id), entry, revocation_service.ProposalInput(
                ground="false_papers", explanation=f"{SECRET} facts of the revocation"),
            today))
        tx.commit()
    issued = revocations[1]
    revocation_issue.issue_revocation(
        tx, signer, issued, revocation_issue.default_input(tx, signer, issued, today),
        storage, today)
    tx.commit()
    letter = forwarding.forward_dossiers(
        tx, signer, forwarding.default_input(signer, [tx.get(Dossier, made[2].id)], today),
        storage, today)
    tx.commit()
    world.objects.update(decision=decision.id, decision_item=decision.items[0].id,
                         award_record=revocations[0].award_record_id,
                         revocation=revocations[0].id, issued_revocation=issued.id,
                         letter=letter.id)
    tx.commit()  # end the read: SQLite would keep other writers waiting


def _higher_award(m: Makers):
    """An award conferred above this body (by the Prime Minister): forwarded, not decided."""
    award = m.make_award()
    version = m.tx.scalar(select(AwardVersion).where(AwardVersion.award_id == award.id))
    version.conferring_level = "prime_minister"
    m.tx.commit()
    return award


def _movement(m: Makers, world: World, unit_b, insider_api) -> None:
    """Unit B's draft plan (a public document of the sector once drafted: no secret in it)."""
    movement = _ok(insider_api("POST", "/api/v1/movements", json={
        "unit_id": unit_b.id, "title": "Kế hoạch thi đua của đơn vị B", "kind": "regular",
        "scope": "unit", "year": LAST_YEAR, "period_start": f"{LAST_YEAR}-01-01",
        "period_end": f"{LAST_YEAR}-12-31", "participant_ids": [unit_b.id],
        "theme": "Đoàn kết, kỷ cương"}))
    world.objects["movement"] = movement["id"]
    _ok(insider_api("POST", f"/api/v1/movements/{movement['id']}/actions/launch", json={
        "version": 1, "document_number": "01/KH-B"}), 200)
    _ok(insider_api("PUT", f"/api/v1/movements/{movement['id']}/registrations/{unit_b.id}",
                    json={"commitments": f"{SECRET} commitments of unit B", "lines": [
                        {"award_code": world.objects["award"],
                         "person_id": world.objects["person"]}]}), 200)
    pact = _ok(insider_api("POST", "/api/v1/pacts", json={
        "cluster_id": world.objects["cluster"], "year": LAST_YEAR,
        "text": "Giao ước thi đua của cụm B", "targets": ["Hoàn thành nhiệm vụ"]}))
    world.objects["pact"] = pact["id"]
    world.objects["review_kind"] = "year_end"
    table = _ok(insider_api("POST", "/api/v1/scoring/tables", json={
        "movement_id": movement["id"], "title": f"{SECRET} criteria of unit B",
        "year": LAST_YEAR, "assessor_unit_id": unit_b.id,
        "groups": [{"title": "Nhiệm vụ", "criteria": [{"title": "Tiêu chí", "max_points": 10}]}],
        "bands": [{"code": "A", "label_vi": "Xếp loại A", "min_points": 5}]}))
    world.objects["score_table"] = table["id"]


def _webhook(m: Makers, world: World) -> None:
    """A subscription and one of its deliveries: not any unit's (administrators' only)."""
    subscription = WebhookSubscription(url="https://qlvb.example/hook", events=["decision.issued"],
                                       secret="whsec_" + "A" * 44, last_seq=0, claimed_by="")
    m.tx.add(subscription)
    m.tx.flush()
    delivery = WebhookDelivery(subscription_id=subscription.id, audit_seq=1,
                               event_kind="decision.issued", message_id="msg_world_1",
                               payload="{}", status="failed", attempts=8, claimed_by="")
    m.tx.add(delivery)
    m.tx.commit()
    world.objects["webhook_subscription"] = subscription.id
    world.objects["webhook_delivery"] = delivery.id


def build_world(m: Makers) -> World:
    world = World()
    world.objects["search_text"] = SECRET
    unit_b = _organisation(m, world)
    insider_api = m.call_as(world.insider)
    _dossier(m, world, unit_b, insider_api)
    _batch(m, world, unit_b, insider_api)
    _council(m, world, unit_b)
    _acclamation(m, world)
    _decision(m, world, unit_b)
    _movement(m, world, unit_b, insider_api)
    _webhook(m, world)
    _trust_certificate(m, world)
    return world


def _trust_certificate(m: Makers, world: World) -> None:
    """A configured trust root (global: admins manage them for every unit)."""
    from tests.support.pki import make_certificate
    from workflow_app.decisions.service import trust_roots
    from workflow_app.models.user import User

    actor = m.tx.get(User, world.insider.id)
    row = trust_roots.add_certificate(m.tx, make_certificate("Root CA ma trận", ca=True).pem,
                                      actor)
    m.tx.commit()
    world.objects["trust_certificate"] = row.id
