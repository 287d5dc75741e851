/* The organisers field of the model form (issue #15): the same few bodies are
   typed at every launch of a ward. The server suggests them as chips
   (models_registry.selectors.organiser_suggestions); a tap puts one on a line of
   its own in the field, once, and a second tap takes it out again. The field
   stays plain text, one body per line or separated by ";", as the server reads it
   (forms.OrganisersField). */
(function () {
  "use strict";

  var box = document.getElementById("organiser-suggestions");
  var field = document.getElementById("id_organisers");
  if (!box || !field) { return; }

  // As models_registry.organisers.clean_organisers compares bodies: spacing and case ignored.
  function key(text) {
    return text.normalize("NFC").replace(/\s+/g, " ").trim().toLowerCase();
  }
  function bodies() {
    var found = [];
    field.value.split(/\r?\n/).forEach(function (line) {
      line.split(";").forEach(function (part) { if (part.trim()) { found.push(key(part)); } });
    });
    return found;
  }
  function chips() { return Array.prototype.slice.call(box.querySelectorAll(".organiser-chip")); }

  function sync() {
    var present = bodies();
    chips().forEach(function (chip) {
      var added = present.indexOf(key(chip.dataset.organiser)) !== -1;
      chip.setAttribute("aria-pressed", added ? "true" : "false");
      chip.classList.toggle("active", added);
      var icon = chip.querySelector(".bi");
      if (icon) { icon.className = (added ? "bi bi-check-lg" : "bi bi-plus-lg") + " me-1"; }
    });
  }

  function add(body) {
    var text = field.value.replace(/\s+$/, "");
    field.value = (text ? text + "\n" : "") + body;
  }

  function remove(body) {
    var wanted = key(body);
    field.value = field.value.split(/\r?\n/).map(function (line) {
      var parts = line.split(";");
      var kept = parts.filter(function (part) { return key(part) !== wanted; });
      return kept.length === parts.length ? line : kept.map(function (part) { return part.trim(); }).join("; ");
    }).filter(function (line) { return line.trim(); }).join("\n");
  }

  box.addEventListener("click", function (event) {
    var chip = event.target.closest(".organiser-chip");
    if (!chip) { return; }
    if (chip.getAttribute("aria-pressed") === "true") { remove(chip.dataset.organiser); } else { add(chip.dataset.organiser); }
    // As typing would: sync() and any other listener of the field hear of it.
    field.dispatchEvent(new Event("input", {bubbles: true}));
  });
  field.addEventListener("input", sync);

  box.hidden = false;
  sync();
})();
