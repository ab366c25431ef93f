/* Answer controls of the web chat, one per answer_type of spec §5 (loaded before chat.js).
   Every label comes from the bot's options or from the page's texts (data-texts: the
   chat.client texts of bot/content/web.yml) and is inserted with textContent. */
(function () {
  "use strict";

  var texts = (function () {
    try { return JSON.parse(document.body.dataset.texts || "{}") || {}; } catch (e) { return {}; }
  })();

  /* A text of the page (by its key in web.yml chat.client), {placeholders} filled in. */
  function text(key, vars) {
    var s = typeof texts[key] === "string" ? texts[key] : "";
    return s.replace(/\{(\w+)\}/g, function (m, name) {
      return vars && Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : m;
    });
  }

  var counter = 0;
  var ctx = null;  // {container, send}: set by drawQuestion / drawRetry

  function make(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function nextId(prefix) { counter += 1; return prefix + "-" + counter; }

  function informPayload(code) { return "/inform" + JSON.stringify({ code: code }).replace(":", ": "); }

  function group(legendText) {
    var fs = make("fieldset");
    fs.appendChild(make("legend", "visually-hidden", legendText || text("answer_legend")));
    ctx.container.appendChild(fs);
    return fs;
  }

  function optionButton(label, onClick, cls) {
    var b = make("button", "btn " + (cls || "btn-option"), label);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  function errorLine(fs) {
    var p = make("p", "error");
    p.id = nextId("err");
    p.setAttribute("role", "alert");
    fs.appendChild(p);
    return p;
  }

  function options(custom) {
    var list = Array.isArray(custom.options) ? custom.options.filter(function (o) {
      return o && typeof o.code === "string";
    }) : [];
    if (!list.length && custom.answer_type === "yes_no") {
      list = [{ code: "yes", label: text("yes") }, { code: "no", label: text("no") }];
    }
    return list.map(function (o) { return { code: o.code, label: String(o.label || o.code) }; });
  }

  /* The answer type of a question: "buttons" for plain Rasa buttons without custom. */
  function answerType(q) {
    var custom = q.custom;
    if (!custom) return "buttons";
    return custom.answer_type || (options(custom).length ? "choice" : "text");
  }

  /* Draw the controls for question q into c.container; c.send(message, shown) sends. */
  function drawQuestion(c, q) {
    ctx = c;
    var custom = q.custom;
    var type = answerType(q);
    var send = ctx.send;
    var fs;
    if (type === "buttons") {
      fs = group(q.legend);
      plainButtons(fs, q.buttons);
    } else if (type === "choice" || type === "yes_no") {
      fs = group(q.legend);
      var opts = fs.appendChild(make("div", "options"));
      options(custom).forEach(function (o) {
        var b = optionButton(o.label, function () { send(informPayload(o.code), o.label); });
        b.dataset.code = o.code;
        opts.appendChild(b);
      });
    } else if (type === "multi_choice") {
      drawMulti(custom, q.legend);
    } else if (type === "number") {
      drawNumber(custom, q.legend);
    } else if (type === "scale") {
      drawScale(q.legend);
    } else if (type === "date_or_duration") {
      drawDate(q.legend);
    }
    // "text" (and unknown types): the free-text box below is the answer field.
    // Other buttons of the same reply (e.g. "Sla deze vraag over") come after the question.
    if (type !== "buttons" && q.extra && q.extra.length) plainButtons(ctx.container, q.extra);
  }

  /* Plain Rasa buttons {title, payload}: each sends its payload, the bubble shows the title. */
  function plainButtons(parent, buttons) {
    var row = parent.appendChild(make("div", "options"));
    buttons.forEach(function (b) {
      if (!b || typeof b.payload !== "string") return;
      var title = String(b.title || b.payload);
      row.appendChild(optionButton(title, function () { ctx.send(b.payload, title); }));
    });
    return row;
  }

  /* The plain buttons of a reply that do not just repeat the question's options. */
  function extraButtons(custom, buttons) {
    var own = {};
    options(custom || {}).forEach(function (o) { own[informPayload(o.code)] = true; });
    var seen = {};
    return buttons.filter(function (b) {
      var p = b && typeof b.payload === "string" ? b.payload.replace(/\s+/g, " ") : null;
      if (!p || own[p] || seen[p]) return false;
      seen[p] = true;
      return true;
    });
  }

  function drawMulti(custom, legendText) {
    var send = ctx.send;
    var fs = group(legendText);
    fs.appendChild(make("p", "hint", text("multi_hint")));
    var list = fs.appendChild(make("ul", "checks"));
    var boxes = [];
    options(custom).forEach(function (o) {
      var li = list.appendChild(make("li"));
      var label = li.appendChild(make("label", "check"));
      var box = make("input");
      box.type = "checkbox";
      box.value = o.code;
      label.appendChild(box);
      label.appendChild(make("span", null, o.label));
      boxes.push({ box: box, label: o.label });
    });
    var err = errorLine(fs);
    fs.appendChild(optionButton(text("next"), function () {
      var chosen = boxes.filter(function (b) { return b.box.checked; });
      if (!chosen.length) {
        err.textContent = text("multi_empty");
        boxes[0] && boxes[0].box.focus();
        return;
      }
      send(informPayload(chosen.map(function (b) { return b.box.value; }).join(",")),
        chosen.map(function (b) { return b.label; }).join(", "));
    }, "btn-primary"));
  }

  function inputField(fs, type, labelText, cls) {
    var wrap = fs.appendChild(make("div", "field"));
    var input = make("input", cls);
    input.id = nextId("field");
    input.type = type;
    input.autocomplete = "off";
    var label = make("label", null, labelText);
    label.htmlFor = input.id;
    wrap.appendChild(label);
    wrap.appendChild(input);
    return { wrap: wrap, input: input };
  }

  function fieldSubmit(fs, f, check) {
    var send = ctx.send;
    var err = errorLine(fs);
    function submit() {
      var result = check(f.input.value.trim());
      if (result.error) {
        err.textContent = result.error;
        f.input.setAttribute("aria-invalid", "true");
        f.input.setAttribute("aria-describedby", err.id);
        f.input.focus();
        return;
      }
      send(result.message, result.shown);
    }
    f.input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); submit(); }
    });
    f.wrap.appendChild(optionButton(text("next"), submit, "btn-primary"));
  }

  function drawNumber(custom, legendText) {
    var fs = group(legendText);
    var min = typeof custom.min === "number" ? custom.min : null;
    var max = typeof custom.max === "number" ? custom.max : null;
    var range = min !== null && max !== null;
    var bounds = { min: min, max: max };
    var f = inputField(fs, "text", text(range ? "number_label_range" : "number_label", bounds), "input-number");
    f.input.inputMode = "numeric";
    f.input.maxLength = 6;
    fieldSubmit(fs, f, function (v) {
      var n = /^\d{1,4}$/.test(v) ? parseInt(v, 10) : NaN;
      if (isNaN(n) || (min !== null && n < min) || (max !== null && n > max)) {
        return { error: text(range ? "number_error_range" : "number_error", bounds) };
      }
      return { message: String(n), shown: String(n) };
    });
  }

  function drawScale(legendText) {
    var send = ctx.send;
    var fs = group(legendText);
    var ends = fs.appendChild(make("p", "scale-ends"));
    var low = ends.appendChild(make("span", null, text("scale_low")));
    var high = ends.appendChild(make("span", null, text("scale_high")));
    low.id = nextId("scale-low");
    high.id = nextId("scale-high");
    var row = fs.appendChild(make("div", "scale"));
    for (var i = 0; i <= 10; i += 1) {
      (function (n) {
        var b = optionButton(String(n), function () { send(String(n), String(n)); });
        if (n === 0) b.setAttribute("aria-describedby", low.id);
        if (n === 10) b.setAttribute("aria-describedby", high.id);
        row.appendChild(b);
      })(i);
    }
  }

  function drawDate(legendText) {
    var fs = group(legendText);
    var f = inputField(fs, "date", text("date_label"), "input-date");
    fieldSubmit(fs, f, function (v) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return { error: text("date_error") };
      var d = new Date(v + "T12:00:00");
      var shown = isNaN(d) ? v : d.toLocaleDateString("nl-NL", { day: "numeric", month: "long", year: "numeric" });
      return { message: v, shown: shown };
    });
    fs.appendChild(make("p", "hint", text("date_hint")));
  }

  /* A single "Opnieuw proberen" button after the 'unavailable' message. */
  function drawRetry(c, onRetry) {
    ctx = c;
    var fs = group(text("retry_legend"));
    fs.appendChild(optionButton(text("retry"), onRetry, "btn-primary"));
  }

  window.WerkChatControls = {
    make: make, nextId: nextId, text: text, answerType: answerType, informPayload: informPayload,
    extraButtons: extraButtons,
    drawQuestion: drawQuestion, drawRetry: drawRetry
  };
})();
