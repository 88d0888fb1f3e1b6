"""The year-end flow: a unit's registration becomes its batches of draft nominations, and a
cluster's published ranking opens its acclamation vote with the leaders proposed."""

from __future__ import annotations

from sqlalchemy import select

from tests.support.helpers import csrf_token, login_as
from workflow_app.catalogue.service.queries import today_local
from workflow_app.models.dossier import Dossier
from workflow_app.movements.service.registration import LineIn, register


def test_a_units_registration_becomes_its_batches_of_nominations(
        app, client, session, tx, world, awards, make_movement):
    movement = make_movement("in_progress")
    ccn, person = world["members"][2], world["people"]["CCN"]
    register(tx, world["officers"]["CCN"], movement, ccn, commitments="",
             lines=[LineIn("TTLDXS"), LineIn("CSTDCS", person.id)], today=today_local())
    tx.commit()
    login_as(app, client, world["officers"]["TTB"])  # not registered: nothing offered
    assert "open-nominations" not in client.get(f"/movements/{movement.id}").get_data(
        as_text=True)
    login_as(app, client, world["officers"]["CCN"])
    url = f"/movements/{movement.id}"
    response = client.post(f"{url}/nominations", data={"csrf_token": csrf_token(client, url),
                                                       "nom-unit_id": ccn.id})
    assert response.status_code == 303 and response.location.endswith("/dossiers/batches/")
    dossiers = session.scalars(select(Dossier).order_by(Dossier.id)).all()
    assert [(d.award_id, d.nominee_person_id, d.nominee_unit_id, d.year, d.state,
             d.commendation_type, d.batch_id is not None) for d in dossiers] == [
        (awards["TTLDXS"].id, None, ccn.id, 2017, "draft", "CONG_TRANG", True),
        (awards["CSTDCS"].id, person.id, None, 2017, "draft", "CONG_TRANG", True)]
    assert dossiers[0].movement_reference.startswith("Phong trào thi đua ngành Tư pháp")
