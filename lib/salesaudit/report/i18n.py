"""Report strings in Russian and English, and number formatting the way each language writes it.

Every piece of user-facing text of the report goes through :func:`t`; numbers go through
:func:`fmt_number`, :func:`fmt_money`, :func:`fmt_pct`, :func:`fmt_share`, :func:`fmt_value`.
Russian formatting uses a no-break space as the thousands separator and before units
(``1 234 567 ₽``, ``45,3 %``); English uses commas (``RUB 1,234,567``, ``45.3%``).
"""

from __future__ import annotations

import math
import re
from typing import Any

from salesaudit.errors import ParameterError
from salesaudit.model.schemas import REFUSAL_REASON_NAMES

LANGS = ("ru", "en")
NBSP = "\u00a0"
NNBSP = "\u202f"

#: key -> {"ru": ..., "en": ...}
STRINGS: dict[str, dict[str, str]] = {
    # document
    "report_title": {
        "ru": "Экспресс-оценка отдела продаж",
        "en": "Sales department express assessment",
    },
    "report_subtitle": {
        "ru": "Диагностика семи ключевых проблем управления продажами B2B",
        "en": "Diagnosis of the seven key problems of B2B sales management",
    },
    "confidential": {"ru": "Конфиденциально", "en": "Confidential"},
    "client": {"ru": "Клиент", "en": "Client"},
    "as_of": {"ru": "Дата оценки", "en": "Assessment date"},
    "consultant": {"ru": "Консультант", "en": "Consultant"},
    "prepared_by": {"ru": "Подготовлено", "en": "Prepared by"},
    "page": {"ru": "стр.", "en": "page"},
    "of": {"ru": "из", "en": "of"},
    "and_more": {"ru": "… и ещё {n}", "en": "… and {n} more"},
    "no_data": {"ru": "Нет данных", "en": "No data"},
    "insufficient": {
        "ru": "Недостаточно данных для расчёта",
        "en": "Not enough data to compute",
    },
    "insufficient_reason": {
        "ru": "недостаточно данных для расчёта",
        "en": "not enough data to compute",
    },
    "not_computed": {"ru": "Не рассчитано", "en": "Not computed"},
    "team": {"ru": "Команда", "en": "Team"},
    "total": {"ru": "Итого", "en": "Total"},
    "unassigned": {"ru": "Без ответственного", "en": "No responsible person"},
    # sections
    "contents": {"ru": "Содержание", "en": "Contents"},
    "executive_summary": {"ru": "Резюме для руководителя", "en": "Executive summary"},
    "problem": {"ru": "Проблема", "en": "Problem"},
    "planning": {"ru": "Планирование и выполнение плана", "en": "Planning and plan fulfilment"},
    "scorecards": {"ru": "Карточки менеджеров", "en": "Manager scorecards"},
    "forecast": {"ru": "Прогноз продаж по активности", "en": "Activity-based sales forecast"},
    "credibility": {"ru": "Достоверность данных CRM", "en": "Credibility of CRM records"},
    "express_checklist": {"ru": "Чек-лист экспресс-оценки", "en": "Express-assessment checklist"},
    "roadmap": {"ru": "Дорожная карта 30/60/90 дней", "en": "Roadmap: 30/60/90 days"},
    "appendix_quality": {"ru": "Приложение А. Качество данных", "en": "Appendix A. Data quality"},
    "appendix_method": {"ru": "Приложение Б. Методика", "en": "Appendix B. Method"},
    "appendix_glossary": {"ru": "Приложение В. Глоссарий", "en": "Appendix C. Glossary"},
    # executive summary
    "overall_index": {"ru": "Общий индекс зрелости", "en": "Overall maturity index"},
    "maturity_phrase": {
        "ru": "Уровень {level} из 5: {name}",
        "en": "Level {level} of 5: {name}",
    },
    "area_scores": {"ru": "Оценки по семи проблемам", "en": "Scores of the seven problems"},
    "top_findings": {"ru": "Главные выводы", "en": "Top findings"},
    "upside": {"ru": "Потенциал роста", "en": "Upside potential"},
    "upside_not_assessed": {
        "ru": "Потенциал роста не оценён: {why}.",
        "en": "The upside is not estimated: {why}.",
    },
    "upside_why_blocked": {
        "ru": "оценено слишком мало областей, чтобы судить о разрыве",
        "en": "too few areas are assessed to judge the gap",
    },
    "upside_why_revenue": {
        "ru": "в данных нет выручки за год",
        "en": "the data hold no annual revenue",
    },
    "upside_revenue": {"ru": "Выручка", "en": "Revenue"},
    "upside_profit": {"ru": "Прибыль", "en": "Profit"},
    "assumptions": {"ru": "Допущения", "en": "Assumptions"},
    "score": {"ru": "Оценка", "en": "Score"},
    "problem_verdicts": {"ru": "Вердикт по семи проблемам", "en": "Verdict on the seven problems"},
    "not_assessed": {"ru": "не оценено", "en": "not assessed"},
    "confidence": {"ru": "Достоверность", "en": "Confidence"},
    "area": {"ru": "Область", "en": "Area"},
    "interview_score": {"ru": "По интервью", "en": "Interview"},
    "data_score": {"ru": "По данным", "en": "Data"},
    "answered": {"ru": "Ответов", "en": "Answered"},
    "interview_part": {"ru": "Оценка по интервью", "en": "Score from the interview"},
    "data_part": {"ru": "Оценка по данным", "en": "Score from the data"},
    "score_axis": {"ru": "Оценка, 0–100 (выше — лучше)", "en": "Score, 0–100 (higher is better)"},
    # problem sections
    "checklist_part": {"ru": "Вопросы чек-листа", "en": "Checklist questions"},
    "question": {"ru": "Вопрос", "en": "Question"},
    "answer": {"ru": "Ответ", "en": "Answer"},
    "note": {"ru": "Комментарий", "en": "Note"},
    "indicators": {"ru": "Показатели", "en": "Indicators"},
    "indicator": {"ru": "Показатель", "en": "Indicator"},
    "value": {"ru": "Значение", "en": "Value"},
    "verdict": {"ru": "Вердикт", "en": "Verdict"},
    "reference": {"ru": "Ориентир", "en": "Reference"},
    "findings": {"ru": "Выводы и рекомендации", "en": "Findings and recommendations"},
    "finding": {"ru": "Вывод", "en": "Finding"},
    "recommendation": {"ru": "Рекомендация", "en": "Recommendation"},
    "severity": {"ru": "Важность", "en": "Severity"},
    "owner_role": {"ru": "Ответственный", "en": "Owner"},
    "horizon": {"ru": "Срок", "en": "Horizon"},
    "days": {"ru": "{n} дней", "en": "{n} days"},
    "evidence": {"ru": "Факты", "en": "Evidence"},
    "good_from": {"ru": "хорошо: {v}", "en": "good: {v}"},
    "bad_from": {"ru": "плохо: {v}", "en": "bad: {v}"},
    "source": {"ru": "источник: {v}", "en": "source: {v}"},
    "chart_in": {
        "ru": "Диаграмма «{chart}» — в разделе «{section}»,",
        "en": "Chart “{chart}”: see “{section}”,",
    },
    "chart_above": {
        "ru": "Диаграмма «{chart}» приведена выше.",
        "en": "Chart “{chart}” is shown above.",
    },
    "forecast_chart": {"ru": "Прогноз и план по менеджерам", "en": "Forecast and plan by manager"},
    # severities / verdicts / roles
    "sev_critical": {"ru": "Критично", "en": "Critical"},
    "sev_high": {"ru": "Высокая", "en": "High"},
    "sev_medium": {"ru": "Средняя", "en": "Medium"},
    "sev_low": {"ru": "Низкая", "en": "Low"},
    "verdict_good": {"ru": "норма", "en": "good"},
    "verdict_warn": {"ru": "внимание", "en": "warning"},
    "verdict_bad": {"ru": "проблема", "en": "problem"},
    "verdict_n/a": {"ru": "не оценено", "en": "not assessed"},
    "role_owner": {"ru": "Собственник", "en": "Owner"},
    "role_head_of_sales": {"ru": "РОП", "en": "Head of sales"},
    "role_manager": {"ru": "Менеджер", "en": "Manager"},
    "role_consultant": {"ru": "Консультант", "en": "Consultant"},
    "yes": {"ru": "да", "en": "yes"},
    "no": {"ru": "нет", "en": "no"},
    "partly": {"ru": "частично", "en": "partly"},
    "unknown": {"ru": "не знаю", "en": "unknown"},
    "not_answered": {"ru": "нет ответа", "en": "not answered"},
    # planning
    "plan_structure": {"ru": "Структура плана", "en": "Plan structure"},
    "seasonality": {"ru": "Сезонность и базовая линия", "en": "Seasonality and baseline"},
    "plan_fact": {"ru": "План / факт / отклонение", "en": "Plan / actual / deviation"},
    "plan": {"ru": "План", "en": "Plan"},
    "fact": {"ru": "Факт", "en": "Actual"},
    "deviation": {"ru": "Отклонение", "en": "Deviation"},
    "pct_done": {"ru": "Выполнение", "en": "% of plan"},
    "run_rate": {"ru": "Нужный темп в день", "en": "Required daily run-rate"},
    "month_forecast": {"ru": "Прогноз на месяц", "en": "Month forecast"},
    "revenue": {"ru": "Выручка", "en": "Revenue"},
    "trend": {"ru": "Тренд", "en": "Trend"},
    "baseline": {"ru": "Базовая линия", "en": "Baseline"},
    "period": {"ru": "Период", "en": "Period"},
    "metric": {"ru": "Показатель", "en": "Metric"},
    "manager": {"ru": "Менеджер", "en": "Manager"},
    "money": {"ru": "₽", "en": "RUB"},
    "unit_k_rub": {"ru": "тыс. ₽", "en": "RUB k"},
    "unit_mln_rub": {"ru": "млн ₽", "en": "RUB m"},
    "revenue_month": {"ru": "Выручка за месяц", "en": "Revenue per month"},
    "lead_funnel": {
        "ru": "Лиды по источникам: лид → сделка → выигрыш",
        "en": "Leads by source: lead → deal → won",
    },
    "lead_source": {"ru": "Источник", "en": "Source"},
    "leads_count": {"ru": "Лидов", "en": "Leads"},
    "lead_to_deal": {"ru": "Лид → сделка", "en": "Lead → deal"},
    "leads_won": {"ru": "Выиграно", "en": "Won"},
    "deal_to_won": {"ru": "Сделка → выигрыш", "en": "Deal → won"},
    "lead_to_won": {"ru": "Лид → выигрыш", "en": "Lead → won"},
    "lead_source_none": {"ru": "не указан", "en": "not given"},
    "lead_untraced": {
        "ru": "Сконвертированных лидов без сделки в выгрузке сделок: {n}; для их источника "
        "«лид → выигрыш» не рассчитан.",
        "en": "Converted leads whose deal is not in the deals export: {n}; lead → won is left "
        "empty for their source.",
    },
    "lead_no_deals": {
        "ru": "Выгрузки сделок нет: выигрыши и выручка по лидам не оценены.",
        "en": "No deals export: wins and revenue of the leads are not assessed.",
    },
    "suspicion_axis": {
        "ru": "Индекс сомнений, баллы 0–100 (выше — больше сомнений)",
        "en": "Suspicion score, points 0–100 (higher is more doubtful)",
    },
    "activity_axis": {
        "ru": "Встреч и звонков в рабочий день, шт.",
        "en": "Meetings and calls per working day",
    },
    "clients_axis": {"ru": "Клиентов, шт.", "en": "Clients"},
    # one line under each chart's heading: what it shows and how to read it
    "chart_intro_plan_fact": {
        "ru": "Штриховка — план, тёмный столбец — факт, ромб — прогноз на конец месяца; подпись — "
        "процент выполнения.",
        "en": "Hatched bar: plan; dark bar: actual; diamond: month-end forecast; the label is the "
        "per cent of plan done.",
    },
    "chart_intro_seasonality": {
        "ru": "Выручка по месяцам (столбцы), тренд (пунктир) и базовая линия с учётом сезонности.",
        "en": "Monthly revenue (bars), the trend (dashed) and the seasonal baseline.",
    },
    "chart_intro_refusals": {
        "ru": "Доля каждой причины в отказах менеджера; у сильной команды структура причин похожа.",
        "en": "Each reason's share of a manager's refusals; in a strong team the mix looks alike.",
    },
    "chart_intro_activity": {
        "ru": "Встречи и звонки в среднем за рабочий день анализируемого периода; справа — доля "
        "выездных встреч.",
        "en": "Meetings and calls per working day over the period analysed; at the right, the "
        "share of field meetings.",
    },
    "chart_intro_forecast": {
        "ru": "Прогноз на месяц по активности (столбец) против плана (вертикальная черта).",
        "en": "The month's activity-based forecast (bar) against the plan (vertical tick).",
    },
    "chart_intro_forecast_backtest": {
        "ru": "Прогноз по активности, рассчитанный для прошлых месяцев, против фактической "
        "выручки: чем ближе линии, тем надёжнее метод.",
        "en": "The activity-based forecast computed for past months against actual revenue: the "
        "closer the lines, the more reliable the method.",
    },
    "chart_intro_credibility": {
        "ru": "Индекс сомнений по записям о встречах: 0 — признаков нет, чем выше — тем больше "
        "признаков «нарисованных» встреч.",
        "en": "Suspicion score of the meeting records: 0 means no signs; the higher, the more "
        "signs of invented meetings.",
    },
    "chart_intro_client_base": {
        "ru": "Доля выручки и число клиентов в группах A, B и C.",
        "en": "Revenue share and number of clients in groups A, B and C.",
    },
    "chart_intro_active_clients": {
        "ru": "Клиенты, покупавшие в месяце (столбцы), и новые клиенты (линия).",
        "en": "Clients who bought in the month (bars) and new clients (line).",
    },
    "chart_intro_delegation": {
        "ru": "Доля выручки, которую приносят собственник, руководитель отдела и менеджеры.",
        "en": "Share of revenue brought by the owner, the head of sales and the managers.",
    },
    # executive summary: upside, top actions; roadmap targets
    "per_year": {"ru": "в год", "en": "a year"},
    "upside_revenue_line": {
        "ru": "Выручка: {range} {per_year} ({pct} годовой выручки).",
        "en": "Revenue: {range} {per_year} ({pct} of annual revenue).",
    },
    "upside_profit_line": {
        "ru": "Валовая прибыль: {range} {per_year} — потенциал выручки × валовая маржа {margin} "
        "({source}).",
        "en": "Gross profit: {range} {per_year}: the revenue upside × gross margin {margin} "
        "({source}).",
    },
    "margin_default": {
        "ru": "типовое допущение: маржа компании не указана",
        "en": "a typical assumption: the company's own margin was not given",
    },
    "margin_company": {"ru": "данные компании", "en": "the company's figure"},
    "as_ceiling": {
        "ru": "Потолок потерь — до {share} годовой выручки (источник методики).",
        "en": "Loss ceiling: up to {share} of annual revenue (the method's source).",
    },
    "as_gap": {
        "ru": "Потери пропорциональны среднему разрыву оценок семи проблем до 100: {gap}.",
        "en": "Losses scale with the mean gap of the seven scores to 100: {gap}.",
    },
    "as_range": {
        "ru": "Нижняя граница — {low} верхней: не все разрывы закрываются за год.",
        "en": "The low end is {low} of the high end: not every gap closes within a year.",
    },
    "as_revenue": {
        "ru": "Годовая выручка {value} — {source} за {start} – {end}{annual}.",
        "en": "Annual revenue {value} {source}, {start} to {end}{annual}.",
    },
    "as_annualised": {"ru": ", с пересчётом на год", "en": ", annualised"},
    "rev_src_sales": {"ru": "по отгрузкам (1С)", "en": "from shipments (1C)"},
    "rev_src_deals": {"ru": "по выигранным сделкам (CRM)", "en": "from won deals (CRM)"},
    "as_margin": {
        "ru": "Прибыль считается как валовая: потенциал выручки × маржа {margin}.",
        "en": "Profit is gross profit: the revenue upside × margin {margin}.",
    },
    "top_actions": {"ru": "Три первоочередных действия", "en": "Top three actions"},
    "expected_effect": {"ru": "Ожидаемый эффект", "en": "Expected effect"},
    "target": {"ru": "Цель", "en": "Target"},
    "target_by": {"ru": "{what} к {date}", "en": "{what} by {date}"},
    "now_value": {"ru": "сейчас {v}", "en": "now {v}"},
    "problem_short": {"ru": "Проблема", "en": "Problem"},
    # scorecards
    "meetings_per_day": {"ru": "Встреч в день", "en": "Meetings per day"},
    "calls_per_day": {"ru": "Звонков в день", "en": "Calls per day"},
    "field_share": {"ru": "Доля выездных встреч", "en": "Field meeting share"},
    "conversion": {"ru": "Конверсия", "en": "Conversion"},
    "avg_deal": {"ru": "Средняя сделка", "en": "Average deal"},
    "dominant_refusal": {"ru": "Главная причина отказов", "en": "Main refusal reason"},
    "coaching": {"ru": "Над чем работать", "en": "Coaching focus"},
    "suspicion": {"ru": "Индекс сомнений", "en": "Suspicion score"},
    "level": {"ru": "Уровень", "en": "Level"},
    "refusal_mix": {"ru": "Структура причин отказов", "en": "Refusal reason mix"},
    "share": {"ru": "Доля", "en": "Share"},
    "activity": {"ru": "Активность", "en": "Activity"},
    "per_working_day": {"ru": "в рабочий день", "en": "per working day"},
    # forecast
    "forecast_inputs": {"ru": "Исходные данные прогноза", "en": "Forecast inputs"},
    "effective_share": {"ru": "Доля результативных встреч", "en": "Effective meeting share"},
    "working_days": {"ru": "Рабочих дней", "en": "Working days"},
    "backtest": {"ru": "Проверка на истории", "en": "Backtest"},
    "mape": {"ru": "Средняя ошибка прогноза (MAPE)", "en": "Mean absolute percentage error (MAPE)"},
    "actual": {"ru": "Факт", "en": "Actual"},
    "forecast_value": {"ru": "Прогноз", "en": "Forecast"},
    "forecast_note": {
        "ru": "Как считается прогноз: встречи в день × доля результативных встреч × средняя "
        "сделка × рабочие дни месяца. Пример из методики: 2 встречи в день, результативна "
        "каждая десятая, средний договор 50 000 ₽, 22 рабочих дня — это 2 × 1/10 × 50 000 × 22 "
        "= 220 000 ₽ в месяц. (В исходной статье названа сумма 440 000 ₽, но при 22 рабочих "
        "днях арифметика даёт 220 000 ₽.)",
        "en": "How the forecast works: meetings per day × share of effective meetings × average "
        "deal × working days in the month. The method's example: 2 meetings a day, one in ten "
        "effective, an average contract of RUB 50,000 and 22 working days give "
        "2 × 1/10 × 50,000 × 22 = RUB 220,000 a month. (The source article states 440,000, "
        "but with 22 working days the arithmetic gives 220,000.)",
    },
    # credibility
    "suspicion_table": {
        "ru": "Сомнительные записи по менеджерам",
        "en": "Doubtful records by manager",
    },
    "reasons": {"ru": "Основания", "en": "Reasons"},
    "verification_sample": {
        "ru": "Выборка для контрольного обзвона",
        "en": "Verification-call sample",
    },
    "sample_size": {"ru": "Записей в выборке", "en": "Records in the sample"},
    "credibility_intro": {
        "ru": "Записи о встречах проверяются по косвенным признакам: внесены задним числом, "
        "без результата, слишком много встреч в день, одинаковые комментарии. Фиксированный "
        "оклад усиливает риск «нарисованных» встреч. Окончательно подтверждает запись только "
        "выборочный звонок клиенту.",
        "en": "Meeting records are checked for indirect signs: logged after the fact, no "
        "result, too many meetings in a day, copy-pasted comments. A fixed salary raises the "
        "risk of invented meetings. Only a call to the client on a sample finally confirms a "
        "record.",
    },
    "lvl_low": {"ru": "низкий", "en": "low"},
    "lvl_medium": {"ru": "средний", "en": "medium"},
    "lvl_high": {"ru": "высокий", "en": "high"},
    # clients / delegation
    "client_abc": {"ru": "ABC-анализ клиентов", "en": "Client ABC analysis"},
    "active_clients": {"ru": "Активные клиенты", "en": "Active clients"},
    "delegation": {"ru": "Продажи собственника", "en": "Owner's own selling"},
    "clients_count": {"ru": "Клиентов", "en": "Clients"},
    "new_clients_month": {"ru": "Новые клиенты", "en": "New clients"},
    "revenue_share": {"ru": "Доля выручки", "en": "Revenue share"},
    # roadmap
    "action": {"ru": "Действие", "en": "Action"},
    "within_days": {"ru": "За {n} дней", "en": "Within {n} days"},
    # quality
    "quality_intro": {
        "ru": "Что было получено от клиента, сколько записей принято и что пришлось отбросить "
        "или исправить. Все числа отчёта опираются только на принятые записи.",
        "en": "What the client supplied, how many records were accepted and what had to be "
        "dropped or fixed. Every number in the report rests on the accepted records only.",
    },
    # method
    "method_intro": {
        "ru": "Оценка опирается на два источника: ответы руководителя в интервью по чек-листу и "
        "выгрузки CRM, 1С и Excel. Каждая из семи проблем получает оценку от 0 до 100 (чем "
        "выше, тем здоровее отдел). Оценка складывается из баллов за ответы и баллов за "
        "показатели, рассчитанные по данным; каждый показатель сравнивается с ориентиром "
        "«хорошо» и «плохо», между ними балл меняется линейно. Достоверность — доля веса "
        "области, подкреплённая фактами: ответами и данными.",
        "en": "The assessment rests on two sources: the director's interview answers to the "
        "checklist, and the CRM, 1C and Excel exports. Each of the seven problems gets a score "
        "from 0 to 100 (higher means healthier). The score combines points for answers and "
        "points for indicators computed from the data; each indicator is compared with a "
        "'good' and a 'bad' reference and scored linearly in between. Confidence is the share "
        "of an area's weight backed by evidence: answers and data.",
    },
    "method_maturity": {
        "ru": "Общий индекс — взвешенное среднее оценок семи областей; по нему определяется "
        "уровень зрелости от 1 до 5.",
        "en": "The overall index is the weighted mean of the seven area scores; it sets the "
        "maturity level from 1 to 5.",
    },
    "method_upside": {
        "ru": "Ориентир потенциала: по опыту консультантов, даже работающий бизнес со слабым "
        "управлением продажами недополучает около 20 % выручки и до 40 % прибыли. Отчёт "
        "считает осторожнее: потенциал выручки пропорционален разрыву оценок до 100, а "
        "потенциал прибыли — это потенциал выручки, умноженный на валовую маржу.",
        "en": "Upside reference: in consultants' experience even a working business with weak "
        "sales management misses about 20% of revenue and up to 40% of profit. The report is "
        "more cautious: the revenue upside scales with the gap of the scores to 100, and the "
        "profit upside is the revenue upside times the gross margin.",
    },
    "thresholds": {"ru": "Ориентиры показателей", "en": "Indicator references"},
    "sources": {"ru": "Источники методики", "en": "Sources of the method"},
    "source_1": {
        "ru": "Заметка консалтинговой практики B2B-продаж «7 ключевых вопросов в управлении "
        "продажами B2B»: семь проблем, чек-лист экспресс-оценки, планирование, этапы "
        "выполнения плана, контроль задач, роль CRM.",
        "en": "A B2B sales consultancy's note '7 key problems in managing B2B sales': the seven "
        "problems, the express checklist, planning, stages of plan execution, task control, "
        "the role of a CRM.",
    },
    "source_2": {
        "ru": "Статья «Продажи на ладони»: CRM как приборная панель отдела продаж — история "
        "контактов, причины отказов, встречи, прогноз по активности, эффект обучения, "
        "проверка встреч обзвоном, защита клиентской базы.",
        "en": "The article 'Sales in the palm of your hand': a CRM as the instrument panel of "
        "sales — contact history, refusal reasons, meetings, activity-based forecast, "
        "training effect, verifying meetings by calls, protecting the client base.",
    },
    "parameters": {"ru": "Параметры расчёта", "en": "Calculation parameters"},
    "param_gross_margin": {"ru": "Валовая маржа", "en": "Gross margin"},
    "param_thresholds": {
        "ru": "Ориентиры, изменённые консультантом",
        "en": "References changed by the consultant",
    },
    "param_analysis": {
        "ru": "Анализы с настройками консультанта",
        "en": "Analyses with the consultant's settings",
    },
    "term": {"ru": "Термин", "en": "Term"},
    "meaning": {"ru": "Значение", "en": "Meaning"},
    "date": {"ru": "Дата", "en": "Date"},
    # express checklist
    "express_item": {"ru": "Эффект", "en": "Effect"},
    "status": {"ru": "Статус", "en": "Status"},
    "basis": {"ru": "На чём основано", "en": "Basis"},
    "status_met": {"ru": "выполнено", "en": "met"},
    "status_partly": {"ru": "частично", "en": "partly"},
    "status_not_met": {"ru": "не выполнено", "en": "not met"},
    "status_unknown": {"ru": "нет данных", "en": "unknown"},
    "status_unanswered": {"ru": "нет ответа", "en": "not answered"},
    # data quality
    "q_usable": {
        "ru": "Итог: данных достаточно для экспресс-оценки.",
        "en": "Verdict: the data is enough for the express assessment.",
    },
    "q_not_usable": {
        "ru": "Итог: данных недостаточно — нужны сделки, дела (звонки, встречи) или продажи.",
        "en": "Verdict: not enough data — deals, activities or sales are needed.",
    },
    "q_incomplete": {
        "ru": "Отчёт построен по решению консультанта на данных, которые проверка выгрузок не "
        "пропускает. Выводы, опирающиеся на эти таблицы, нужно читать с осторожностью:",
        "en": "At the consultant's decision the report is built on data the export check does "
        "not pass. Read the conclusions that rest on these tables with care:",
    },
    "incomplete_note": {
        "ru": "Данные неполные: {n} пробл. с выгрузками (список — в приложении «Качество данных»,",
        "en": "Incomplete data: {n} problem(s) with the exports (listed in the appendix 'Data "
        "quality',",
    },
    "q_tables": {"ru": "Загруженные таблицы", "en": "Tables loaded"},
    "q_issues": {"ru": "Замечания к данным", "en": "Data issues"},
    "q_table": {"ru": "Таблица", "en": "Table"},
    "q_files": {"ru": "Файлов", "en": "Files"},
    "q_file_names": {"ru": "Файлы", "en": "Files"},
    "tbl_managers": {"ru": "Менеджеры", "en": "Managers"},
    "tbl_clients": {"ru": "Клиенты", "en": "Clients"},
    "tbl_activities": {"ru": "Дела и встречи", "en": "Activities"},
    "tbl_deals": {"ru": "Сделки", "en": "Deals"},
    "tbl_sales": {"ru": "Продажи", "en": "Sales"},
    "tbl_plans": {"ru": "Планы", "en": "Plans"},
    "tbl_trainings": {"ru": "Обучение", "en": "Trainings"},
    "tbl_leads": {"ru": "Лиды", "en": "Leads"},
    "q_rows_read": {"ru": "Прочитано", "en": "Read"},
    "q_accepted": {"ru": "Принято", "en": "Accepted"},
    "q_rejected": {"ru": "Отклонено", "en": "Rejected"},
    "q_duplicates": {"ru": "Дубли", "en": "Duplicates"},
    "q_bad_cells": {"ru": "Плохие ячейки", "en": "Bad cells"},
    "q_severity": {"ru": "Уровень", "en": "Severity"},
    "q_kind": {"ru": "Что найдено", "en": "Issue"},
    "q_count": {"ru": "Сколько", "en": "Count"},
    "q_sev_error": {"ru": "ошибка", "en": "error"},
    "q_sev_warning": {"ru": "предупреждение", "en": "warning"},
    "q_sev_info": {"ru": "сведения", "en": "note"},
}

