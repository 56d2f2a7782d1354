// The results board: drag a card onto another stage's column to move the lead. The drop
// submits the card's own move form (the same request the keyboard's "Move" button makes), so
// the server moves, audits and, for a move backwards, asks for the reason.
(function () {
  "use strict";
  var board = document.querySelector(".results-board");
  if (!board) return;
  var dragged = null;
  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".results-card[data-lead]");
    if (!card) return;
    dragged = card;
    card.classList.add("is-dragged");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-lead"));
  });
  board.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragged");
    dragged = null;
    board.querySelectorAll(".is-target").forEach(function (el) { el.classList.remove("is-target"); });
  });
  board.addEventListener("dragover", function (event) {
    var column = event.target.closest && event.target.closest(".results-column");
    if (!dragged || !column) return;
    event.preventDefault();
    board.querySelectorAll(".is-target").forEach(function (el) {
      if (el !== column) el.classList.remove("is-target");
    });
    column.classList.add("is-target");
  });
  board.addEventListener("drop", function (event) {
    var column = event.target.closest && event.target.closest(".results-column");
    if (!dragged || !column) return;
    event.preventDefault();
    var form = dragged.querySelector("form.results-move");
    var stage = column.getAttribute("data-stage");
    if (!form || !stage || form.elements.to_stage.value === stage) return;
    form.elements.to_stage.value = stage;
    form.submit();
  });
})();
