/* The model form: filter host units without diacritics, add a unit on the spot,
   show dependent fields only when they mean something. */
(function () {
  "use strict";

  function key(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  var picker = document.querySelector(".unit-picker");
  var filter = document.getElementById("unit-filter");

  function unitOptions() {
    return picker ? picker.querySelectorAll(".form-check") : [];
  }

  if (filter && picker) {
    filter.addEventListener("input", function () {
      var words = key(filter.value).split(/\s+/).filter(Boolean);
      unitOptions().forEach(function (option) {
        var text = key(option.textContent);
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        // Checked units stay visible so the user always sees what is chosen.
        option.hidden = !match && !option.querySelector("input").checked;
      });
    });
  }

  var quickForm = document.getElementById("unit-quick-form");
  if (quickForm && picker) {
    quickForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var error = document.getElementById("unit-quick-error");
      error.classList.add("d-none");
      fetch(quickForm.action, {
        method: "POST", body: new FormData(quickForm), credentials: "same-origin",
        headers: {"X-Requested-With": "fetch"}
      }).then(function (response) {
        return response.json().then(function (data) { return {ok: response.ok, data: data}; });
      }).then(function (result) {
        if (!result.ok) {
          var messages = [];
          Object.keys(result.data.errors || {}).forEach(function (field) {
            messages = messages.concat(result.data.errors[field]);
          });
          error.textContent = messages.join(" ");
          error.classList.remove("d-none");
          return;
        }
        var container = picker.querySelector("input[type=checkbox]");
        var list = container ? container.closest(".form-check").parentNode : picker.querySelector("div");
        var index = unitOptions().length;
        var wrapper = document.createElement("div");
        wrapper.className = "form-check";
        var input = document.createElement("input");
        input.type = "checkbox"; input.name = "units"; input.value = result.data.id;
        input.className = "form-check-input"; input.id = "id_units_new_" + index; input.checked = true;
        var label = document.createElement("label");
        label.className = "form-check-label"; label.htmlFor = input.id; label.textContent = result.data.label;
        wrapper.appendChild(input); wrapper.appendChild(label);
        list.insertBefore(wrapper, list.firstChild);
        quickForm.reset();
        bootstrap.Modal.getInstance(document.getElementById("unit-modal")).hide();
      }).catch(function () {
        error.textContent = quickForm.dataset.networkError || "Không kết nối được máy chủ. Vui lòng thử lại.";
        error.classList.remove("d-none");
      });
    });
  }

  function toggle(checkboxId, targetId) {
    var box = document.getElementById(checkboxId);
    var target = document.getElementById(targetId);
    if (!box || !target) { return; }
    function sync() { target.hidden = !box.checked; }
    box.addEventListener("change", sync);
    sync();
  }
  toggle("id_has_regulations", "div_id_regulations_adopted_on");
  toggle("id_is_exemplar", "div_id_exemplar_note");
})();
