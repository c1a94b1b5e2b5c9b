"""Which province, state or island a listed place is in, and "the first one" / "the second?" /
"the last one" after a list, with the slots carried from turn to turn as the tracker would."""


def test_which_province_a_named_place_is_in(chat):
    responses, text = chat.say("which province is la trinidad in", "sister_cities")
    assert responses == ["utter_place_region"] and "La Trinidad is in Benguet (Philippines)" in text


def test_what_state_is_it_in_after_a_place(chat):
    chat.say("Ipoh partners?", "sister_cities")
    responses, text = chat.say("what state is it in", "followup")
    assert responses == ["utter_place_region"] and "Perak" in text and "Malaysia" in text


def test_the_first_one_and_then_the_second_after_a_prefecture_list(chat):
    chat.say("Hiroshima's sister cities please", "sister_cities")
    responses, text = chat.say("which state is the first one in", "followup")
    assert responses == ["utter_place_region"] and "Hyderabad is in Andhra Pradesh" in text
    responses, text = chat.say("and the second?", "followup")
    assert responses == ["utter_place_region"] and "Tacloban is in Leyte" in text


def test_a_place_the_list_gives_without_a_region_is_said_so(chat):
    responses, text = chat.say("which province is Bangkok in?", "sister_cities")
    assert responses == ["utter_place_region_unknown"] and "Bangkok (Thailand)" in text


def test_which_prefecture_is_it_paired_with_is_no_region_question(chat):
    responses, _ = chat.say("which prefecture is Tacloban paired with?", "sister_cities")
    assert responses == ["utter_affiliations_of_place"]


def test_the_last_one_after_the_positions_is_that_position(chat):
    chat.say("what are the positions in the JET program", "jet_positions")
    responses, text = chat.say("what does the last one do?", "followup")
    assert responses == ["utter_jet_position"] and "Sports Exchange Advisor" in text


def test_the_second_one_after_a_prefecture_list_is_that_partner(chat):
    chat.say("what are Osaka's sister cities", "sister_cities")
    responses, text = chat.say("the second one?", "followup")
    assert responses == ["utter_affiliations_of_place"] and "Ho Chi Minh City" in text
