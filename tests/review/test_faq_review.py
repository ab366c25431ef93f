from bot.knowledge import faq
from bot.review.faq_review import main, review_text


def test_review_lists_every_topic_with_sources_and_variants():
    text = review_text(faq.topic_ids())
    for tid in faq.topic_ids():
        assert f"=== {tid}:" in text
    assert text.count("Bronnen:") == len(faq.topic_ids())
    assert "Variant zelfstandige" in text and "BW 7:629" in text


def test_unknown_topic_is_refused(capsys):
    assert main(["bestaat_niet"]) == 2
    assert "Onbekend onderwerp" in capsys.readouterr().err
