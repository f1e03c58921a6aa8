// The phone menu is Material's drawer: a hidden checkbox that <label>s toggle (Material's own
// script is not loaded). This makes it a keyboard control: the メニュー label opens and closes it
// with Enter or Space, Escape closes it, and while it is closed (off screen) its links are inert,
// so Tab never walks into links nobody can see.
(function () {
  "use strict";
  var toggle = document.getElementById("__drawer");
  var drawer = document.querySelector(".md-sidebar--primary");
  var button = document.querySelector(".town-menu-button [role=button]");
  var nav = drawer && drawer.querySelector(".md-nav--primary");
  if (!toggle || !nav || !button) return;
  nav.setAttribute("tabindex", "-1");
  var narrow = window.matchMedia("(max-width: 76.234375em)"); // where Material makes it a drawer
  function update() {
    if (narrow.matches && !toggle.checked) drawer.setAttribute("inert", "");
    else drawer.removeAttribute("inert");
    button.setAttribute("aria-expanded", toggle.checked ? "true" : "false");
  }
  function open(yes) {
    toggle.checked = yes;
    update();
    if (yes) {
      // The menu itself takes the focus (its panels are shown by Material's CSS, which
      // a link inside may still be hidden by while the drawer slides in); Tab goes on from it.
      nav.focus();
    } else {
      button.focus();
    }
  }
  button.addEventListener("keydown", function (event) {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      open(!toggle.checked);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.checked && narrow.matches) open(false);
  });
  toggle.addEventListener("change", update);
  if (narrow.addEventListener) narrow.addEventListener("change", update);
  update();
})();
