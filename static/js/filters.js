// A list's filters sit in <details class="filters-toggle">: closed on a phone, so the list
// comes first. On a wide screen, or when the page is already filtered, they are opened here.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 40rem)").matches;
  var filtered = Array.from(new URLSearchParams(window.location.search).keys()).some(
    function (key) { return key !== "page" && key !== "sort"; }
  );
  if (!wide && !filtered) return;
  document.querySelectorAll("details.filters-toggle").forEach(function (details) {
    details.open = true;
  });
})();
