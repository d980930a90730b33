"""The workshop snapshot: frames survive the JSON round trip exactly, a snapshot is reused only
while every input is unchanged, and a dashboard opened from it shows what a fresh audit shows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from salesaudit.workshop.snapshot import (
    SNAPSHOT_VERSION,
    WORKSHOP_ANALYSES,
    frame_from_text,
    frame_to_text,
    snapshot_matches,
)

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data_samples" / "demo"


def test_frames_round_trip_with_dtypes_and_missing_values() -> None:
    df = pd.DataFrame(
        {
            "when": pd.to_datetime(["2026-01-31", None, "2026-03-01 14:30"], format="ISO8601"),
            "n": pd.Series([1, 2, 3], dtype="int64"),
            "x": [1.5, float("nan"), 0.1 + 0.2],  # 17 digits: pandas keeps 15
            "name": ["Белова О.А.", None, "Team"],
            "empty": [None, None, None],
            "flag": [True, False, True],
        },
        index=[5, 6, 7],
    )
    back = frame_from_text(frame_to_text(df))
    pd.testing.assert_frame_equal(back, df.reset_index(drop=True))
    assert back["empty"].tolist() == [None, None, None]
    assert back["x"].iloc[2] == 0.30000000000000004
    assert back["name"].tolist() == ["Белова О.А.", None, "Team"]
    assert df.index.tolist() == [5, 6, 7]  # the input is not touched


def test_snapshot_matches_only_its_version_and_fingerprint() -> None:
    fp = {"files": {"raw/a.csv": "ab"}, "as_of": "2026-11-20", "lang": "ru", "version": "0.1.0"}
    payload = {"version": SNAPSHOT_VERSION, "fingerprint": dict(fp)}
    assert snapshot_matches(payload, fp)
    assert not snapshot_matches({**payload, "version": SNAPSHOT_VERSION + 1}, fp)
    assert not snapshot_matches(payload, {**fp, "as_of": "2026-11-21"})
    assert not snapshot_matches(payload, {**fp, "files": {"raw/a.csv": "ac"}})
    assert not snapshot_matches(None, fp) and not snapshot_matches([1], fp)


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (DEMO / "raw").is_dir():
        pytest.skip("data_samples/demo missing: run `make demo-data`")
    dest = tmp_path_factory.mktemp("snap") / "demo"
    shutil.copytree(DEMO, dest, ignore=shutil.ignore_patterns(".salesaudit"))
    return dest


@pytest.mark.slow
def test_dashboard_from_the_snapshot_equals_the_computed_one(demo_copy: Path) -> None:
    from salesaudit.app.workshop import compute_state
    from salesaudit.workshop import build_dashboard
    from salesaudit.workshop.planfact import plan_fact_tables
    from salesaudit.workshop.snapshot import snapshot_payload, state_from_snapshot

    fresh, result = compute_state(demo_copy, "ru")
    payload = json.loads(json.dumps(snapshot_payload(fresh, result, {"k": 1})))
    stored, _ = state_from_snapshot(payload, fresh.checklist, lang="ru")
    for name in WORKSHOP_ANALYSES:
        a, b = fresh.analysis(name), stored.analysis(name)
        assert (a is None) == (b is None), name
        if a is not None:
            assert (a.status, a.message) == (b.status, b.message)
            for t, df in a.tables.items():
                pd.testing.assert_frame_equal(df.reset_index(drop=True), b.tables[t])
    for table in ("managers", "plans"):
        pd.testing.assert_frame_equal(
            fresh.dataset.table(table).reset_index(drop=True), stored.dataset.table(table)
        )
    pf_a, pf_b = plan_fact_tables(fresh), plan_fact_tables(stored)
    assert sorted(pf_a) == sorted(pf_b) and pf_a
    for metric in pf_a:
        pd.testing.assert_frame_equal(pf_a[metric].reset_index(drop=True), pf_b[metric])
    assert stored.managers() == fresh.managers() and stored.as_of == fresh.as_of
    assert stored.answers == fresh.answers
    # the indicators come back from the audit's JSON: the same ids, values and scores
    facts = [(i.id, i.value, i.verdict, i.score, i.weight) for i in fresh.indicators]
    assert [(i.id, i.value, i.verdict, i.score, i.weight) for i in stored.indicators] == facts

    d1, d2 = build_dashboard(fresh), build_dashboard(stored)
    assert d1.interview.summary.value == d2.interview.summary.value
    assert d1.interview.chart.value == d2.interview.chart.value
    for mid, _name in fresh.managers()[:4] + [("", "team")]:
        for dash in (d1, d2):
            dash.forecast.manager.value = mid
        assert d1.forecast.view() == d2.forecast.view()
        assert d1.forecast.output.value == d2.forecast.output.value
    assert d1.refusals.widget is not None and d1.credibility.sample.equals(d2.credibility.sample)


@pytest.mark.slow
def test_snapshot_is_reused_until_an_input_changes(demo_copy: Path) -> None:
    from salesaudit.app.workshop import load_state, snapshot_path

    client = demo_copy.parent / "reuse"
    shutil.copytree(demo_copy, client, ignore=shutil.ignore_patterns(".salesaudit"))
    assert not snapshot_path(client).exists()
    state, source = load_state(client, "ru")
    assert source == "computed" and snapshot_path(client).is_file()
    again, source = load_state(client, "ru")
    assert source == "snapshot" and again.managers() == state.managers()

    # answers given since (e.g. in an earlier workshop) are read fresh, the snapshot still used
    (client / "answers.yaml").write_text(
        "answers:\n  p3.q01: {answer: partly, note: 'план без разбивки'}\n", encoding="utf-8"
    )
    st, source = load_state(client, "ru")
    assert source == "snapshot"
    assert st.answers == {"p3.q01": {"answer": "partly", "note": "план без разбивки"}}

    # another language, another assessment date or a changed raw file: computed again
    assert load_state(client, "en")[1] == "computed"
    assert load_state(client, "ru", as_of="2026-10-31")[1] == "computed"
    raw = sorted((client / "raw").glob("*.csv"))[0]
    raw.write_bytes(raw.read_bytes() + b"\n")
    assert load_state(client, "ru")[1] == "computed"
    assert load_state(client, "ru")[1] == "snapshot"
