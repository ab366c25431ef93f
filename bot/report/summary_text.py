"""Readable Dutch versions of a summary: care-team text, HTML and PDF; the patient's copy.

Everything is rendered from the summary JSON (bot/report/summary.py) with the plain-Dutch answer
rendering of bot/report/answer_text.py. HTML is autoescaped by Jinja2 (templates in
bot/templates/summary/); PDF text is escaped before reportlab sees it.
"""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any, Dict, List, Mapping, Tuple
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from bot import content
from bot.content import question_keys as keys
from bot.language import dutch
from bot.language.extract.normalize import clean_text
from bot.report.answer_text import readback_items
from bot.report.signals import cited_sources, signal_content
from bot.report.summary import answers_from_summary

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates" / "summary"
LOCAL_TZ = ZoneInfo("Europe/Amsterdam")
# Texts: the patient's copy in bot/content/texts.yml (patient_*), the care team's in
# bot/content/careteam.yml (`summary`, read by `_ct` below; `channels`), per-question
# care-team texts in questions.yml.


def _ct(key: str, **fmt: Any) -> str:
    return content.careteam_text(f"summary.{key}", **fmt)


_ENV = Environment(
    loader=FileSystemLoader(str(TEMPLATE_DIR)),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=StrictUndefined,
)


# --------------------------------------------------------------------------- view models


def _local(iso: str) -> datetime:
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return moment.astimezone(LOCAL_TZ) if moment.tzinfo else moment


def _date_nl(moment: datetime) -> str:
    return dutch.format_date(moment)


def _rows(summary: Mapping[str, Any]) -> List[Tuple[str, str]]:
    answers, skipped = answers_from_summary(summary)
    return [(label, text) for _, label, text in readback_items(answers, skipped)]


def care_team_view(summary: Mapping[str, Any]) -> Dict[str, Any]:
    created = _local(summary["created_at"])
    context = summary.get("context") or {}
    context_rows = [(_ct("row_labels.reference"), summary["summary_id"])]
    if summary.get("verified") is False:  # filed without a valid invitation (bot/intake/handoff.py)
        claimed = clean_text(str(summary.get("claimed_appointment_code") or ""), 64)
        context_rows.append(
            (
                _ct("row_labels.appointment"),
                _ct("not_verified_claimed", claimed=claimed) if claimed else _ct("not_verified"),
            )
        )
    elif context.get("appointment_code"):
        context_rows.append((_ct("row_labels.appointment_code"), context["appointment_code"]))
    if context.get("channel"):
        channels = content.careteam_texts()["channels"]
        context_rows.append((_ct("row_labels.channel"), channels.get(context["channel"], context["channel"])))
    if context.get("returning_patient") is not None:
        returning = _ct("word_yes" if context["returning_patient"] else "word_no")
        context_rows.append((_ct("row_labels.returning_patient"), returning))
    actions = []
    if summary.get("human_contact_requested"):
        actions.append(_ct("wants_human_contact"))
    actions += _care_team_actions(summary)
    return {
        "created_nl": _ct("created_at", date=_date_nl(created), time=f"{created:%H:%M}"),
        "context_rows": context_rows,
        "actions": actions,
        # stepped attention (spec §3): context signals are shown apart, not as attention points
        "signals": [s for s in summary.get("signals") or [] if s.get("kind") != "context"],
        "context_signals": [s for s in summary.get("signals") or [] if s.get("kind") == "context"],
        "help": list(summary.get("suggested_help") or []),
        "questions": [clean_text(str(q)) for q in (summary.get("work") or {}).get("patient_questions") or []],
        "rows": _rows(summary),
        "sources": _source_legend(summary),
        "disclaimer": _ct("disclaimer"),
    }


def _care_team_actions(summary: Mapping[str, Any]) -> List[str]:
    """What the care team should do, from the options with a `care_team_action` in
    questions.yml, followed by the answer to their details question (`care_team_detail`)."""
    actions = []
    for q in content.questions():
        value = keys.summary_value(summary, q["id"])
        option = next((o for o in q.get("options", []) if str(o["code"]) == value), None)
        if value is None or not option or not option.get("care_team_action"):
            continue
        action = option["care_team_action"]
        details_q = keys.details_question(q["id"])
        details = keys.summary_value(summary, details_q["id"]) if details_q else None
        if details_q and isinstance(details, str) and details.strip():
            action += details_q["care_team_detail"].format(value=details.strip())
        actions.append(action)
    return actions


def _source_legend(summary: Mapping[str, Any]) -> str:
    """ "Bronnen: 001 = ...; 003 = ..." for the documents the signals and help cite."""
    legend = signal_content()["sources_nl"]
    items = list(summary.get("signals") or []) + list(summary.get("suggested_help") or [])
    cited = {key for item in items for key in cited_sources(item.get("source") or "", legend)}
    parts = [f"{key} = {text}" for key, text in legend.items() if key in cited]
    return _ct("sources_legend", legend="; ".join(parts)) if parts else ""


