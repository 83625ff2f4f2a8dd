/* casepath report: the step-through. Plain script, no library, no network; text is only ever set as text. */
(function () {
  "use strict";
  var steppers = [];

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
    if (!items.length) { ul.appendChild(make("li", null, "None")); }
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
    var heading = "Step " + step.n + " of " + step.of;
    if (step.n === step.of) { heading += " (the case as it stands)"; }
    if (step.automatic.length) {
      var auto = make("div", "auto");
      auto.appendChild(make("p", null, step.refused ? "Before it, automatically:" : "Before this event, automatically:"));
      step.automatic.forEach(function (event) {
        auto.appendChild(eventLine(event, "⏲ "));
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
      alert.appendChild(make("p", null, "Refused: " + step.refused.code));
      alert.appendChild(make("p", null, step.refused.message));
      view.appendChild(alert);
      said += "Refused: " + step.refused.code + ".";
    }
    var grid = make("div", "step-grid");
    grid.appendChild(panel(level, "Tracks", step.tracks.map(function (t) {
      var li = make("li", t.changed ? "changed" : null);
      li.appendChild(make("span", null, t.track + ": "));
      li.appendChild(make("span", null, t.state));
      return li;
    })));
    grid.appendChild(panel(level, "Deadlines set so far", step.deadlines.map(function (d) {
      var li = make("li", null, d.due + " — " + d.label + " ");
      li.appendChild(make("span", "status " + d.status, d.status_text));
      return li;
    })));
    grid.appendChild(panel(level, "Entitlements that apply now", step.entitlements.map(function (e) {
      return make("li", null, e.label + " (from " + e.from + (e.until ? ", until " + e.until + " at the latest" : "") + ")");
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

  /* The time line and the diagrams show the same step: a cursor, later events faded, the state now. */
  Stepper.prototype.follow = function (step) {
    var article = this.article;
    var cursor = article.querySelector("svg.timeline .cursor");
    if (cursor && step.x !== null) {
      cursor.setAttribute("x1", step.x);
      cursor.setAttribute("x2", step.x);
      cursor.setAttribute("visibility", this.index === this.steps.length - 1 ? "hidden" : "visible");
    }
    article.querySelectorAll("svg.timeline .event").forEach(function (mark) {
      mark.classList.toggle("future", Number(mark.getAttribute("data-n")) > step.upto);
    });
    article.querySelectorAll("svg.diagram .state").forEach(function (node) {
      var track = node.getAttribute("data-track");
      node.classList.toggle("now", step.states[track] === node.getAttribute("data-state"));
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
