// SPDX-License-Identifier: EUPL-1.2
// The page's ready signal: <html data-ready="true"> once the page is parsed and everything its
// scripts fetch at first (a map's context layers, say) has arrived. Scripts that load something
// call `var done = hubReady.hold();` and `done()` when it is there, or when it failed. Tests and
// screenshots wait for this signal, never for "network idle" (a map keeps loading tiles).
(function () {
  "use strict";
  var pending = 1;
  function release() {
    pending -= 1;
    if (pending === 0) { document.documentElement.dataset.ready = "true"; }
  }
  window.hubReady = {
    hold: function () {
      var done = false;
      pending += 1;
      return function () { if (!done) { done = true; release(); } };
    }
  };
  // A button marked data-print prints the page (no inline handler: the policy allows none).
  // It is hidden in the markup and shown here, so that without script there is no dead button.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
  document.addEventListener("DOMContentLoaded", release);
}());
