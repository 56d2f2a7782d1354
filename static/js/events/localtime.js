// Tells the server the reader's time zone, so that a reader who is not signed in sees event
// times in their own zone too ("10:00 IST (13:30 JST)"). The server formats every time
// (setu/core/timefmt.py); this script only stores the browser's zone in the "setu_tz" cookie.
// On the first page, before the cookie existed, the reader's parts were left empty
// (<span class="reader-time reader-time--pending" data-key="...">): the page is fetched once
// more with the cookie and those parts are copied from it.
(function () {
  "use strict";
  var readerZone;
  try {
    readerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  // IANA names are letters, digits and _ / + -, all safe in a cookie as they are.
  if (!readerZone || !/^[A-Za-z0-9_\/+-]{1,64}$/.test(readerZone)) {
    return;
  }
  var cookie = "setu_tz=" + readerZone;
  var known = document.cookie.split("; ").indexOf(cookie) !== -1;
  if (!known) {
    document.cookie =
      cookie + "; path=/; max-age=31536000; SameSite=Lax" +
      (location.protocol === "https:" ? "; Secure" : "");
  }
  var pending = document.querySelectorAll(".reader-time--pending[data-key]");
  if (!pending.length || document.cookie.split("; ").indexOf(cookie) === -1) {
    return;
  }
  fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
    .then(function (response) {
      return response.ok ? response.text() : "";
    })
    .then(function (html) {
      if (!html) {
        return;
      }
      var fresh = new DOMParser().parseFromString(html, "text/html");
      var byKey = {};
      var filled = fresh.querySelectorAll(".reader-time[data-key]:not(.reader-time--pending)");
      filled.forEach(function (element) {
        (byKey[element.dataset.key] = byKey[element.dataset.key] || []).push(element.textContent);
      });
      pending.forEach(function (element) {
        var texts = byKey[element.dataset.key];
        if (texts && texts.length) {
          element.textContent = texts.shift();
          element.classList.remove("reader-time--pending");
        }
      });
    })
    .catch(function () {});
})();
