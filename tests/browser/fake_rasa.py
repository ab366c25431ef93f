"""A scripted stand-in for the Rasa REST webhook (spec §5), for the web chat browser tests.

It plays a short but realistic intake: one question of every answer_type, a read-back,
consent and a summary id, with the same message shapes as the real assistant (a text
message with buttons, followed by a message whose ``custom`` names the question).

Test triggers (typed as a message): ``hulp`` answers with plain Rasa buttons (no custom),
``__slow__`` answers after ``slow_seconds``, ``__boom__`` answers HTTP 500, ``__arabic__``
answers with the assistant's real reply to a message in Arabic.
Every request is recorded in ``FakeRasa.requests``.

Run on its own: ``python tests/browser/fake_rasa.py --port 5005``.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from aiohttp import web

YES_NO = [{"code": "yes", "label": "Ja"}, {"code": "no", "label": "Nee"}]

QUESTIONS: List[Dict[str, Any]] = [
    {"id": "work_status", "type": "choice", "label": "Werk",
     "text": "Werkt u op dit moment, of wilt u werken?",
     "options": [{"code": "working", "label": "Ja, ik werk"},
                 {"code": "job_seeking", "label": "Ik zoek werk"},
                 {"code": "studying", "label": "Ik studeer"},
                 {"code": "not_working", "label": "Nee, ik werk niet"},
                 {"code": "retired", "label": "Ik ben met pensioen"}]},
    {"id": "occupation", "type": "text", "label": "Beroep", "when": "working",
     "text": "Wat voor werk doet u?"},
    {"id": "hours_per_week", "type": "number", "label": "Uren per week", "when": "working",
     "min": 0, "max": 80,
     "text": "Hoeveel uur werkt u gemiddeld per week?"},
    {"id": "absence", "type": "choice", "label": "Ziekmelding", "when": "working",
     "text": "Bent u op dit moment (gedeeltelijk) ziek gemeld, of was u dat de afgelopen tijd?",
     "options": [{"code": "none", "label": "Nee"},
                 {"code": "full", "label": "Ja, helemaal"},
                 {"code": "partial", "label": "Ja, voor een deel"},
                 {"code": "recent", "label": "Kort geleden wel, nu niet meer"}]},
    {"id": "absence_since", "type": "date_or_duration", "label": "Ziek gemeld sinds",
     "when": "absence", "text": "Sinds wanneer bent u (gedeeltelijk) ziek gemeld?"},
    {"id": "barriers", "type": "multi_choice", "label": "Merkt in werk", "when": "working",
     "text": "Merkt u in uw werk iets van uw gezondheid? Bijvoorbeeld vermoeidheid, pijn "
             "of moeite met concentreren.",
     "options": [{"code": "fatigue", "label": "Moe of weinig energie"},
                 {"code": "pain", "label": "Pijn"},
                 {"code": "concentration", "label": "Moeite met concentreren"},
                 {"code": "physical_limits", "label": "Lichamelijke beperkingen"},
                 {"code": "appointments", "label": "Afspraken in het ziekenhuis"},
                 {"code": "none", "label": "Nee, niets"},
                 {"code": "other", "label": "Iets anders"}]},
    {"id": "work_ability", "type": "scale", "label": "Werkvermogen (0-10)", "min": 0, "max": 10,
     "text": "Hoe goed kunt u op dit moment werken? Geef een cijfer van 0 tot 10. "
             "0 = ik kan nu niet werken, 10 = zo goed als ooit."},
    {"id": "support_wish", "type": "yes_no", "label": "Vragen of hulp gewenst",
     "text": "Heeft u vragen over uw werk in relatie tot uw klachten, of wilt u hulp of "
             "begeleiding?", "options": YES_NO},
]
CONSENT = {"id": "consent_share", "type": "yes_no", "label": "Toestemming",
           "text": "Mag deze samenvatting naar uw zorgteam?",
           "options": [{"code": "yes", "label": "Ja, dat mag"}, {"code": "no", "label": "Nee"}]}
READBACK = {"id": "readback", "type": "choice", "label": "Samenvatting",
            "text": "Klopt dit?",
            "options": [{"code": "confirm", "label": "Ja, alles klopt"},
                        {"code": "change", "label": "Ik wil iets wijzigen"}]}
BY_ID = {q["id"]: q for q in QUESTIONS + [CONSENT, READBACK]}
SKIP_BUTTON = {"title": "Sla deze vraag over", "payload": "/skip"}
INFORM_RE = re.compile(r"^/inform(\{.*\})$", re.S)
SKIP_WORDS = {"sla over", "weet ik niet", "zeg ik liever niet", "overslaan"}


@dataclass
class Conversation:
    answers: Dict[str, Any] = field(default_factory=dict)
    shown: Dict[str, str] = field(default_factory=dict)
    current: Optional[str] = None
    phase: str = "idle"  # idle | asking | readback | consent | done
    misses: int = 0


def ask(q: Dict[str, Any]) -> List[Dict[str, Any]]:
    """A question as the real assistant sends it: text (+ buttons), then custom."""
    options = q.get("options", [])
    first: Dict[str, Any] = {"text": q["text"]}
    if q["type"] in ("choice", "yes_no"):
        first["buttons"] = [
            {"title": o["label"], "payload": '/inform{"code": "%s"}' % o["code"]}
            for o in options
        ]
    custom = {"question_id": q["id"], "answer_type": q["type"], "options": options}
    if "min" in q:
        custom["min"], custom["max"] = q["min"], q["max"]
    return [first, {"custom": custom}]


def parse(q: Dict[str, Any], message: str):
    """Return (value, shown) or None when the answer cannot be used."""
    text = message.strip()
    code = None
    match = INFORM_RE.match(text)
    if match:
        try:
            code = str(json.loads(match.group(1)).get("code", ""))
        except ValueError:
            return None
    options = {o["code"]: o["label"] for o in q.get("options", [])}
    kind = q["type"]
    if kind in ("choice", "yes_no"):
        if code is None:
            lowered = text.lower()
            aliases = {"ja": "yes", "nee": "no"} if kind == "yes_no" else {}
            code = aliases.get(lowered) or next(
                (c for c, label in options.items() if lowered in (c, label.lower())), None
            )
        return (code, options[code]) if code in options else None
    if kind == "multi_choice":
        codes = [c for c in (code or "").split(",") if c]
        if code is None:  # free text: keep it as "other"
            return (["other"], text)
        if not codes or any(c not in options for c in codes):
            return None
        return (codes, ", ".join(options[c] for c in codes))
    if kind == "number":
        return (int(text), text) if text.isdigit() and int(text) <= 80 else None
    if kind == "scale":
        return (int(text), text) if text.isdigit() and int(text) <= 10 else None
    if kind == "date_or_duration":
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return ({"date": text}, text)
        return ({"text": text}, text) if re.search(r"\d|week|maand|dag", text) else None
    return (text, text)  # text


def applies(q: Dict[str, Any], conv: Conversation) -> bool:
    when = q.get("when")
    if when == "working":
        return conv.answers.get("work_status") == "working"
    if when == "absence":
        return conv.answers.get("absence") in ("full", "partial", "recent")
    return True


def next_question(conv: Conversation) -> Optional[Dict[str, Any]]:
    ids = [q["id"] for q in QUESTIONS]
    start = ids.index(conv.current) + 1 if conv.current in ids else 0
    for q in QUESTIONS[start:]:
        if applies(q, conv):
            return q
    return None


def readback(conv: Conversation) -> List[Dict[str, Any]]:
    """Like the real read-back: a list, then a choice question 'readback' with items."""
    lines = [f"• {BY_ID[qid]['label']}: {shown}" for qid, shown in conv.shown.items()]
    messages = [{"text": "Dank u wel. Dit heb ik genoteerd:\n" + "\n".join(lines)}] + ask(READBACK)
    messages[-1]["custom"]["items"] = [
        {"question_id": qid, "label": BY_ID[qid]["label"], "answer": shown}
        for qid, shown in conv.shown.items()]
    return messages


class FakeRasa:
    def __init__(self, slow_seconds: float = 4.0) -> None:
        self.slow_seconds = slow_seconds
        self.requests: List[Dict[str, Any]] = []
        self.conversations: Dict[str, Conversation] = {}
        self.port: Optional[int] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._runner: Optional[web.AppRunner] = None
        self._thread: Optional[threading.Thread] = None

    # ---- the script ----
    def reply(self, sender: str, message: str) -> List[Dict[str, Any]]:
        conv = self.conversations.setdefault(sender, Conversation())
        text = message.strip()
        if text == "/start":
            conv = self.conversations[sender] = Conversation(phase="asking")
            greeting = {"text": "Goedendag. Ik stel u een paar vragen over uw werk. "
                                "U kunt altijd 'sla over' typen."}
            conv.current = QUESTIONS[0]["id"]
            return [greeting] + ask(QUESTIONS[0])
        if conv.phase == "idle":
            return [{"text": "Klik op Beginnen om te starten."}]
        if conv.phase == "done":
            return [{"text": "Het gesprek is klaar. U kunt dit venster sluiten."}]
        q = BY_ID[conv.current]
        if text.lower() == "hulp":
            return [{"text": "Ik stel vragen over uw werk. Uw zorgverlener leest uw "
                             "antwoorden alleen als u dat goedvindt.",
                     "buttons": [{"title": "Verder met de vragen", "payload": "/continue"},
                                 {"title": "Ik wil een mens spreken",
                                  "payload": "/human_contact"}]}]
        if text == "__arabic__":      # the reply to a message in Arabic (bot/content/languages.yml)
            from bot.dialogue.interpret.languages_reply import other_language_messages

            return [{"text": m.text} for m in other_language_messages("ar")] + ask(q)
        if text == "/continue":
            return ask(q)
        if text == "/human_contact":
            return [{"text": "Bel dan de polikliniek. Het nummer staat in uw afspraakbrief."}
                    ] + ask(q)
        if text.lower() in SKIP_WORDS or text == "/skip":
            parsed: Any = (None, "overgeslagen")
        elif conv.phase == "readback" and not INFORM_RE.match(text):
            return [{"text": "Dank u. Dat heb ik aangepast."}] + readback(conv)
        else:
            parsed = parse(q, text)
        if parsed is None:
            conv.misses += 1
            out = [{"text": "Dat begreep ik niet. Kies een knop, of typ uw antwoord."}]
            if conv.misses >= 2:
                out.append({"text": "Het lukt nog niet. Wilt u deze vraag overslaan? Dat mag.",
                            "buttons": [SKIP_BUTTON]})
            return out + ask(q)
        conv.misses = 0
        value, shown = parsed
        if conv.phase == "readback":
            if value == "change":
                return [{"text": "Typ wat u wilt wijzigen. Bijvoorbeeld: 'ik werk 24 uur'."}]
            conv.phase, conv.current = "consent", CONSENT["id"]
            return [{"text": "Uw zorgteam leest de samenvatting voor uw afspraak."}] + ask(CONSENT)
        if conv.phase == "consent":
            conv.phase = "done"
            if value != "yes":
                return [{"text": "Goed. Er wordt niets gedeeld. U kunt dit venster sluiten."}]
            custom = {"summary_id": "sum-" + secrets.token_hex(4),
                      "patient_key": secrets.token_urlsafe(12)}
            return [{"text": "Dank u wel. Uw zorgteam krijgt de samenvatting."},
                    {"custom": custom}]
        conv.answers[q["id"]] = value
        conv.shown[q["id"]] = shown
        nxt = next_question(conv)
        if nxt is None:
            conv.phase, conv.current = "readback", READBACK["id"]
            return readback(conv)
        conv.current = nxt["id"]
        return ask(nxt)

    async def _handle(self, request: web.Request) -> web.Response:
        data = await request.json()
        self.requests.append(data)
        message = str(data.get("message", ""))
        if message == "__boom__":
            return web.Response(status=500, text="Internal Server Error")
        if message == "__slow__":
            await asyncio.sleep(self.slow_seconds)
            return web.json_response([])
        sender = str(data.get("sender", ""))
        out = [dict(m, recipient_id=sender) for m in self.reply(sender, message)]
        return web.json_response(out)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", self._handle)
        return app

    # ---- helpers for tests ----
    def messages_from(self, sender: Optional[str] = None) -> List[str]:
        return [r.get("message") for r in self.requests
                if sender is None or r.get("sender") == sender]

    def senders(self) -> List[str]:
        seen: List[str] = []
        for r in self.requests:
            if r.get("sender") not in seen:
                seen.append(r.get("sender"))
        return seen

    def reset(self) -> None:
        self.requests.clear()
        self.conversations.clear()

    # ---- running in a background thread (tests) ----
    def start(self, host: str = "127.0.0.1", port: int = 0) -> "FakeRasa":
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            self._runner = web.AppRunner(self.app(), access_log=None)
            loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, host, port)
            loop.run_until_complete(site.start())
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=run, name="fake-rasa", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake Rasa did not start")
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5005)
    args = parser.parse_args()
    web.run_app(FakeRasa().app(), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
