"""Document numbers (ND 30/2020): format, padding, yearly restart, no gaps or duplicates."""

from __future__ import annotations

import re
import threading
from datetime import date

import pytest
from sqlalchemy import select

from workflow_app.decisions.service import numbering
from workflow_app.extensions import db
from workflow_app.models.decision import DocumentSeries
from workflow_app.models.org import OrgUnit


def test_numbers_are_zero_padded_below_ten_only():
    assert [numbering.format_number(n) for n in (1, 9, 10, 99, 2307)] == \
        ["01", "09", "10", "99", "2307"]
    assert numbering.format_reference(7, "QĐ-BTP") == "07/QĐ-BTP"
    with pytest.raises(ValueError):
        numbering.format_number(0)


def test_symbol_joins_type_and_issuer_and_requires_a_symbol(tx, root_unit, make_unit):
    bare_id = make_unit("Không ký hiệu").id
    issuer = tx.get(OrgUnit, root_unit.id)
    assert numbering.symbol_for("QĐ", issuer) == "QĐ-BTP"
    assert numbering.symbol_for("TTr", issuer) == "TTr-BTP"
    bare = tx.get(OrgUnit, bare_id)
    with pytest.raises(numbering.NumberingError):
        numbering.allocate(tx, bare, "QĐ", date(2024, 5, 1))


def test_series_restart_on_the_first_of_january_and_are_kept_per_type(tx, root_unit):
    issuer = tx.get(OrgUnit, root_unit.id)
    late = [numbering.allocate(tx, issuer, "QĐ", date(2024, 12, 31)) for _ in range(3)]
    assert [n.reference for n in late] == ["01/QĐ-BTP", "02/QĐ-BTP", "03/QĐ-BTP"]
    new_year = numbering.allocate(tx, issuer, "QĐ", date(2025, 1, 1))
    assert (new_year.year, new_year.reference) == (2025, "01/QĐ-BTP")
    assert numbering.allocate(tx, issuer, "TTr", date(2024, 12, 31)).reference == "01/TTr-BTP"
    assert numbering.allocate(tx, issuer, "QĐ", date(2024, 12, 31)).number == 4


def test_a_rolled_back_issuance_does_not_burn_a_number(tx, root_unit):
    issuer = tx.get(OrgUnit, root_unit.id)
    assert numbering.allocate(tx, issuer, "QĐ", date(2024, 3, 1)).number == 1
    tx.commit()
    assert numbering.allocate(tx, issuer, "QĐ", date(2024, 3, 1)).number == 2
    tx.rollback()
    assert numbering.allocate(tx, issuer, "QĐ", date(2024, 3, 1)).number == 2
    tx.commit()


def test_concurrent_issuers_get_one_to_n_without_gaps_or_duplicates(app, session, root_unit):
    threads_count, per_thread = 6, 4
    committed: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(threads_count)
    issuer_id = root_unit.id  # read here: `session` is not shared with the threads

    def work(index: int) -> None:
        worker = db.new_session()
        try:
            start.wait()
            issuer = worker.get(OrgUnit, issuer_id)
            for attempt in range(per_thread):
                number = numbering.allocate(worker, issuer, "QĐ", date(2024, 6, 1)).number
                if (index + attempt) % 3 == 0:  # some issuances fail: their numbers return
                    worker.rollback()
                    continue
                worker.commit()
                with lock:
                    committed.append(number)
                issuer = worker.get(OrgUnit, issuer_id)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
            worker.rollback()
        finally:
            worker.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(committed) == list(range(1, len(committed) + 1))
    series = session.scalars(select(DocumentSeries)).one()
    assert series.last_number == len(committed)


def test_a_series_continues_after_numbers_issued_on_paper_and_never_goes_back(tx, root_unit):
    from tests.support.helpers import audit_events

    issuer = tx.get(OrgUnit, root_unit.id)
    numbering.continue_series(tx, issuer, "QĐ", 2025, 944, "last paper decision 944/QĐ-BTP",
                              actor_label="admin")
    assert numbering.allocate(tx, issuer, "QĐ", date(2025, 12, 30)).reference == "945/QĐ-BTP"
    assert numbering.allocate(tx, issuer, "QĐ", date(2026, 1, 1)).reference == "01/QĐ-BTP"
    # The message is translated (vi by default): assert on the numbers it names, not its words.
    with pytest.raises(numbering.NumberingError, match=r"945\D+945"):
        numbering.continue_series(tx, issuer, "QĐ", 2025, 945, "again", actor_label="admin")
    with pytest.raises(numbering.NumberingError):
        numbering.continue_series(tx, issuer, "QĐ", 2027, 10, "  ", actor_label="admin")
    tx.commit()
    [event] = audit_events(tx, "numbering.series_continued")
    assert event.data == {"doc_type": "QĐ", "year": 2025, "last_number": [0, 944],
                          "reason": "last paper decision 944/QĐ-BTP"}


def test_the_continue_command_names_the_next_number_and_refuses_going_back(app, root_unit):
    from tests.support.helpers import run_cli

    first = run_cli(app, "numbering", "continue", "--issuer", "BTP", "--type", "QĐ",
                    "--year", "2026", "--last", "12", "--reason", "paper register")
    assert first.exit_code == 0 and "number 13" in first.output, first.output
    back = run_cli(app, "numbering", "continue", "--issuer", "BTP", "--type", "QĐ",
                   "--year", "2026", "--last", "5", "--reason", "oops")
    assert back.exit_code != 0 and re.search(r"\b12\D+\b5\b", back.output), back.output
    missing = run_cli(app, "numbering", "continue", "--issuer", "NOPE", "--type", "QĐ",
                      "--year", "2026", "--last", "5", "--reason", "x")
    assert missing.exit_code != 0 and "No unit" in missing.output
