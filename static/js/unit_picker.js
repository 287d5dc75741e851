/* The host-unit picker of the model form (issue #15): a ward has a hundred units
   or more, a wall of checkboxes five screens tall on a phone. The checkboxes stay
   the form's field (and the whole picker without JavaScript); this script shows
   them in a short scrolling box filtered by what is typed, diacritics and case
   ignored, and the chosen units as chips that remove them. */
(function () {
  "use strict";

  // As core.text.search_key: "Trường Đại học" -> "truong dai hoc".
  function key(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  var field = document.querySelector(".unit-picker");
  var search = document.getElementById("unit-filter");
  if (!field || !search) { return; }
  var fieldset = field.querySelector("fieldset") || field;
  var first = fieldset.querySelector(".form-check");
  var list = first ? first.parentNode : fieldset.querySelector("div");
  if (!list) { return; }
  var legend = fieldset.querySelector("legend");
  var tools = document.getElementById("unit-picker-tools");

  field.classList.add("is-enhanced");
  list.classList.add("unit-options");
  // The search box and the "add a unit" button belong with the field they serve.
  if (legend && tools) { legend.after(tools); }
  // An error sits inside the last checkbox's row; below the box it stays in sight.
  fieldset.querySelectorAll(".invalid-feedback").forEach(function (feedback) {
    feedback.classList.add("d-block");
    list.after(feedback);
  });

  var chips = document.createElement("div");
  chips.className = "unit-chips";
  chips.id = "unit-chips";
  chips.setAttribute("role", "group");
  chips.setAttribute("aria-label", search.dataset.chosen);
  (tools || search).after(chips);

  var hint = document.createElement("p");
  hint.className = "form-text mt-0 mb-1";
  hint.id = "unit-filter-hint";
  hint.textContent = search.dataset.hint;
  chips.before(hint);
  search.setAttribute("aria-describedby", hint.id);
  search.setAttribute("aria-controls", "unit-options");
  list.id = list.id || "unit-options";

  var none = document.createElement("p");
  none.className = "unit-none text-muted small mb-0";
  none.hidden = true;
  none.textContent = search.dataset.none;
  list.after(none);

  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("aria-live", "polite");
  none.after(status);

  function options() { return Array.prototype.slice.call(list.querySelectorAll(".form-check")); }
  function box(option) { return option.querySelector("input[type=checkbox]"); }
  function unitName(input) {
    if (input.dataset.name) { return input.dataset.name; }
    // A unit just added through the modal carries only its label, "Name (Kind)".
    var label = list.querySelector("label[for='" + input.id + "']");
    return (label ? label.textContent : input.value).trim().replace(/\s*\([^()]*\)$/, "");
  }
  function visibleBoxes() {
    return options().filter(function (o) { return !o.hidden; }).map(box);
  }

  function applyFilter() {
    var words = key(search.value).split(/\s+/).filter(Boolean);
    var count = 0;
    options().forEach(function (option) {
      var text = key(option.textContent);
      option.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
      if (!option.hidden) { count += 1; }
    });
    none.hidden = count > 0;
    status.textContent = words.length ? count + " " + search.dataset.count : "";
  }

  function renderChips() {
    chips.textContent = "";
    options().map(box).filter(function (input) { return input.checked; }).forEach(function (input) {
      var name = unitName(input);
      var chip = document.createElement("button");
      chip.type = "button";
      chip.className = "btn btn-sm btn-outline-primary unit-chip";
      chip.dataset.value = input.value;
      chip.setAttribute("aria-label", search.dataset.remove + " " + name);
      var text = document.createElement("span");
      text.textContent = name;
      var cross = document.createElement("i");
      cross.className = "bi bi-x-lg ms-1";
      cross.setAttribute("aria-hidden", "true");
      chip.appendChild(text);
      chip.appendChild(cross);
      chips.appendChild(chip);
    });
    chips.hidden = !chips.firstChild;
  }

  function choose(input, checked) {
    input.checked = checked;
    input.dispatchEvent(new Event("change", {bubbles: true}));
  }

  chips.addEventListener("click", function (event) {
    var chip = event.target.closest(".unit-chip");
    if (!chip) { return; }
    var next = chip.nextElementSibling || chip.previousElementSibling;
    var input = list.querySelector("input[type=checkbox][value='" + chip.dataset.value + "']");
    if (input) { choose(input, false); }
    // Focus would be lost with the removed chip: move it to a neighbour.
    var target = next && chips.querySelector(".unit-chip[data-value='" + next.dataset.value + "']");
    (target || search).focus();
  });

  search.addEventListener("input", applyFilter);
  search.addEventListener("keydown", function (event) {
    var boxes = visibleBoxes();
    if (event.key === "ArrowDown" && boxes.length) {
      event.preventDefault();
      boxes[0].focus();
    } else if (event.key === "Enter") {
      // Enter picks the first match instead of submitting the half-filled form.
      event.preventDefault();
      var pick = boxes.filter(function (input) { return !input.checked; })[0];
      if (pick && search.value.trim()) {
        choose(pick, true);
        search.value = "";
        applyFilter();
      }
    }
  });
  list.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=checkbox]")) { return; }
    var boxes = visibleBoxes();
    var at = boxes.indexOf(input);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var to = at + (event.key === "ArrowDown" ? 1 : -1);
      if (to < 0) { search.focus(); } else if (to < boxes.length) { boxes[to].focus(); }
    } else if (event.key === "Enter") {
      event.preventDefault();
      choose(input, !input.checked);
    } else if (event.key === "Escape") {
      search.focus();
    }
  });
  list.addEventListener("change", renderChips);
  // A unit added through the modal (model_form.js) arrives as a new, ticked checkbox.
  new MutationObserver(function () { applyFilter(); renderChips(); }).observe(list, {childList: true});

  applyFilter();
  renderChips();
})();