#: plan-structure aspects (dimensions and planned metrics)
PLAN_ASPECTS: dict[str, dict[str, str]] = {
    "period": {"ru": "По периодам", "en": "By period"},
    "employee": {"ru": "По сотрудникам", "en": "By employee"},
    "client": {"ru": "По клиентам", "en": "By client"},
    "brand": {"ru": "По брендам", "en": "By brand"},
    "product": {"ru": "По товарам", "en": "By product"},
    "route": {"ru": "По маршрутам", "en": "By route"},
    "units": {"ru": "В штуках", "en": "In units"},
    "revenue": {"ru": "Выручка", "en": "Revenue"},
    "meetings": {"ru": "Встречи", "en": "Meetings"},
    "calls": {"ru": "Звонки", "en": "Calls"},
    "emails": {"ru": "Письма", "en": "E-mails"},
    "proposals": {"ru": "Коммерческие предложения", "en": "Proposals"},
    "demos": {"ru": "Демонстрации", "en": "Demos"},
    "active_clients": {"ru": "Активные клиенты", "en": "Active clients"},
    "new_clients": {"ru": "Новые клиенты", "en": "New clients"},
    "equipment": {"ru": "Размещённое оборудование", "en": "Placed equipment"},
    "pos_materials": {"ru": "POS-материалы", "en": "POS materials"},
    "marketing_participants": {
        "ru": "Участники маркетинговых акций",
        "en": "Marketing participants",
    },
    "acknowledged": {"ru": "План доведён под подпись", "en": "Plan acknowledged (signed)"},
}

