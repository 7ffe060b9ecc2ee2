// Scripts shared by every page, loaded by base.html with `defer`.
// Marks the document as scripted, so style.css can tell `.js` pages apart.
document.documentElement.classList.add("js");

// The account menu is a <details> element, which works without this script; with it, the
// menu also closes on a click elsewhere and on Escape, as menus do.
const openMenus = () => document.querySelectorAll("details.account-dropdown[open]");
document.addEventListener("click", (event) => {
  for (const menu of openMenus()) {
    if (!menu.contains(event.target)) {
      menu.open = false;
    }
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") {
    return;
  }
  for (const menu of openMenus()) {
    menu.open = false;
    menu.querySelector("summary").focus();
  }
});
