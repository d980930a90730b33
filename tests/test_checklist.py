"""The checklist YAML: the shipped method validates; malformed files give precise messages."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from salesaudit.errors import ChecklistError
from salesaudit.io.checklist_files import read_checklist_dir
from salesaudit.model.schemas import REFUSAL_REASONS
from salesaudit.scoring.checklist import AREA_IDS, build_checklist
from salesaudit.scoring.indicators import EXTRACTORS

CHECKLIST_DIR = Path(__file__).resolve().parents[1] / "checklist"


@pytest.fixture(scope="module")
def docs() -> dict:
    return read_checklist_dir(CHECKLIST_DIR)


def _errors(docs: dict) -> ChecklistError:
    with pytest.raises(ChecklistError) as info:
        build_checklist(docs)
    return info.value


def _question(docs: dict, qid: str) -> dict:
    for area in docs["areas.yaml"]["areas"]:
        for q in area["questions"]:
            if q["id"] == qid:
                return q
    raise KeyError(qid)


def test_shipped_checklist_is_complete(docs: dict) -> None:
    cl = build_checklist(docs)
    assert [a.id for a in cl.areas] == list(AREA_IDS)
    for area in cl.areas:
        n = len(cl.questions_of(area.id))
        assert 4 <= n <= 10, (area.id, n)
        assert area.indicators, area.id
        assert all(t["ru"] and t["en"] for t in area.recommendations)
    assert [e.id for e in cl.effects] == ["e1", "e2", "e3", "e4", "e5"]
    assert set(cl.coaching) == set(REFUSAL_REASONS)
    assert {i.id for i in cl.indicators} == set(EXTRACTORS)
    assert len(cl.area("p3").elements) == 7
    assert len(cl.planning["factors"]) == 10
    assert len(cl.execution["crm_jobs"]) == 4
    assert [lv["level"] for lv in cl.scoring["maturity_levels"]] == [1, 2, 3, 4, 5]
    # every question is linked to an existing area and has both languages
    for q in cl.questions:
        assert q.text["ru"] and q.text["en"] and q.hint["ru"] and q.hint["en"]
        assert q.id.startswith(q.area + ".")


def test_bad_weight_names_file_item_and_field(docs: dict) -> None:
    d = copy.deepcopy(docs)
    _question(d, "p4.q03")["weight"] = "heavy"
    err = _errors(d)
    assert len(err.cases) == 1
    case = err.cases[0]
    assert case.file == "areas.yaml"
    assert case.column == "weight"
    assert "item 'p4.q03'" in case.message and "must be a number" in case.message
    assert "areas.yaml" in str(err) and "'p4.q03'" in str(err) and "'weight'" in str(err)


def test_every_problem_is_collected(docs: dict) -> None:
    d = copy.deepcopy(docs)
    _question(d, "p1.q02")["text"].pop("en")
    _question(d, "p2.q01")["indicators"] = ["p2.stalled_deal"]
    _question(d, "p5.q01")["colour"] = "red"
    d["thresholds.yaml"]["indicators"][0]["good"] = 50  # lower_better with good > bad
    err = _errors(d)
    rendered = [c.render() for c in err.cases]
    assert len(rendered) == 4, rendered
    assert any("'p1.q02'" in r and "text.en" in r for r in rendered)
    assert any(
        "'p2.q01'" in r and "unknown indicator 'p2.stalled_deal'" in r and "p2.stalled_deals" in r
        for r in rendered
    )
    assert any("'p5.q01'" in r and "'colour'" in r and "unknown field" in r for r in rendered)
    assert any(r.startswith("thresholds.yaml") and "'p1.plan_spread'" in r for r in rendered)


def test_duplicate_question_id_across_files(docs: dict) -> None:
    d = copy.deepcopy(docs)
    d["planning.yaml"]["questions"][0]["id"] = "p3.q01"
    err = _errors(d)
    assert any(
        c.file == "planning.yaml"
        and "duplicate question id" in c.message
        and "areas.yaml" in c.message
        for c in err.cases
    )


def test_question_id_must_match_area(docs: dict) -> None:
    d = copy.deepcopy(docs)
    d["execution.yaml"]["questions"][0]["area"] = "p5"
    err = _errors(d)
    assert any(
        c.file == "execution.yaml" and c.column == "area" and "does not match" in c.message
        for c in err.cases
    )


def test_rule_conditions_are_checked(docs: dict) -> None:
    d = copy.deepcopy(docs)
    rule = d["findings.yaml"]["rules"][0]
    rule["when"] = {"indicator": "p9.nothing", "value": {"bigger": 3}}
    rule["severity"] = "urgent"
    err = _errors(d)
    msgs = [c.message for c in err.cases if c.file == "findings.yaml"]
    assert any("unknown operator 'bigger'" in m for m in msgs)
    assert any("severity" in m and "urgent" in m for m in msgs)
    assert any("unknown indicator 'p9.nothing'" in m for m in msgs)


def test_missing_file_and_missing_area(docs: dict) -> None:
    d = copy.deepcopy(docs)
    del d["coaching.yaml"]
    d["areas.yaml"]["areas"] = [a for a in d["areas.yaml"]["areas"] if a["id"] != "p6"]
    err = _errors(d)
    msgs = [c.render() for c in err.cases]
    assert any(m.startswith("coaching.yaml") and "missing" in m for m in msgs)
    assert any("missing area(s) p6" in m for m in msgs)


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "areas.yaml").write_text("areas:\n  - id: p1\n    title: {ru: a: b}\n", "utf-8")
    with pytest.raises(ChecklistError) as info:
        read_checklist_dir(tmp_path)
    assert info.value.file == str(tmp_path / "areas.yaml")
    assert info.value.row == 3


def test_missing_folder() -> None:
    with pytest.raises(ChecklistError, match="checklist folder not found"):
        read_checklist_dir("/nonexistent/checklist")


def test_threshold_overrides(docs: dict) -> None:
    cl = build_checklist(docs)
    over = cl.with_thresholds({"p5.win_rate": {"good": 35, "bad": 15, "source": "client's sector"}})
    ind = over.indicator("p5.win_rate")
    assert (ind.good, ind.bad, ind.direction, ind.source) == (
        35.0,
        15.0,
        "higher_better",
        "client's sector",
    )
    assert cl.indicator("p5.win_rate").good == 25.0  # the original is unchanged
    with pytest.raises(ChecklistError) as info:
        cl.with_thresholds({"p5.win_rat": {"good": 1}, "p5.win_rate": {"good": "x"}})
    msgs = [c.render() for c in info.value.cases]
    assert len(msgs) == 2
    assert any("unknown indicator" in m and "did you mean 'p5.win_rate'" in m for m in msgs)
    assert any("'good' must be a number" in m for m in msgs)


def test_unknown_measure_is_rejected(docs: dict) -> None:
    d = copy.deepcopy(docs)
    d["thresholds.yaml"]["indicators"][0]["measure"] = "p1.plan_spred"
    err = _errors(d)
    (case,) = err.cases
    assert case.column == "measure" and "no computation named 'p1.plan_spred'" in case.message
    assert case.hint == "did you mean 'p1.plan_spread'?"


def test_threshold_source_must_have_both_languages(docs: dict) -> None:
    d = copy.deepcopy(docs)
    first = d["thresholds.yaml"]["indicators"][0]
    first["source"] = {"ru": "практическое правило консультанта"}
    err = _errors(d)
    assert len(err.cases) == 1
    case = err.cases[0]
    assert (case.file, case.column) == ("thresholds.yaml", "source")
    assert f"item '{first['id']}'" in case.message and "missing text for: en" in case.message


def test_threshold_source_may_be_plain_text(docs: dict) -> None:
    d = copy.deepcopy(docs)
    d["thresholds.yaml"]["indicators"][0]["source"] = "client's own benchmark"
    cl = build_checklist(d)
    assert cl.indicators[0].source == "client's own benchmark"
    assert cl.indicators[1].source["ru"] and cl.indicators[1].source["en"]
