/* The maps: territorial units (staff map, public territory) and POA actions (public pages).
   No inline script under our CSP: each `.map` element says where its GeoJSON is, either a
   json_script data island (`data-features`: its id) or an address on our site (`data-src`,
   fetched; connect-src 'self'), and how to draw it (`data-mode`):
   - "units" (the default): units coloured by environmental policy. Colours come from the CSS
     custom properties --policy-* (pmot.css), so the legend and the map cannot disagree; each
     policy also has its own line pattern, for those who do not tell the colours apart.
   - "actions": a POA's actions as points coloured by kind (--kind-*), and the territorial
     units of the actions without an exact point as dashed areas.
   Works with no tile server: the features draw on a plain background. The page's list is the
   text alternative of every map. */
(function () {
  "use strict";

  if (!window.L) {
    return;
  }
  var css = getComputedStyle(document.documentElement);

  function colour(name) {
    return css.getPropertyValue(name).trim() || "#59626d";
  }

  var DASHES = {
    sustainable_use: null,
    conservation: "8 5",
    protection: "2 5",
    restoration: "12 4 2 4",
    none: null
  };

  function unitStyle(feature) {
    if (feature.geometry.type === "Point") {
      return { color: "#ffffff", weight: 2, fillColor: colour("--policy-point"), fillOpacity: 1 };
    }
    var policy = feature.properties.policy || "none";
    return {
      color: colour("--policy-" + policy),
      fillColor: colour("--policy-" + policy),
      weight: policy === "none" ? 1.5 : 2.5,
      dashArray: DASHES[policy],
      fillOpacity: 0.35
    };
  }

  function actionStyle(feature) {
    if (feature.properties.count) {
      // The unit of actions without an exact point: an outline, hollow when it is a point.
      var area = colour("--kind-area");
      return { color: area, weight: 2, dashArray: "6 4", fillColor: area, fillOpacity: 0.12 };
    }
    var kind = colour("--kind-" + feature.properties.kind);
    return { color: "#ffffff", weight: 1.5, fillColor: kind, fillOpacity: 0.95 };
  }

  function line(box, text) {
    if (text) {
      var div = document.createElement("div");
      div.textContent = text;
      box.appendChild(div);
    }
  }

  function popupOf(feature, data) {
    var p = feature.properties;
    var box = document.createElement("div");
    var title = p.key + " · " + p.name;
    if (p.url) {
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = title;
      box.appendChild(link);
    } else {
      line(box, title);
    }
    line(box, p.kind_label || (data.kinds && data.kinds[p.kind]));
    line(box, p.policy_label);
    line(box, p.summary);
    return box;
  }

  function draw(container, data) {
    var actions = container.dataset.mode === "actions";
    var many = data.features.length > 500;
    var map = L.map(container, { scrollWheelZoom: false, zoomSnap: 0.25, preferCanvas: many });
    if (container.dataset.tileUrl) {
      L.tileLayer(container.dataset.tileUrl, {
        attribution: container.dataset.tileAttribution,
        maxZoom: 19
      }).addTo(map);
    }
    var layer = L.geoJSON(data, {
      style: actions ? actionStyle : unitStyle,
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, { radius: actions && many ? 5 : 7 });
      },
      onEachFeature: function (feature, item) {
        // A text node: Leaflet writes string content as HTML, and names come from users.
        var label = document.createElement("span");
        label.textContent = feature.properties.key + " · " + feature.properties.name;
        item.bindTooltip(label);
        item.bindPopup(popupOf(feature, data));
      }
    }).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [12, 12], maxZoom: actions ? 15 : 14 });
    } else {
      map.setView([23.6, -102.5], 5); // Mexico, when there is nothing to show yet
    }
  }

  function failed(container) {
    container.classList.add("map--failed");
    container.textContent = container.dataset.failed || "";
  }

  function load(container) {
    if (container.dataset.ready) {
      return; // the page included the script twice
    }
    container.dataset.ready = "1";
    if (container.dataset.features) {
      var source = document.getElementById(container.dataset.features);
      draw(container, JSON.parse(source.textContent));
      return;
    }
    fetch(container.dataset.src, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        draw(container, data);
      })
      .catch(function () {
        failed(container);
      });
  }

  var containers = document.querySelectorAll(".map[data-features], .map[data-src]");
  for (var i = 0; i < containers.length; i += 1) {
    load(containers[i]);
  }
})();
