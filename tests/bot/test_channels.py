from bot.rasa_integration.channels import TOO_LONG_INTENT, capped


def test_messages_within_the_cap_pass_unchanged():
    assert capped("sister cities of Fukuoka", 1000) == "sister cities of Fukuoka"
    assert capped("x" * 1000, 1000) == "x" * 1000


def test_longer_messages_become_the_too_long_intent_before_nlu():
    assert capped("x" * 1001, 1000) == TOO_LONG_INTENT
    assert capped("y" * 100_000, 1000) == TOO_LONG_INTENT


def test_non_text_is_not_passed_on():
    assert capped(None, 1000) is None
    assert capped({"text": "hi"}, 1000) is None