def patient_view(summary: Mapping[str, Any]) -> Dict[str, Any]:
    by_code = {h["code"]: h for h in signal_content()["suggested_help"]}
    help_items = []
    for item in summary.get("suggested_help") or []:
        fallback = by_code.get(item["code"], {})
        label = item.get("patient_label_nl") or fallback.get("patient_label_nl")
        text = item.get("patient_nl") or fallback.get("patient_nl")
        if label and text:
            help_items.append({"patient_label_nl": label, "patient_nl": text})
    return {
        "date_nl": _date_nl(_local(summary["created_at"])),
        "intro": [content.text("patient_intro_1"), content.text("patient_intro_2")],
        "rows": _rows(summary),
        "questions": list((summary.get("work") or {}).get("patient_questions") or []),
        "help": help_items,
        "no_help": content.text("patient_no_help"),
        "notes": [
            content.text("patient_note_advice"),
            content.text("patient_note_shared" if _has_care_team(summary) else "patient_note_own"),
            content.text("patient_note_correct"),
        ],
    }


def _has_care_team(summary: Mapping[str, Any]) -> bool:
    """``summary["care_team"]`` when set (by bot/intake/handoff.py), else the rule of
    bot.intake.questionnaire.has_care_team: an appointment code or the waiting-room tablet."""
    if isinstance(summary.get("care_team"), bool):
        return summary["care_team"]
    from bot.intake.questionnaire import has_care_team

    return has_care_team({"context": summary.get("context") or {}})


def _render(template: str, view: Mapping[str, Any]) -> str:
    return _ENV.get_template(template).render(v=view)


# --------------------------------------------------------------------------- public API


def care_team_text(summary: Mapping[str, Any]) -> str:
    """Plain Dutch text for the care team; attention points and signals first."""
    return _render("care_team.txt", care_team_view(summary))


def care_team_html(summary: Mapping[str, Any]) -> str:
    """One printable HTML page for the care team (all patient text escaped)."""
    return _render("care_team.html", care_team_view(summary))


def patient_text(summary: Mapping[str, Any]) -> str:
    """The patient's own copy in B1 Dutch, without internal codes."""
    return _render("patient.txt", patient_view(summary))


def patient_html(summary: Mapping[str, Any]) -> str:
    return _render("patient.html", patient_view(summary))


def care_team_pdf(summary: Mapping[str, Any]) -> bytes:
    """A4 PDF for the care team; the font shrinks (down to 7 pt) to keep it on one page."""
    view = care_team_view(summary)
    pdf = b""
    for size in (9.5, 9, 8.5, 8, 7.5, 7):
        pdf, pages = _pdf(view, size)
        if pages == 1:
            break
    return pdf


# --------------------------------------------------------------------------- PDF


def _pdf(view: Mapping[str, Any], size: float) -> Tuple[bytes, int]:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import ListFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    lead = size * 1.25
    base = ParagraphStyle("base", fontName="Helvetica", fontSize=size, leading=lead)
    small = ParagraphStyle(
        "small",
        parent=base,
        fontSize=size - 1.5,
        leading=(size - 1.5) * 1.25,
        textColor=colors.HexColor("#444444"),
    )
    title = ParagraphStyle(
        "title",
        parent=base,
        fontName="Helvetica-Bold",
        fontSize=size + 5,
        leading=(size + 5) * 1.2,
        spaceAfter=1 * mm,
    )
    heading = ParagraphStyle(
        "heading",
        parent=base,
        fontName="Helvetica-Bold",
        fontSize=size + 1.5,
        leading=(size + 1.5) * 1.25,
        spaceBefore=2.5 * mm,
        spaceAfter=1 * mm,
    )

    def para(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text), style)

    def bullets(items: List[Any]) -> ListFlowable:
        return ListFlowable(
            [Paragraph(i, base) for i in items],
            bulletType="bullet",
            start="•",
            leftIndent=4 * mm,
            bulletFontSize=size,
        )

    story: List[Any] = [para(_ct("pdf_heading"), title)]
    meta = " · ".join(
        [_ct("pdf_created", created=view["created_nl"])] + [f"{k}: {v}" for k, v in view["context_rows"]]
    )
    story += [para(meta, small), para(_ct("pdf_shared"), small)]

    def source(item: Mapping[str, Any]) -> str:
        if not item.get("source"):
            return ""
        return f' <font size="{size - 2}" color="#555555">({escape(_ct("pdf_source", source=item["source"]))})</font>'

    story.append(para(_ct("pdf_attention"), heading))
    points = [f"<b>{escape(a)}</b>" for a in view["actions"]]
    points += [escape(s["label_nl"]) + source(s) for s in view["signals"]]
    story.append(bullets(points) if points else para(_ct("pdf_no_attention")))
    if view["context_signals"]:
        story.append(para(_ct("pdf_background"), heading))
        story.append(bullets([escape(s["label_nl"]) + source(s) for s in view["context_signals"]]))
    if view["help"]:
        story.append(para(_ct("pdf_help"), heading))
        story.append(
            bullets(
                [f"<b>{escape(h['label_nl'])}</b>: {escape(h.get('reason_nl', ''))}" for h in view["help"]]
            )
        )
    if view["questions"]:
        story.append(para(_ct("pdf_questions"), heading))
        story.append(bullets([escape(q) for q in view["questions"]]))

    story.append(para(_ct("pdf_answers"), heading))
    table = Table(
        [[para(label, small), para(value)] for label, value in view["rows"]],
        colWidths=[62 * mm, None],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
                ("TOPPADDING", (0, 0), (-1, -1), 0.6 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.6 * mm),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 1.5 * mm),
            ]
        )
    )
    story += [table, Spacer(1, 2 * mm), para(view["disclaimer"], small)]
    if view["sources"]:
        story.append(para(view["sources"], small))

    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        lang="nl",
        title=_ct("pdf_heading"),
        author=_ct("pdf_author"),
    )
    doc.build(story)
    return buffer.getvalue(), doc.page
