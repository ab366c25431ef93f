"""A patient-only summary (public link, no care team) is never shown to the care team."""
from bot.storage import hashing
from tests.storage import backends


def test_patient_only_summary_is_hidden_from_care_team(repo):
    shared = backends.fresh_summary("employee")
    private = backends.fresh_summary("self_employed")
    private["care_team"] = False
    repo.save_summary(shared)
    repo.save_summary(private, patient_key="sleutel-123")

    listed = [s.id for s in repo.list_summaries()]
    assert shared["summary_id"] in listed and private["summary_id"] not in listed
    assert repo.get_summary(private["summary_id"]) is None
    assert repo.get_summary(private["summary_id"], include_patient_only=True) is not None
    assert repo.summary_for_patient(private["summary_id"], "sleutel-123") is not None
    assert repo.summary_for_patient(private["summary_id"], "fout") is None


def test_summaries_without_flag_are_for_the_care_team(repo):
    summary = backends.fresh_summary("job_seeker")
    summary.pop("care_team", None)
    repo.save_summary(summary)
    assert repo.get_summary(summary["summary_id"]) is not None
    assert hashing.new_summary_id() != summary["summary_id"]
