// Admin pages: the compose form's live preview, and the progress panel refreshed every few seconds
// (the page reloads when the broadcast's status changes, so its buttons follow).
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  var form = document.getElementById("compose");
  var preview = document.getElementById("preview");
  if (form && preview) {
    var refresh = debounce(function () {
      fetch(form.dataset.preview, { method: "POST", body: new FormData(form), credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) { if (html) { preview.innerHTML = html; } })
        .catch(function () { /* the next keystroke tries again */ });
    }, 400);
    form.addEventListener("input", refresh);
    form.addEventListener("change", refresh);
    refresh();
  }

  var panel = document.getElementById("progress");
  var LIVE = ["scheduled", "sending", "paused"];
  if (panel && LIVE.indexOf(panel.dataset.status) >= 0) {
    var poll = setInterval(function () {
      fetch(panel.dataset.progress, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          if (!html) { return; }
          panel.innerHTML = html;
          var live = panel.querySelector("[data-live-status]");
          if (live && live.dataset.liveStatus !== panel.dataset.status) {
            clearInterval(poll);
            window.location.reload();  // the status changed: its buttons change too
          }
        })
        .catch(function () { /* try again at the next tick */ });
    }, 3000);
  }
})();
