/* The territory map: draws the units given in a json_script (no inline script under our CSP).
   Colours come from the CSS custom properties --policy-* (pmot.css), so the legend and the map
   cannot disagree; each policy also has its own line pattern, for those who do not tell the
   colours apart. Works with no tile server: the units draw on a plain background. */
(function () {
  "use strict";

  var container = document.getElementById("map");
  if (!container || !window.L) {
    return;
  }
  var source = document.getElementById(container.dataset.features);
  var data = JSON.parse(source.textContent);
  var css = getComputedStyle(document.documentElement);

  function colour(name) {
    return css.getPropertyValue("--policy-" + name).trim() || "#59626d";
  }

  var DASHES = {
    sustainable_use: null,
    conservation: "8 5",
    protection: "2 5",
    restoration: "12 4 2 4",
    none: null
  };

  function styleOf(feature) {
    if (feature.geometry.type === "Point") {
      return { color: "#ffffff", weight: 2, fillColor: colour("point"), fillOpacity: 1 };
    }
    var policy = feature.properties.policy || "none";
    return {
      color: colour(policy),
      fillColor: colour(policy),
      weight: policy === "none" ? 1.5 : 2.5,
      dashArray: DASHES[policy],
      fillOpacity: 0.35
    };
  }

  function popupOf(feature) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = feature.properties.url;
    link.textContent = feature.properties.key + " · " + feature.properties.name;
    var kind = document.createElement("div");
    kind.textContent = feature.properties.kind_label;
    box.appendChild(link);
    box.appendChild(kind);
    if (feature.properties.policy_label) {
      var policy = document.createElement("div");
      policy.textContent = feature.properties.policy_label;
      box.appendChild(policy);
    }
    return box;
  }

  var map = L.map(container, { scrollWheelZoom: false, zoomSnap: 0.25 });
  if (container.dataset.tileUrl) {
    L.tileLayer(container.dataset.tileUrl, {
      attribution: container.dataset.tileAttribution,
      maxZoom: 19
    }).addTo(map);
  }

  var units = L.geoJSON(data, {
    style: styleOf,
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, { radius: 7 });
    },
    onEachFeature: function (feature, layer) {
      layer.bindTooltip(feature.properties.key + " · " + feature.properties.name);
      layer.bindPopup(popupOf(feature));
    }
  }).addTo(map);

  var bounds = units.getBounds();
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [12, 12], maxZoom: 14 });
  } else {
    map.setView([23.6, -102.5], 5); // Mexico, when there is nothing to show yet
  }
})();
