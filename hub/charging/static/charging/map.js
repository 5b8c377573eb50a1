// SPDX-License-Identifier: EUPL-1.2
// The chargers on the tenant's charging page, coloured by their live status; each names its
// address and status. The list beside the map holds the same, so nothing is only here.
(function () {
  "use strict";
  var el = document.getElementById("charging-map");
  if (!el || !window.L || !window.hubMap) { return; }
  var map = window.hubMap.create(el).map;
  var COLOURS = { free: "#2b8a3e", busy: "#b35c00", out: "#c92a2a", unknown: "#5c5f66" };
  var done = window.hubReady ? window.hubReady.hold() : function () {};
  fetch(el.dataset.chargers).then(function (r) { return r.ok ? r.json() : { features: [] }; })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { radius: 7, color: "#fff", weight: 2, fillOpacity: 0.95,
                                          fillColor: COLOURS[f.properties.status] || COLOURS.unknown,
                                          className: "charger-marker charger-" + f.properties.status });
        },
        onEachFeature: function (f, l) {
          var p = f.properties;
          l.bindTooltip(p.address + ", " + p.city + ": " + (el.dataset[p.status] || p.status));
        }
      }).addTo(map);
      if (layer.getLayers().length) { map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 15 }); }
      el.dataset.drawn = String(layer.getLayers().length);
    })
    .catch(function () { return null; })
    .then(function () { done(); });
}());
