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
 */
(function () {
  "use strict";

  var KEYS = { session: "clair-chat:session", log: "clair-chat:log", open: "clair-chat:open" };
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
