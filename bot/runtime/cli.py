"""Operations command line: ``python -m bot.runtime.cli <command>``.

The database URL and data directory come from the environment (bot/runtime/settings.py:
DATABASE_URL, WERK_DATA_DIR, WERK_CONFIG), never from arguments, so passwords do not
end up in shell history or process lists.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from typing import List, Optional

MIN_PASSWORD_LENGTH = 12


def _settings():
    from bot.runtime.settings import get_settings

    return get_settings()


def cmd_migrate(args) -> int:
    from bot.storage import db

    settings = _settings()
    db.migrate(settings.database_url)
    print(f"Database bijgewerkt tot versie {db.current_revision(settings.database_url)}.")
    return 0


def _read_password(args) -> Optional[str]:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Wachtwoord: ")
    if getpass.getpass("Herhaal wachtwoord: ") != first:
        print("De wachtwoorden zijn niet gelijk.", file=sys.stderr)
        return None
    return first


def cmd_create_user(args) -> int:
    from bot.storage.repository import Repository

    password = _read_password(args)
    if password is None:
        return 1
    if len(password) < MIN_PASSWORD_LENGTH:
        print(f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens hebben.", file=sys.stderr)
        return 1
    repo = Repository(_settings().database_url)
    try:
        if args.reset:
            if not repo.set_password(args.name, password):
                print(f"Gebruiker {args.name} bestaat niet.", file=sys.stderr)
                return 1
            repo.set_user_active(args.name, True)
            print(f"Wachtwoord van {args.name} is gewijzigd.")
            return 0
        repo.create_user(args.name, password, role=args.role)
    except ValueError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    print(f"Gebruiker {args.name} is aangemaakt.")
    return 0


def cmd_deactivate_user(args) -> int:
    from bot.storage.repository import Repository

    if not Repository(_settings().database_url).set_user_active(args.name, False):
        print(f"Gebruiker {args.name} bestaat niet.", file=sys.stderr)
        return 1
    print(f"Gebruiker {args.name} kan niet meer inloggen.")
    return 0


def cmd_create_token(args) -> int:
    from bot.storage.repository import Repository

    try:
        token = Repository(_settings().database_url).create_token(
            args.name, scopes=args.scope or ["summaries:read"], days=args.days or None
        )
    except ValueError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    print(token)
    print(
        f"Token {args.name} aangemaakt. Bewaar het nu veilig: het wordt niet opnieuw getoond.",
        file=sys.stderr,
    )
    return 0


def cmd_revoke_token(args) -> int:
    from bot.storage.repository import Repository

    if not Repository(_settings().database_url).revoke_token(args.name):
        print(f"Token {args.name} bestaat niet.", file=sys.stderr)
        return 1
    print(f"Token {args.name} is ingetrokken.")
    return 0


def cmd_list_tokens(args) -> int:
    from bot.storage.repository import Repository

    for token in Repository(_settings().database_url).list_tokens():
        state = "ingetrokken" if token.revoked else "actief"
        expires = f"{token.expires_at:%Y-%m-%d}" if token.expires_at else "-"
        used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "nooit"
        print(
            f"{token.name}\t{token.created_at:%Y-%m-%d %H:%M}\t{state}\t{' '.join(token.scopes)}"
            f"\tverloopt {expires}\tlaatst gebruikt {used}"
        )
    return 0


def cmd_list_users(args) -> int:
    from bot.storage.repository import Repository

    for user in Repository(_settings().database_url).list_users():
        state = "actief" if user.active else "uitgeschakeld"
        print(f"{user.username}\t{user.created_at:%Y-%m-%d %H:%M}\t{state}\t{user.role}")
    return 0


def cmd_retention(args) -> int:
    from bot.storage import retention

    settings = _settings()
    tracker_url = os.environ.get("TRACKER_DATABASE_URL") or settings.database_url
    processed = retention.process_pending_deletions(settings.database_url, tracker_url=tracker_url)
    result = retention.purge_expired(
        settings.database_url, args.days, tracker_url=tracker_url, data_dir=settings.data_dir
    )
    days = settings.retention_days if args.days is None else args.days
    print(
        f"Bewaartermijn {days} dagen: {result.summaries} samenvatting(en), "
        f"{result.tracker_events} gespreksgebeurtenis(sen) en {result.outbox_files} "
        f"outbox-bestand(en) verwijderd; {result.unconsented_conversations} gesprek(ken) "
        f"zonder toestemming en {result.audit_entries} logregel(s) verwijderd; "
        f"{processed} verwijderverzoek(en) verwerkt."
    )
    return 0


def cmd_flush_outbox(args) -> int:
    from bot.storage.outbox import flush_outbox

    settings = _settings()
    result = flush_outbox(settings.database_url, settings.data_dir)
    print(f"Outbox: {result.flushed} opgeslagen, {result.remaining} wachten nog, {result.broken} onleesbaar.")
    return 0 if result.remaining == 0 and result.broken == 0 else 1


def cmd_fhir_push(args) -> int:
    """Send due deliveries to the hospital's FHIR server now (docs/fhir.md); with ids,
    queue those (failed) deliveries again first."""
    from bot.report.fhir import delivery

    settings = _settings()
    for summary_id in args.summary_ids:
        if not delivery.retry(summary_id, settings.database_url):
            print(f"{summary_id}: geen verzending om opnieuw te proberen.", file=sys.stderr)
    if delivery.PushConfig.from_env() is None:
        print("WERK_FHIR_PUSH_URL is niet ingesteld: er wordt niets verstuurd.", file=sys.stderr)
        return 1
    result = delivery.deliver_pending(settings.database_url)
    print(
        f"FHIR: {result.delivered} in het dossier gezet, {result.retrying} later opnieuw, "
        f"{result.failed} mislukt."
    )
    return 0 if result.failed == 0 else 1


def cmd_create_invitation(args) -> int:
    from datetime import timedelta

    from bot.storage import invitations

    try:
        code = invitations.create(
            args.appointment_code,
            patient_identifier=args.patient,
            expires_in=timedelta(days=args.days),
            source="cli",
            url=_settings().database_url,
        )
    except ValueError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    print(code)
    print(f"Link: {invitations.link_path(code)} (achter het adres van de chat)", file=sys.stderr)
    return 0


def cmd_enrol_tablet(args) -> int:
    from bot.storage import invitations

    token = invitations.enrol_tablet(args.name, "cli", url=_settings().database_url)
    print(token)
    print(
        "Open op de tablet /kiosk/inschrijven en vul deze code in, of laat een beheerder "
        "de tablet inschrijven via /zorgteam/tablets.",
        file=sys.stderr,
    )
    return 0


def cmd_export_fhir_questionnaire(args) -> int:
    from bot.report.fhir import package, questionnaire

    resource = package() if args.package else questionnaire()
    text = json.dumps(resource, ensure_ascii=False, indent=2) + "\n"
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
        print(f"{resource['resourceType']} geschreven naar {args.output}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot.runtime.cli", description="Beheer van de werkintake-opslag."
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="database aanmaken of bijwerken (alembic upgrade head)")
    p = sub.add_parser("create-user", help="zorgteam-gebruiker aanmaken")
    p.add_argument("name")
    p.add_argument("--password-stdin", action="store_true", help="wachtwoord van stdin lezen")
    p.add_argument("--reset", action="store_true", help="wachtwoord van bestaande gebruiker wijzigen")
    p.add_argument(
        "--role", choices=("member", "admin"), default="member", help="member (zorgteam) of admin (beheerder)"
    )
    sub.add_parser("deactivate-user", help="gebruiker uitschakelen").add_argument("name")
    sub.add_parser("list-users", help="gebruikers tonen")
    p = sub.add_parser("create-token", help="API-token aanmaken (wordt één keer getoond)")
    p.add_argument("name")
    p.add_argument(
        "--scope",
        action="append",
        choices=("summaries:read", "invitations:write"),
        help="herhaalbaar; standaard summaries:read",
    )
    p.add_argument("--days", type=int, default=365, help="geldig (dagen; 0 = zonder einddatum)")
    p = sub.add_parser("create-invitation", help="uitnodigingscode voor een afspraak")
    p.add_argument("appointment_code")
    p.add_argument("--patient", default=None, help="patiëntkenmerk (optioneel)")
    p.add_argument("--days", type=int, default=14)
    sub.add_parser("enrol-tablet", help="wachtkamertablet inschrijven").add_argument("name")
    sub.add_parser("revoke-token", help="API-token intrekken").add_argument("name")
    sub.add_parser("list-tokens", help="API-tokens tonen (zonder het token zelf)")
    p = sub.add_parser("retention", help="oude gegevens en gesprekken verwijderen")
    p.add_argument("--days", type=int, default=None, help="standaard RETENTION_DAYS")
    sub.add_parser("flush-outbox", help="wachtende samenvattingen opslaan")
    p = sub.add_parser("export-fhir-questionnaire", help="FHIR Questionnaire als JSON")
    p.add_argument("-o", "--output")
    p.add_argument(
        "--package",
        action="store_true",
        help="Bundle met de Questionnaire en alle CodeSystems (docs/fhir.md)",
    )
    p = sub.add_parser("fhir-push", help="samenvattingen nu naar het FHIR-dossier sturen")
    p.add_argument("summary_ids", nargs="*", help="mislukte verzendingen opnieuw proberen")
    return parser


COMMANDS = {
    "migrate": cmd_migrate,
    "create-user": cmd_create_user,
    "deactivate-user": cmd_deactivate_user,
    "list-users": cmd_list_users,
    "create-token": cmd_create_token,
    "revoke-token": cmd_revoke_token,
    "list-tokens": cmd_list_tokens,
    "retention": cmd_retention,
    "flush-outbox": cmd_flush_outbox,
    "export-fhir-questionnaire": cmd_export_fhir_questionnaire,
    "fhir-push": cmd_fhir_push,
    "create-invitation": cmd_create_invitation,
    "enrol-tablet": cmd_enrol_tablet,
}


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
