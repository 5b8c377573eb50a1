// SPDX-License-Identifier: EUPL-1.2
// The tenant's transport network on its mobility page: the lines in their colours (each links
// to its line page) and the stations (each links to its departure board), over the hub's
// context layers. The same stations are the list beside the map and the same lines are on the
// lines page, so nothing is only on the map.
(function () {
  "use strict";
  var el = document.getElementById("network-map");
  if (!el || !window.L || !window.hubMap) { return; }
  var map = window.hubMap.create(el).map;

  function link(url, text) {
    var a = document.createElement("a");
    a.href = url;
    a.textContent = text;
    return a;
  }
  function fill(template, values) {
    return Object.keys(values).reduce(function (url, key) {
      return url.replace("__" + key + "__", encodeURIComponent(values[key]).replace(/%3A/g, ":")
                                                                          .replace(/%2F/g, "/"));
    }, template);
  }
  function load(url, draw) {
    var done = window.hubReady ? window.hubReady.hold() : function () {};
    return fetch(url).then(function (r) { return r.ok ? r.json() : { features: [] }; })
      .then(draw).catch(function () { return null; }).then(function (layer) { done(); return layer; });
  }

  var lines = load(el.dataset.lines, function (data) {
    return L.geoJSON(data, {
      style: function (f) {
        var colour = f.properties.color ? "#" + f.properties.color.replace(/^#/, "") : "#1f5fa8";
        return { color: colour, weight: 3, opacity: 0.85 };
      },
      onEachFeature: function (f, l) {
        var p = f.properties;
        l.bindPopup(link(fill(el.dataset.lineUrl, { FEED: p.feed, ROUTE: p.route_id }),
                         el.dataset.lineText.replace("%s", p.line)));
        l.bindTooltip(el.dataset.lineText.replace("%s", p.line));
      }
    }).addTo(map);
  });
  var stations = load(el.dataset.stops, function (data) {
    var seen = {};
    var features = data.features.filter(function (f) {
      var key = f.properties.station;
      if (seen[key]) { return false; }
      seen[key] = true;
      return true;
    });
    return L.geoJSON({ type: "FeatureCollection", features: features }, {
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 5, color: "#fff", weight: 1, fillColor: "#2b8a3e",
                                        fillOpacity: 0.95, className: "station-marker" });
      },
      onEachFeature: function (f, l) {
        var p = f.properties;
        l.bindPopup(link(fill(el.dataset.boardUrl, { STATION: p.station }), p.name));
        l.bindTooltip(p.name);
      }
    }).addTo(map);
  });
  Promise.all([lines, stations]).then(function (layers) {
    var drawn = layers.filter(function (layer) { return layer && layer.getLayers().length; });
    if (drawn.length) {
      var bounds = drawn[drawn.length - 1].getBounds();
      map.fitBounds(bounds, { padding: [10, 10] });
    }
    el.dataset.network = String(drawn.reduce(function (n, layer) { return n + layer.getLayers().length; }, 0));
  });
}());
