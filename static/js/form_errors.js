/* After a failed save, take the user to the first field with an error: on a phone
   it can be several screens below the "Chưa lưu" message at the top. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-focus-first-error]");
  if (!form) { return; }
  // After the page has loaded: the unit picker folds a long list of units when
  // its script runs, which moves every field below it; scrolling before that
  // (or before the browser restores its own scroll position) lands elsewhere.
  function go() { window.requestAnimationFrame(focusFirstError); }
  if (document.readyState === "complete") { go(); } else { window.addEventListener("load", go); }

  function focusFirstError() {
    var invalid = Array.prototype.slice.call(form.querySelectorAll(".is-invalid, [aria-invalid=true], .invalid-feedback"));
    // A field hidden with its section (a date shown only when a box is ticked) cannot take the focus.
    var shown = invalid.filter(function (el) { return el.getClientRects().length > 0; })[0];
    if (!shown) { return; }
    var picker = shown.closest(".unit-picker.is-enhanced");
    var target = picker ? document.getElementById("unit-filter") : shown;
    if (!target.matches("input, select, textarea, button")) {
      var wrapper = target.closest("fieldset, .mb-3") || form;
      target = wrapper.querySelector("input:not([type=hidden]), select, textarea") || target;
    }
    var section = (picker || target.closest(".mb-3") || target);
    section.scrollIntoView({block: "start"});
    target.focus({preventScroll: true});
  }
})();
