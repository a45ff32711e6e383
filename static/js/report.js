// Progressive enhancement of the public report form. Everything works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Contact fields only matter when the reporter wants to be contacted.
  const contactChoices = document.querySelectorAll('input[name="contact"]');
  if (contactChoices.length) {
    const details = ["name", "phone", "email", "consent"]
      .map((name) => document.querySelector(`[name="${name}"]`))
      .filter((field) => field)
      .map((field) => field.closest(".form-field"));
    const update = () => {
      const chosen = document.querySelector('input[name="contact"]:checked');
      const wanted = chosen !== null && chosen.value === "contact";
      details.forEach((block) => {
        block.hidden = !wanted;
      });
    };
    contactChoices.forEach((choice) => choice.addEventListener("change", update));
    update();
  }

  // Typing a municipality means the place is in the Netherlands.
  const municipality = document.querySelector('input[name="municipality"]');
  const inTheNetherlands = document.querySelector('input[name="place"][value="municipality"]');
  if (municipality && inTheNetherlands) {
    municipality.addEventListener("input", () => {
      if (municipality.value.trim()) {
        inTheNetherlands.checked = true;
      }
    });
  }
});
