// SPDX-License-Identifier: EUPL-1.2
// The map of the report form: a click (or Enter on the focused map) sets the latitude and
// longitude fields, which stay visible and editable, so the form works without the map too.
// Open reports close to the chosen place are listed, to avoid duplicates.
(function () {
  "use strict";
  var el = document.getElementById("report-map");
  if (!el || !window.L) { return; }
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  var nearby = document.getElementById("nearby");
  var center = el.dataset.center.split(",").map(Number);
  var map = L.map(el, { keyboard: true }).setView(center, Number(el.dataset.zoom));
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 19 }).addTo(map);
  }
  fetch(el.dataset.geojson).then(function (r) { return r.json(); }).then(function (data) {
    var only = data.features.filter(function (f) { return f.id === el.dataset.only; });
    var area = L.geoJSON({ type: "FeatureCollection", features: only },
                         { style: { color: "#0b5394", weight: 2, fillOpacity: 0.05 } }).addTo(map);
    if (only.length) { map.fitBounds(area.getBounds()); }
  });
  var marker = null;
  function choose(latlng) {
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
    var d = 0.002;
    var bbox = [latlng.lng - d, latlng.lat - d, latlng.lng + d, latlng.lat + d].join(",");
    fetch(el.dataset.nearby + "&bbox=" + bbox).then(function (r) { return r.json(); })
      .then(function (items) {
        nearby.textContent = "";
        if (!items.length) { return; }
        var p = document.createElement("p");
        p.textContent = document.documentElement.lang === "en"
          ? "Open reports close by (perhaps yours is already known):"
          : "Offene Meldungen in der Nähe (vielleicht ist Ihre schon bekannt):";
        var ul = document.createElement("ul");
        items.slice(0, 5).forEach(function (item) {
          var li = document.createElement("li");
          li.textContent = "#" + item.service_request_id + " " + item.service_name + ": " +
            item.description.slice(0, 80);
          ul.appendChild(li);
        });
        nearby.appendChild(p);
        nearby.appendChild(ul);
      });
  }
  map.on("click", function (e) { choose(e.latlng); });
  el.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { choose(map.getCenter()); }
  });
}());
