"""Per-text review of the patient-facing content (issue 10: "review you can trust").

Every patient-facing text in bot/content/ (the same set the plain-language check reads:
``bot.language.readability.patient_texts``) has an id ``<file>:<key>`` and a content hash. A
clinician's review is recorded per text in ``bot/content/reviews.yml``: the hash of the
text as reviewed, who, when and the state. A text whose hash no longer matches (it
changed after the review), or that has no record, is "niet beoordeeld".

    python -m bot.review.content_review status                     # counts, exit 0
    python -m bot.review.content_review list [--unreviewed]        # one line per text
    python -m bot.review.content_review sign --reviewer "Dr. A. Jansen" --ids ID [ID ...]
    python -m bot.review.content_review sign --reviewer "Dr. A. Jansen" --all-unreviewed
    python -m bot.review.content_review report [--out docs]        # docs/content-review.html and .pdf
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import yaml

from bot import content
from bot.content import CONTENT_DIR, ContentError
from bot.language.readability import patient_texts

REVIEWS_FILE = content.path("reviews")
APPROVED = "goedgekeurd"
STATES = (APPROVED, "afgekeurd")
REVIEWED_NL = "beoordeeld"
NOT_REVIEWED_NL = "niet beoordeeld"
HEADER = """\
# Review records of the patient-facing texts (bot/review/content_review.py; docs/content-review.md).
# Keyed by text id "<file>:<key>"; `hash` is the text as reviewed: when the text changes,
# the record no longer matches and the text shows as "niet beoordeeld". Written by
#   python -m bot.review.content_review sign --reviewer NAME --ids ID ... | --all-unreviewed
# Do not edit by hand.
"""
_ITEM = re.compile(r"^(topics|questions|suggested_help|signals)\[([^\]]+)\]")


@dataclass(frozen=True)
class Text:
    id: str
    file: str
    key: str
    text: str
    is_label: bool
    source: str
    hash: str


@dataclass(frozen=True)
class Status:
    text: Text
    record: Optional[Mapping[str, Any]]

    @property
    def reviewed(self) -> bool:
        return bool(self.record and self.record.get("hash") == self.text.hash)

    @property
    def changed(self) -> bool:
        return bool(self.record) and not self.reviewed

    @property
    def state_nl(self) -> str:
        if not self.reviewed:
            return NOT_REVIEWED_NL
        state = (self.record or {}).get("state", APPROVED)
        return REVIEWED_NL if state == APPROVED else f"{REVIEWED_NL}: {state}"


def text_hash(text: str) -> str:
    """sha256 of the text with whitespace collapsed (re-wrapping a YAML block is no change)."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------- texts


def texts(content_dir: Path = CONTENT_DIR) -> List[Text]:
    out = []
    for file, key, text, is_label in [*patient_texts(content_dir), *_other_language_texts(content_dir)]:
        out.append(
            Text(
                f"{file}:{key}", file, key, text, is_label, source_of(file, key, content_dir), text_hash(text)
            )
        )
    return out


def _other_language_texts(content_dir: Path) -> List[Tuple[str, str, str, bool]]:
    """The replies to patients who write in another language (languages.yml): reviewed
    like every text, but not by the Dutch plain-language check."""
    path = content_dir / "languages.yml"
    if not path.exists():
        return []
    data = _yaml(path) or {}
    out = [("languages.yml", "dutch_note", data["dutch_note"], False)] if data.get("dutch_note") else []
    for code, lang in (data.get("languages") or {}).items():
        out += [
            ("languages.yml", f"languages.{code}.texts[{i}]", t, False)
            for i, t in enumerate(lang.get("texts") or [])
        ]
    return out


def source_of(file: str, key: str, content_dir: Path = CONTENT_DIR) -> str:
    """The source note of the item a text belongs to (FAQ topic, question, signal, help)."""
    m = _ITEM.match(key)
    data = _yaml(content_dir / file)
    if m and isinstance(data, Mapping):
        items = data.get(m.group(1)) or []
        for item in items:
            if isinstance(item, Mapping) and m.group(2) in (item.get("id"), item.get("code")):
                sources = item.get("sources") or item.get("source") or []
                parts = [sources] if isinstance(sources, str) else list(sources)
                rule = re.search(r"\.rules\[(\d+)\]", key)
                if rule and rule.group(1).isdigit():
                    rules = item.get("rules") or []
                    idx = int(rule.group(1))
                    if idx < len(rules) and rules[idx].get("source"):
                        parts.append(rules[idx]["source"])
                return "; ".join(parts) or "geen bron vermeld"
    if isinstance(data, Mapping) and isinstance(data.get("sources"), list):
        return "; ".join(str(s) for s in data["sources"])
    if isinstance(data, Mapping) and isinstance(data.get("source"), str):
        return data["source"]
    return "dit product (tekst van de assistent zelf, geen vakinhoud)"


def _yaml(path: Path) -> Any:
    return content.load(path)  # cached per version of the file


# --------------------------------------------------------------------------- records


