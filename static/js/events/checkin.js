// Check-in at the door: scan a ticket's QR code with the camera (the browser's BarcodeDetector,
// where it exists) and submit it; typing the code works everywhere. htmx posts the form and
// swaps in the result, so the page stays ready for the next person.
(function () {
  "use strict";
  var form = document.getElementById("checkin-form");
  if (!form) {
    return;
  }
  var input = form.querySelector("input[name=code]");
  var button = document.getElementById("scan-button");
  var video = document.getElementById("scan-video");
  var unsupported = document.getElementById("scan-unsupported");

  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.target === form) {
      input.value = "";
      input.focus();
    }
  });

  var canScan =
    "BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  if (!canScan) {
    unsupported.hidden = false;
    return;
  }
  button.hidden = false;

  var stream = null;
  var detector = null;
  var lastValue = "";
  var lastAt = 0;

  function stop() {
    if (stream) {
      stream.getTracks().forEach(function (track) {
        track.stop();
      });
    }
    stream = null;
    video.hidden = true;
    button.textContent = button.dataset.startLabel;
  }

  function scan() {
    if (!stream) {
      return;
    }
    detector
      .detect(video)
      .then(function (codes) {
        if (codes.length) {
          var value = codes[0].rawValue;
          var now = Date.now();
          // The same ticket stays in view for a while: submit it once, not every frame.
          if (value !== lastValue || now - lastAt > 4000) {
            lastValue = value;
            lastAt = now;
            input.value = value;
            form.requestSubmit();
          }
        }
      })
      .catch(function () {})
      .finally(function () {
        window.setTimeout(scan, 250);
      });
  }

  function start() {
    detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        button.textContent = button.dataset.stopLabel;
        return video.play();
      })
      .then(scan)
      .catch(function () {
        stop();
        unsupported.hidden = false;
      });
  }

  button.addEventListener("click", function () {
    if (stream) {
      stop();
    } else {
      start();
    }
  });
})();
