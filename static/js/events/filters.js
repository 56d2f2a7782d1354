// The listing's filters sit in <details class="filters-toggle">: closed on a phone, so the
// events come first; opened here on a wide screen, where they fit beside each other.
(function () {
  "use strict";
  if (!window.matchMedia("(min-width: 40rem)").matches) return;
  document.querySelectorAll("details.filters-toggle").forEach(function (details) {
    details.open = true;
  });
})();
