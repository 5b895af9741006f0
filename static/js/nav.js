// The staff navigation's menus (details/summary): one open at a time, closed by Escape or a
// click elsewhere. Without this script the menus still open and close.
(function () {
  "use strict";
  var menus = Array.prototype.slice.call(document.querySelectorAll(".site-nav details"));
  function closeAll(except) {
    menus.forEach(function (menu) {
      if (menu !== except) { menu.removeAttribute("open"); }
    });
  }
  menus.forEach(function (menu) {
    menu.addEventListener("toggle", function () {
      if (menu.open) { closeAll(menu); }
    });
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest(".site-nav details")) { closeAll(null); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = menus.filter(function (menu) { return menu.open; })[0];
    if (open) {
      closeAll(null);
      open.querySelector("summary").focus();
    }
  });
})();