#: credibility signals (``reasons`` of the credibility analysis)
SIGNAL_LABELS: dict[str, dict[str, str]] = {
    "batch_share": {"ru": "внесены пачкой", "en": "logged in batches"},
    "late_share": {"ru": "внесены задним числом", "en": "logged late"},
    "evening_share": {"ru": "внесены вечером", "en": "logged in the evening"},
    "no_followup_share": {"ru": "без результата и продолжения", "en": "no outcome, no follow-up"},
    "impossible_share": {"ru": "невозможный график", "en": "impossible schedule"},
    "overlap_meetings": {"ru": "встречи накладываются", "en": "overlapping meetings"},
    "overloaded_day_meetings": {"ru": "перегруженные дни", "en": "overloaded days"},
    "off_day_meetings": {"ru": "встречи в выходные", "en": "meetings on days off"},
    "repeat_comment_share": {"ru": "одинаковые комментарии", "en": "repeated comments"},
    "fixed_pay": {"ru": "фиксированный оклад", "en": "fixed pay"},
}

#: the seven key problems (short titles used when the result has none)
AREA_TITLES: dict[str, dict[str, str]] = {
    "p1": {"ru": "Управленческие компетенции", "en": "Management competence"},
    "p2": {"ru": "Оргструктура и процессы", "en": "Structure and processes"},
    "p3": {"ru": "Системный подход к управлению", "en": "Systematic management"},
    "p4": {"ru": "Автоматизация (CRM, 1С)", "en": "Automation (CRM, 1C)"},
    "p5": {"ru": "Квалификация сотрудников", "en": "Staff qualification"},
    "p6": {"ru": "Делегирование управления", "en": "Delegation of management"},
    "p7": {"ru": "Подмена управления", "en": "Management substituted"},
}

