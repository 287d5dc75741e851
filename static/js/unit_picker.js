/* The host-unit picker of the model form (issue #15): a ward has a hundred units
   or more, a wall of checkboxes five screens tall on a phone. The checkboxes stay
   the form's field (and the whole picker without JavaScript); this script shows
   them in a short scrolling box filtered by what is typed, diacritics and case
   ignored, and the chosen units as chips that remove them. It also runs the
   "Thêm đơn vị mới" modal, which ticks the unit it adds (or the ward's unit of
   that name, offered when the name is taken). */
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
  // A unit added through the modal arrives as a new, ticked checkbox.
  new MutationObserver(function () { applyFilter(); renderChips(); }).observe(list, {childList: true});

  // --- "Thêm đơn vị mới": the modal of model_form.html ----------------------------
  // The unit is saved at once (models_registry.views.unit_quick_create) and ticked
  // here. A name the ward already has comes back with that unit, offered instead.
  var addForm = document.getElementById("unit-add-form");
  var modal = document.getElementById("unit-modal");
  var modelForm = document.getElementById("model-form");
  var addError = document.getElementById("unit-quick-error");

  function tick(unit) {
    var input = list.querySelector("input[type=checkbox][value='" + unit.id + "']");
    if (!input) {
      var wrapper = document.createElement("div");
      wrapper.className = "form-check";
      input = document.createElement("input");
      input.type = "checkbox";
      input.name = "units";
      input.value = unit.id;
      input.className = "form-check-input";
      input.id = "id_units_new_" + unit.id;
      input.dataset.name = unit.name;
      var label = document.createElement("label");
      label.className = "form-check-label";
      label.htmlFor = input.id;
      label.textContent = unit.label;
      wrapper.appendChild(input);
      wrapper.appendChild(label);
      list.insertBefore(wrapper, list.firstChild);
    }
    choose(input, true);
  }

  // Should the model's save fail, the page says the unit was saved all the same
  // (SecurityModelForm.units_added_here).
  function remember(unit) {
    if (!modelForm || modelForm.querySelector("input[name=units_added][value='" + unit.id + "']")) { return; }
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = "units_added";
    hidden.value = unit.id;
    modelForm.appendChild(hidden);
  }

  function clearErrors() {
    addForm.querySelectorAll(".unit-add-feedback").forEach(function (el) { el.remove(); });
    addForm.querySelectorAll(".is-invalid").forEach(function (input) {
      input.classList.remove("is-invalid");
      input.removeAttribute("aria-invalid");
      var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/)
        .filter(function (id) { return id && id !== input.id + "-error"; });
      if (ids.length) { input.setAttribute("aria-describedby", ids.join(" ")); } else { input.removeAttribute("aria-describedby"); }
    });
    addError.textContent = "";
    addError.classList.add("d-none");
  }

  function close() {
    addForm.reset();
    clearErrors();
    bootstrap.Modal.getOrCreateInstance(modal).hide();
  }

  // Each error beside its field; the offer of the existing unit under the name.
  function showErrors(errors, existing) {
    var loose = [];
    var focus = null;
    Object.keys(errors).forEach(function (name) {
      var input = addForm.querySelector("[name='unit-" + name + "']");
      if (!input) { loose = loose.concat(errors[name]); return; }
      var feedback = document.createElement("div");
      feedback.className = "invalid-feedback d-block unit-add-feedback";
      feedback.id = input.id + "-error";
      feedback.textContent = errors[name].join(" ");
      input.classList.add("is-invalid");
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby",
        ((input.getAttribute("aria-describedby") || "") + " " + feedback.id).trim());
      input.after(feedback);
      focus = focus || input;
      if (name === "name" && existing) {
        var offer = document.createElement("button");
        offer.type = "button";
        offer.className = "btn btn-primary btn-sm mt-2 unit-add-feedback unit-add-existing";
        offer.textContent = addForm.dataset.choose;
        offer.setAttribute("aria-describedby", feedback.id);
        offer.addEventListener("click", function () { tick(existing); close(); });
        feedback.after(offer);
        // Not the name box: on a phone its keyboard would cover the offer.
        focus = offer;
      }
    });
    if (loose.length) {
      addError.textContent = loose.join(" ");
      addError.classList.remove("d-none");
    }
    if (focus) { focus.focus(); }
  }

  if (addForm && modal) {
    addForm.addEventListener("submit", function (event) {
      event.preventDefault();
      clearErrors();
      fetch(addForm.action, {
        method: "POST", body: new FormData(addForm), credentials: "same-origin",
        headers: {"X-Requested-With": "fetch"}
      }).then(function (response) {
        return response.json().then(function (data) { return {ok: response.ok, data: data}; });
      }).then(function (result) {
        if (!result.ok) {
          showErrors(result.data.errors || {}, result.data.existing);
          return;
        }
        tick(result.data);
        remember(result.data);
        close();
      }).catch(function () {
        addError.textContent = addForm.dataset.networkError;
        addError.classList.remove("d-none");
      });
    });
    // Opened again, the modal starts clean.
    modal.addEventListener("hidden.bs.modal", clearErrors);
  }

  applyFilter();
  renderChips();
})();
