/* The forum's category and topic pages, live. Both pages work without this script (every action is a
 * link or a form); this script follows the page's stream through Convene.realtime and keeps the page
 * current without moving the text under the reader:
 *
 * - a category page counts the topics started since it loaded in a "N new topics — show" bar, and
 *   "show" loads the list again;
 * - a topic page counts new replies in a "N new replies — show" bar, and "show" fetches those posts
 *   rendered by the server with the page's own partial (one renderer), appends them and records how far
 *   the reader has read. Edits, deletions, reactions, pin and lock, and the accepted answer apply in
 *   place. Reactions go through the socket (`forum.react`).
 * - the moderators' actions reach the topic page too: a hidden post loses its words for everyone but
 *   its author and the moderators (the event carries none; those two fetch the post again to see it
 *   marked, with the reason), a post shown again is fetched rendered, a moved topic shows its new
 *   category, a merged topic leads to the topic it joined, and posts split off point to their new topic.
 *
 * The buttons inside a post (reactions, accepting an answer) belong to forms of the page itself through
 * their `form` attribute, so that posts carry no CSRF token of their own; without this script they
 * submit those forms to the post's address (`formaction`).
 *
 * Post bodies arrive as HTML sanitized by the server; everything else is set with textContent or
 * attributes.
 */
