/* Follows a report being made in the background without reloading the page. */
(function () {
  "use strict";
  var box = document.getElementById("report-progress");
  if (!box || box.dataset.finished === "1") { return; }
  var bar = document.getElementById("report-progress-bar");
  var label = document.getElementById("report-status-label");
  var percent = document.getElementById("report-progress-label");

  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        label.textContent = data.status_label;
        percent.textContent = data.progress + "%";
        bar.style.width = data.progress + "%";
        bar.parentNode.setAttribute("aria-valuenow", data.progress);
        if (!data.finished) { window.setTimeout(poll, 1000); return; }
        bar.classList.remove("progress-bar-striped", "progress-bar-animated");
        if (data.status === "done") {
          bar.classList.add("bg-success");
          document.getElementById("report-downloads").classList.remove("d-none");
        } else {
          bar.classList.add("bg-danger");
          var error = document.getElementById("report-error");
          error.querySelector("span").textContent = data.error;
          error.classList.remove("d-none");
          // Offered to those who may report the district (the form is there only for them).
          var retry = document.getElementById("report-retry");
          if (retry) { retry.classList.remove("d-none"); }
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 700);
})();
