// SPDX-License-Identifier: EUPL-1.2
// The map of the report form: a click (or Enter on the focused map) sets the latitude and
// longitude fields, which stay visible and editable, so the form works without the map too.
// Open reports close to the chosen place are listed, to avoid duplicates. The texts come
// translated from the template (data-text-*), so the script holds no language of its own.
(function () {
  "use strict";
  var el = document.getElementById("report-map");
  if (!el || !window.L) { return; }
  var text = el.dataset;
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  var chosen = document.getElementById("chosen");
  var nearby = document.getElementById("nearby");
  // The base map, the tenant's area and its stops, charging stations and addresses.
  var map = window.hubMap.create(el, { zoomControl: false, pick: true }).map;
  L.control.zoom({ zoomInTitle: text.textZoomIn, zoomOutTitle: text.textZoomOut }).addTo(map);
  // Leaflet guesses its image folder from leaflet.css, which fails once the static files carry
  // hashes in their names; the template hands over the real addresses.
  var icon = L.icon({
    iconUrl: el.dataset.icon,
    iconRetinaUrl: el.dataset.iconRetina,
    shadowUrl: el.dataset.iconShadow,
    iconSize: [25, 41],
    iconAnchor: [12, 41],
    shadowSize: [41, 41]
  });
  var marker = null;
  function choose(latlng) {
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
    chosen.textContent = text.textChosen.replace("{lat}", lat.value).replace("{lon}", lon.value);
    if (marker) {
      marker.setLatLng(latlng);
    } else {
      // Not a control of its own: no tab stop, clicks go through to the map.
      marker = L.marker(latlng, { icon: icon, alt: text.textMarker, interactive: false,
                                  keyboard: false }).addTo(map);
    }
    var d = 0.002;
    var bbox = [latlng.lng - d, latlng.lat - d, latlng.lng + d, latlng.lat + d].join(",");
    var done = window.hubReady.hold();
    fetch(el.dataset.nearby + "&bbox=" + bbox).then(function (r) { return r.json(); })
      .then(function (items) {
        nearby.textContent = "";
        if (!items.length) { return; }
        var p = document.createElement("p");
        p.textContent = text.textNearby;
        var ul = document.createElement("ul");
        items.slice(0, 5).forEach(function (item) {
          var li = document.createElement("li");
          li.textContent = "#" + item.service_request_id + " " + item.service_name + ": " +
            item.description.slice(0, 80);
          ul.appendChild(li);
        });
        nearby.appendChild(p);
        nearby.appendChild(ul);
      })
      .catch(function () { return null; })
      .then(function () { done(); });
  }
  map.on("click", function (e) { choose(e.latlng); });
  el.addEventListener("keydown", function (e) {
    // Only on the map itself: Enter on a zoom button or a link in it does what they do.
    if (e.key === "Enter" && e.target === el) {
      e.preventDefault();
      choose(map.getCenter());
    }
  });
}());
