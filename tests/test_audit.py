"""The whole audit: build_audit on hand-built data, the generated demo and healthy companies, the
``salesaudit audit`` command; same inputs give the same JSON."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from salesaudit import cli
from salesaudit.analytics.suite import ANALYSES, run_all
from salesaudit.errors import ParameterError
from salesaudit.io.checklist_files import read_answers_file, read_checklist_dir
from salesaudit.model.dataset import Dataset
from salesaudit.model.schemas import canonical_frame
from salesaudit.scoring.answers import Answers, validate_answers
from salesaudit.scoring.audit import build_audit
from salesaudit.scoring.checklist import build_checklist
from salesaudit.scoring.result import AuditResult

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def checklist():
    return build_checklist(read_checklist_dir(ROOT / "checklist"))


@pytest.fixture(scope="module")
def demo_answers(checklist) -> Answers:
    return validate_answers(read_answers_file(ROOT / "data_samples/demo/answers.yaml"), checklist)


def small_dataset() -> Dataset:
    managers = canonical_frame(
        "managers",
        [
            {"manager_id": "m1", "name": "Иванов", "role": "manager", "pay": "mixed"},
            {"manager_id": "m2", "name": "Петров", "role": "manager", "pay": "fixed"},
            {"manager_id": "h", "name": "Сидоров", "role": "head_of_sales", "pay": "mixed"},
            {"manager_id": "o", "name": "Орлов", "role": "owner", "pay": "unknown"},
        ],
    )
    sales = canonical_frame(
        "sales",
        [
            {"sale_id": "s1", "date": "2026-05-10", "client_id": "c1", "manager_id": "m1", "amount": 600.0},
            {"sale_id": "s2", "date": "2026-05-12", "client_id": "c2", "manager_id": "m2", "amount": 200.0},
            {"sale_id": "s3", "date": "2026-06-01", "client_id": "c3", "manager_id": "h", "amount": 100.0},
            {"sale_id": "s4", "date": "2026-06-02", "client_id": "c4", "manager_id": "o", "amount": 100.0},
        ],
    )  # fmt: skip
    deals = canonical_frame(
        "deals",
        [
            {"deal_id": "d1", "client_id": "c1", "manager_id": "m1", "created": "2026-04-01",
             "closed": "2026-05-01", "outcome": "won", "amount": 600.0},
            {"deal_id": "d2", "client_id": "c1", "manager_id": "m1", "created": "2026-04-02",
             "closed": "2026-05-02", "outcome": "won", "amount": 300.0},
            {"deal_id": "d3", "client_id": "c2", "manager_id": "m1", "created": "2026-04-03",
             "closed": "2026-05-03", "outcome": "lost", "lost_reason": "no_budget", "amount": 100.0},
            {"deal_id": "d4", "client_id": "c2", "manager_id": "m2", "created": "2026-04-04",
             "closed": "2026-05-04", "outcome": "lost", "lost_reason": "competitor", "amount": 100.0},
            {"deal_id": "d5", "client_id": "c3", "manager_id": "m2", "created": "2026-06-01",
             "outcome": "open", "amount": 500.0},
        ],
    )  # fmt: skip
    return Dataset(managers=managers, sales=sales, deals=deals, meta={"client": "test"})


def _audit(checklist, answers, **kw) -> AuditResult:
    data = small_dataset()
    analyses = run_all(data, as_of=AS_OF, coaching=checklist.coaching)
    return build_audit(
        data, analyses, checklist, answers, as_of=AS_OF, meta={"client": "test"}, **kw
    )


def test_build_audit_on_hand_built_data(checklist, demo_answers) -> None:
    result = _audit(checklist, demo_answers, quality={"usable": True}, params={"gross_margin": 0.3})
    by_id = {i.id: i for i in result.indicators}
    assert len(by_id) == len(checklist.indicators)
    # owner 100 of 1000 revenue, head of sales 100 of 1000: both 10 %
    assert by_id["p6.owner_revenue"].value == 10.0
    assert by_id["p6.owner_revenue"].verdict == "warn" and by_id["p6.owner_revenue"].score == 75.0
    assert by_id["p7.head_own_sales"].value == 10.0 and by_id["p7.head_own_sales"].score == 50.0
    # 2 won, 2 lost -> 50 %
    assert by_id["p5.win_rate"].value == 50.0 and by_id["p5.win_rate"].verdict == "good"
    assert by_id["p5.win_rate"].evidence["numbers"] == {"won": 2, "lost": 2}
    assert by_id["p3.plan_breadth"].status == "insufficient_data"
    assert "plans" in by_id["p3.plan_breadth"].message
    assert [a.area for a in result.areas] == [f"p{n}" for n in range(1, 8)]
    assert all(0 <= a.confidence <= 1 for a in result.areas)
    assert result.overall_index is not None and result.maturity["level"] in (1, 2, 3, 4, 5)
    assert [r["id"] for r in result.express_checklist] == ["e1", "e2", "e3", "e4", "e5"]
    assert [r["horizon"] for r in result.roadmap] == [30, 60, 90]
    assert set(result.analyses) == set(ANALYSES)
    assert result.analyses["funnel"]["status"] == "ok"
    assert result.answers["p3.q05"]["answer"] == "no"
    assert result.quality == {"usable": True}
    assert result.meta["as_of"] == "2026-06-30"
    assert result.meta["parameters"] == {"gross_margin": 0.3}
    assert result.meta["version"] == "0.1.0" and result.meta["result_version"] == 1
    assert result.upside["gross_margin"] == 0.3
    # upside: revenue of the 12 months = 1000 observed over 52 days, annualised
    assert result.upside["annual_revenue"]["observed"] == 1000.0
    gap = result.upside["gap"]
    assert result.upside["revenue"]["high"] == pytest.approx(
        result.upside["annual_revenue"]["value"] * 0.2 * gap, abs=0.01
    )
    ranks = [f.rank for f in result.findings]
    assert ranks == list(range(1, len(ranks) + 1))
    assert "no_plan_fact_meetings" in {f.id for f in result.findings}


def test_same_inputs_same_json_and_round_trip(checklist, demo_answers) -> None:
    a = _audit(checklist, demo_answers).to_json()
    b = _audit(checklist, demo_answers).to_json()
    assert a == b
    back = AuditResult.from_json(a)
    assert back.to_json() == a
    assert json.loads(a)["meta"]["client"] == "test"


def test_bad_parameters_are_reported(checklist) -> None:
    with pytest.raises(ParameterError, match="unknown engagement parameter"):
        _audit(checklist, Answers(), params={"margin": 0.3})
    with pytest.raises(ParameterError, match="gross_margin"):
        _audit(checklist, Answers(), params={"gross_margin": 30})


# --- the generated companies -------------------------------------------------------------------

synth = pytest.importorskip("salesaudit.synth")


def _generated(profile: str, checklist, answers: Answers) -> AuditResult:
    data, _ = synth.generate_dataset(profile)
    analyses = run_all(data, as_of=synth.AS_OF, coaching=checklist.coaching)
    return build_audit(
        data, analyses, checklist, answers, as_of=synth.AS_OF, meta={"client": profile}
    )


@pytest.fixture(scope="module")
def demo_result(checklist, demo_answers) -> AuditResult:
    return _generated("demo", checklist, demo_answers)


@pytest.mark.slow
def test_demo_planted_problems_give_the_right_findings(demo_result) -> None:
    sev = {f.id: f.severity for f in demo_result.findings}
    expected = {
        "owner_holds_key_clients": "critical",  # P4: the owner holds over half of the top clients
        "money_only_plan": "high",  # P5: roubles per manager only
        "plan_not_acknowledged": "medium",  # P5: never acknowledged
        "head_sells_himself": "high",  # P8
        "fabricated_meetings": "high",  # P3: one manager of fifteen
        "refusal_skew": "medium",  # P1 / P2
        "stalled_pipeline": "medium",  # P7
        "no_plan_fact_meetings": "high",  # interview
        "crm_partly_used": "medium",  # interview + data
        "training_no_effect": "low",  # P6: one of the two trainings paid off
    }
    for fid, severity in expected.items():
        assert sev.get(fid) == severity, (fid, sev)
    top = demo_result.findings[0]
    assert (top.id, top.rank) == ("owner_holds_key_clients", 1)
    owner_ev = top.evidence["records"]["p6.owner_top_clients"]
    assert owner_ev["analysis"] == "delegation" and 0 < len(owner_ev["ids"]) <= 50
    assert top.evidence["answers"]["p6.q01"]["answer"] == "no"
    ind = {i.id: i for i in demo_result.indicators}
    assert ind["p1.suspect_managers"].evidence["numbers"]["high_risk"] == ["m07"]
    assert ind["p5.refusal_skew"].evidence["numbers"]["manager"] in ("m02", "m05")
    assert ind["p3.plan_breadth"].value == 0.0 and ind["p3.plan_acknowledged"].value == 0.0
    training = ind["p5.training_effect"]
    # the weakest training's lift in pp (not a share of trainings): the product training moved
    # conversion by -1.23 pp (155/580 -> 128/502 meetings to deals), the other by +16.08 pp
    assert training.value == -1.2261 and training.verdict == "bad" and training.unit == "pp"
    nums = training.evidence["numbers"]
    assert nums["verdicts"] == {"improved": 1, "no_change": 1}
    assert nums["weakest"]["topic"] == "Продуктовое обучение: новые линейки брендов"
    assert nums["lifts_pp"] == {
        "2026-03-12|Работа с возражениями и ведение переговоров": 16.08,
        "2026-06-18|Продуктовое обучение: новые линейки брендов": -1.23,
    }
    lo, hi = nums["weakest"]["ci_low_pp"], nums["weakest"]["ci_high_pp"]
    assert lo < -1.2261 < hi and lo < 0 < hi  # the interval includes no change
    assert demo_result.overall_index < 60
    assert demo_result.upside["revenue"]["high"] > demo_result.upside["revenue"]["low"] > 0
    statuses = {r["id"]: r["status"] for r in demo_result.express_checklist}
    assert statuses["e2"] == "not met"


@pytest.mark.slow
def test_healthy_company_scores_high_without_critical_findings(checklist) -> None:
    yes = Answers()
    for qid in checklist.question_ids:
        yes = yes.with_answer(qid, "yes")
    result = _generated("healthy", checklist, yes)
    assert not [f for f in result.findings if f.severity in ("critical", "high")]
    assert result.overall_index >= 70
    assert result.maturity["level"] >= 4
    ind = {i.id: i for i in result.indicators}
    for iid in (
        "p3.plan_breadth",
        "p6.owner_top_clients",
        "p7.head_own_sales",
        "p1.suspect_managers",
    ):
        assert ind[iid].verdict == "good", iid


@pytest.mark.slow
def test_demo_json_is_deterministic(checklist, demo_answers, demo_result) -> None:
    again = _generated("demo", checklist, demo_answers)
    assert again.to_json() == demo_result.to_json()


# --- the command ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("demo_client")
    for rel, data in synth.generate_demo_files("demo").items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    shutil.copy(ROOT / "data_samples/demo/answers.yaml", root / "answers.yaml")
    return root


@pytest.mark.slow
def test_audit_command_writes_json(demo_folder: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "result.json"
    assert cli.main(["audit", str(demo_folder), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "finding(s)" in printed
    # the seven verdicts, each with who and how much
    assert "  p6 подтверждена: Собственник (Ладыгин Михаил Борисович) ведёт " in printed
    assert "  p2 частично: Зависли 22 из " in printed
    result = AuditResult.from_json(out.read_text(encoding="utf-8"))
    assert result.meta["as_of"] == "2026-11-20"  # from report.yaml
    assert result.meta["input_hashes"]
    assert result.quality["usable"] is True
    assert result.answers["p3.q05"]["answer"] == "no"
    sev = {f.id: f.severity for f in result.findings}
    for fid, severity in {
        "owner_holds_key_clients": "critical",
        "money_only_plan": "high",
        "head_sells_himself": "high",
        "fabricated_meetings": "high",
        "no_plan_fact_meetings": "high",
    }.items():
        assert sev.get(fid) == severity, (fid, sev)


@pytest.mark.slow
def test_audit_command_pseudonymized_leaks_no_names(demo_folder: Path, tmp_path: Path) -> None:
    data, _ = synth.generate_dataset("demo")
    out = tmp_path / "anon.json"
    assert cli.main(["audit", str(demo_folder), "--out", str(out), "--pseudonymize"]) == 0
    text = out.read_text(encoding="utf-8")
    for name in list(data.managers["name"]) + list(data.clients["name"].head(50)):
        assert name not in text, name
    assert "@" not in json.dumps(json.loads(text)["analyses"]["verification_sample"])
    assert (demo_folder / ".salesaudit.key").exists()


def test_audit_command_bad_date(tmp_path: Path, capsys) -> None:
    assert cli.main(["audit", str(tmp_path), "--as-of", "20.11.2026"]) == 2
    assert "as_of must be a date YYYY-MM-DD" in capsys.readouterr().err


def test_client_label_from_the_result_meta() -> None:
    from conftest import tiny_result

    result = tiny_result()
    result.meta = {"client": "ООО «Вектор»"}
    assert result.client_label() == "ООО «Вектор»"
    result.meta = {"client": {"ru": "ООО «Вектор»", "en": "Vector LLC"}}
    assert result.client_label("en") == "Vector LLC"
    assert result.client_label("ru") == "ООО «Вектор»"
    result.meta = {"client": {"en": "Vector LLC"}}
    assert result.client_label("ru") == "Vector LLC"  # the other language rather than nothing
    result.meta = {"client_name": "Client-01"}
    assert result.client_label() == "Client-01"
    result.meta = {}
    assert result.client_label() == ""


@pytest.mark.slow
def test_demo_verdicts_name_who_and_how_much(demo_result) -> None:
    from salesaudit.report import sections

    codes = {v["area"]: v["code"] for v in demo_result.verdicts}
    assert codes == {
        "p1": "confirmed",  # fabricated meetings (high)
        "p2": "partial",  # stalled deals (medium)
        "p3": "confirmed",  # money-only plan (high)
        "p4": "partial",  # CRM partly used (medium)
        "p5": "confirmed",  # area score below 40: refusal skew + failed training
        "p6": "confirmed",  # the owner holds the key clients (critical)
        "p7": "confirmed",  # the head of sales sells himself (high)
    }
    p6 = next(v for v in demo_result.verdicts if v["area"] == "p6")
    ind = {i.id: i for i in demo_result.indicators}["p6.owner_top_clients"]
    n = ind.evidence["numbers"]
    assert p6["sentence"]["ru"] == (
        f"Собственник (Ладыгин Михаил Борисович) ведёт {n['owner_top_clients']} из "
        f"{n['top_clients_total']} крупнейших клиентов: {ind.value:.0f} % их выручки за 12 мес."
    )
    assert p6["basis"]["indicators"] == ["p6.owner_top_clients"]
    assert demo_result.assessment["index_given"] is True
    assert all(a.assessed for a in demo_result.areas)
    html = sections.problem_section(demo_result, "p6", "ru")
    assert "Вердикт: подтверждена.</b> Собственник (Ладыгин Михаил Борисович)" in html
    summary = sections.executive_summary(demo_result, "en")
    assert "Verdict on the seven problems" in summary and "partly confirmed" in summary
    # JSON round trip keeps the verdicts
    back = AuditResult.from_json(demo_result.to_json())
    assert back.verdicts == demo_result.verdicts and back.assessment == demo_result.assessment


@pytest.mark.slow
def test_as_of_outside_the_data_is_an_error_naming_report_yaml(
    demo_folder: Path, tmp_path: Path, capsys
) -> None:
    client = tmp_path / "client"
    shutil.copytree(demo_folder, client)
    report = client / "report.yaml"
    text = report.read_text(encoding="utf-8")
    assert "as_of: '2026-11-20'" in text or "as_of: 2026-11-20" in text
    report.write_text(
        text.replace("'2026-11-20'", "'2030-01-15'").replace("2026-11-20", "2030-01-15"),
        encoding="utf-8",
    )
    assert cli.main(["audit", str(client), "--out", str(tmp_path / "r.json")]) == 2
    err = capsys.readouterr().err
    assert "as_of 2030-01-15 (from report.yaml) is after the last record" in err
    assert "the data runs from 2025-06-02 to 2026-11-19" in err
    assert "set as_of in report.yaml (or --as-of)" in err
    assert "Traceback" not in err and not (tmp_path / "r.json").exists()
