"""Real-looking messages the assistant could not answer, in known groups (the same question asked
several ways, with the typos, casing and punctuation visitors use), for the grouping tests."""
from __future__ import annotations

GROUPS: dict[str, list[str]] = {
    "alt_salary": [
        "how much does an ALT get paid?", "What is the salary of an ALT", "ALT salary per month?",
        "how much salary do JET ALTs get", "whats the monthly salary for ALTs in japan",
        "ALT salary", "salary of assistant language teacher (ALT)?", "whats the salery of an alt",
    ],
    "apply_jet": [
        "how do I apply for the JET programme?", "How can i apply to JET", "JET programme application process",
        "where do I send my application for JET?", "how to apply JET program from singapore",
        "JET application deadline and how to apply", "I want to apply for JET, what are the steps",
    ],
    "visa": [
        "do I need a visa to work in japan as ALT", "what visa does the JET programme give",
        "visa for JET participants?", "who arranges the visa for JET", "Visa requirements for CIR",
        "does CLAIR help with the work visa", "visa requirments for jet programe",
    ],
    "office_address": [
        "where is the CLAIR Singapore office?", "what is the address of CLAIR singapore",
        "CLAIR Singapore office address pls", "where is your office located", "office location of CLAIR Singapore",
        "can I visit the CLAIR Singapore office, where is it", "clair singapore ofice adress?",
    ],
    "opening_hours": [
        "what are your opening hours", "opening hours of the office?", "when is the CLAIR office open",
        "office hours on saturday?", "what time does the office open", "Are you open on public holidays? opening hours",
    ],
    "seminar_fee": [
        "how much is the fee for the cooperation seminar", "is there a fee to join the seminar?",
        "seminar registration fee", "does the seminar cost anything / what is the fee", "fee for seminar participants",
        "what fee do participants pay for the seminar",
    ],
    "next_program": [
        "when is the next regional exchange promotion program", "next program date 2027?",
        "when will the next program be held", "is there a program next year", "next exchange program schedule",
        "when's the next program",
    ],
    "weather": [
        "what is the weather in singapore today", "weather tomorrow?", "is it going to rain, weather forecast",
        "Singapore weather this week", "whats the weather like", "weather in tokyo now", "wheather forcast singapore",
    ],
    "housing": [
        "do JET participants get housing", "is housing provided for ALTs", "housing for JET?",
        "who pays for housing in the JET programme", "JET housing and rent", "will I get free housing as a CIR",
    ],
    "age_limit": [
        "is there an age limit for JET", "age limit for JET applicants?", "I am 45, is there an age limit",
        "maximum age for JET programme", "JET age limit", "how old can you be to join JET - age limit", "is ther an age limt for jet",
    ],
    "restaurant": [
        "can you recommend a good restaurant", "best ramen restaurant in singapore",
        "recommend a japanese restaurant near orchard", "restaurant recommendation please",
        "any good restaurant around here", "where is a nice sushi restaurant",
    ],
    "korea_sister": [
        "sister cities in korea", "does Osaka have a sister city in Korea", "korean sister cities of japan",
        "japan korea sister city list", "which prefectures have sister cities in south korea",
        "sister city korea busan",
    ],
}


def labelled() -> list[tuple[str, str]]:
    return [(group, text) for group, texts in GROUPS.items() for text in texts]
