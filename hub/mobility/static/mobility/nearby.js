// SPDX-License-Identifier: EUPL-1.2
// "Departures near me": where the browser can tell its position, a button puts it into the
// form as geo:lat,lon and sends it. Without script, or when the person declines, the form
// takes an address or a stop typed in: the button is an addition, never the only way.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.near-form").forEach(function (form) {
      var button = form.querySelector(".near-locate");
      var status = form.querySelector(".near-status");
      var input = form.querySelector("input[name=ort]");
      if (!button || !input || !navigator.geolocation) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        status.textContent = form.dataset.locating;
        navigator.geolocation.getCurrentPosition(function (position) {
          var c = position.coords;
          input.value = "geo:" + c.latitude.toFixed(5) + "," + c.longitude.toFixed(5);
          form.submit();
        }, function () {
          status.textContent = form.dataset.denied;
          input.focus();
        }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 });
      });
    });
  });
}());
