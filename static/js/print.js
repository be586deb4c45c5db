/* A "Print" button (`[data-print]`) prints the page. It is hidden until this script shows it, so that a
 * page without scripts offers no button that does nothing (the browser's own print still works). */
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
