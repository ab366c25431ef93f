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

from bot.language.extract.normalize import clean_text
from bot.report.answer_text import MONTHS_NL, readback_items
from bot.report.signals import cited_sources, signal_content
from bot.report.summary import answers_from_summary

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates" / "summary"
LOCAL_TZ = ZoneInfo("Europe/Amsterdam")
CHANNELS_NL = {"tablet": "tablet in het ziekenhuis", "home": "thuis", "other": "anders"}

CARE_TEAM_DISCLAIMER = (
    "Deze samenvatting geeft weer wat de patiënt zelf vóór de afspraak heeft geantwoord. "
    "Het is geen oordeel over de gezondheid of over het kunnen werken. Aandachtspunten en "
    "mogelijke hulp komen uit vaste regels; de bron staat bij elk aandachtspunt."
)
PATIENT_INTRO = [
    "U heeft vragen beantwoord over uw werk en uw gezondheid. Hieronder staat wat u heeft verteld.",
    "U kunt dit overzicht meenemen naar uw huisarts, uw bedrijfsarts of een andere zorgverlener.",
]
PATIENT_NOTE_ADVICE = "Dit overzicht is geen medisch advies. Het zegt ook niet of u wel of niet kunt werken."
PATIENT_NOTE_SHARED = "U heeft toestemming gegeven om uw antwoorden te delen met uw zorgteam."
PATIENT_NOTE_OWN = "Dit overzicht is voor uzelf. U bepaalt zelf aan wie u het laat zien."
PATIENT_NOTE_CORRECT = "Klopt er iets niet? Vertel het dan aan uw zorgverlener."
PATIENT_NO_HELP = ("Heeft u later vragen over werk en gezondheid? Dan kunt u terecht bij uw huisarts. "
                   "Heeft u een bedrijfsarts? Dan kunt u ook daar terecht.")

_ENV = Environment(
    loader=FileSystemLoader(str(TEMPLATE_DIR)),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
    trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, undefined=StrictUndefined,
)


# --------------------------------------------------------------------------- view models

def _local(iso: str) -> datetime:
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return moment.astimezone(LOCAL_TZ) if moment.tzinfo else moment


def _date_nl(moment: datetime) -> str:
    return f"{moment.day} {MONTHS_NL[moment.month - 1]} {moment.year}"


def _rows(summary: Mapping[str, Any]) -> List[Tuple[str, str]]:
    answers, skipped = answers_from_summary(summary)
    return [(label, text) for _, label, text in readback_items(answers, skipped)]


def care_team_view(summary: Mapping[str, Any]) -> Dict[str, Any]:
    created = _local(summary["created_at"])
    context = summary.get("context") or {}
    context_rows = [("Kenmerk", summary["summary_id"])]
    if summary.get("verified") is False:  # filed without a valid invitation (bot/intake/handoff.py)
        claimed = clean_text(str(summary.get("claimed_appointment_code") or ""), 64)
        context_rows.append(("Afspraak", "NIET GEVERIFIEERD" + (f" (opgegeven: {claimed})" if claimed else "")))
    elif context.get("appointment_code"):
        context_rows.append(("Afspraakcode", context["appointment_code"]))
    if context.get("channel"):
        context_rows.append(("Ingevuld", CHANNELS_NL.get(context["channel"], context["channel"])))
    if context.get("returning_patient") is not None:
        context_rows.append(("Eerder patiënt geweest", "ja" if context["returning_patient"] else "nee"))
    actions = []
    if summary.get("human_contact_requested"):
        actions.append("Wil graag contact met een medewerker.")
    wish = (summary.get("consent") or {}).get("physician_contact_wish")
    if wish == "yes":
        details = (summary.get("work") or {}).get("physician_details")
        actions.append("Wil dat de zorgverlener contact opneemt met de bedrijfsarts (machtiging nog tekenen)."
                       + (f" Bedrijfsarts: {details.strip()}." if isinstance(details, str) and details.strip() else ""))
    elif wish == "undecided":
        actions.append("Twijfelt nog of de zorgverlener contact mag opnemen met de bedrijfsarts.")
    return {
        "created_nl": f"{_date_nl(created)} om {created:%H:%M}",
        "context_rows": context_rows,
        "actions": actions,
        # stepped attention (spec §3): context signals are shown apart, not as attention points
        "signals": [s for s in summary.get("signals") or [] if s.get("kind") != "context"],
        "context_signals": [s for s in summary.get("signals") or [] if s.get("kind") == "context"],
        "help": list(summary.get("suggested_help") or []),
        "questions": [clean_text(str(q)) for q in (summary.get("work") or {}).get("patient_questions") or []],
        "rows": _rows(summary),
        "sources": _source_legend(summary),
        "disclaimer": CARE_TEAM_DISCLAIMER,
    }