def load_records(path: Path = REVIEWS_FILE) -> Dict[str, Dict[str, Any]]:
    if not path.exists():
        return {}
    records = content.load(path).get("reviews") or {}
    for tid, rec in records.items():
        if not isinstance(rec, Mapping) or not {"hash", "reviewer", "date", "state"} <= set(rec):
            raise ContentError(path, f"record {tid!r} needs hash, reviewer, date and state")
        if rec["state"] not in STATES:
            raise ContentError(path, f"record {tid!r} has unknown state {rec['state']!r}")
    return dict(records)


def save_records(records: Mapping[str, Mapping[str, Any]], path: Path = REVIEWS_FILE) -> None:
    body = yaml.safe_dump(
        {"reviews": {k: dict(records[k]) for k in sorted(records)}},
        allow_unicode=True,
        sort_keys=False,
        width=100,
    )
    path.write_text(HEADER + body, encoding="utf-8")


def statuses(content_dir: Path = CONTENT_DIR, reviews: Path = REVIEWS_FILE) -> List[Status]:
    records = load_records(reviews)
    return [Status(t, records.get(t.id)) for t in texts(content_dir)]


def unreviewed(items: Sequence[Status]) -> List[Status]:
    return [s for s in items if not s.reviewed]


def sign(
    reviewer: str,
    ids: Optional[Iterable[str]] = None,
    all_unreviewed: bool = False,
    state: str = APPROVED,
    note: str = "",
    on: Optional[date] = None,
    content_dir: Path = CONTENT_DIR,
    reviews: Path = REVIEWS_FILE,
) -> List[str]:
    """Record a review of the given texts as they are now; returns the ids signed."""
    reviewer = (reviewer or "").strip()
    if not reviewer:
        raise ValueError("a reviewer name is required")
    if state not in STATES:
        raise ValueError(f"state must be one of {STATES}")
    items = {s.text.id: s for s in statuses(content_dir, reviews)}
    if all_unreviewed:
        chosen = [tid for tid, s in items.items() if not s.reviewed]
    else:
        chosen = list(dict.fromkeys(ids or []))
        unknown = [tid for tid in chosen if tid not in items]
        if unknown:
            raise KeyError(f"unknown text ids: {', '.join(unknown)}")
    records = load_records(reviews)
    day = (on or date.today()).isoformat()
    for tid in chosen:
        rec = {"hash": items[tid].text.hash, "reviewer": reviewer, "date": day, "state": state}
        if note:
            rec["note"] = note
        records[tid] = rec
    # records of texts that no longer exist are dropped
    save_records({k: v for k, v in records.items() if k in items}, reviews)
    return chosen


def summary_line(items: Sequence[Status]) -> str:
    todo = unreviewed(items)
    changed = sum(1 for s in todo if s.changed)
    return (
        f"Inhoudsbeoordeling: {len(items) - len(todo)} van {len(items)} teksten voor patiënten "
        f"beoordeeld; {len(todo)} niet beoordeeld ({changed} gewijzigd na beoordeling)"
    )


# --------------------------------------------------------------------------- CLI


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.review.content_review",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--reviews", type=Path, default=REVIEWS_FILE, help=argparse.SUPPRESS)
    parser.add_argument("--content-dir", type=Path, default=CONTENT_DIR, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("status")
    lst = sub.add_parser("list")
    lst.add_argument("--unreviewed", action="store_true")
    sg = sub.add_parser("sign")
    sg.add_argument("--reviewer", required=True)
    group = sg.add_mutually_exclusive_group(required=True)
    group.add_argument("--ids", nargs="+")
    group.add_argument("--all-unreviewed", action="store_true")
    sg.add_argument("--reject", action="store_true", help="record the texts as afgekeurd")
    sg.add_argument("--note", default="")
    sg.add_argument("--date", help="YYYY-MM-DD (default: today)")
    rep = sub.add_parser("report")
    rep.add_argument("--out", default="docs")
    args = parser.parse_args(argv)
    where = {"content_dir": args.content_dir, "reviews": args.reviews}

    if args.command == "status":
        print(summary_line(statuses(**where)))
        return 0
    if args.command == "list":
        for s in statuses(**where):
            if not args.unreviewed or not s.reviewed:
                who = f" ({s.record['reviewer']}, {s.record['date']})" if s.record and s.reviewed else ""
                print(f"{s.state_nl:<16} {s.text.id}{who}")
        return 0
    if args.command == "sign":
        try:
            on = date.fromisoformat(args.date) if args.date else None
            done = sign(
                args.reviewer,
                args.ids,
                args.all_unreviewed,
                state="afgekeurd" if args.reject else APPROVED,
                note=args.note,
                on=on,
                **where,
            )
        except (KeyError, ValueError) as exc:
            print(f"Niet opgeslagen: {exc}", file=sys.stderr)
            return 2
        print(f"{len(done)} teksten vastgelegd als beoordeeld door {args.reviewer}.")
        print(summary_line(statuses(**where)))
        return 0
    from bot.review.content_review_doc import write_report

    items = statuses(**where)
    html_path, pdf_path = write_report(items, Path(args.out))
    print(f"wrote {html_path} and {pdf_path}")
    print(summary_line(items))
    return 0


if __name__ == "__main__":
    sys.exit(main())
