/* Web chat for the work intake. Plain JavaScript, no framework, no storage of any kind:
   the conversation lives only in the variables below (kiosk privacy, see docs/webchat.md).
   All bot and patient text is inserted with textContent, never as HTML. */
(function () {
  "use strict";

  /* An invitation link carries its code in the fragment (#uitnodiging=...), which is
     never sent to a server or logged; it is removed from the address bar at once. */
  function invitationFromFragment() {
    var match = /(?:^#|&)uitnodiging=([A-Za-z0-9_-]{1,64})/.exec(window.location.hash || "");
    if (!match) return "";
    history.replaceState(null, "", window.location.pathname + window.location.search);
    return match[1];
  }

  var body = document.body;
  var cfg = {
    mode: body.dataset.mode === "kiosk" ? "kiosk" : "home",
    channel: body.dataset.channel === "tablet" ? "tablet" : "home",
    code: invitationFromFragment() || body.dataset.appointmentCode || "",
    api: body.dataset.apiUrl || "/chat/api/message",
    summaryPath: body.dataset.summaryPath || "/mijn-samenvatting/",
    maxChars: parseInt(body.dataset.maxChars, 10) || 2000,
    idleSeconds: parseInt(body.dataset.idleSeconds, 10) || 120,
    warnSeconds: parseInt(body.dataset.warnSeconds, 10) || 30
  };

  function $(id) { return document.getElementById(id); }
  var el = {
    start: $("start-screen"), startButton: $("start-button"), wiped: $("wiped-note"),
    chat: $("chat"), log: $("log"), waiting: $("waiting"), answer: $("answer"),
    form: $("text-form"), input: $("text-input"), label: $("text-label"),
    error: $("text-error"), done: $("done-button"), summary: $("summary-box"),
    summaryView: $("summary-view"), summaryDownload: $("summary-download"),
    print: $("print-button"), dialog: $("idle-dialog"), stillHere: $("still-here"),
    seconds: $("idle-seconds")
  };

  var ui = window.WerkChatControls;
  var make = ui.make;
  var tx = ui.text;      // the page's texts (bot/content/web.yml, chat.client)
  var state = null;      // the whole conversation; replaced by newState() on a wipe

  function newSenderId() {
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.from(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" +
      h.slice(16, 20) + "-" + h.slice(20);
  }

  function newState() {
    return {
      sender: newSenderId(), started: false, busy: false, controller: null,
      last: null,          // last request {message, metadata}, for "Opnieuw proberen"
      question: null       // last drawn answer controls {custom, buttons, legend, textId}
    };
  }

  /* ---------- the message log ---------- */

  var ARABIC = /[\u0600-\u06FF\u0750-\u077F]/;

  function addMessage(who, text, extraClass) {
    var item = make("div", "msg msg-" + who + (extraClass ? " " + extraClass : ""));
    item.id = ui.nextId("msg");
    item.appendChild(make("span", "who visually-hidden", tx(who === "bot" ? "bot_prefix" : "user_prefix")));
    String(text).split(/\n{2,}/).forEach(function (part) {
      var p = item.appendChild(make("p", null, part));
      /* Replies in other languages (issue 9): Arabic right to left, and the right lang
         for screen readers; everything else follows the text itself. */
      p.setAttribute("dir", "auto");
      if (ARABIC.test(part)) { p.setAttribute("lang", "ar"); p.setAttribute("dir", "rtl"); }
    });
    el.log.appendChild(item);
    return item;
  }

  /* Show the new messages from the top, so a long question is read from its start. */
  function scrollToNew(first) {
    el.form.scrollIntoView({ block: "nearest" });
    if (first) first.scrollIntoView({ block: "nearest" });
  }

  /* ---------- sending ---------- */

  var waitTimer = null;
  function setWaiting(on) {
    window.clearTimeout(waitTimer);
    if (on) {
      waitTimer = window.setTimeout(function () { el.waiting.textContent = tx("waiting"); }, 400);
    } else {
      el.waiting.textContent = "";
    }
  }

  function send(message, shown, metadata) {
    if (!state.started || state.busy) return;
    if (shown) addMessage("user", shown);
    el.error.textContent = "";
    clearAnswer();
    state.last = { message: message, metadata: metadata || null, id: newMessageId(), retry: false };
    post(state.last);
  }

  /* Every message has an id; "Opnieuw proberen" sends the same id marked as a retry, so
     an answer whose reply was lost is not applied twice (bot/intake/retries.py). */
  function newMessageId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function post(req) {
    var current = state;
    current.busy = true;
    current.controller = new AbortController();
    setWaiting(true);
    var payload = { sender: current.sender, message: req.message };
    payload.metadata = Object.assign({}, req.metadata || {}, { message_id: req.id });
    if (req.retry) payload.metadata.retry = true;
    fetch(cfg.api, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(payload),
      credentials: "same-origin",
      cache: "no-store",
      signal: current.controller.signal
    }).then(function (res) {
      return res.json().then(function (data) { return { ok: res.ok, data: data }; });
    }).then(function (result) {
      if (current !== state) return;  // wiped while waiting: drop the late answer
      finish();
      if (result.ok && Array.isArray(result.data)) {
        handleReply(result.data);
      } else {
        var shown = (result.data && result.data.message) || tx("unavailable");
        var lost = focusWasLost();
        scrollToNew(addMessage("bot", shown, "msg-error"));
        redrawQuestion();
        if (lost) focusAnswer();
      }
    }).catch(function (err) {
      if (current !== state || (err && err.name === "AbortError")) return;
      finish();
      handleReply([{ text: tx("unavailable"), custom: { error: "unavailable" } }]);
    });
    function finish() { current.busy = false; current.controller = null; setWaiting(false); }
  }

  /* ---------- replies ---------- */

  function handleReply(messages) {
    var question = null, buttons = [], legend = null, textId = null, failed = false, first = null, summary = false;
    messages.forEach(function (m) {
      if (!m || typeof m !== "object") return;
      var custom = m.custom && typeof m.custom === "object" ? m.custom : null;
      if (typeof m.text === "string" && m.text) {
        var item = addMessage("bot", m.text, custom && custom.error ? "msg-error" : "");
        legend = m.text; textId = item.id; first = first || item;
      }
      if (Array.isArray(m.buttons)) buttons = buttons.concat(m.buttons);
      if (!custom) return;
      if (custom.error) failed = true;
      if (custom.answer_type || custom.question_id) question = custom;
      if (custom.summary_id && showSummary(custom)) summary = true;
    });
    var hadFocus = focusWasLost();
    clearAnswer();
    if (failed) {
      drawRetry();
      setTextLabel(tx("answer_label_or"), null);
    } else if (question || buttons.length) {
      buttons = ui.extraButtons(question, buttons);
      state.question = { custom: question, buttons: buttons, extra: buttons, legend: legend, textId: textId };
      drawQuestion(state.question);
    } else if (!messages.length) {
      redrawQuestion();
    } else {
      state.question = null;
      setTextLabel(tx("answer_label"), textId);
    }
    if (hadFocus && summary) $("summary-title").focus({ preventScroll: true });
    else if (hadFocus) focusAnswer();
    scrollToNew(first);
  }

  function focusWasLost() {
    var a = document.activeElement;
    return !a || a === body || a === el.startButton || !document.contains(a) || el.answer.contains(a);
  }

  function focusAnswer() {
    var first = el.answer.querySelector("button, input");
    (first || el.input).focus({ preventScroll: true });
  }

  function clearAnswer() {
    el.answer.replaceChildren();
    delete el.answer.dataset.questionId;
    delete el.answer.dataset.answerType;
  }

  function redrawQuestion() {
    clearAnswer();
    if (state.question) drawQuestion(state.question);
  }

  function drawQuestion(q) {
    var type = ui.answerType(q);
    setTextLabel(tx(type === "text" ? "answer_label" : "answer_label_or"), q.textId);
    // Which question is on screen (for tests and support); set as data, never as markup.
    el.answer.dataset.answerType = type;
    if (q.custom && typeof q.custom.question_id === "string") el.answer.dataset.questionId = q.custom.question_id;
    ui.drawQuestion({ container: el.answer, send: send }, q);
  }

  function drawRetry() {
    ui.drawRetry({ container: el.answer, send: send }, function () {
      if (!state.last || state.busy) return;
      clearAnswer();
      state.last.retry = true;
      post(state.last);
    });
  }

  function setTextLabel(text, describedBy) {
    el.label.textContent = text;
    if (describedBy) el.input.setAttribute("aria-describedby", describedBy);
    else el.input.removeAttribute("aria-describedby");
  }

  /* ---------- summary (home mode only: never show a patient's copy on a shared tablet) ---------- */

  function showSummary(custom) {
    if (cfg.mode !== "home" || !el.summary || typeof custom.summary_id !== "string") return false;
    var url = cfg.summaryPath + encodeURIComponent(custom.summary_id);
    if (typeof custom.patient_key === "string" && custom.patient_key) {
      url += "#sleutel=" + encodeURIComponent(custom.patient_key);
    }
    el.summaryView.href = url;
    el.summaryDownload.href = url;
    el.summary.hidden = false;
    return true;
  }

  /* ---------- start, free text, wipe ---------- */

  function begin() {
    state.started = true;
    el.start.hidden = true;
    el.chat.hidden = false;
    if (el.done) el.done.hidden = false;
    el.wiped.hidden = true;
    var metadata = { channel: cfg.channel };
    if (cfg.code) metadata.invitation = cfg.code;
    idle.reset();
    send("/start", null, metadata);
  }

  function submitText(e) {
    e.preventDefault();
    var typed = el.input.value.trim();
    if (!typed) { el.error.textContent = tx("empty"); el.input.focus(); return; }
    if (typed.length > cfg.maxChars) { el.error.textContent = tx("too_long", { max: cfg.maxChars }); return; }
    if (state.busy) return;
    el.input.value = "";
    send(typed, typed);
  }

  function wipe() {
    if (state.controller) state.controller.abort();
    state = newState();
    idle.stop();
    setWaiting(false);
    el.log.replaceChildren();
    clearAnswer();
    el.input.value = "";
    setTextLabel(tx("answer_label"), null);
    el.error.textContent = "";
    if (el.summary) el.summary.hidden = true;
    if (el.done) el.done.hidden = true;
    el.chat.hidden = true;
    el.start.hidden = false;
    el.wiped.hidden = false;
    el.startButton.focus();
    window.scrollTo(0, 0);
  }

  /* ---------- kiosk inactivity: warn, then wipe (WCAG 2.2.1: one tap extends) ---------- */

  var idle = (function () {
    var last = 0, warnStart = 0, timer = null;
    function now() { return Date.now(); }
    function tick() {
      if (!state.started) return;
      if (el.dialog.open) {
        var left = cfg.warnSeconds - Math.floor((now() - warnStart) / 1000);
        if (left <= 0) { close(); wipe(); return; }
        el.seconds.textContent = String(left);
      } else if (now() - last >= cfg.idleSeconds * 1000) {
        warnStart = now();
        el.seconds.textContent = String(cfg.warnSeconds);
        el.dialog.showModal();
        el.stillHere.focus();
      }
    }
    function close() { if (el.dialog.open) el.dialog.close(); }
    return {
      active: cfg.mode === "kiosk" && !!el.dialog,
      reset: function () {
        if (!this.active) return;
        last = now();
        if (!timer) timer = window.setInterval(tick, 250);
      },
      activity: function () { if (this.active && !el.dialog.open) last = now(); },
      extend: function () { close(); this.reset(); },
      stop: function () { close(); window.clearInterval(timer); timer = null; }
    };
  })();

  /* ---------- wiring ---------- */

  state = newState();
  el.startButton.addEventListener("click", begin);
  el.form.addEventListener("submit", submitText);
  el.input.addEventListener("input", function () { el.error.textContent = ""; });
  if (el.print) el.print.addEventListener("click", function () { window.print(); });
  if (el.done) el.done.addEventListener("click", wipe);
  if (idle.active) {
    ["pointerdown", "keydown", "input", "wheel", "touchstart"].forEach(function (type) {
      document.addEventListener(type, function () { idle.activity(); }, { passive: true, capture: true });
    });
    el.stillHere.addEventListener("click", function () { idle.extend(); });
    el.dialog.addEventListener("cancel", function (e) { e.preventDefault(); idle.extend(); });
  }
})();
