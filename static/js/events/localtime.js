// Fills <time class="local-time" datetime="..." data-venue-zone="..."> with the reader's own
// local time, when it differs from the venue's. Signed-in readers get this from the server.
(function () {
  "use strict";
  var readerZone;
  try {
    readerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  var lang = document.documentElement.lang || undefined;
  document.querySelectorAll("time.local-time[datetime]").forEach(function (element) {
    if (!readerZone || element.dataset.venueZone === readerZone) {
      return;
    }
    var moment = new Date(element.getAttribute("datetime"));
    if (isNaN(moment.getTime())) {
      return;
    }
    element.textContent = new Intl.DateTimeFormat(lang, {
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZoneName: "short",
    }).format(moment);
  });
})();
