// "Printable version" pages open the browser's print dialog once they have loaded.
window.addEventListener("load", function () {
  window.print();
});
