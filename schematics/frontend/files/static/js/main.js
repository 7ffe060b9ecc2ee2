// Scripts shared by every page, loaded by base.html with `defer`.
// Marks the document as scripted, so style.css can tell `.js` pages apart.
document.documentElement.classList.add("js");
