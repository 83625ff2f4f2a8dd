/* casepath report: the step-through. Plain script, no library, no network; text is only ever set as text. */
(function () {
  "use strict";
  var steppers = [];
  /* The page's words in its language, keyed by the English text (none on an English page). */
  var words = JSON.parse(document.body.getAttribute("data-words") || "{}");

  function t(text, values) {
    var said = words[text] || text;
    Object.keys(values || {}).forEach(function (name) { said = said.split("{" + name + "}").join(values[name]); });
    return said;
  }

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function eventLine(event, prefix) {
    var p = make("p", null, (prefix || "") + event.when + ": ");
    p.appendChild(make("strong", null, event.label));
    if (event.details) { p.appendChild(document.createTextNode(" (" + event.details + ")")); }
    return p;
  }

  function moveList(event) {
    var ul = make("ul", "moves");
    event.moves.forEach(function (move) { ul.appendChild(make("li", null, move)); });
    return ul;
  }

  function panel(level, title, items) {
    var box = make("div");
    box.appendChild(make("h" + level, null, title));
    var ul = make("ul");
    items.forEach(function (item) { ul.appendChild(item); });
    if (!items.length) { ul.appendChild(make("li", null, t("None"))); }
    box.appendChild(ul);
    return box;
  }

  function Stepper(section) {
    this.section = section;
    this.steps = JSON.parse(document.getElementById(section.getAttribute("data-steps")).textContent);
    this.level = section.getAttribute("data-level") || "4";
    this.view = section.querySelector(".step-view");
    this.status = section.querySelector(".step-status");
    this.article = section.closest("article");
    this.index = this.steps.length - 1;
    var self = this;
    section.querySelectorAll("button[data-go]").forEach(function (button) {
      button.addEventListener("click", function () { self.go(button.getAttribute("data-go")); });
    });
    section.hidden = false;
    this.show(false);
  }

  Stepper.prototype.go = function (where) {
    var last = this.steps.length - 1;
    var target = { first: 0, previous: this.index - 1, next: this.index + 1, last: last }[where];
    target = Math.max(0, Math.min(last, target));
    if (target !== this.index) {
      this.index = target;
      this.show(true);
    }
  };

  Stepper.prototype.show = function (announce) {
    var step = this.steps[this.index];
    var level = this.level;
    var view = this.view;
    view.textContent = "";
    var heading = t("Step {n} of {of}", { n: step.n, of: step.of });
    if (step.n === step.of) { heading += " " + t("(the case as it stands)"); }
    if (step.automatic.length) {
      var auto = make("div", "auto");
      auto.appendChild(make("p", null, step.refused ? t("Before it, automatically:") : t("Before this event, automatically:")));
      step.automatic.forEach(function (event) {
        auto.appendChild(eventLine(event, "↻ "));
        if (event.moves.length) { auto.appendChild(moveList(event)); }
      });
      view.appendChild(auto);
    }
    var said = heading + ". ";
    if (step.event) {
      view.appendChild(eventLine(step.event));
      if (step.event.moves.length) { view.appendChild(moveList(step.event)); }
      said += step.event.when + ": " + step.event.label + ". " + step.event.moves.join(". ");
    }
    if (step.refused) {
      var alert = make("div", "alert");
      alert.appendChild(make("p", null, t("Refused: {code}", { code: step.refused.code })));
      alert.appendChild(make("p", null, step.refused.message));
      view.appendChild(alert);
      said += t("Refused: {code}", { code: step.refused.code }) + ".";
    }
    var grid = make("div", "step-grid");
    grid.appendChild(panel(level, t("Tracks"), step.tracks.map(function (track) {
      var li = make("li", track.changed ? "changed" : null);
      li.appendChild(make("span", null, track.track + ": "));
      li.appendChild(make("span", null, track.state));
      if (track.changed) { li.appendChild(make("span", "mark", " " + t("(changed)"))); }
      return li;
    })));
    grid.appendChild(panel(level, t("Deadlines set so far"), step.deadlines.map(function (d) {
      var li = make("li", null, d.due + " — " + d.label + " ");
      li.appendChild(make("span", "status " + d.status, d.status_text));
      return li;
    })));
    grid.appendChild(panel(level, t("Entitlements that apply now"), step.entitlements.map(function (e) {
      var span = e.until ? t("from {start}, until {end} at the latest", { start: e.from, end: e.until })
        : t("from {start}", { start: e.from });
      return make("li", null, e.label + " (" + span + ")");
    })));
    view.appendChild(grid);
    this.status.textContent = announce ? said : heading;
    this.buttons();
    this.follow(step);
  };

  Stepper.prototype.buttons = function () {
    var first = this.index === 0, last = this.index === this.steps.length - 1;
    var active = document.activeElement;
    var moveFocus = null;
    this.section.querySelectorAll("button[data-go]").forEach(function (button) {
      var go = button.getAttribute("data-go");
      var off = (go === "first" || go === "previous") ? first : last;
      if (off && button === active) { moveFocus = go; }
      button.disabled = off;
    });
    if (moveFocus) {
      var other = this.section.querySelector(moveFocus === "next" || moveFocus === "last"
        ? "button[data-go=previous]" : "button[data-go=next]");
      if (other) { other.focus(); }
    }
  };

  /* The time line, the tables and the diagrams show the same step: each step has its own copy,
     drawn from what was known then, and only the current one is shown. */
  Stepper.prototype.follow = function (step) {
    this.article.querySelectorAll(".step-body[data-step]").forEach(function (body) {
      body.hidden = Number(body.getAttribute("data-step")) !== step.n;
    });
  };

  document.querySelectorAll("section.stepper[data-steps]").forEach(function (section) {
    steppers.push(new Stepper(section));
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    var keys = { ArrowLeft: "previous", ArrowRight: "next", Home: "first", End: "last" };
    var where = keys[event.key];
    if (!where) { return; }
    var target = event.target;
    if (target && target.closest && target.closest("input, textarea, select, .scroll")) { return; }
    var chosen = null;
    steppers.forEach(function (s) { if (s.section.contains(target)) { chosen = s; } });
    if (!chosen && steppers.length === 1 && (where === "previous" || where === "next")) { chosen = steppers[0]; }
    if (!chosen) { return; }
    event.preventDefault();
    chosen.go(where);
  });
})();
