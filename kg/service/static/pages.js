// Shared by the server-rendered pages: "copy" buttons (the Markdown of the examples page).
"use strict";

for (const button of document.querySelectorAll("button.copy")) {
  button.addEventListener("click", async () => {
    const source = document.getElementById(button.dataset.copyFrom);
    const label = button.textContent;
    try {
      await navigator.clipboard.writeText(source.value ?? source.textContent);
      button.textContent = "Copied";
    } catch {
      source.select?.();
      button.textContent = "Press Ctrl+C to copy";
    }
    setTimeout(() => { button.textContent = label; }, 2000);
  });
}