#: canonical refusal reasons
REFUSAL_LABELS: dict[str, dict[str, str]] = {
    **REFUSAL_REASON_NAMES,
    "unspecified": {"ru": "Причина не указана", "en": "Not specified"},
}

#: glossary: (ru term, en term, meaning ru, meaning en)
GLOSSARY: tuple[tuple[str, str, str, str], ...] = (
    ("ОП", "Sales department", "отдел продаж", "the sales team as a whole"),
    ("РОП", "Head of sales", "руководитель отдела продаж", "manages the sales team"),
    (
        "План / факт / отклонение",
        "Plan / actual / deviation",
        "формат разбора выполнения плана на собрании",
        "format of the regular plan review meeting",
    ),
    (
        "Доведение плана",
        "Plan roll-out",
        "ознакомление менеджера с планом, детализация и подпись",
        "the manager accepts, details and signs the plan",
    ),
    (
        "Прогноз выполнения",
        "Completion forecast",
        "ожидаемый итог периода при текущем темпе",
        "expected period result at the current run-rate",
    ),
    (
        "Воронка продаж",
        "Sales funnel",
        "путь сделки по этапам до оплаты",
        "the stages a deal passes to payment",
    ),
    ("Причина отказа", "Refusal reason", "почему клиент отказался", "why the client said no"),
    ("КП", "Proposal", "коммерческое предложение", "commercial proposal"),
    (
        "Активные клиенты",
        "Active clients",
        "покупали или были в работе в периоде",
        "bought or were worked with in the period",
    ),
    (
        "Производственный календарь",
        "Production calendar",
        "официальные рабочие дни РФ",
        "official Russian working days",
    ),
    (
        "Выборочный обзвон",
        "Verification calls",
        "звонки клиентам по выборке встреч",
        "calling clients about a sample of meetings",
    ),
    (
        "Операционный маркетинг",
        "Operational marketing",
        "поддерживающие продажи акции при отклонении от плана",
        "support actions when the plan deviates",
    ),
    (
        "ABC-анализ",
        "ABC analysis",
        "деление клиентов по вкладу в выручку",
        "clients grouped by revenue contribution",
    ),
    (
        "MAPE",
        "MAPE",
        "средняя абсолютная ошибка прогноза в процентах",
        "mean absolute percentage error",
    ),
)

