/* The stories feed, live. The page works without this script; with it, the first page follows the
 * stories stream of each network it shows through Convene.realtime and counts, in a "N new stories —
 * show" bar, the stories published since it loaded that its filters would list. "show" fetches the page
 * again and puts its fresh list in place of the old one.
 *
 * A `story.published` event carries the story's kind, language, tags and its author's public region,
 * which are matched against the page's filters (the network filter is the choice of streams). A story
 * shared with several networks arrives once per stream and counts once; `story.withdrawn` uncounts it.
 * Stories already on the page are not counted.
 */
(function () {
  "use strict";

  var configElement = document.getElementById("stories-config");
  if (!configElement || !window.Convene || !window.Convene.realtime) return;
  var config = JSON.parse(configElement.textContent);
  var strings = config.strings;
  var filters = config.filters;
  var realtime = window.Convene.realtime;
  var bar = document.querySelector("[data-stories-live-bar]");
  var announced = {}; // story id -> true, for stories published since the list was loaded

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, name) { return String(values[name]); });
  }

  function count() { return Object.keys(announced).length; }

  function showCount() {
    var total = count();
    bar.hidden = total === 0;
    if (total) bar.textContent = total === 1 ? strings.newOne : format(strings.newMany, { count: total });
  }

  function listed(id) {
    return Boolean(document.querySelector('[data-stories-list] [data-story-id="' + Number(id) + '"]'));
  }

  function matches(data) {
    if (filters.kind && data.kind !== filters.kind) return false;
    if (filters.language && data.language !== filters.language) return false;
    if (filters.region && data.region !== filters.region) return false;
    if (filters.tag && (data.tags || []).indexOf(filters.tag) === -1) return false;
    return true;
  }

  function onEvent(kind, data) {
    if (kind === "story.published" && matches(data) && !listed(data.id)) announced[data.id] = true;
    else if (kind === "story.withdrawn") delete announced[data.id];
    showCount();
  }

  config.streams.forEach(function (followed) {
    realtime.subscribe(followed.stream, { event: onEvent }, followed.lastSeq);
  });

  bar.addEventListener("click", function () {
    fetch(config.feedUrl, { credentials: "same-origin", headers: { Accept: "text/html" } }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-stories-list]");
      document.querySelector("[data-stories-list]").replaceWith(document.importNode(fresh, true));
      announced = {};
      showCount();
      // Keyboard and screen-reader users land on the fresh list.
      var first = document.querySelector("[data-stories-list] .story-card__title a");
      if (first) first.focus();
    }).catch(function () { window.location.assign(config.feedUrl); });
  });
})();
