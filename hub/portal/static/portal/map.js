// SPDX-License-Identifier: EUPL-1.2
// Every map of the hub: `hubMap.create(el)` draws the base map (data-tiles, if configured) and
// the hub's own context layers (data-context: areas, stops, charging stations, addresses), so
// that no map is ever blank. Each page lists the same things as text: the map is an addition,
// never the only way. The map on the start and tenant pages (#map) is set up here as well.
(function () {
  "use strict";
  var KIND_ORDER = ["district", "network", "association", "municipality", "centre"];

  function popupLink(url, text) {
    var a = document.createElement("a");
    a.href = url;
    a.textContent = text;
    return a;
  }

  function areaLayer(map, data, only, colour, interactive) {
    var features = data.features.filter(function (f) { return !only || f.id === only; });
    // Large areas first, so the smaller ones on top stay clickable.
    features.sort(function (a, b) {
      return KIND_ORDER.indexOf(a.properties.kind) - KIND_ORDER.indexOf(b.properties.kind);
    });
    return L.geoJSON({ type: "FeatureCollection", features: features }, {
      interactive: interactive,
      style: function (f) {
        var big = f.properties.kind === "district" || f.properties.kind === "network";
        return { color: colour, weight: big ? 3 : 2, fillOpacity: only ? 0.05 : (big ? 0.02 : 0.12),
                 dashArray: big ? "6 4" : null };
      },
      onEachFeature: function (f, l) {
        if (!interactive) { return; }
        if (f.properties.url) { l.bindPopup(popupLink(f.properties.url, f.properties.name)); }
        l.bindTooltip(f.properties.name);
      }
    });
  }

  function pointLayer(data, colour, interactive) {
    return L.geoJSON(data, {
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 4, color: colour, weight: 1, fillOpacity: 0.8,
                                        interactive: interactive });
      },
      onEachFeature: function (f, l) {
        if (!interactive) { return; }
        var p = f.properties || {};
        var name = p.name || p.title || p.address || "";
        if (name) { l.bindTooltip(name); }
      }
    });
  }

  // options.pick: the map is for choosing a place (report, proposal). Its context layers then
  // take no clicks (no popups, no tooltips), so that every click reaches the map and sets
  // the place.
  function create(el, options) {
    options = options || {};
    var interactive = !options.pick;
    var center = (el.dataset.center || "52.29,11.41").split(",").map(Number);
    var map = L.map(el, { keyboard: true, zoomControl: options.zoomControl !== false })
      .setView(center, Number(el.dataset.zoom || 9));
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 19 }).addTo(map);
    }
    var layers = [];
    try { layers = JSON.parse(el.dataset.context || "[]"); } catch (e) { layers = []; }
    var only = el.dataset.only || "";
    var overlays = {};
    var fitted = false;
    var loads = layers.map(function (spec) {
      var done = window.hubReady ? window.hubReady.hold() : function () {};
      return fetch(spec.url).then(function (r) { return r.ok ? r.json() : { features: [] }; })
        .then(function (data) {
          var layer = spec.kind === "area" ? areaLayer(map, data, only, spec.color, interactive)
                                           : pointLayer(data, spec.color, interactive);
          layer.addTo(map);
          overlays[spec.title] = layer;
          if (spec.kind === "area" && !fitted && layer.getLayers().length) {
            map.fitBounds(layer.getBounds(), { padding: [10, 10] });
            fitted = true;
          }
          return layer;
        })
        .catch(function () { return null; })
        .then(function (layer) { done(); return layer; });
    });
    var ready = Promise.all(loads).then(function () {
      if (Object.keys(overlays).length > 1) {
        L.control.layers(null, overlays, { collapsed: true }).addTo(map);
      }
      el.dataset.layers = String(Object.keys(overlays).length);
      return map;
    });
    return { map: map, ready: ready };
  }

  window.hubMap = { create: create };

  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var made = create(el);
  // The tenant's public layers from its OGC server (WMS), switchable; listed as links below.
  if (el.dataset.wms) {
    var wms = {};
    el.dataset.wmsLayers.split(",").forEach(function (entry) {
      var parts = entry.split("|");
      wms[parts[1]] = L.tileLayer.wms(el.dataset.wms, {
        layers: parts[0], format: "image/png", transparent: true, version: "1.3.0"
      }).addTo(made.map);
    });
    // Open beside a wide map; folded on a phone, where it would cover the map.
    L.control.layers(null, wms, { collapsed: el.clientWidth < 600 }).addTo(made.map);
  }
}());
