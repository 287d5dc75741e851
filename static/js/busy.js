/* <form data-busy="Đang tạo báo cáo…">: the moment it is sent, its button is
   disabled and shows a spinner and that message. Without a Celery worker the
   report is made inside the request (several seconds with nothing on screen),
   and a second click would ask for a second version. */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.dataset && form.dataset.busy;
    // A form whose sending was cancelled (data-confirm answered "no") stays as it is.
    if (!message || event.defaultPrevented) { return; }
    if (form.getAttribute("aria-busy") === "true") { event.preventDefault(); return; }
    form.setAttribute("aria-busy", "true");
    form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (button) {
      button.dataset.busyLabel = button.innerHTML;
      button.disabled = true;
      var spinner = document.createElement("span");
      spinner.className = "spinner-border spinner-border-sm me-1";
      spinner.setAttribute("aria-hidden", "true");
      button.replaceChildren(spinner, document.createTextNode(message));
    });
    // Said once by a screen reader, which does not read a disabled button again.
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.dataset.busyStatus = "";
    form.appendChild(status);
    window.setTimeout(function () { status.textContent = message; }, 50);
  });

  // Back to a page the browser kept in memory: the buttons work again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[aria-busy=true]").forEach(function (form) {
      form.removeAttribute("aria-busy");
      form.querySelectorAll("[data-busy-status]").forEach(function (status) { status.remove(); });
      form.querySelectorAll("button[data-busy-label]").forEach(function (button) {
        button.innerHTML = button.dataset.busyLabel;
        button.disabled = false;
        delete button.dataset.busyLabel;
      });
    });
  });
})();
