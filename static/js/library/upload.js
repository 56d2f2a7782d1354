// Warn before sending a file the server would refuse for its size (the server checks again).
(function () {
  "use strict";
  function megabytes(bytes) {
    return (bytes / 1048576).toFixed(1);
  }
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
    var field = input.closest(".field");
    var warning = field ? field.querySelector(".library-upload-warning") : null;
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      var tooLarge = file && limit && file.size > limit;
      var empty = file && file.size === 0;
      input.setCustomValidity(tooLarge || empty ? "invalid" : "");
      if (!warning) {
        return;
      }
      if (tooLarge) {
        warning.textContent = (input.getAttribute("data-too-large") || "Too large: %s MB, limit %l MB")
          .replace("%s", megabytes(file.size)).replace("%l", megabytes(limit));
      } else if (empty) {
        warning.textContent = input.getAttribute("data-empty") || "This file is empty.";
      }
      warning.hidden = !(tooLarge || empty);
    });
  });
})();