#: maturity level names (used when the result does not name the level)
#: the plan-structure analysis' ``detail`` texts (written in English by the analysis) as
#: ``(pattern, {lang: template})``; the template takes the pattern's named groups
DETAIL_PATTERNS: tuple[tuple[re.Pattern[str], dict[str, str]], ...] = (
    (
        re.compile(r"^(?P<n>\d+) period\(s\) (?P<a>\d{4}-\d{2})\.\.(?P<b>\d{4}-\d{2})$"),
        {"ru": "периодов: {n} ({a} – {b})", "en": "{n} periods ({a} – {b})"},
        # months are shown the reader's way: 06.2025 (ru) / Jun 2025 (en)
    ),
    (re.compile(r"^(?P<n>\d+) period\(s\)$"), {"ru": "периодов: {n}", "en": "{n} periods"}),
    (re.compile(r"^no periods$"), {"ru": "нет периодов", "en": "no periods"}),
    (re.compile(r"^(?P<n>\d+) manager\(s\)$"), {"ru": "менеджеров: {n}", "en": "{n} managers"}),
    (re.compile(r"^(?P<n>\d+) value\(s\)$"), {"ru": "значений: {n}", "en": "{n} values"}),
    (re.compile(r"^plan in units \(pieces\)$"), {"ru": "план в штуках", "en": "plan in units"}),
    (
        re.compile(r"^(?P<a>\d+) of (?P<b>\d+) manager plan rows acknowledged$"),
        {
            "ru": "подписано {a} из {b} строк планов менеджеров",
            "en": "{a} of {b} manager plan rows acknowledged",
        },
    ),
    (re.compile(r"^no manager plans$"), {"ru": "нет планов менеджеров", "en": "no manager plans"}),
)


def detail_text(detail: Any, lang: str = "ru") -> str:
    """A plan-structure ``detail`` in ``lang`` (known analysis phrasings are translated, anything
    else is shown as written)."""
    if _is_missing(detail):
        return ""
    text = str(detail).strip()
    for pattern, templates in DETAIL_PATTERNS:
        m = pattern.match(text)
        if m:
            groups = {k: _month_text(v, lang) for k, v in m.groupdict().items()}
            return templates[lang].format(**groups)
    return text


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _month_text(value: str, lang: str) -> str:
    """``2025-06`` -> ``06.2025`` (ru) / ``Jun 2025`` (en); anything else unchanged."""
    return fmt_month(value, lang) if re.fullmatch(r"\d{4}-\d{2}", str(value)) else value


