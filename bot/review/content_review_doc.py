"""The content-review document (HTML and PDF): every patient-facing text, its source and
its review state (bot/review/content_review.py). Written by ``make content-review``."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple
from xml.sax.saxutils import escape

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from bot.review.content_review import Status, summary_line

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates" / "review"
FILE_TITLES = {
    "questions.yml": "Vragen van de intake",
    "messages.yml": "Vaste teksten van het gesprek",
    "texts.yml": "Teksten rond een antwoord (controle, datums, eigen kopie)",
    "signals.yml": "Mogelijke hulp (kopie voor de patiënt)",
    "safety.yml": "Vangnet bij crisis",
    "scope.yml": "Buiten het onderwerp, een mens spreken",
    "web.yml": "Webpagina's voor de patiënt (chat, eigen kopie, tablet)",
    "careteam.yml": "Pagina's, meldingen en samenvatting voor het zorgteam",
}
_GROUP = re.compile(r"^((?:topics|questions|suggested_help)\[[^\]]+\])\.?(.*)$")
_ENV = Environment(
    loader=FileSystemLoader(str(TEMPLATE_DIR)),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
)


def view(items: Sequence[Status], today: date) -> Dict[str, Any]:
    files: Dict[str, Dict[str, Any]] = {}
    for s in items:
        t = s.text
        f = files.setdefault(t.file, {"title": _file_title(t.file), "groups": {}})
        m = _GROUP.match(t.key)
        group_name, rest = (m.group(1), m.group(2) or t.key) if m else ("", t.key)
        rows = f["groups"].setdefault(group_name, [])
        previous = rows[-1]["full_source"] if rows else None
        rows.append(
            {
                "key": t.id,
                "text": t.text.strip(),
                "full_source": t.source,
                "source": t.source if t.source != previous else "(zelfde bron)",
                "reviewed": s.reviewed,
                "state": s.state_nl + (" (gewijzigd na beoordeling)" if s.changed else ""),
                "who": f"{s.record['reviewer']}, {s.record['date']}" if s.record and s.reviewed else "",
            }
        )
    return {
        "created": today.isoformat(),
        "summary": summary_line(items),
        "files": [
            {
                "title": f["title"],
                "groups": [{"name": _group_title(n), "rows": r} for n, r in f["groups"].items()],
            }
            for f in files.values()
        ],
    }


def _file_title(file: str) -> str:
    if file.startswith("faq/"):
        return f"Antwoorden op vragen ({file})"
    return f"{FILE_TITLES.get(file, file)} ({file})"


def _group_title(name: str) -> str:
    m = re.match(r"^(\w+)\[([^\]]+)\]$", name)
    return m.group(2) if m else name


def html(items: Sequence[Status], today: date) -> str:
    return _ENV.get_template("content_review.html").render(v=view(items, today))


def pdf(items: Sequence[Status], today: date) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    v = view(items, today)
    base = ParagraphStyle("base", fontName="Helvetica", fontSize=8, leading=10)
    small = ParagraphStyle(
        "small", parent=base, fontSize=6.5, leading=8, textColor=colors.HexColor("#444444")
    )
    todo = ParagraphStyle(
        "todo", parent=base, fontName="Helvetica-Bold", textColor=colors.HexColor("#b00020")
    )
    done = ParagraphStyle("done", parent=base, textColor=colors.HexColor("#1b5e20"))
    h1 = ParagraphStyle(
        "h1", parent=base, fontName="Helvetica-Bold", fontSize=15, leading=18, spaceAfter=2 * mm
    )
    h2 = ParagraphStyle(
        "h2",
        parent=base,
        fontName="Helvetica-Bold",
        fontSize=11,
        leading=14,
        spaceBefore=4 * mm,
        spaceAfter=1.5 * mm,
    )
    h3 = ParagraphStyle(
        "h3",
        parent=base,
        fontName="Helvetica-Bold",
        fontSize=9,
        leading=11,
        spaceBefore=2 * mm,
        spaceAfter=1 * mm,
    )

    def para(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    story: List[Any] = [
        para("Beoordeling van de teksten voor patiënten", h1),
        para(f"Gemaakt op {v['created']}. {v['summary']}.", small),
        para(
            "Elke tekst die een patiënt kan lezen, met de bron en de stand van de beoordeling. Een tekst "
            "die na de beoordeling is veranderd, staat weer op 'niet beoordeeld'. Beoordelen: python -m "
            "bot.review.content_review sign --reviewer NAAM --ids TEKST-ID ... of --all-unreviewed.",
            base,
        ),
    ]
    widths = [48 * mm, 110 * mm, 75 * mm, 34 * mm]
    for f in v["files"]:
        story.append(para(f["title"], h2))
        for g in f["groups"]:
            if g["name"]:
                story.append(para(g["name"], h3))
            rows: List[List[Any]] = [
                [
                    para("Tekst-id", small),
                    para("Tekst", small),
                    para("Bron", small),
                    para("Beoordeling", small),
                ]
            ]
            for r in g["rows"]:
                state = r["state"] + (f"\n{r['who']}" if r["who"] else "")
                rows.append(
                    [
                        para(r["key"], small),
                        para(r["text"]),
                        para(r["source"], small),
                        para(state, done if r["reviewed"] else todo),
                    ]
                )
            table = LongTable(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
            table.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
                        ("TOPPADDING", (0, 0), (-1, -1), 0.8 * mm),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.8 * mm),
                    ]
                )
            )
            story += [table, Spacer(1, 1 * mm)]
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=10 * mm,
        bottomMargin=10 * mm,
        lang="nl",
        title="Beoordeling van de teksten voor patiënten",
        author="Werk-intake",
    )
    doc.build(story)
    return buffer.getvalue()


def write_report(items: Sequence[Status], out: Path, today: date | None = None) -> Tuple[Path, Path]:
    today = today or date.today()
    out.mkdir(parents=True, exist_ok=True)
    html_path, pdf_path = out / "content-review.html", out / "content-review.pdf"
    html_path.write_text(html(items, today), encoding="utf-8")
    pdf_path.write_bytes(pdf(items, today))
    return html_path, pdf_path
