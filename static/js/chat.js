/* A chat room, live. The page works without this script (it renders the latest messages and every
 * action is a form); this script follows the room's stream through Convene.realtime and keeps the page
 * current: new, edited, deleted, hidden and restored messages, reactions, the room's state and slow
 * mode, who is here and who is typing. It sends through the websocket and shows refusals next to the
 * composer, keeping the text. Moderators hide and delete others' messages with a reason typed in place.
 *
 * A message the moderators hide arrives without its words (`message.hidden`, and the redacted backlog
 * of a page catching up): most readers then see "Message hidden by the moderators" in its place, while
 * its author and the moderators keep the words their page already shows, marked hidden.
 *
 * Message bodies arrive as HTML sanitized by the server (body_html); everything else is set with
 * textContent or attributes. New messages are clones of the page's own message partial, rendered
 * blank in <template id="chat-message-template">, so they look like the ones the page came with.
 */
(function () {
  "use strict";

  var configElement = document.getElementById("chat-config");
  if (!configElement || !window.Convene || !window.Convene.realtime) return;
  var config = JSON.parse(configElement.textContent);
  var strings = config.strings;
  var realtime = window.Convene.realtime;

  var log = document.getElementById("chat-log");
  var list = document.querySelector("[data-chat-messages]");
  var messageTemplate = document.getElementById("chat-message-template");
  var reactionTemplate = document.getElementById("chat-reaction-template");
  var composer = document.getElementById("composer");
  var textarea = composer.querySelector("textarea");
  var replyField = composer.querySelector("input[name=reply_to]");
  var composerError = composer.querySelector("[data-chat-error]");
  var replying = composer.querySelector("[data-chat-replying]");
  var notice = document.querySelector("[data-chat-notice]");
  var jump = document.querySelector("[data-chat-jump]");
  var typingLine = document.querySelector("[data-chat-typing]");
  var presenceList = document.querySelector("[data-chat-presence]");
  var slowModeLine = composer.querySelector("[data-chat-slow-mode]");
  var moderationPanel = document.querySelector("[data-chat-moderation]");

  var roomState = config.state;
  var viewerId = config.viewer.id;
  // Refused for a reason of their own (a mute, say), the viewer gets no composer when the room reopens.
  var barredFromOpenRoom = !config.canPost && config.state === "open";
  var barredNotice = document.querySelector("[data-chat-closed]").textContent;
  var unseen = 0;
  var lastReadSent = config.readSeq;
  var typers = {}; // user id -> {name, timer}
  var lastTypingSent = 0;
  var sending = false;

  var reactionLabels = {};
  messageTemplate.content.querySelectorAll(".chat-react-menu__choice").forEach(function (button) {
    reactionLabels[button.value] = button.title;
  });

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, name) { return String(values[name]); });
  }

  // --- Scrolling and reading ------------------------------------------------------------------------
  function atBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 48;
  }

  function scrollToBottom() {
    log.scrollTop = log.scrollHeight;
    unseen = 0;
    jump.hidden = true;
  }

  function showUnseen() {
    jump.textContent = unseen === 1 ? strings.newOne : format(strings.newMany, { count: unseen });
    jump.hidden = false;
  }

  function newestSeq() {
    var messages = list.querySelectorAll(".chat-message");
    return messages.length ? Number(messages[messages.length - 1].dataset.seq) : 0;
  }

  function markRead() {
    if (!config.live || document.visibilityState !== "visible" || !atBottom()) return;
    var seq = newestSeq();
    if (seq <= lastReadSent) return;
    lastReadSent = seq;
    realtime.request({ type: "chat.read", room: config.room, seq: seq }).catch(function () {
      lastReadSent = 0; // try again at the next occasion
    });
  }

  function localizeTime(element) {
    var moment = new Date(element.getAttribute("datetime"));
    if (isNaN(moment.getTime())) return;
    var today = new Date().toDateString() === moment.toDateString();
    var short = { hour: "2-digit", minute: "2-digit" };
    var long = { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" };
    element.textContent = moment.toLocaleString([], today ? short : long);
    element.title = moment.toLocaleString([], { dateStyle: "full", timeStyle: "short" });
  }

  // --- Building messages ----------------------------------------------------------------------------
  function messageElement(id) {
    return document.getElementById("message-" + id);
  }

  function messageUrl(id, action) {
    return config.messagesUrl + id + "/" + action + "/";
  }

  function reportUrl(id) {
    return config.reportUrl.replace(/0\/$/, id + "/");
  }

  function isOwn(element) {
    return Number(element.dataset.author) === viewerId;
  }

  function allowed(element) {
    var own = isOwn(element);
    var deleted = element.classList.contains("chat-message--deleted");
    var hidden = !deleted && element.classList.contains("chat-message--hidden");
    var edited = !element.querySelector(".chat-message__edited").hidden || element.dataset.edited === "true";
    var open = roomState === "open" && !barredFromOpenRoom;
    return {
      react: open && !deleted && !hidden,
      reply: open && !deleted && !hidden,
      edit: own && !deleted && !hidden && roomState !== "archived",
      remove: !deleted && (config.canModerate || (own && roomState !== "archived")),
      history: edited && (config.canModerate || (own && !deleted)),
      report: config.canReport && !own && !deleted && !hidden,
      hide: config.canModerate && !deleted && !hidden,
      restore: config.canModerate && hidden
    };
  }

  /* Give a message the controls the viewer may use now, from a fresh copy of the blank partial's. */
  function refreshControls(element) {
    var id = element.dataset.id;
    var may = allowed(element);
    var actions = messageTemplate.content.querySelector(".chat-message__actions").cloneNode(true);
    var who = element.querySelector(".chat-message__author").textContent;
    actions.querySelectorAll(".chat-action__who").forEach(function (span) { span.textContent = " (" + who + ")"; });
    actions.querySelector(".chat-react-menu__form").action = messageUrl(id, "react");
    actions.querySelector(".chat-action--reply").href = "?reply_to=" + id + "#composer";
    actions.querySelector(".chat-action--edit").href = messageUrl(id, "edit");
    actions.querySelector(".chat-action--delete").href = messageUrl(id, "delete");
    actions.querySelector(".chat-action--hide").href = messageUrl(id, "hide");
    actions.querySelector(".chat-action--restore").href = messageUrl(id, "restore");
    actions.querySelector(".chat-action--report").href = reportUrl(id);
    if (!may.react) actions.querySelector(".chat-react-menu").remove();
    if (!may.reply) actions.querySelector(".chat-action--reply").remove();
    if (!may.edit) actions.querySelector(".chat-action--edit").remove();
    if (!may.report) actions.querySelector(".chat-action--report").remove();
    if (!may.hide) actions.querySelector(".chat-action--hide").remove();
    if (!may.restore) actions.querySelector(".chat-action--restore").remove();
    if (!may.remove) actions.querySelector(".chat-action--delete").remove();
    element.querySelector(".chat-message__actions").replaceWith(actions);

    var marker = element.querySelector(".chat-message__edited");
    var link = marker.querySelector("a");
    if (may.history && !link) {
      var template = messageTemplate.content.querySelector(".chat-message__history").cloneNode(true);
      template.href = messageUrl(id, "history");
      marker.textContent = "";
      marker.appendChild(template);
    } else if (!may.history && link) {
      marker.textContent = link.firstChild.textContent;
    }
    element.querySelectorAll(".chat-reaction").forEach(function (button) { button.disabled = !may.react; });
  }

  function ownReactions(element) {
    var mine = {};
    element.querySelectorAll(".chat-reaction[aria-pressed=true]").forEach(function (button) {
      mine[button.closest("form").querySelector("input[name=kind]").value] = true;
    });
    return mine;
  }

  function renderReactions(element, reactions, mine) {
    var box = element.querySelector(".chat-reactions");
    var canReact = allowed(element).react;
    box.textContent = "";
    reactions.forEach(function (reaction) {
      var form = reactionTemplate.content.firstElementChild.cloneNode(true);
      var pressed = Boolean(mine[reaction.kind]);
      form.action = messageUrl(element.dataset.id, "react");
      form.querySelector("input[name=kind]").value = reaction.kind;
      form.querySelector("input[name=on]").value = pressed ? "false" : "true";
      var button = form.querySelector("button");
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
      button.title = reactionLabels[reaction.kind] || reaction.kind;
      button.disabled = !canReact;
      form.querySelector(".chat-reaction__kind").textContent = reaction.kind;
      form.querySelector(".chat-reaction__label").textContent = button.title;
      form.querySelector(".chat-reaction__count").textContent = String(reaction.count);
      box.appendChild(form);
    });
  }

  function replyExcerpt(replyId) {
    var parent = messageElement(replyId);
    if (!parent) return "";
    if (parent.classList.contains("chat-message--deleted")) {
      return parent.querySelector(".chat-message__deleted").textContent.toLowerCase();
    }
    if (!parent.querySelector(".chat-message__hidden-note").hidden) return strings.hiddenExcerpt;
    var text = parent.querySelector(".chat-message__body").textContent.replace(/\s+/g, " ").trim();
    return text.length > 120 ? text.slice(0, 119) + "…" : text;
  }

  function buildMessage(data, seq) {
    var element = messageTemplate.content.firstElementChild.cloneNode(true);
    element.id = "message-" + data.id;
    element.dataset.id = String(data.id);
    element.dataset.seq = String(seq);
    element.dataset.author = String(data.author.id);
    if (data.author.id === viewerId && !data.deleted) element.dataset.body = data.body;

    var author = element.querySelector(".chat-message__author");
    author.href = data.author.url;
    author.textContent = data.author.name;
    var time = element.querySelector(".chat-message__time");
    time.setAttribute("datetime", data.created_at);
    localizeTime(time);
    element.querySelector(".chat-message__edited").hidden = !data.edited_at;

    var reply = element.querySelector(".chat-reply");
    reply.hidden = !data.reply_to;
    if (data.reply_to) {
      reply.querySelector(".chat-reply__link").href = "#message-" + data.reply_to.id;
      reply.querySelector(".chat-reply__author").textContent = data.reply_to.author;
      reply.querySelector(".chat-reply__excerpt").textContent = replyExcerpt(data.reply_to.id);
    }
    element.querySelector(".chat-message__body").innerHTML = data.body_html; // sanitized by the server
    element.querySelector(".chat-message__hidden-badge").hidden = true;
    element.querySelector(".chat-message__hidden-reason").hidden = true;
    element.querySelector(".chat-message__hidden-note").hidden = true;
    if (data.deleted) showDeleted(element);
    else if (data.hidden) showHidden(element, false); // events never carry a hidden message's words
    refreshControls(element);
    renderReactions(element, data.reactions, {});
    return element;
  }

  function showDeleted(element) {
    element.classList.add("chat-message--deleted");
    element.classList.remove("chat-message--hidden");
    element.querySelector(".chat-message__body").textContent = "";
    element.querySelector(".chat-message__deleted").hidden = false;
    element.querySelector(".chat-message__hidden-note").hidden = true;
    element.querySelector(".chat-message__hidden-badge").hidden = true;
    element.querySelector(".chat-message__hidden-reason").hidden = true;
    element.querySelector(".chat-reactions").textContent = "";
    delete element.dataset.body;
  }

  /* Mark a message hidden by the moderators: with its words still there for its author and the
   * moderators (`keepWords`), in their place "Message hidden by the moderators" for everyone else. */
  function showHidden(element, keepWords) {
    element.classList.add("chat-message--hidden");
    delete element.dataset.body;
    if (keepWords) {
      element.querySelector(".chat-message__hidden-badge").hidden = false;
      var note = element.querySelector(".chat-message__hidden-reason");
      note.textContent = isOwn(element) ? strings.hiddenOwn : strings.hiddenShown;
      note.hidden = false;
      return;
    }
    element.querySelector(".chat-message__body").textContent = "";
    element.querySelector(".chat-message__hidden-note").hidden = false;
    element.querySelector(".chat-reactions").textContent = "";
  }

  // --- Events of the room's stream ------------------------------------------------------------------
  function messageCreated(data, seq) {
    if (messageElement(data.id)) return; // already on the page (rendered, or replayed after a reconnection)
    var wasAtBottom = atBottom();
    stopTyping(data.author.id);
    list.appendChild(buildMessage(data, seq));
    document.querySelector("[data-chat-empty]").hidden = true;
    if (wasAtBottom || data.author.id === viewerId) {
      scrollToBottom();
      markRead();
    } else {
      unseen += 1;
      showUnseen();
    }
  }

  function messageEdited(data) {
    var element = messageElement(data.id);
    if (!element) return;
    element.querySelector(".chat-message__body").innerHTML = data.body_html; // sanitized by the server
    element.querySelector(".chat-message__edited").hidden = false;
    element.dataset.edited = "true";
    if (Number(element.dataset.author) === viewerId) element.dataset.body = data.body;
    refreshControls(element);
  }

  function setReplyExcerpts(id, text) {
    document.querySelectorAll('.chat-reply__link[href="#message-' + id + '"]').forEach(function (link) {
      link.parentElement.querySelector(".chat-reply__excerpt").textContent = text;
    });
  }

  function messageDeleted(data) {
    var element = messageElement(data.id);
    if (element) {
      closeEditor(element);
      closeReasonForm(element);
      showDeleted(element);
      refreshControls(element);
    }
    setReplyExcerpts(data.id, strings.deletedExcerpt);
  }

  function messageHidden(data) {
    var element = messageElement(data.id);
    if (!element || element.classList.contains("chat-message--deleted")) return;
    var keepWords = config.canModerate || isOwn(element);
    closeEditor(element);
    closeReasonForm(element);
    showHidden(element, keepWords);
    refreshControls(element);
    if (!keepWords) setReplyExcerpts(data.id, strings.hiddenExcerpt);
  }

  function messageRestored(data) {
    var element = messageElement(data.id);
    if (!element) return;
    var restored = buildMessage(data, Number(element.dataset.seq));
    renderReactions(restored, data.reactions, ownReactions(element));
    element.replaceWith(restored);
    setReplyExcerpts(data.id, replyExcerpt(data.id));
  }

  function reactionChanged(data) {
    var element = messageElement(data.message);
    if (!element) return;
    var mine = ownReactions(element);
    if (data.user === viewerId) mine[data.kind] = data.on;
    renderReactions(element, data.reactions, mine);
  }

  function roomUpdated(data) {
    roomState = data.state;
    document.querySelector("[data-chat-name]").textContent = data.name;
    var topic = document.querySelector("[data-chat-topic]");
    topic.textContent = data.topic;
    topic.hidden = !data.topic;
    document.querySelector("[data-chat-state]").textContent = data.state_label;
    document.querySelector("[data-chat-state-line]").hidden = data.state === "open";
    var closed = document.querySelector("[data-chat-closed]");
    if (data.state !== "open") closed.textContent = data.notice;
    else if (barredFromOpenRoom) closed.textContent = barredNotice;
    closed.hidden = data.state === "open" && !barredFromOpenRoom;
    composer.hidden = !closed.hidden; // hidden, not emptied: a draft survives a pause
    showSlowMode(data.slow_mode_seconds);
    if (moderationPanel) {
      moderationPanel.querySelector("select[name=state]").value = data.state;
      moderationPanel.querySelector("input[name=slow_mode_seconds]").value = String(data.slow_mode_seconds);
    }
    list.querySelectorAll(".chat-message").forEach(refreshControls);
  }

  function showSlowMode(seconds) {
    slowModeLine.textContent = seconds === 1 ? strings.slowModeOne : format(strings.slowModeMany, { seconds: seconds });
    slowModeLine.hidden = !seconds;
  }

  function onEvent(kind, data, frame) {
    if (kind === "message.created") messageCreated(data, frame.seq);
    else if (kind === "message.edited") messageEdited(data);
    else if (kind === "message.deleted") messageDeleted(data);
    else if (kind === "message.hidden") messageHidden(data);
    else if (kind === "message.restored") messageRestored(data);
    else if (kind === "reaction.changed") reactionChanged(data);
    else if (kind === "room.updated") roomUpdated(data);
  }

  /* The viewer's standing in the room's network changed (a moderator muted them, or the mute ended):
   * static/js/standing.js disables or opens the composer; here the messages' controls follow, and a
   * composer the page came without (the viewer was muted then) comes back. */
  document.addEventListener("convene:standing", function (event) {
    var detail = event.detail || {};
    if (Number(detail.network) !== config.network) return;
    barredFromOpenRoom = Boolean(detail.notice);
    if (detail.notice) barredNotice = detail.notice;
    if (!barredFromOpenRoom && roomState === "open") {
      document.querySelector("[data-chat-closed]").hidden = true;
      composer.hidden = false;
    }
    list.querySelectorAll(".chat-message").forEach(refreshControls);
  });

  // --- Presence and typing --------------------------------------------------------------------------
  var present = {};

  function renderPresence() {
    presenceList.textContent = "";
    Object.keys(present)
      .map(function (id) { return present[id]; })
      .sort(function (a, b) { return a.localeCompare(b); })
      .forEach(function (name) {
        var item = document.createElement("li");
        item.textContent = name;
        presenceList.appendChild(item);
      });
  }

  function onPresence(frame) {
    if (frame.present) {
      present = {};
      frame.present.forEach(function (person) { present[person.id] = person.name; });
    }
    if (frame.joined) present[frame.joined.id] = frame.joined.name;
    if (frame.left) {
      delete present[frame.left.id];
      stopTyping(frame.left.id);
    }
    renderPresence();
  }

  function renderTyping() {
    var names = Object.keys(typers).map(function (id) { return typers[id].name; });
    if (names.length === 0) typingLine.textContent = "";
    else if (names.length === 1) typingLine.textContent = format(strings.typingOne, { name: names[0] });
    else if (names.length === 2) typingLine.textContent = format(strings.typingTwo, { first: names[0], second: names[1] });
    else typingLine.textContent = strings.typingMany;
  }

  function stopTyping(userId) {
    if (typers[userId]) {
      window.clearTimeout(typers[userId].timer);
      delete typers[userId];
      renderTyping();
    }
  }

  function onTyping(frame) {
    if (!frame.user || frame.user.id === viewerId) return;
    stopTyping(frame.user.id);
    typers[frame.user.id] = {
      name: frame.user.name,
      timer: window.setTimeout(function () { stopTyping(frame.user.id); }, 5000)
    };
    renderTyping();
  }

  // --- Sending --------------------------------------------------------------------------------------
  function showError(box, error) {
    box.textContent = (error && error.message) || strings.notSent;
    box.hidden = false;
  }

  function withTimeout(promise) {
    return new Promise(function (resolve, reject) {
      var timer = window.setTimeout(function () { reject({ message: strings.notSent }); }, 10000);
      promise.then(
        function (value) { window.clearTimeout(timer); resolve(value); },
        function (error) { window.clearTimeout(timer); reject(error); }
      );
    });
  }

  function setReply(id, name) {
    replyField.value = id ? String(id) : "";
    replying.hidden = !id;
    if (id) replying.querySelector("[data-chat-replying-name]").textContent = name;
  }

  function send(event) {
    event.preventDefault();
    if (sending) return;
    var body = textarea.value;
    var frame = { type: "chat.send", room: config.room, body: body, client_id: String(Date.now()) };
    if (replyField.value) frame.reply_to = Number(replyField.value);
    sending = true;
    composerError.hidden = true;
    withTimeout(realtime.request(frame)).then(
      function (ack) {
        sending = false;
        if (textarea.value === body) textarea.value = "";
        setReply(null);
        // A page of older messages does not follow the room: show the message where it now is.
        if (!config.live) window.location.assign(config.roomUrl + "#message-" + ack.message_id);
        else scrollToBottom();
      },
      function (error) {
        sending = false;
        showError(composerError, error);
        textarea.focus();
      }
    );
  }

  composer.addEventListener("submit", send);
  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) send(event);
  });
  textarea.addEventListener("input", function () {
    var now = Date.now();
    if (now - lastTypingSent > 3000 && textarea.value.trim()) {
      lastTypingSent = now;
      realtime.send({ type: "typing", stream: config.stream });
    }
  });
  var cancelReply = composer.querySelector("[data-chat-cancel-reply]");
  cancelReply.addEventListener("click", function (event) {
    event.preventDefault();
    setReply(null);
    textarea.focus();
  });

  // --- Message controls -----------------------------------------------------------------------------
  function act(frame) {
    notice.hidden = true;
    withTimeout(realtime.request(frame)).catch(function (error) { showError(notice, error); });
  }

  function closeEditor(element) {
    var editor = element.querySelector(".chat-editor");
    if (editor) {
      editor.remove();
      element.querySelector(".chat-message__body").hidden = false;
    }
  }

  /* A small form typed in place under a message: a labelled text box, a line of help if any, a line
   * for the server's refusal, and its submit and cancel buttons. Submitting sends `frame(text)`; the
   * form closes (`close`) once the server acknowledges it, or on Escape or Cancel. */
  function inlineForm(options) {
    var form = document.createElement("form");
    form.className = options.className;
    var label = document.createElement("label");
    label.htmlFor = options.id;
    label.textContent = options.label;
    var field = document.createElement("textarea");
    field.id = options.id;
    field.rows = options.rows;
    field.maxLength = options.maxLength;
    field.value = options.value || "";
    form.append(label, field);
    if (options.help) {
      var help = document.createElement("span");
      help.className = "helptext";
      help.id = options.id + "-help";
      help.textContent = options.help;
      field.setAttribute("aria-describedby", help.id);
      form.append(help);
    }
    var error = document.createElement("p");
    error.className = "errorlist";
    error.setAttribute("role", "alert");
    error.hidden = true;
    var actions = document.createElement("div");
    actions.className = "form-actions";
    var submit = document.createElement("button");
    submit.type = "submit";
    submit.className = "button button--small" + (options.danger ? " button--danger" : "");
    submit.textContent = options.submit;
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "button button--small button--secondary";
    cancel.textContent = strings.cancel;
    actions.append(submit, cancel);
    form.append(error, actions);

    cancel.addEventListener("click", options.close);
    field.addEventListener("keydown", function (event) {
      if (event.key === "Escape") options.close();
      if (options.enterSubmits && event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      withTimeout(realtime.request(options.frame(field.value))).then(options.close, function (failure) {
        showError(error, failure);
      });
    });
    return { form: form, field: field };
  }

  function openEditor(element) {
    if (element.querySelector(".chat-editor")) return;
    var body = element.querySelector(".chat-message__body");
    var editor = inlineForm({
      className: "chat-editor",
      id: "edit-" + element.dataset.id,
      label: strings.editLabel,
      rows: 3,
      maxLength: config.maxLength,
      value: element.dataset.body,
      submit: strings.save,
      enterSubmits: true,
      frame: function (text) { return { type: "chat.edit", message: Number(element.dataset.id), body: text }; },
      close: function () {
        closeEditor(element);
        var edit = element.querySelector(".chat-action--edit");
        if (edit) edit.focus();
      }
    });
    body.hidden = true;
    body.after(editor.form);
    editor.field.focus();
  }

  function closeReasonForm(element) {
    var form = element.querySelector(".chat-reason-form");
    if (form) form.remove();
  }

  /* A moderator's reason for hiding (`action` "hide") or deleting ("delete") someone else's message,
   * typed under the message; the same as the page the action's link leads to without this script. */
  function openReasonForm(element, action) {
    closeReasonForm(element);
    var reasonForm = inlineForm({
      className: "chat-reason-form",
      id: action + "-reason-" + element.dataset.id,
      label: strings.reasonLabel,
      help: action === "hide" ? strings.hideReasonHelp : strings.deleteReasonHelp,
      rows: 2,
      maxLength: 1000,
      submit: action === "hide" ? strings.hide : strings.delete,
      danger: true,
      frame: function (text) { return { type: "chat." + action, message: Number(element.dataset.id), reason: text }; },
      close: function () {
        closeReasonForm(element);
        // Once hidden, the message offers Restore where Hide was.
        var link = element.querySelector(".chat-action--" + action) || element.querySelector(".chat-action--restore");
        if (link) link.focus();
      }
    });
    element.querySelector(".chat-message__actions").after(reasonForm.form);
    reasonForm.field.focus();
  }

  list.addEventListener("click", function (event) {
    var element = event.target.closest(".chat-message");
    if (!element) return;
    var control = event.target.closest("a, button");
    if (!control) return;
    if (control.classList.contains("chat-action--reply")) {
      event.preventDefault();
      setReply(Number(element.dataset.id), element.querySelector(".chat-message__author").textContent);
      textarea.focus();
    } else if (control.classList.contains("chat-action--edit")) {
      event.preventDefault();
      openEditor(element);
    } else if (control.classList.contains("chat-action--delete")) {
      event.preventDefault();
      if (!isOwn(element)) openReasonForm(element, "delete");
      else if (window.confirm(strings.confirmDelete)) act({ type: "chat.delete", message: Number(element.dataset.id) });
    } else if (control.classList.contains("chat-action--hide")) {
      event.preventDefault();
      openReasonForm(element, "hide");
    } else if (control.classList.contains("chat-action--restore")) {
      event.preventDefault();
      act({ type: "chat.restore", message: Number(element.dataset.id) });
    }
  });

  list.addEventListener("submit", function (event) {
    var element = event.target.closest(".chat-message");
    var form = event.target;
    if (!element || form.classList.contains("chat-editor") || form.classList.contains("chat-reason-form")) return;
    event.preventDefault();
    var kindInput = form.querySelector("input[name=kind]");
    var kind = kindInput ? kindInput.value : event.submitter && event.submitter.value;
    var on = form.querySelector("input[name=on]").value === "true";
    if (!kind) return;
    var menu = form.closest("details");
    if (menu) menu.open = false;
    act({ type: "chat.react", message: Number(element.dataset.id), reaction: kind, on: on });
  });

  // --- Older messages -------------------------------------------------------------------------------
  function loadOlder(event) {
    event.preventDefault();
    var link = event.currentTarget;
    fetch(link.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var before = log.scrollHeight;
        var first = list.firstElementChild;
        page.querySelectorAll("[data-chat-messages] > .chat-message").forEach(function (older) {
          if (messageElement(older.dataset.id)) return;
          var copy = document.importNode(older, true);
          copy.querySelectorAll("time").forEach(localizeTime);
          list.insertBefore(copy, first);
        });
        log.scrollTop += log.scrollHeight - before;
        var next = page.querySelector("[data-chat-older]");
        if (next) link.href = next.href;
        else link.parentElement.remove();
      })
      .catch(function () { showError(notice, { message: strings.olderFailed }); });
  }

  // --- Start ----------------------------------------------------------------------------------------
  document.querySelectorAll(".chat-message time, .chat-log time").forEach(localizeTime);
  var older = document.querySelector("[data-chat-older]");
  if (older) older.addEventListener("click", loadOlder);
  jump.addEventListener("click", function () {
    scrollToBottom();
    markRead();
    textarea.focus();
  });
  log.addEventListener("scroll", function () {
    if (atBottom()) {
      unseen = 0;
      jump.hidden = true;
      markRead();
    }
  });
  document.addEventListener("visibilitychange", markRead);

  var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
  if (target && log.contains(target)) target.scrollIntoView({ block: "center" });
  else if (config.live) scrollToBottom();

  if (config.live) {
    realtime.subscribe(
      config.stream,
      {
        event: onEvent,
        presence: onPresence,
        typing: onTyping,
        lost: function () {
          composer.hidden = true;
          showError(notice, { message: strings.lost });
        }
      },
      config.lastSeq
    );
  }
})();
