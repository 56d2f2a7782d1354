// The budget line form: show the fixed-share fields only for "fixed amounts", and say how far
// their sum is from the line's amount. The server checks the sum again; this only helps.
(() => {
  const form = document.querySelector("[data-budget-form]");
  if (!form) return;
  const fieldset = form.querySelector("[data-fixed-shares]");
  const sum = form.querySelector("[data-share-sum]");
  const amount = form.querySelector("input[name=amount_jpy]");
  const shares = Array.from(form.querySelectorAll("[data-fixed-share]"));
  const yen = (n) => "¥" + n.toLocaleString("en-US");

  function chosen() {
    const checked = form.querySelector("input[name=split]:checked");
    return checked ? checked.value : "";
  }

  function update() {
    const fixed = chosen() === "fixed";
    fieldset.classList.toggle("is-hidden", !fixed);
    if (!fixed || !sum) return;
    const total = parseInt(amount.value || "0", 10) || 0;
    const given = shares.reduce((acc, input) => acc + (parseInt(input.value || "0", 10) || 0), 0);
    const left = total - given;
    sum.textContent = left === 0 ? "✓ " + yen(given) : yen(given) + " / " + yen(total) + " (" + (left > 0 ? "−" : "+") + yen(Math.abs(left)) + ")";
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