#: the analyses' and indicators' "not enough data" messages (written in English for the
#: developer, an indicator's prefixed with the analysis: ``"funnel: no closed deals"``) as
#: ``(pattern, {lang: template})``; the template takes the pattern's named groups. A message no
#: pattern matches (an empty table, a failed analysis, ...) is never shown: the reader gets the
#: generic sentence (:func:`reason_text`)
MESSAGE_PATTERNS: tuple[tuple[re.Pattern[str], dict[str, str]], ...] = (
    (
        re.compile(r"^needs table\(s\): (?P<tables>.+)$"),
        {"ru": "нужны данные: {tables}", "en": "needs data: {tables}"},
    ),
    (
        re.compile(r"^needs at least (?P<n>\d+) complete months of revenue, found (?P<k>\d+)$"),
        {
            "ru": "нужно не меньше {n} полных месяцев выручки, есть {k}",
            "en": "needs at least {n} complete months of revenue, the data have {k}",
        },
    ),
    (
        re.compile(r"^no plan rows for metric .+$"),
        {"ru": "в планах нет строк по этому показателю", "en": "the plans have no rows for it"},
    ),
    (
        re.compile(r"^(no fact source in the data for metric .+|no fact for the plan)$"),
        {
            "ru": "в данных нет факта по показателю плана",
            "en": "the data hold no actuals for the planned metric",
        },
    ),
    (
        re.compile(r"^the plan has no per-manager rows$"),
        {"ru": "в плане нет строк по менеджерам", "en": "the plan has no rows per manager"},
    ),
    (
        re.compile(r"^no manager plans$"),
        {"ru": "нет планов менеджеров", "en": "there are no manager plans"},
    ),
    (re.compile(r"^no plan rows$"), {"ru": "в планах нет строк", "en": "the plans have no rows"}),
    (
        re.compile(r"^no complete planned period yet$"),
        {
            "ru": "ещё нет ни одного завершённого планового периода",
            "en": "no planned period is complete yet",
        },
    ),
    (
        re.compile(r"^fewer than three managers with a plan$"),
        {
            "ru": "план есть меньше чем у трёх менеджеров",
            "en": "fewer than three managers have a plan",
        },
    ),
    (
        re.compile(r"^no revenue plan for the running month$"),
        {
            "ru": "на текущий месяц нет плана по выручке",
            "en": "there is no revenue plan for the current month",
        },
    ),
    (
        re.compile(r"^the running month's plan is already met$"),
        {
            "ru": "план текущего месяца уже выполнен",
            "en": "the current month's plan is already met",
        },
    ),
    (
        re.compile(r"^no done activities( in the window)?$"),
        {"ru": "за период нет выполненных дел", "en": "no activities were completed in the period"},
    ),
    (
        re.compile(r"^no activities in the last (?P<n>\d+) months$"),
        {
            "ru": "за последние {n} мес. нет дел",
            "en": "there are no activities in the last {n} months",
        },
    ),
    (
        re.compile(r"^no task table$"),
        {"ru": "в данных нет задач", "en": "the data hold no tasks"},
    ),
    (
        re.compile(r"^no deals created by as_of$"),
        {
            "ru": "нет сделок, созданных к дате оценки",
            "en": "no deals created by the assessment date",
        },
    ),
    (
        re.compile(r"^no leads created by as_of$"),
        {
            "ru": "нет лидов, созданных к дате оценки",
            "en": "no leads created by the assessment date",
        },
    ),
    (
        re.compile(r"^no revenue with (a client|clients) in the window$"),
        {
            "ru": "за период нет выручки по клиентам",
            "en": "there is no client revenue in the period",
        },
    ),
    (
        re.compile(r"^no revenue in the window$"),
        {"ru": "за период нет выручки", "en": "there is no revenue in the period"},
    ),
    (
        re.compile(r"^no done meetings( with a client)? in the (lookback )?window$"),
        {"ru": "за период нет проведённых встреч", "en": "no meetings were held in the period"},
    ),
    (
        re.compile(r"^no meetings$"),
        {"ru": "нет проведённых встреч", "en": "no meetings were held"},
    ),
    (
        re.compile(r"^no month has meetings in its lookback window$"),
        {
            "ru": "ни в одном месяце нет встреч за предшествующий период",
            "en": "no month has meetings in the period before it",
        },
    ),
    (
        re.compile(r"^no revenue before the running month$"),
        {
            "ru": "нет выручки до текущего месяца",
            "en": "there is no revenue before the current month",
        },
    ),
    (
        re.compile(r"^no refused activities and no lost deals$"),
        {
            "ru": "нет отказов в делах и проигранных сделок",
            "en": "there are no refusals in activities and no lost deals",
        },
    ),
    (
        re.compile(r"^no closed deals$"),
        {"ru": "нет закрытых сделок", "en": "there are no closed deals"},
    ),
    (
        re.compile(r"^fewer than three managers with (?P<n>\d+)\+ closed deals$"),
        {
            "ru": "меньше трёх менеджеров, закрывших не меньше {n} сделок",
            "en": "fewer than three managers have closed {n} or more deals",
        },
    ),
    (
        re.compile(r"^no manager with (?P<n>\d+)\+ refusals$"),
        {
            "ru": "ни у одного менеджера нет {n} и больше отказов",
            "en": "no manager has {n} or more refusals",
        },
    ),
    (
        re.compile(r"^every training is inconclusive \(too few deals\)$"),
        {
            "ru": "по каждому обучению слишком мало сделок для вывода",
            "en": "every training has too few deals to draw a conclusion",
        },
    ),
)

#: why an indicator is not computed, by its reason code (``scoring.indicators.REASONS``);
#: ``insufficient_data`` is the general code: its message may say more (:data:`MESSAGE_PATTERNS`)
REASON_TEXTS: dict[str, dict[str, str]] = {
    "no_head_of_sales": {
        "ru": "в списке сотрудников нет руководителя отдела продаж",
        "en": "the staff list has no head of sales",
    },
    "no_owner": {
        "ru": "в списке сотрудников нет собственника",
        "en": "the staff list has no owner",
    },
    "no_open_deals": {
        "ru": "нет открытых сделок, поэтому доля зависших сделок ничего не говорит",
        "en": "there are no open deals, so the share of stalled deals says nothing",
    },
    "no_tasks": {
        "ru": "в выгрузке только выполненные дела, без запланированных и просроченных, поэтому "
        "дисциплину задач не оценить",
        "en": "the export holds only completed activities, no planned or overdue ones, so task "
        "discipline cannot be judged",
    },
    "no_meetings": {"ru": "нет проведённых встреч", "en": "no meetings were held"},
    "no_planned_activities": {
        "ru": "в выгрузке нет запланированных дел: пустой план дня может означать лишь то, что "
        "их не выгрузили",
        "en": "the export holds no planned activities: an empty day agenda may only mean they "
        "were not exported",
    },
    "no_revenue": {"ru": "за период нет выручки", "en": "there is no revenue in the period"},
    "no_staff_roles": {
        "ru": "нет списка сотрудников с ролями: без него не отличить собственника и "
        "руководителя продаж от менеджеров",
        "en": "no staff list with roles was given: without it the owner and the head of sales "
        "cannot be told apart from the managers",
    },
    "no_results": {
        "ru": "в выгрузке дел нет результатов (колонки результата нет или она везде пуста), "
        "поэтому доля дел с результатом не оценена",
        "en": "the activities export holds no results (no result column, or an empty one), so "
        "the share of activities with a result is not assessed",
    },
}

