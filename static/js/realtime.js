/* Convene's one websocket per tab.
 *
 * Pages ask for streams with Convene.realtime.subscribe(stream, handlers); this script owns the
 * socket: it reconnects with backoff and jitter, subscribes again with the last sequence number it
 * saw on each stream (so the server replays exactly what was missed), drops duplicates, and shows
 * "reconnecting…" while the link is down. No build step, no dependency.
 */
(function () {
  "use strict";

  var CLOSE_SESSION_ENDED = 4001;
  var CLOSE_RECONNECT = 4008;
  var MAX_BACKOFF_MS = 15000;

  var socket = null;
  var streams = {}; // stream -> {lastSeq, handlers}
  var pending = {}; // ref -> {resolve, reject}
  var nextRef = 1;
  var attempts = 0;
  var stopped = false;
  var queue = []; // frames waiting for the socket to open

  function banner() {
    var el = document.getElementById("realtime-status");
    if (!el) {
      el = document.createElement("div");
      el.id = "realtime-status";
      el.className = "realtime-status";
      el.setAttribute("role", "status");
      el.setAttribute("aria-live", "polite");
      el.hidden = true;
      document.body.appendChild(el);
    }
    return el;
  }

  function showStatus(text) {
    var el = banner();
    el.textContent = text || "";
    el.hidden = !text;
    document.documentElement.classList.toggle("realtime-down", Boolean(text));
  }

  function url() {
    var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    return scheme + "//" + window.location.host + "/ws/";
  }

  function rawSend(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
    } else {
      queue.push(frame);
    }
  }

  function subscribeFrame(stream) {
    var state = streams[stream];
    var frame = { type: "subscribe", stream: stream };
    if (state.lastSeq !== null) frame.since = state.lastSeq;
    return frame;
  }

  function connect() {
    if (stopped) return;
    socket = new WebSocket(url());
    socket.addEventListener("open", function () {
      attempts = 0;
      showStatus("");
      Object.keys(streams).forEach(function (stream) { rawSend(subscribeFrame(stream)); });
      var waiting = queue;
      queue = [];
      waiting.forEach(function (frame) { if (frame.type !== "subscribe") rawSend(frame); });
    });
    socket.addEventListener("message", function (message) {
      var frame;
      try { frame = JSON.parse(message.data); } catch (e) { return; }
      dispatch(frame);
    });
    socket.addEventListener("close", function (event) {
      socket = null;
      queue = []; // subscriptions are sent again on open; actions were answered with an error below
      Object.keys(pending).forEach(function (ref) {
        pending[ref].reject({ code: "disconnected", message: "The connection was lost; try again." });
      });
      pending = {};
      if (event.code === CLOSE_SESSION_ENDED) {
        stopped = true;
        showStatus("You have been signed out. Reload the page to continue.");
        return;
      }
      attempts += 1;
      var base = event.code === CLOSE_RECONNECT ? 250 : Math.min(MAX_BACKOFF_MS, 500 * Math.pow(2, attempts - 1));
      var delay = base / 2 + Math.random() * base; // jitter spreads a thousand reconnecting tabs
      showStatus("Reconnecting…");
      window.setTimeout(connect, delay);
    });
  }

  function handlersFor(stream) {
    return (streams[stream] && streams[stream].handlers) || {};
  }

  function dispatch(frame) {
    if (frame.type === "standing") {
      // About a network rather than a stream: whatever page is open hears it (static/js/standing.js).
      document.dispatchEvent(new CustomEvent("convene:standing", {
        detail: { network: frame.network, notice: frame.notice }
      }));
      return;
    }
    var state = frame.stream ? streams[frame.stream] : null;
    if (frame.type === "event") {
      if (!state || (state.lastSeq !== null && frame.seq <= state.lastSeq)) return; // duplicate
      state.lastSeq = frame.seq;
      if (state.handlers.event) state.handlers.event(frame.kind, frame.data, frame);
      return;
    }
    if (frame.type === "subscribed" && state) {
      if (state.lastSeq === null || frame.since < state.lastSeq) state.lastSeq = frame.since;
      if (state.handlers.subscribed) state.handlers.subscribed(frame);
    } else if (frame.type === "unsubscribed" && state && frame.reason === "access_lost") {
      if (state.handlers.lost) state.handlers.lost(frame);
      delete streams[frame.stream];
    } else if ((frame.type === "presence" || frame.type === "typing") && state) {
      var handler = handlersFor(frame.stream)[frame.type];
      if (handler) handler(frame);
    } else if (frame.type === "error" && frame.stream && state && !frame.ref) {
      if (state.handlers.error) state.handlers.error(frame);
    }
    if (frame.ref !== undefined && frame.ref !== null && pending[frame.ref]) {
      var waiter = pending[frame.ref];
      delete pending[frame.ref];
      if (frame.type === "error") waiter.reject(frame); else waiter.resolve(frame);
    }
  }

  var api = {
    /* Follow a stream. handlers: {event(kind, data, frame), presence(frame), typing(frame),
     * subscribed(frame), lost(frame), error(frame)}. lastSeq: the sequence the page was rendered at. */
    subscribe: function (stream, handlers, lastSeq) {
      streams[stream] = { lastSeq: lastSeq === undefined ? null : lastSeq, handlers: handlers || {} };
      if (!socket && !stopped) connect();
      else rawSend(subscribeFrame(stream));
    },
    unsubscribe: function (stream) {
      delete streams[stream];
      rawSend({ type: "unsubscribe", stream: stream });
    },
    /* Send an action frame; resolves with the server's ack, rejects with its error frame. */
    request: function (frame) {
      return new Promise(function (resolve, reject) {
        frame.ref = String(nextRef++);
        pending[frame.ref] = { resolve: resolve, reject: reject };
        if (!socket && !stopped) connect();
        rawSend(frame);
      });
    },
    send: function (frame) { rawSend(frame); },
    lastSeq: function (stream) { return streams[stream] ? streams[stream].lastSeq : null; }
  };

  window.Convene = window.Convene || {};
  window.Convene.realtime = api;
})();
