"""Drives the chat widget in a Playwright page the way a visitor does: the launcher, the input,
the quick-reply buttons. Replies are read back from the page as {"text", "buttons"} dicts, so
tests/e2e/responses.py can name the domain response they are."""
from __future__ import annotations

import time

from bot.responses import find

SETTLE_SECONDS = 1.5       # no new bot message for this long: the turn is over
REPLY_TIMEOUT_SECONDS = 60

# Records CSP violations before any of the page's scripts run (init scripts are not subject to CSP).
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation",
    (e) => window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI));
"""

READ_BOT_MESSAGES = """
() => Array.from(document.querySelectorAll("#chat-log .chat-message-bot")).map((item) => ({
  text: item.querySelector(".chat-text").textContent,
  buttons: Array.from(item.querySelectorAll(".chat-quick-reply")).map((b) => ({title: b.textContent})),
}))
"""


class Widget:
    def __init__(self, page, url: str, settings):
        self.page = page
        self.url = url
        self.settings = settings
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.add_init_script(RECORD_CSP_VIOLATIONS)
        page.set_default_timeout(REPLY_TIMEOUT_SECONDS * 1000)

    # --- locators ---------------------------------------------------------------------------
    @property
    def launcher(self):
        return self.page.locator("#chat-launcher")

    @property
    def window(self):
        return self.page.locator("#chat-window")

    @property
    def input(self):
        return self.page.get_by_label("Your message")

    @property
    def log(self):
        return self.page.locator("#chat-log")

    # --- actions ----------------------------------------------------------------------------
    def goto(self) -> "Widget":
        self.page.goto(self.url)
        self.launcher.wait_for(state="visible")
        return self

    def open(self) -> list[dict]:
        """Opens the widget; returns the bot messages that arrive (a new visitor's greeting)."""
        before = len(self.bot_messages())
        self.launcher.click()
        self.window.wait_for(state="visible")
        return self.replies_after(before, expect_any=before == 0)

    def say(self, text: str, until: str | None = None) -> list[dict]:
        """Types `text` and presses Enter; returns the bot's replies to it."""
        before = len(self.bot_messages())
        self.input.fill(text)
        self.input.press("Enter")
        return self.replies_after(before, until)

    def click_quick_reply(self, title: str, until: str | None = None) -> list[dict]:
        before = len(self.bot_messages())
        self.log.get_by_role("button", name=title, exact=True).click()
        return self.replies_after(before, until)

    # --- reading ----------------------------------------------------------------------------
    def bot_messages(self) -> list[dict]:
        return self.page.evaluate(READ_BOT_MESSAGES)

    def visitor_messages(self) -> list[str]:
        return self.page.locator("#chat-log .chat-message-visitor .chat-text").all_text_contents()

    def all_messages(self) -> list[str]:
        return self.page.locator("#chat-log .chat-text").all_text_contents()

    def replies_after(self, before: int, until: str | None = None, expect_any: bool = True) -> list[dict]:
        """The bot messages after the first `before` once the turn is over: the response `until`
        has arrived (and SETTLE_SECONDS passed), or none came for SETTLE_SECONDS."""
        deadline = time.monotonic() + REPLY_TIMEOUT_SECONDS
        count, changed = before, time.monotonic()
        while time.monotonic() < deadline:
            messages = self.bot_messages()[before:]
            if len(messages) != count - before:
                count, changed = before + len(messages), time.monotonic()
            done = find(messages, until) is not None if until else (messages or not expect_any)
            if done and time.monotonic() - changed >= SETTLE_SECONDS:
                return messages
            time.sleep(0.2)
        raise AssertionError(f"no reply{' ' + until if until else ''} within {REPLY_TIMEOUT_SECONDS}s; "
                             f"got {self.bot_messages()[before:]}")

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations")
