/* Behaviour every page may use, kept out of the HTML: the Content-Security-Policy
   (config/settings/base.py) runs no inline script, event handler or style
   attribute, so the templates carry data attributes and this file acts on them. */
(function () {
  "use strict";

  // <form data-confirm="Question?">: ask before sending (deleting a file, say).
  document.addEventListener("submit", function (event) {
    var question = event.target.dataset && event.target.dataset.confirm;
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });

  // data-progress="40": a progress bar filled to 40 %.
  document.querySelectorAll("[data-progress]").forEach(function (bar) {
    bar.style.width = bar.dataset.progress + "%";
  });

  // data-rows="12": a chart box as tall as its number of bands (--rows in app.css).
  // Runs before the charts are drawn, so they take the box's final height.
  document.querySelectorAll("[data-rows]").forEach(function (box) {
    box.style.setProperty("--rows", box.dataset.rows);
  });
})();
