/* The model form: show dependent fields only when they mean something. The host
   units (filter, chips, adding a unit on the spot) are unit_picker.js's. */
(function () {
  "use strict";

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
