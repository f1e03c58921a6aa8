// Text size and high contrast: remembered across pages (localStorage), set on <html> early
// by the inline snippet in main.html; these buttons change them. Plain buttons: keyboard-usable.
(function () {
  "use strict";
  var KEY = "town-prefs";
  function read() {
    try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
  }
  function apply(prefs) {
    var root = document.documentElement;
    root.classList.toggle("town-large", !!prefs.large);
    root.classList.toggle("town-contrast", !!prefs.contrast);
    document.querySelectorAll("[data-town-pref]").forEach(function (button) {
      var on = String(!!prefs[button.dataset.townPref]) === button.dataset.townValue;
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-town-pref]");
    if (!button) return;
    var prefs = read();
    prefs[button.dataset.townPref] = button.dataset.townValue === "true";
    try { localStorage.setItem(KEY, JSON.stringify(prefs)); } catch (e) { /* private mode: this page only */ }
    apply(prefs);
  });
  apply(read());
})();
