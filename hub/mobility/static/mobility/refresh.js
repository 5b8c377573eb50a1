// SPDX-License-Identifier: EUPL-1.2
// The departure board keeps itself current: every data-refresh seconds it fetches its own page
// and replaces the departures (#departures), announcing nothing (the region is not a live
// region: a screen reader is not interrupted each minute). A button pauses and resumes it
// (WCAG 2.2.1, timing adjustable). Without script the page has a link to reload it instead.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var board = document.getElementById("departures");
    var toggle = document.getElementById("refresh-toggle");
    if (!board || !toggle) { return; }
    var seconds = parseInt(board.dataset.refresh, 10) || 60;
    var timer = null;
    function update() {
      fetch(window.location.href, { headers: { "Accept": "text/html" } })
        .then(function (answer) { return answer.ok ? answer.text() : null; })
        .then(function (html) {
          if (!html) { return; }
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("departures");
          if (fresh) { board.innerHTML = fresh.innerHTML; }
        })
        .catch(function () { /* the next round tries again */ });
    }
    function start() { timer = window.setInterval(update, seconds * 1000); }
    function stop() { window.clearInterval(timer); timer = null; }
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var running = timer !== null;
      if (running) { stop(); } else { start(); }
      toggle.setAttribute("aria-pressed", running ? "true" : "false");
      toggle.textContent = running ? toggle.dataset.resume : toggle.dataset.pause;
    });
    start();
  });
}());