#: an analysis' name before an indicator's message (``"funnel: no closed deals"``)
_MESSAGE_PREFIX = re.compile(r"^[a-z][a-z0-9_]*: ")


def _table_names(tables: str, lang: str) -> str:
    """``"sales or deals, plans"`` as the reader knows the tables: «Продажи или Сделки, Планы»."""
    return ", ".join(
        (" или " if lang == "ru" else " or ").join(
            t(f"tbl_{name.strip()}", lang) if f"tbl_{name.strip()}" in STRINGS else name.strip()
            for name in part.split(" or ")
        )
        for part in tables.split(", ")
    )


def insufficient_text(message: Any, lang: str = "ru") -> str:
    """An analysis' or indicator's "not enough data" message as a clause for the reader in
    ``lang`` (table names as the reader knows them: "sales or deals" -> «Продажи или Сделки»).
    A message without a known phrasing gives ``""``: developer text is never shown raw."""
    if _is_missing(message) or not str(message).strip():
        return ""
    check_lang(lang)
    text = _MESSAGE_PREFIX.sub("", str(message).strip(), count=1)
    for pattern, templates in MESSAGE_PATTERNS:
        m = pattern.match(text)
        if m:
            groups = dict(m.groupdict())
            if "tables" in groups:
                groups["tables"] = _table_names(groups["tables"], lang)
            return templates[lang].format(**groups)
    return ""


def reason_text(reason: Any = None, message: Any = None, lang: str = "ru") -> str:
    """Why a figure is not computed, as a clause in ``lang``: the text of a known reason code
    (:data:`REASON_TEXTS`), else the message translated (:func:`insufficient_text`), else the
    generic «недостаточно данных для расчёта» / "not enough data to compute"."""
    check_lang(lang)
    code = "" if _is_missing(reason) else str(reason).strip()
    if code in REASON_TEXTS:
        return REASON_TEXTS[code][lang]
    return insufficient_text(message, lang) or t("insufficient_reason", lang)


def source_text(source: Any, lang: str = "ru") -> str:
    """An indicator reference's source in ``lang``: a ``{ru, en}`` mapping (the method's own
    thresholds) is picked by language; plain text (a consultant's override) is shown as written."""
    if isinstance(source, dict):
        return pick(source, lang)
    return "" if source is None else str(source)


MATURITY_NAMES: dict[int, dict[str, str]] = {
    1: {"ru": "интуитивное управление", "en": "intuitive management"},
    2: {"ru": "отдельные инструменты", "en": "isolated tools"},
    3: {"ru": "система складывается", "en": "system taking shape"},
    4: {"ru": "управляемые продажи", "en": "managed sales"},
    5: {"ru": "прогнозируемые продажи", "en": "predictable sales"},
}


def check_lang(lang: str) -> str:
    """Return ``lang`` when supported, else raise :class:`ParameterError`."""
    if lang not in LANGS:
        raise ParameterError(
            f"unknown report language {lang!r}",
            hint=f"use one of: {', '.join(LANGS)}",
        )
    return lang


def t(key: str, lang: str = "ru", **fmt: Any) -> str:
    """The report string ``key`` in ``lang``; ``fmt`` fills ``{placeholders}``.

    Raises :class:`KeyError` for an unknown key (a programming error, caught by tests).
    """
    check_lang(lang)
    text = STRINGS[key][lang]
    return text.format(**fmt) if fmt else text


def pick(obj: Any, lang: str) -> str:
    """Text from a ``{"ru": .., "en": ..}`` dict (falls back to the other language), or ``str(obj)``."""
    if obj is None:
        return ""
    if isinstance(obj, dict):
        for k in (lang, "ru", "en"):
            if obj.get(k):
                return str(obj[k])
        return next((str(v) for v in obj.values() if v), "")
    return str(obj)


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(isinstance(value, float) and math.isnan(value))
    except TypeError:
        return False


def fmt_number(value: Any, lang: str = "ru", decimals: int = 0) -> str:
    """``1234567.8`` -> ``'1 234 568'`` (ru, NBSP groups) or ``'1,234,568'`` (en); ``—`` if missing."""
    if _is_missing(value):
        return "—"
    v = float(value)
    text = f"{v:,.{decimals}f}"
    if lang == "ru":
        text = text.replace(",", NBSP).replace(".", ",")
    if text.startswith("-"):
        text = "−" + text[1:]
    return text


#: the report currency (ISO code) of every money figure; set once per rendered audit result
#: (:func:`set_currency`, called by the notebooks' result loader with ``result.currency``)
_CURRENCY: list[str] = ["RUB"]


def set_currency(code: str | None) -> None:
    """Make ``code`` (ISO, e.g. ``'USD'``; ``None`` = RUB) the currency of money formatted from
    now on by :func:`fmt_money`, :func:`fmt_money_approx`, :func:`money_unit`."""
    _CURRENCY[0] = str(code or "RUB").upper()


def currency_sign(lang: str = "ru", currency: str | None = None) -> str:
    """How the report writes the currency: the sign in Russian (``₽``, ``$``, ``€``, ``₸``, ``Br``;
    the ISO code for others), the ISO code in English (``RUB``, ``USD``)."""
    from salesaudit.scoring.report_settings import CURRENCY_SYMBOLS

    code = str(currency or _CURRENCY[0]).upper()
    return CURRENCY_SYMBOLS.get(code, code) if lang == "ru" else code


def money_unit(scale: float = 1.0, lang: str = "ru", currency: str | None = None) -> str:
    """The unit of money divided by ``scale`` (1, 1e3, 1e6): ``'млн ₽'`` / ``'RUB m'``."""
    sign = currency_sign(lang, currency)
    if lang == "ru":
        return {1e6: "млн ", 1e3: "тыс. "}.get(scale, "") + sign
    return sign + {1e6: " m", 1e3: " k"}.get(scale, "")


def fmt_money(value: Any, lang: str = "ru", decimals: int = 0, currency: str | None = None) -> str:
    """Money in the report currency (:func:`set_currency`) or ``currency``: ``'1 234 567 ₽'``,
    ``'1 234 567 $'`` (ru) or ``'RUB 1,234,567'``, ``'USD 1,234,567'`` (en)."""
    if _is_missing(value):
        return "—"
    num = fmt_number(value, lang, decimals)
    sign = currency_sign(lang, currency)
    return f"{num}{NBSP}{sign}" if lang == "ru" else f"{sign}{NBSP}{num}"


