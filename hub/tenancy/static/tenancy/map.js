// SPDX-License-Identifier: EUPL-1.2
// Draws tenant areas on a Leaflet map. The page lists the same tenants as text: the map is an
// addition, never the only way to reach a tenant.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var center = el.dataset.center.split(",").map(Number);
  var map = L.map(el, { keyboard: true }).setView(center, Number(el.dataset.zoom));
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 18 }).addTo(map);
  }
  var colours = { district: "#4a5a6a", network: "#7a3e9d", association: "#1f6f43",
                  municipality: "#0b5394", centre: "#a34700" };
  fetch(el.dataset.geojson).then(function (r) { return r.json(); }).then(function (data) {
    var only = el.dataset.only;
    var features = data.features.filter(function (f) { return !only || f.id === only; });
    // Large areas first, so the smaller ones on top stay clickable.
    var order = ["district", "network", "association", "municipality", "centre"];
    features.sort(function (a, b) { return order.indexOf(a.properties.kind) - order.indexOf(b.properties.kind); });
    var layer = L.geoJSON({ type: "FeatureCollection", features: features }, {
      style: function (f) {
        var c = colours[f.properties.kind] || "#333";
        var big = f.properties.kind === "district" || f.properties.kind === "network";
        return { color: c, weight: big ? 3 : 2, fillOpacity: big ? 0.03 : 0.2, dashArray: big ? "6 4" : null };
      },
      onEachFeature: function (f, l) {
        var a = document.createElement("a");
        a.href = f.properties.url;
        a.textContent = f.properties.name;
        l.bindPopup(a);
        l.bindTooltip(f.properties.name);
      }
    }).addTo(map);
    if (features.length) { map.fitBounds(layer.getBounds(), { padding: [10, 10] }); }
  });
  // The tenant's public layers from its OGC server (WMS), switchable; listed as links below.
  if (el.dataset.wms) {
    var overlays = {};
    el.dataset.wmsLayers.split(",").forEach(function (entry) {
      var parts = entry.split("|");
      overlays[parts[1]] = L.tileLayer.wms(el.dataset.wms, {
        layers: parts[0], format: "image/png", transparent: true, version: "1.3.0"
      }).addTo(map);
    });
    L.control.layers(null, overlays, { collapsed: false }).addTo(map);
  }
}());
