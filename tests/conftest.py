"""Shared fixtures: the demo company, one end-to-end run of it per test session, a tiny result.

The end-to-end runs are expensive (kernels, PDF), so each is done once per session and shared:
tests that use ``demo_run`` carry ``@pytest.mark.xdist_group("demo_run")`` and those that use
``demo_pseudo_run`` carry ``@pytest.mark.xdist_group("demo_pseudo")`` so that, under
``pytest -n 2 --dist loadgroup``, each run happens on one worker only.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from salesaudit.scoring.result import AreaScore, AuditResult, Finding, Indicator, frame_to_json

ROOT = Path(__file__).resolve().parents[1]
DEMO_DIR = ROOT / "data_samples" / "demo"
SETTINGS = ROOT / "data_samples" / "consultancy.yaml"


@dataclass(frozen=True)
class DemoRun:
    """One finished ``salesaudit run`` of the demo: where it went and what it printed."""

    client_dir: Path
    out: Path
    log: str
    timings: dict[str, float]


def _run_demo(client_dir: Path, out: Path, *, pseudonymize: bool) -> DemoRun:
    from salesaudit.app.run import run_client

    stream = io.StringIO()
    outcome = run_client(
        client_dir,
        out=out,
        lang="ru",
        pseudonymize=pseudonymize,
        settings=SETTINGS,
        jobs=2,
        stream=stream,
    )
    return DemoRun(client_dir, outcome.out, stream.getvalue(), outcome.timings)


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    """The committed demo company folder (read-only: never write into it)."""
    assert (DEMO_DIR / "raw").is_dir(), "data_samples/demo is missing: run `make demo-data`"
    return DEMO_DIR


@pytest.fixture(scope="session")
def demo_run(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """The demo company built once per session with the demo branding (named outputs)."""
    base = tmp_path_factory.mktemp("demo_run")
    return _run_demo(demo_dir, base / "reports" / "demo", pseudonymize=False)


@pytest.fixture(scope="session")
def demo_pseudo_run(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """The demo company built once per session in pseudonymised mode (from a copy of the
    folder, since the run creates the key file in the client folder)."""
    base = tmp_path_factory.mktemp("demo_pseudo")
    client = base / "demo"
    shutil.copytree(demo_dir, client, ignore=shutil.ignore_patterns(".salesaudit.key"))
    return _run_demo(client, base / "reports" / "demo", pseudonymize=True)


def tiny_result(client: str = "ООО «Тест»") -> AuditResult:
    """A small, complete audit result built by hand (two analyses, one indicator, one finding)."""
    plan_fact = pd.DataFrame(
        {
            "manager_id": ["m01", "m02"],
            "period": ["2024-05-01", "2024-05-01"],
            "plan": [100.0, 200.0],
            "fact": [80.0, 210.0],
            "done": [0.8, 1.05],
        }
    )
    areas = [
        AreaScore(
            area=f"p{i}",
            title={"ru": f"Проблема {i}", "en": f"Problem {i}"},
            score=40.0 + i,
            confidence=0.5,
            interview_score=None,
            data_score=40.0 + i,
            answered=1,
            questions=2,
            indicators=["plan_done"] if i == 2 else [],
        )
        for i in range(1, 8)
    ]
    indicator = Indicator(
        id="plan_done",
        area="p2",
        label={"ru": "Выполнение плана", "en": "Plan fulfilment"},
        value=0.925,
        unit="share",
        status="ok",
        verdict="warn",
        score=62.5,
        weight=1.0,
        reference={"good": 1.0, "bad": 0.7},
        evidence={"analysis": "plan_fact"},
    )
    finding = Finding(
        id="f_plan",
        area="p2",
        severity="high",
        title={"ru": "План выполняется не всеми", "en": "Not everyone meets the plan"},
        evidence={"numbers": {"plan_done": 0.925}},
        recommendation={"ru": "Разбирать план/факт еженедельно", "en": "Weekly plan/fact review"},
        owner_role="head_of_sales",
        horizon=30,
        rank=1,
    )
    return AuditResult(
        meta={"client": client, "as_of": "2024-06-30", "lang": "ru", "pseudonymized": False},
        areas=areas,
        overall_index=44.0,
        maturity={"level": 2, "name": {"ru": "Начальный", "en": "Initial"}},
        upside={},
        indicators=[indicator],
        findings=[finding],
        roadmap=[],
        express_checklist=[],
        answers={},
        analyses={
            "plan_fact": {
                "status": "ok",
                "message": "",
                "tables": {"main": frame_to_json(plan_fact)},
            },
            "credibility": {
                "status": "insufficient_data",
                "message": "needs table(s): activities",
                "tables": {},
            },
        },
        quality={"usable": True},
    )


@pytest.fixture()
def tiny_result_json(tmp_path: Path) -> Path:
    """:func:`tiny_result` written to ``audit.json`` in a temporary folder."""
    path = tmp_path / "audit.json"
    path.write_text(tiny_result().to_json(), encoding="utf-8")
    return path