def fmt_money_approx(low: Any, high: Any, lang: str = "ru") -> str:
    """A money range rounded to two significant digits of its upper end, in roubles, thousands or
    millions: ``(12_584_351, 25_168_702)`` -> ``'≈ 13–25 млн ₽'`` (ru) / ``'≈ RUB 13–25 m'`` (en).

    A missing end gives a single value; nothing known gives ``—``.
    """
    lo = None if _is_missing(low) else float(low)
    hi = None if _is_missing(high) else float(high)
    if lo is None and hi is None:
        return "—"
    top = max(abs(v) for v in (lo, hi) if v is not None)
    div = 1e6 if top >= 1e6 else 1e3 if top >= 1e3 else 1.0
    unit_ru = money_unit(div, "ru")
    digits = max(0, 1 - math.floor(math.log10(top / div))) if top > 0 else 0
    parts = []
    for v in (lo, hi):
        if v is not None:
            text = fmt_number(round(v / div, digits), lang, digits)
            if text not in parts:
                parts.append(text)
    num = "–".join(parts)
    if lang == "ru":
        return f"≈{NBSP}{num}{NBSP}{unit_ru}"
    suffix = {1e6: "m", 1e3: "k"}.get(div)
    return f"≈{NBSP}{currency_sign('en')}{NBSP}{num}{NBSP + suffix if suffix else ''}"


def fmt_pct(value: Any, lang: str = "ru", decimals: int = 1) -> str:
    """A percentage given in percent units: ``45.3`` -> ``'45,3 %'`` (ru) / ``'45.3%'`` (en)."""
    if _is_missing(value):
        return "—"
    num = fmt_number(value, lang, decimals)
    return f"{num}{NBSP}%" if lang == "ru" else f"{num}%"


def fmt_share(value: Any, lang: str = "ru", decimals: int = 1) -> str:
    """A share 0..1 as a percentage: ``0.453`` -> ``'45,3 %'``."""
    if _is_missing(value):
        return "—"
    return fmt_pct(float(value) * 100.0, lang, decimals)


def fmt_score(value: Any, lang: str = "ru") -> str:
    """An area score / index 0..100 as shown everywhere in the report (one decimal)."""
    return fmt_number(value, lang, 1)


def fmt_value(value: Any, unit: str, lang: str = "ru") -> str:
    """Format an indicator value by its unit (``%``, ``share``, ``rub``, ``days``, ``count``, ...)."""
    if _is_missing(value):
        return "—"
    if isinstance(value, str):
        return value
    unit = (unit or "").lower()
    if unit in ("rub", "money", "₽"):
        return fmt_money(value, lang)
    if unit in ("share", "ratio"):
        return fmt_share(value, lang)
    if unit in ("%", "pct", "percent"):
        return fmt_pct(value, lang)
    if unit in ("pp", "p.p."):
        num = fmt_number(value, lang, 1)
        return f"{num}{NBSP}{'п.п.' if lang == 'ru' else 'pp'}"
    if unit in ("x", "times", "ratio_x"):
        return f"{fmt_number(value, lang, 2)}{NBSP}×"
    if unit in ("days", "day"):
        num = fmt_number(value, lang, 1 if float(value) % 1 else 0)
        return f"{num}{NBSP}{'дн.' if lang == 'ru' else 'd'}"
    if unit in ("count", "int", "clients", "deals"):
        return fmt_number(value, lang, 0 if float(value) % 1 == 0 else 1)
    if unit in ("score", "index"):
        return fmt_score(value, lang)
    decimals = 0 if float(value) % 1 == 0 else 2
    text = fmt_number(value, lang, decimals)
    return f"{text}{NBSP}{unit}" if unit and unit not in ("number", "per_day") else text


def _blank_date(value: Any) -> bool:
    """Nothing to show as a date: ``None``, NaN, ``NaT``, ``pd.NA`` or blank text."""
    if _is_missing(value) or (isinstance(value, str) and not value.strip()):
        return True
    import pandas as pd

    return value is pd.NaT or value is pd.NA


def _timestamp(value: Any) -> Any:
    """``value`` (ISO text, date, datetime, Timestamp) as a ``pd.Timestamp``; ``None`` when it
    is blank or not a date."""
    if _blank_date(value):
        return None
    import pandas as pd

    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        return None
    return None if pd.isna(ts) else ts


def fmt_date(value: Any, lang: str = "ru") -> str:
    """An ISO date/datetime (or date, Timestamp) as ``'23.11.2026'`` (ru) or ``'23 Nov 2026'``
    (en; month names written out here, not by the locale). The time of a datetime is not shown;
    ``—`` when missing, anything that is not a date as written."""
    ts = _timestamp(value)
    if ts is None:
        return "—" if _blank_date(value) else str(value)
    if lang == "ru":
        return f"{ts.day:02d}.{ts.month:02d}.{ts.year}"
    return f"{ts.day} {_MONTHS_EN[ts.month - 1]} {ts.year}"


def fmt_month(value: Any, lang: str = "ru") -> str:
    """A month (``'2026-11'``, a date or Timestamp within it) as ``'11.2026'`` (ru) or
    ``'Nov 2026'`` (en); ``—`` when missing, anything that is not a date as written."""
    ts = _timestamp(value)
    if ts is None:
        return "—" if _blank_date(value) else str(value)
    return f"{ts.month:02d}.{ts.year}" if lang == "ru" else f"{_MONTHS_EN[ts.month - 1]} {ts.year}"


def severity_name(severity: str, lang: str = "ru") -> str:
    """Localised severity (critical/high/medium/low)."""
    key = f"sev_{severity}"
    return t(key, lang) if key in STRINGS else str(severity)


def verdict_name(verdict: str, lang: str = "ru") -> str:
    """Localised indicator verdict (good/warn/bad/n/a)."""
    key = f"verdict_{verdict}"
    return t(key, lang) if key in STRINGS else str(verdict)


def role_name(role: str, lang: str = "ru") -> str:
    """Localised owner role of a finding or roadmap action."""
    key = f"role_{role}"
    return t(key, lang) if key in STRINGS else str(role)


def level_name(level: Any, lang: str = "ru") -> str:
    """Localised suspicion level (low/medium/high); other values pass through."""
    key = f"lvl_{level}"
    return t(key, lang) if key in STRINGS else str(level)


def refusal_name(reason: Any, lang: str = "ru") -> str:
    """Localised canonical refusal reason; unknown labels are shown verbatim."""
    if _is_missing(reason):
        return "—"
    return pick(REFUSAL_LABELS.get(str(reason), str(reason)), lang)


def signal_names(reasons: Any, lang: str = "ru") -> str:
    """Localised credibility signals from a ``'; '``-separated string or a list."""
    if _is_missing(reasons):
        return ""
    items = reasons if isinstance(reasons, (list, tuple)) else str(reasons).split(";")
    names = [pick(SIGNAL_LABELS.get(str(x).strip(), str(x).strip()), lang) for x in items]
    return "; ".join(n for n in names if n)


def area_title(area: str, lang: str = "ru", title: Any = None) -> str:
    """Title of a problem area: the result's own title when given, else the built-in one."""
    text = pick(title, lang) if title else ""
    return text or pick(AREA_TITLES.get(area, area), lang)


def area_label(area: Any, lang: str = "ru", title: Any = None) -> str:
    """A problem as a chart or table names it: its number and title in ``lang`` (``"6. Delegation
    of management"``; the result's ``title`` when given, else the built-in short one), never the
    internal id (``p6``); an id that is not ``p<N>`` gives the title alone."""
    text = area_title(str(area), lang, title)
    m = re.fullmatch(r"[pP](\d+)", str(area).strip())
    return f"{int(m.group(1))}. {text}" if m else text
