"""The period a report states is the one its selection covers, not the store's date range."""

from __future__ import annotations

from pathlib import Path

from report_helpers import COMPANIES, ROUNDS, make_small_db

from vcflows import schema as s
from vcflows.flows import FlowOptions
from vcflows.report import prepare
from vcflows.store import connect


def test_period_is_the_selection_s_not_the_store_s(tmp_path: Path) -> None:
    # A stray 1921 round of a company outside the AI selection (as in Crunchbase exports).
    db = make_small_db(
        tmp_path / "p.duckdb",
        companies=[*COMPANIES, ("old", "USA")],
        rounds=[*ROUNDS, ("r0", "old", "1921-01-01", 1e6, ["us1"])],
    )
    con = connect(db)
    con.execute(f"UPDATE {s.COMPANIES} SET {s.IS_AI} = FALSE WHERE {s.COMPANY_ID} = 'old'")
    con.close()
    con = connect(db, read_only=True)
    try:
        ai = prepare(con, focus="KOR", opts=FlowOptions(), lang="en")
        every = prepare(con, focus="KOR", opts=FlowOptions(sector="all"), lang="en")
        bounded = prepare(con, focus="KOR", opts=FlowOptions(year_from=2019), lang="en")
    finally:
        con.close()
    # AI rounds r1-r9 are dated 2020-2021; the store itself reaches back to 1921.
    assert (ai["data"]["meta"]["year_from"], ai["data"]["meta"]["year_to"]) == (2020, 2021)
    assert ai["data"]["meta"]["store"]["year_min"] == 1921
    first = next(iter(ai["summary"].values()))[0].text
    assert "in 2020–2021" in first and "1921" not in first
    # Every sector includes the 1921 round; an explicit bound is stated as asked.
    assert (every["data"]["meta"]["year_from"], every["data"]["meta"]["year_to"]) == (1921, 2021)
    assert (bounded["data"]["meta"]["year_from"], bounded["data"]["meta"]["year_to"]) == (
        2019,
        2021,
    )
