/* The unit form: show the school level only for schools, where it means something. */
(function () {
  "use strict";
  var kind = document.getElementById("id_kind");
  var level = document.getElementById("div_id_school_level");
  if (!kind || !level) { return; }
  function sync() { level.hidden = kind.value !== "nha_truong"; }
  kind.addEventListener("change", sync);
  sync();
})();
