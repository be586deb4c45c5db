/* A member's standing, live. When a moderator mutes or suspends someone (or that ends), their open pages
 * hear it at once as a `convene:standing` event (static/js/realtime.js dispatches the server's
 * "standing" frame): every composer of that network, marked `[data-composer][data-network-id="<id>"]`,
 * is disabled and says why, or opens again when the notice is empty. A draft is kept as it was.
 *
 * The server refuses posts of a muted member whatever this script does; it only spares them writing a
 * message that would be refused.
 */
(function () {
  "use strict";

  var MARK = "data-standing-disabled";

  function noticeFor(composer) {
    var previous = composer.previousElementSibling;
    if (previous && previous.classList.contains("standing-notice")) return previous;
    var notice = document.createElement("p");
    notice.className = "standing-notice";
    notice.setAttribute("role", "status");
    notice.setAttribute("aria-live", "polite");
    composer.parentNode.insertBefore(notice, composer);
    return notice;
  }

  function close(composer, text) {
    noticeFor(composer).textContent = text;
    composer.querySelectorAll("input, textarea, select, button").forEach(function (control) {
      if (control.disabled || control.type === "hidden") return;
      control.disabled = true;
      control.setAttribute(MARK, "");
    });
  }

  function open(composer) {
    var previous = composer.previousElementSibling;
    if (previous && previous.classList.contains("standing-notice")) previous.remove();
    composer.querySelectorAll("[" + MARK + "]").forEach(function (control) {
      control.disabled = false;
      control.removeAttribute(MARK);
    });
  }

  document.addEventListener("convene:standing", function (event) {
    var detail = event.detail || {};
    var selector = '[data-composer][data-network-id="' + String(Number(detail.network)) + '"]';
    document.querySelectorAll(selector).forEach(function (composer) {
      if (detail.notice) close(composer, detail.notice); else open(composer);
    });
  });
})();