(function () {
  "use strict";

  var configElement = document.getElementById("forum-config");
  if (!configElement || !window.Convene || !window.Convene.realtime) return;
  var config = JSON.parse(configElement.textContent);
  var strings = config.strings;
  var realtime = window.Convene.realtime;
  var bar = document.querySelector("[data-forum-live-bar]");
  var errorBox = document.querySelector("[data-forum-error]");

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, name) { return String(values[name]); });
  }

  function showCount(count) {
    bar.hidden = count === 0;
    if (count) bar.textContent = count === 1 ? strings.newOne : format(strings.newMany, { count: count });
  }

  function showError(message) {
    if (!errorBox) return;
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  function fetchHtml(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.text();
    });
  }

  /* Keyboard and screen-reader users land on what was just shown. */
  function focusOn(element) {
    if (!element) return;
    if (!element.hasAttribute("tabindex")) element.setAttribute("tabindex", "-1");
    element.focus();
  }

  // --- A category ---------------------------------------------------------------------------------

  function followCategory() {
    var announced = {}; // topic id -> true, for topics started since the list was loaded

    function count() { return Object.keys(announced).length; }

    realtime.subscribe(config.stream, {
      event: function (kind, data) {
        if (kind === "topic.created") announced[data.id] = true;
        else if (kind === "topic.deleted") delete announced[data.id];
        showCount(count());
      }
    }, config.lastSeq);

    bar.addEventListener("click", function () {
      if (!config.firstPage) {
        window.location.assign(config.categoryUrl);
        return;
      }
      fetchHtml(config.categoryUrl).then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-forum-topics]");
        var current = document.querySelector("[data-forum-topics]");
        current.replaceWith(document.importNode(fresh, true));
        announced = {};
        showCount(0);
        focusOn(document.querySelector("[data-forum-topics] .forum-table__title"));
      }).catch(function () { window.location.assign(config.categoryUrl); });
    });
  }

  // --- A topic ------------------------------------------------------------------------------------

  function followTopic() {
    var list = document.querySelector("[data-forum-posts]");
    var reactionTemplate = document.getElementById("forum-reaction-template");
    var replyForm = document.querySelector("[data-forum-reply-form]");
    var notice = document.querySelector("[data-forum-notice]");
    var pending = {}; // number -> true, for replies announced but not on the page
    var readSent = config.readNumber;
    var acceptedId = config.acceptedId;

    function postElement(number) { return document.getElementById("post-" + number); }

    /* Whether the viewer sees `post` whatever the moderators do to it: its author, and the moderators. */
    function seesHidden(post) {
      return config.canModerate || (config.viewer !== null && Number(post.dataset.author) === config.viewer);
    }

    /* Put the post `number` on the page again as the server renders it now for this viewer. */
    function refreshPost(number) {
      return fetchHtml(config.postsUrl + "?after=" + (number - 1) + "&limit=1").then(function (html) {
        var holder = document.createElement("template");
        holder.innerHTML = html; // rendered and sanitized by the server
        var fresh = holder.content.querySelector('.forum-post[data-number="' + number + '"]');
        var current = postElement(number);
        if (fresh && current) current.replaceWith(fresh);
        showError("");
      }).catch(function () { showError(strings.failed); });
    }

    /* Take the words off a post and say why instead (`label`), with its reactions and actions. */
    function showGone(post, label) {
      post.classList.add("forum-post--gone");
      var body = post.querySelector("[data-forum-body]");
      body.textContent = "";
      body.hidden = true;
      var gone = post.querySelector("[data-forum-gone]");
      gone.textContent = label;
      gone.hidden = false;
      post.querySelector(".chat-reactions").textContent = "";
      post.querySelector(".forum-post__actions").textContent = "";
      return gone;
    }

    /* The quotes of post `number` on the page say `label` instead of its words. */
    function quotesGone(number, label) {
      var link = config.postsBase + number + "/";
      list.querySelectorAll(".forum-quote").forEach(function (quote) {
        if (quote.querySelector(".forum-quote__source a").getAttribute("href") !== link) return;
        var excerpt = quote.querySelector(".forum-quote__excerpt");
        excerpt.textContent = "";
        excerpt.appendChild(document.createElement("em")).textContent = label;
      });
    }

    function forget(number) {
      delete pending[number];
      showCount(pendingNumbers().length);
    }

    function lastShown() {
      var posts = list.querySelectorAll(".forum-post");
      return posts.length ? Number(posts[posts.length - 1].dataset.number) : config.lastNumber;
    }

    function pendingNumbers() {
      return Object.keys(pending).map(Number).sort(function (a, b) { return a - b; });
    }

    function markRead() {
      var number = lastShown();
      if (config.viewer === null || number <= readSent) return;
      readSent = number;
      realtime.request({ type: "forum.read", topic: config.topic, number: number }).catch(function () {
        readSent = 0; // try again at the next occasion
      });
    }

    function showNew() {
      var numbers = pendingNumbers();
      if (!numbers.length) return;
      if (!config.isLastPage) { // the new replies are on a later page: go and read them there
        window.location.assign(config.postsBase + numbers[0] + "/");
        return;
      }
      fetchHtml(config.postsUrl + "?after=" + lastShown()).then(function (html) {
        var holder = document.createElement("template");
        holder.innerHTML = html; // rendered and sanitized by the server
        var first = null;
        Array.prototype.slice.call(holder.content.querySelectorAll(".forum-post")).forEach(function (post) {
          delete pending[post.dataset.number];
          if (postElement(post.dataset.number)) return;
          list.appendChild(post);
          first = first || post;
        });
        showError("");
        showCount(pendingNumbers().length);
        focusOn(first);
        markRead();
      }).catch(function () { showError(strings.failed); });
    }

    // Events of the topic's stream.
    function postCreated(data) {
      if (postElement(data.number)) return;
      pending[data.number] = true;
      showCount(pendingNumbers().length);
    }

    function postEdited(data) {
      var post = postElement(data.number);
      if (!post || !data.body_html || post.classList.contains("forum-post--gone")) return;
      post.querySelector("[data-forum-body]").innerHTML = data.body_html; // sanitized by the server
      post.querySelector("[data-forum-edited]").hidden = false;
    }

    function postDeleted(data) {
      forget(data.number);
      var post = postElement(data.number);
      if (post) showGone(post, strings.deletedPost);
      quotesGone(data.number, strings.deleted);
    }

    function postHidden(data) {
      forget(data.number);
      var post = postElement(data.number);
      if (post && seesHidden(post)) {
        refreshPost(data.number); // marked hidden, with the reason
        return;
      }
      if (post) showGone(post, strings.hiddenPost);
      quotesGone(data.number, strings.hidden);
      if (data.number === 1 && !config.canModerate) { // the whole topic is hidden from this reader
        if (replyForm) replyForm.hidden = true;
        showError(strings.topicHidden);
      }
    }

    function postShown(data) {
      if (postElement(data.number)) refreshPost(data.number);
      else if (data.number > lastShown()) postCreated(data); // just approved: a new reply for this reader
    }

    function topicMoved(data) {
      fetchHtml(data.url || window.location.href).then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-forum-breadcrumb]");
        var current = document.querySelector("[data-forum-breadcrumb]");
        if (!fresh || !current) throw new Error("no breadcrumb");
        current.replaceWith(document.importNode(fresh, true));
      }).catch(function () { window.location.reload(); });
    }

    function topicSplit(data) {
      data.numbers.forEach(function (number) {
        forget(number);
        var post = postElement(number);
        if (!post) return;
        var gone = showGone(post, strings.splitPost + " ");
        if (data.into_url) {
          var link = gone.appendChild(document.createElement("a"));
          link.href = data.into_url;
          link.textContent = strings.splitLink;
        }
      });
    }

    function ownReactions(post) {
      var mine = {};
      post.querySelectorAll(".chat-reaction[aria-pressed=true]").forEach(function (button) { mine[button.value] = true; });
      return mine;
    }

    function reactionChanged(data) {
      var post = postElement(data.number);
      if (!post || post.classList.contains("forum-post--gone")) return;
      var mine = ownReactions(post);
      if (data.user === config.viewer) mine[data.kind] = data.on;
      var canReact = Boolean(post.querySelector(".chat-react-menu"));
      var labels = {};
      post.querySelectorAll(".chat-react-menu__choice").forEach(function (choice) { labels[choice.value] = choice.title; });
      var box = post.querySelector(".chat-reactions");
      var previous = {};
      box.querySelectorAll(".chat-reaction").forEach(function (button) { previous[button.value] = button.title; });
      box.textContent = "";
      data.reactions.forEach(function (reaction) {
        var button = reactionTemplate.content.firstElementChild.cloneNode(true);
        var pressed = Boolean(mine[reaction.kind]);
        var label = labels[reaction.kind] || previous[reaction.kind] || reaction.kind;
        button.setAttribute("form", pressed ? "forum-unreact" : "forum-react");
        button.setAttribute("formaction", config.postsBase + data.number + "/react/");
        button.value = reaction.kind;
        button.setAttribute("aria-pressed", pressed ? "true" : "false");
        button.title = label;
        button.disabled = !canReact;
        button.querySelector(".chat-reaction__kind").textContent = reaction.kind;
        button.querySelector(".chat-reaction__label").textContent = label;
        button.querySelector(".chat-reaction__count").textContent = String(reaction.count);
        box.appendChild(button);
      });
    }

    function setSwitch(name, on) {
      var form = document.querySelector('[data-forum-switch="' + name + '"]');
      if (!form) return;
      var button = form.querySelector("button");
      form.querySelector("input[name=on]").value = on ? "false" : "true";
      button.textContent = on ? button.dataset.labelOff : button.dataset.labelOn;
      var link = document.querySelector('[data-forum-switch-link="' + name + '"]');
      if (link) link.href = link.href.replace(/on=\w+/, "on=" + (on ? "false" : "true"));
    }

    function showAccepted(accepted) {
      var id = accepted === null ? null : accepted.id;
      if (id === acceptedId) return;
      acceptedId = id;
      list.querySelectorAll(".forum-post").forEach(function (post) {
        var chosen = accepted !== null && Number(post.dataset.id) === accepted.id;
        post.querySelector("[data-forum-accepted-badge]").hidden = !chosen;
        var accept = post.querySelector("[data-forum-accept]");
        if (accept) accept.hidden = chosen;
        var unaccept = post.querySelector("[data-forum-unaccept]");
        if (unaccept) unaccept.hidden = !chosen;
      });
      var box = document.querySelector("[data-forum-accepted]");
      if (!box) return; // the opening post is on another page
      if (accepted === null) {
        box.hidden = true;
        return;
      }
      fetchHtml(config.postsUrl + "?after=" + (accepted.number - 1) + "&limit=1").then(function (html) {
        var holder = document.createElement("template");
        holder.innerHTML = html;
        var post = holder.content.querySelector(".forum-post");
        if (!post) return;
        var body = post.querySelector("[data-forum-body]").cloneNode(true);
        body.querySelectorAll("blockquote").forEach(function (quote) { quote.remove(); }); // one level of quoting
        var text = body.textContent.replace(/\s+/g, " ").trim();
        box.querySelector("[data-forum-accepted-author]").textContent = post.querySelector(".forum-post__author a").textContent;
        box.querySelector("[data-forum-accepted-excerpt]").textContent = text.length > 200 ? text.slice(0, 199) + "…" : text;
        box.querySelector("[data-forum-accepted-link]").href = config.postsBase + accepted.number + "/";
        box.hidden = false;
      }).catch(function () { box.hidden = true; });
    }

    function topicUpdated(data) {
      if (data.title) {
        document.querySelector("[data-forum-title]").textContent = data.title;
      }
      document.querySelector("[data-forum-pinned]").hidden = !data.is_pinned;
      document.querySelector("[data-forum-locked]").hidden = !data.is_locked;
      setSwitch("pinned", data.is_pinned);
      setSwitch("locked", data.is_locked);
      if (notice) {
        notice.textContent = data.notice;
        notice.hidden = !data.notice;
      }
      // Moderators reply to locked topics; everyone else finds the box again, draft and all, on unlock.
      if (replyForm && !config.canModerate) replyForm.hidden = data.is_locked;
      showAccepted(data.accepted_post);
    }

    function onEvent(kind, data) {
      if (kind === "post.created") postCreated(data);
      else if (kind === "post.edited") postEdited(data);
      else if (kind === "post.deleted") postDeleted(data);
      else if (kind === "post.hidden") postHidden(data);
      else if (kind === "post.shown") postShown(data);
      else if (kind === "reaction.changed") reactionChanged(data);
      else if (kind === "topic.updated") topicUpdated(data);
      else if (kind === "topic.moved") topicMoved(data);
      else if (kind === "topic.split") topicSplit(data);
      else if (kind === "topic.merged") window.location.assign(data.into_url || window.location.href);
    }

    // What the reader does.
    bar.addEventListener("click", showNew);

    // A reaction button submits the page's `forum-react` or `forum-unreact` form: sent over the socket
    // instead. Other buttons of a post (accepting an answer) submit as they are.
    document.addEventListener("submit", function (event) {
      var button = event.submitter;
      var post = button && button.closest(".forum-post");
      if (!post || button.name !== "kind" || config.viewer === null) return;
      event.preventDefault();
      var menu = button.closest("details");
      if (menu) menu.open = false;
      var on = event.target.querySelector("input[name=on]").value === "true";
      var frame = { type: "forum.react", post: Number(post.dataset.id), reaction: button.value, on: on };
      showError("");
      realtime.request(frame).catch(function (error) { showError((error && error.message) || strings.failed); });
    });

    if (replyForm) {
      var textarea = replyForm.querySelector("textarea");
      var replyField = replyForm.querySelector("input[name=reply_to]");
      var replying = replyForm.querySelector("[data-forum-replying]");
      list.addEventListener("click", function (event) {
        var link = event.target.closest(".forum-action--reply");
        if (!link || replyForm.hidden) return;
        event.preventDefault();
        var post = link.closest(".forum-post");
        replyField.value = post.dataset.id;
        replying.querySelector("[data-forum-replying-name]").textContent = post.querySelector(".forum-post__author a").textContent;
        replying.querySelector("[data-forum-replying-number]").textContent = post.dataset.number;
        replying.hidden = false;
        textarea.focus();
      });
      replyForm.querySelector("[data-forum-cancel-reply]").addEventListener("click", function (event) {
        event.preventDefault();
        replyField.value = "";
        replying.hidden = true;
        textarea.focus();
      });
    }

    realtime.subscribe(config.stream, {
      event: onEvent,
      lost: function () {
        if (replyForm) replyForm.hidden = true;
        showError(strings.lost);
      }
    }, config.lastSeq);
  }

  if (config.kind === "category") followCategory();
  else followTopic();
})();
