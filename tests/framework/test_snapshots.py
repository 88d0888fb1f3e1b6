"""The test worlds kept by `tests/support/snapshots.py`: put back byte for byte (rows with
their ids, the audit chain, the instance folder's files), and never over rows a test has
already written (then the world is built again in place)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.support.snapshots import DataSnapshots
from workflow_app.audit.verify import verify_chain
from workflow_app.models.org import OrgUnit
from workflow_app.org.service.units import UnitError, create_unit


def _world(app, tx, built: list):
    def build():
        built.append(1)
        unit = create_unit(tx, code="THE-GIOI", name="Đơn vị của thế giới thử",
                           kind="agency", parent=None)
        tx.commit()
        folder = app.extensions["workflow_config"].instance_dir / "attachments"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "kept.txt").write_bytes(b"a stored file")
        return {"unit_id": unit.id}

    return build


def test_a_world_comes_back_whole_and_never_over_written_rows(
        app, tx, session, request, _backends, tmp_path):
    snapshots, built = DataSnapshots(tmp_path), []
    first = snapshots.build_or_restore("world", app, _world(app, tx, built))
    backend = _backends["sqlite" if app.extensions["workflow_config"].database_url
                        .startswith("sqlite") else "postgresql"]
    tx.close()
    backend.fresh_database(request)  # as the next test's set-up leaves it
    file = app.extensions["workflow_config"].instance_dir / "attachments" / "kept.txt"
    file.unlink()

    again = snapshots.build_or_restore("world", app, _world(app, tx, built))
    assert built == [1] and again == first  # put back, not built again
    names = session.execute(select(OrgUnit.id, OrgUnit.code)).all()
    assert [tuple(row) for row in names] == [(first["unit_id"], "THE-GIOI")]
    assert verify_chain(session).ok and file.read_bytes() == b"a stored file"
    # The next unit gets the next id: the sequences were put back too.
    assert create_unit(tx, code="SAU", name="Đơn vị sau", kind="agency",
                       parent=None).id == first["unit_id"] + 1
    tx.commit()

    # Rows written since the set-up: a world cannot replace them, so it is built there.
    with pytest.raises(UnitError, match="THE-GIOI"):  # built again: its code is taken
        snapshots.build_or_restore("world", app, _world(app, tx, built))
    assert built == [1, 1]
    assert session.scalar(select(OrgUnit.id).where(OrgUnit.code == "SAU")) is not None
