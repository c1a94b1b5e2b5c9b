/*
 * The chat widget of CLAIR Singapore's assistant: a launcher, a conversation window, quick-reply
 * buttons and a typing indicator, talking to Rasa's socket.io channel
 * (bot.rasa_integration.channels.CappedSocketIOInput, session persistence on). Plain JS, no build step;
 * socket.io-client is served by our app.
 *
 * Safety: every piece of message text (the bot's and the visitor's) goes into the page with
 * textContent / createTextNode, never as HTML, so markup in a message is shown, not run.
 *
 * Persistence: the session id and the transcript are kept in sessionStorage, so a reload rejoins
 * the same Rasa conversation (the server's tracker) and shows it again; a new tab or browser
 * starts a fresh conversation with a greeting.
 *
 * Votes: every answer bubble has "Helpful" / "Not helpful" toggle buttons (aria-pressed), and after
 * "Not helpful" an optional one-line "what were you looking for?". A vote is POSTed to the web app
 * (/feedback/votes), never sent into the conversation; it names the conversation, the bubble's
 * number in it (counted as Rasa's socket.io channel splits a message at blank lines) and its text,
 * which the server checks against the tracker store.
 */
(function () {
  "use strict";

  var KEYS = { session: "clair-chat:session", log: "clair-chat:log", open: "clair-chat:open",
               bubbles: "clair-chat:bubbles" };
  var VOTE_URL = "/feedback/votes";
  var VOTE_RETRY_MS = 1500;  // Rasa stores a reply just after sending it: a very quick vote may need a retry
  var MAX_COMMENT_CHARS = 200;
  var MAX_STORED_MESSAGES = 200;
  var GREETING_PAYLOAD = "/greet";
  var TYPING_TIMEOUT_MS = 30000;

  var chatWindow = document.getElementById("chat-window");
  if (!chatWindow) return;
  var launcher = document.getElementById("chat-launcher");
  var closeButton = document.getElementById("chat-close");
  var log = document.getElementById("chat-log");
  var typing = document.getElementById("chat-typing");
  var statusLine = document.getElementById("chat-status");
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-input");
  var openButtons = document.querySelectorAll("[data-chat-open]");

  var config = {
    rasaUrl: chatWindow.getAttribute("data-rasa-url"),
    socketPath: chatWindow.getAttribute("data-socket-path") || "/socket.io/"
  };

  var socket = null;
  var sessionId = null;   // confirmed by the server for this connection
  var pending = [];       // messages typed before the session is confirmed
  var typingTimer = null;

  // --- storage (sessionStorage may be unavailable, e.g. in some private modes) --------------
  function load(key, fallback) {
    try {
      var raw = window.sessionStorage.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (e) {
      return fallback;
    }
  }

  function save(key, value) {
    try {
      window.sessionStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* the conversation still works, it just will not survive a reload */ }
  }

  var transcript = load(KEYS.log, []);
  if (!Array.isArray(transcript)) transcript = [];
  var bubbleCount = load(KEYS.bubbles, 0);  // bot bubbles with text so far in this conversation

  function remember(entry) {
    transcript.push(entry);
    if (transcript.length > MAX_STORED_MESSAGES) transcript = transcript.slice(-MAX_STORED_MESSAGES);
    save(KEYS.log, transcript);
  }

  // --- rendering: text only ------------------------------------------------------------------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function removeQuickReplies() {
    var groups = log.querySelectorAll(".chat-quick-replies");
    for (var i = 0; i < groups.length; i++) groups[i].parentNode.removeChild(groups[i]);
  }

  function renderMessage(entry, withButtons) {
    var fromBot = entry.from === "bot";
    var item = el("li", "chat-message " + (fromBot ? "chat-message-bot" : "chat-message-visitor"));
    item.appendChild(el("span", "visually-hidden", fromBot ? "Assistant: " : "You: "));
    item.appendChild(el("span", "chat-text", entry.text));
    if (fromBot && entry.n) item.appendChild(voteControls(entry));
    if (fromBot && withButtons && entry.buttons && entry.buttons.length) {
      var group = el("div", "chat-quick-replies");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Suggested replies");
      entry.buttons.forEach(function (button) {
        var b = el("button", "chat-quick-reply", button.title);
        b.type = "button";
        b.addEventListener("click", function () {
          send(button.payload, button.title);
          input.focus();
        });
        group.appendChild(b);
      });
      item.appendChild(group);
    }
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  // --- votes ---------------------------------------------------------------------------------
  function entriesOf(first, last) {
    return transcript.filter(function (e) { return e.from === "bot" && e.n >= first && e.n <= last; });
  }

  function showVote(entry) {
    var group = log.querySelector('.chat-vote[data-n="' + entry.n + '"]');
    if (!group) return;
    var buttons = group.querySelectorAll(".chat-vote-button");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-value") === entry.vote));
    }
    var more = group.querySelector(".chat-vote-more");
    if (more) more.hidden = entry.vote !== "not_helpful" || !!entry.commented;
  }

  function postVote(entry, value, comment, note, retried) {
    var body = { conversation_id: load(KEYS.session, null), answer: entry.n, text: entry.text, value: value };
    if (comment) body.comment = comment;
    window.fetch(VOTE_URL, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      credentials: "same-origin"
    }).then(function (response) {
      if (response.status === 404 && !retried) {
        setTimeout(function () { postVote(entry, value, comment, note, true); }, VOTE_RETRY_MS);
        return null;
      }
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (result) {
      if (!result) return;
      // One answer may have taken several bubbles: the vote is on all of them.
      entriesOf(result.bubbles[0], result.bubbles[1]).forEach(function (e) {
        e.vote = result.value;
        e.commented = !!comment;
        showVote(e);
      });
      save(KEYS.log, transcript);
      note.textContent = comment ? "Thank you, we passed that on." : "Thank you for your feedback.";
    }).catch(function () {
      note.textContent = "Your vote could not be sent. Please try again later.";
    });
  }

  function voteControls(entry) {
    var group = el("div", "chat-vote");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Was this answer helpful?");
    group.setAttribute("data-n", String(entry.n));
    var note = el("span", "chat-vote-note");
    note.setAttribute("role", "status");
    [["helpful", "Helpful"], ["not_helpful", "Not helpful"]].forEach(function (choice) {
      var b = el("button", "chat-vote-button", choice[1]);
      b.type = "button";
      b.setAttribute("data-value", choice[0]);
      b.setAttribute("aria-pressed", String(entry.vote === choice[0]));
      b.addEventListener("click", function () {
        if (entry.vote === choice[0]) return;  // one vote per answer; clicking it again changes nothing
        entry.commented = false;
        postVote(entry, choice[0], null, note, false);
      });
      group.appendChild(b);
    });
    var more = el("form", "chat-vote-more");
    more.hidden = entry.vote !== "not_helpful" || !!entry.commented;
    var id = "chat-vote-comment-" + entry.n;
    var label = el("label", "chat-vote-label", "What were you looking for? (optional)");
    label.setAttribute("for", id);
    var field = el("input", "chat-vote-comment");
    field.id = id;
    field.type = "text";
    field.maxLength = MAX_COMMENT_CHARS;
    var sendComment = el("button", "chat-vote-send", "Send");
    sendComment.type = "submit";
    more.appendChild(label);
    more.appendChild(field);
    more.appendChild(sendComment);
    more.addEventListener("submit", function (event) {
      event.preventDefault();
      var comment = field.value.trim();
      if (comment) postVote(entry, "not_helpful", comment, note, false);
    });
    group.appendChild(more);
    group.appendChild(note);
    return group;
  }

  function renderTranscript() {
    while (log.firstChild) log.removeChild(log.firstChild);
    transcript.forEach(function (entry, index) {
      renderMessage(entry, index === transcript.length - 1);
    });
  }

  function setStatus(text) {
    statusLine.textContent = text;
    statusLine.hidden = !text;
  }

  function showTyping(on) {
    typing.hidden = !on;
    clearTimeout(typingTimer);
    if (on) typingTimer = setTimeout(function () { typing.hidden = true; }, TYPING_TIMEOUT_MS);
  }

  // --- the socket ----------------------------------------------------------------------------
  function buttonsOf(message) {
    var list = message.quick_replies || message.buttons || [];
    return list.filter(function (b) {
      return b && typeof b.title === "string" && typeof b.payload === "string";
    }).map(function (b) { return { title: b.title, payload: b.payload }; });
  }

  function onBotMessage(message) {
    if (!message || typeof message.text !== "string") return;  // images, custom payloads: not used
    showTyping(false);
    removeQuickReplies();
    var entry = { from: "bot", text: message.text, buttons: buttonsOf(message) };
    if (message.text.trim()) {  // numbered as the server numbers them (bot/feedback/answers.py)
      bubbleCount += 1;
      save(KEYS.bubbles, bubbleCount);
      entry.n = bubbleCount;
    }
    remember(entry);
    renderMessage(entry, true);
  }

  function emit(text) {
    socket.emit("user_uttered", { message: text, session_id: sessionId });
  }

  function connect() {
    if (socket || typeof window.io !== "function") {
      if (!socket) setStatus("The chat could not load. Please reload the page.");
      return;
    }
    setStatus("Connecting…");
    socket = window.io(config.rasaUrl, { path: config.socketPath, reconnectionDelayMax: 10000 });
    socket.on("connect", function () {
      sessionId = null;
      socket.emit("session_request", { session_id: load(KEYS.session, null) });
    });
    socket.on("session_confirm", function (confirmed) {
      var id = typeof confirmed === "string" ? confirmed : confirmed && confirmed.session_id;
      var known = load(KEYS.session, null);
      sessionId = id;
      setStatus("");
      if (id !== known) {  // a fresh conversation: greet the visitor
        save(KEYS.session, id);
        bubbleCount = 0;
        save(KEYS.bubbles, bubbleCount);
        transcript = [];
        save(KEYS.log, transcript);
        renderTranscript();
        showTyping(true);
        emit(GREETING_PAYLOAD);
      }
      var queued = pending;
      pending = [];
      queued.forEach(emit);
    });
    socket.on("bot_uttered", onBotMessage);
    socket.on("disconnect", function () {
      sessionId = null;
      setStatus("Connection lost. Reconnecting…");
    });
    socket.on("connect_error", function () {
      setStatus("The assistant cannot be reached right now. Retrying…");
    });
  }

  function send(payload, shownText) {
    var text = String(shownText === undefined ? payload : shownText);
    removeQuickReplies();
    var entry = { from: "visitor", text: text };
    remember(entry);
    renderMessage(entry, false);
    showTyping(true);
    if (sessionId && socket && socket.connected) emit(payload);
    else pending.push(payload);
  }

  // --- opening, closing, keyboard ------------------------------------------------------------
  function open() {
    chatWindow.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    document.body.classList.add("chat-open");
    save(KEYS.open, true);
    connect();
    input.focus();
    log.scrollTop = log.scrollHeight;
  }

  function close() {
    chatWindow.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    document.body.classList.remove("chat-open");
    save(KEYS.open, false);
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (chatWindow.hidden) open(); else close();
  });
  closeButton.addEventListener("click", close);
  for (var i = 0; i < openButtons.length; i++) {
    openButtons[i].hidden = false;
    openButtons[i].addEventListener("click", open);
  }
  // At phone width the window covers the page, so Tab cycles inside it instead of reaching the
  // hidden page behind (Escape still closes it).
  var coversPage = window.matchMedia("(max-width: 30rem)");
  function trapFocus(event) {
    var focusable = chatWindow.querySelectorAll("button:not([disabled]), input:not([disabled]), [href]");
    if (!focusable.length) return;
    var first = focusable[0], last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }
  chatWindow.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "Tab" && coversPage.matches) {
      trapFocus(event);
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
    input.focus();
  });

  launcher.hidden = false;
  renderTranscript();
  setStatus("");
  if (load(KEYS.open, false)) open();
})();
