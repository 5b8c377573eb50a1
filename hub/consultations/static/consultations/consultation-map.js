// SPDX-License-Identifier: EUPL-1.2
// The consultation map. Everything it shows is also on the page as text (the list of proposals),
// and everything it does has a form field next to it:
//  - page: draws the area and the proposals, each linking to its page;
//  - data-pick: a click (or Enter on the focused map) fills the latitude/longitude fields;
//  - data-draw: clicks add corners of the area, written as a GeoJSON polygon into the area field.
(function () {
  "use strict";
  var el = document.getElementById("consultation-map");
  if (!el || !window.L) { return; }
  // On a map for choosing (a spot, an area) nothing drawn may take the click from the map.
  var picking = Boolean(el.dataset.pick || el.dataset.draw);
  var map = window.hubMap.create(el, { pick: picking }).map;
  if (el.dataset.geojson) {
    var done = window.hubReady.hold();
    fetch(el.dataset.geojson).then(function (r) { return r.json(); }).then(function (data) {
      var layer = L.geoJSON(data, {
        interactive: !picking,
        style: { color: "#5f3dc4", weight: 2, fillOpacity: 0.05 },
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { radius: 7, color: "#fff", weight: 1, fillColor: "#5f3dc4", fillOpacity: 0.9,
                                          interactive: !picking });
        },
        onEachFeature: function (f, l) {
          if (!picking && f.properties && f.properties.url) {
            var a = document.createElement("a");
            a.href = f.properties.url;
            a.textContent = f.properties.title + " (" + f.properties.supports + ")";
            l.bindPopup(a);
          }
        }
      }).addTo(map);
      if (layer.getLayers().length) { map.fitBounds(layer.getBounds()); }
    }).catch(function () { return null; }).then(function () { done(); });
  }
  if (el.dataset.pick) {
    var lat = document.getElementById("id_lat");
    var lon = document.getElementById("id_lon");
    var marker = null;
    var choose = function (latlng) {
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        // Leaflet guesses its image path, which fails behind hashed static names: given here.
        var icon = L.icon({ iconUrl: el.dataset.icon, iconRetinaUrl: el.dataset.iconRetina,
                            shadowUrl: el.dataset.iconShadow, iconSize: [25, 41], iconAnchor: [12, 41],
                            shadowSize: [41, 41] });
        marker = L.marker(latlng, { icon: icon, alt: el.dataset.textMarker, interactive: false,
                                    keyboard: false }).addTo(map);
      }
    };
    map.on("click", function (e) { choose(e.latlng); });
    el.addEventListener("keydown", function (e) { if (e.key === "Enter") { choose(map.getCenter()); } });
  }
  if (el.dataset.draw) {
    var field = document.getElementById("id_area");
    var corners = [];
    var shape = null;
    var add = function (latlng) {
      corners.push([Number(latlng.lng.toFixed(6)), Number(latlng.lat.toFixed(6))]);
      if (shape) { map.removeLayer(shape); }
      shape = L.polygon(corners.map(function (c) { return [c[1], c[0]]; }), { color: "#c92a2a" }).addTo(map);
      if (corners.length >= 3) {
        field.value = JSON.stringify({ type: "Polygon", coordinates: [corners.concat([corners[0]])] });
      }
    };
    map.on("click", function (e) { add(e.latlng); });
    el.addEventListener("keydown", function (e) { if (e.key === "Enter") { add(map.getCenter()); } });
  }
}());