def _source_legend(summary: Mapping[str, Any]) -> str:
    """"Bronnen: 001 = ...; 003 = ..." for the documents the signals and help cite."""
    legend = signal_content()["sources_nl"]
    items = list(summary.get("signals") or []) + list(summary.get("suggested_help") or [])
    cited = {key for item in items for key in cited_sources(item.get("source") or "", legend)}
    parts = [f"{key} = {text}" for key, text in legend.items() if key in cited]
    return ("Bronnen: " + "; ".join(parts) + ".") if parts else ""


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
        "intro": PATIENT_INTRO,
        "rows": _rows(summary),
        "questions": list((summary.get("work") or {}).get("patient_questions") or []),
        "help": help_items,
        "no_help": PATIENT_NO_HELP,
        "notes": [PATIENT_NOTE_ADVICE, PATIENT_NOTE_SHARED if _has_care_team(summary) else PATIENT_NOTE_OWN,
                  PATIENT_NOTE_CORRECT],
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
    small = ParagraphStyle("small", parent=base, fontSize=size - 1.5, leading=(size - 1.5) * 1.25,
                           textColor=colors.HexColor("#444444"))
    title = ParagraphStyle("title", parent=base, fontName="Helvetica-Bold", fontSize=size + 5,
                           leading=(size + 5) * 1.2, spaceAfter=1 * mm)
    heading = ParagraphStyle("heading", parent=base, fontName="Helvetica-Bold", fontSize=size + 1.5,
                             leading=(size + 1.5) * 1.25, spaceBefore=2.5 * mm, spaceAfter=1 * mm)

    def para(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text), style)

    def bullets(items: List[Any]) -> ListFlowable:
        return ListFlowable([Paragraph(i, base) for i in items], bulletType="bullet", start="•",
                            leftIndent=4 * mm, bulletFontSize=size)

    story: List[Any] = [para("Werk-samenvatting voor het zorgteam", title)]
    meta = " · ".join([f"Gemaakt op {view['created_nl']}"] + [f"{k}: {v}" for k, v in view["context_rows"]])
    story += [para(meta, small), para("Gedeeld met toestemming van de patiënt.", small)]

    story.append(para("Aandachtspunten", heading))
    points = [f"<b>{escape(a)}</b>" for a in view["actions"]]
    points += [escape(s["label_nl"]) + (f' <font size="{size - 2}" color="#555555">(bron: {escape(s["source"])})</font>'
                                        if s.get("source") else "") for s in view["signals"]]
    story.append(bullets(points) if points else para("Geen aandachtspunten: de antwoorden geven geen signalen."))
    if view["context_signals"]:
        story.append(para("Achtergrond (geen aandachtspunt)", heading))
        story.append(bullets([escape(s["label_nl"]) + (f' <font size="{size - 2}" color="#555555">(bron: '
                                                       f'{escape(s["source"])})</font>' if s.get("source") else "")
                              for s in view["context_signals"]]))
    if view["help"]:
        story.append(para("Mogelijke hulp", heading))
        story.append(bullets([f"<b>{escape(h['label_nl'])}</b>: {escape(h.get('reason_nl', ''))}" for h in view["help"]]))
    if view["questions"]:
        story.append(para("Vragen van de patiënt", heading))
        story.append(bullets([escape(q) for q in view["questions"]]))

    story.append(para("Antwoorden over werk", heading))
    table = Table([[para(label, small), para(value)] for label, value in view["rows"]],
                  colWidths=[62 * mm, None], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
        ("TOPPADDING", (0, 0), (-1, -1), 0.6 * mm), ("BOTTOMPADDING", (0, 0), (-1, -1), 0.6 * mm),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 1.5 * mm),
    ]))
    story += [table, Spacer(1, 2 * mm), para(view["disclaimer"], small)]
    if view["sources"]:
        story.append(para(view["sources"], small))

    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm, lang="nl",
                            title="Werk-samenvatting voor het zorgteam", author="Werk-intake")
    doc.build(story)
    return buffer.getvalue(), doc.page
