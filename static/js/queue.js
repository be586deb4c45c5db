/* A network's review queue, live. The page works without this script (reload to see what changed);
 * this script follows the network's moderation stream through Convene.realtime:
 *
 * - item.opened: the item is fetched rendered by the server (the `items` address, with the page's own
 *   partial) and put at the top of the list, and a polite live region says so;
 * - item.updated: the item's report count changes at once, then the item is fetched again (its reasons
 *   and notes) and moves to the top, as the queue is ordered by latest activity;
 * - item.handled: the item leaves the list at once, and the live region says who handled it.
 *
 * Items arrive as HTML rendered by the server; everything else is set with textContent.
 */
(function () {
  "use strict";

  var configElement = document.getElementById("queue-config");
  if (!configElement || !window.Convene || !window.Convene.realtime) return;
  var config = JSON.parse(configElement.textContent);
  var strings = config.strings;
  var list = document.querySelector("[data-queue-items]");
  var empty = document.querySelector("[data-queue-empty]");
  var total = document.querySelector("[data-queue-total]");
  var announcer = document.querySelector("[data-queue-announce]");
  var errorBox = document.querySelector("[data-queue-error]");
  var handled = {}; // item id -> true, for items handled since the page loaded

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, name) { return String(values[name]); });
  }

  function announce(text) { announcer.textContent = text; }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  function itemElement(id) { return document.getElementById("item-" + id); }

  /* The total counts every open item, on this page or another: only the stream's events change it. */
  function totalChanged(delta) {
    if (!total) return;
    var count = Math.max(0, Number(total.dataset.queueTotal) + delta);
    total.dataset.queueTotal = String(count);
    total.textContent = count === 1 ? strings.waitingOne : format(strings.waitingMany, { count: count });
  }

  function listChanged() { empty.hidden = list.children.length > 0; }

  function showReports(element, count) {
    var badge = element.querySelector("[data-item-count]");
    if (badge) badge.textContent = count === 1 ? strings.oneReport : format(strings.reports, { count: count });
  }

  /* The item rendered by the server, or null once it is no longer open. */
  function fetchItem(id) {
    return fetch(config.itemsUrl + "?id=" + encodeURIComponent(id), {
      credentials: "same-origin",
      headers: { Accept: "text/html" }
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.text();
    }).then(function (html) {
      var holder = document.createElement("template");
      holder.innerHTML = html; // rendered and escaped by the server
      return holder.content.querySelector(".mod-item");
    });
  }

  /* Show the item's current state at the top of the list (newest activity first). */
  function bringUp(id) {
    return fetchItem(id).then(function (fresh) {
      if (handled[id]) return null; // handled while it was being fetched
      var current = itemElement(id);
      if (!fresh) {
        if (current) remove(current);
        return null;
      }
      if (current) current.remove();
      list.insertBefore(fresh, list.firstChild);
      listChanged();
      showError("");
      return fresh;
    }).catch(function () { showError(strings.failed); });
  }

  function remove(element) {
    var focused = element.contains(document.activeElement);
    var next = element.nextElementSibling || element.previousElementSibling;
    element.remove();
    listChanged();
    if (focused) (next || document.getElementById("open-title")).focus();
  }

  function opened(data) {
    if (itemElement(data.id)) return; // listed when the page was read
    totalChanged(1);
    if (!config.firstPage) return;
    bringUp(data.id).then(function (shown) {
      if (shown) announce(format(strings.opened, { title: data.title }));
    });
  }

  function updated(data) {
    var current = itemElement(data.id);
    if (current) showReports(current, data.report_count);
    if (current || config.firstPage) bringUp(data.id);
  }

  function itemHandled(data) {
    if (handled[data.id]) return;
    handled[data.id] = true;
    totalChanged(-1);
    var current = itemElement(data.id);
    if (!current) return;
    var title = current.querySelector(".mod-item__title").textContent.trim();
    remove(current);
    announce(format(strings.handled, { who: data.handled_by, title: title }));
  }

  window.Convene.realtime.subscribe(config.stream, {
    event: function (kind, data) {
      if (kind === "item.opened") opened(data);
      else if (kind === "item.updated") updated(data);
      else if (kind === "item.handled") itemHandled(data);
    },
    lost: function () { showError(strings.lost); }
  }, config.lastSeq);
})();
