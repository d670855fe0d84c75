/*!
 * IMP+ / PMI+ pre-screening chat widget. Plain JavaScript, no build step, no dependencies besides
 * socket.io-client (loaded from ../vendor/socket.io.min.js next to this file if `io` is missing).
 *
 * Embed with one tag (zero-JS set-up):
 *   <script src="https://example.org/widget/impplus-chat.js" data-server="https://chat.example.org"
 *           data-lang="en" data-title="Ask our assistant" data-color="#1f4e8c" defer></script>
 * or load the script without data-server and call, from your own script file:
 *   ImpPlusChat.init({server: "https://chat.example.org", language: "fr", title: "...",
 *                     colors: {primary: "#8a1538"}});
 *
 * Works under a strict Content-Security-Policy: no inline script, no inline style attribute, no eval.
 * Message text is always set with textContent; only http(s) URLs become links.
 */
(function () {
  "use strict";

  var VERSION = "1.0.0";
  var SCRIPT = document.currentScript || document.querySelector('script[src*="impplus-chat.js"]');
  var SCRIPT_URL = (SCRIPT && SCRIPT.src) || window.location.href;
  var MAX_ITEMS = 200;
  var MAX_INPUT = 1000;
  var TYPING_TIMEOUT_MS = 30000;
  // How long a message typed while disconnected waits before it says "not sent — tap to retry": not
  // long when the device itself is offline (the person knows, and can retry once back on line); longer
  // when only the assistant is unreachable, as during a server restart, which then loses nothing.
  var OFFLINE_GIVE_UP_MS = 30000;
  var PENDING_GIVE_UP_MS = 300000;
  var DELIVERY_CHECK_MS = 5000;

  var LABELS = {
    en: {
      title: "IMP+ assistant",
      subtitle: "Quebec skilled workers' open work permit",
      open: "Open the IMP+ chat assistant",
      close: "Close the chat",
      newChat: "Start a new conversation",
      language: "Language",
      inputLabel: "Your message",
      placeholder: "Type your message…",
      send: "Send",
      typing: "The assistant is typing…",
      connecting: "Connecting…",
      reconnecting: "Connection lost. Reconnecting…",
      offline: "Can't reach the assistant. Retrying…",
      you: "You:",
      bot: "Assistant:",
      suggestions: "Suggested answers",
      welcome:
        "Hello! I can explain IMP+, the open work permit for skilled workers selected by Quebec, " +
        "and check in a few questions whether you qualify. How can I help?",
      disclaimer: "Automated pre-screening, not immigration advice.",
      switched: "Language: English",
      newChatNote: "New conversation",
      pending: "Sending when the connection is back…",
      failed: "Not sent — tap to retry",
      failedNotice: "Your message was not sent. Use the retry button under it to send it again.",
      sentNotice: "Your message was sent."
    },
    fr: {
      title: "Assistant PMI+",
      subtitle: "Permis ouvert des travailleurs qualifiés du Québec",
      open: "Ouvrir l'assistant de clavardage PMI+",
      close: "Fermer le clavardage",
      newChat: "Commencer une nouvelle conversation",
      language: "Langue",
      inputLabel: "Votre message",
      placeholder: "Écrivez votre message…",
      send: "Envoyer",
      typing: "L'assistant écrit…",
      connecting: "Connexion…",
      reconnecting: "Connexion perdue. Reconnexion…",
      offline: "Impossible de joindre l'assistant. Nouvel essai…",
      you: "Vous :",
      bot: "Assistant :",
      suggestions: "Réponses suggérées",
      welcome:
        "Bonjour! Je peux vous expliquer le PMI+, le permis de travail ouvert des travailleurs " +
        "qualifiés sélectionnés par le Québec, et vérifier en quelques questions si vous êtes " +
        "admissible. Comment puis-je vous aider?",
      disclaimer: "Présélection automatisée, pas un avis en immigration.",
      switched: "Langue : français",
      newChatNote: "Nouvelle conversation",
      pending: "Envoi dès le retour de la connexion…",
      failed: "Non envoyé — touchez pour réessayer",
      failedNotice: "Votre message n'a pas été envoyé. Utilisez le bouton sous le message pour le renvoyer.",
      sentNotice: "Votre message a été envoyé."
    }
  };
  var LANGUAGE_NAMES = { en: "English", fr: "Français" };

  var instance = null;

  // ---------------------------------------------------------------- small helpers

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svgIcon(name) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "impplus-icon");
    var paths = {
      chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
      close: "M6 6l12 12M18 6L6 18",
      restart: "M4 12a8 8 0 1 0 2.34-5.66M4 4v4h4",
      send: "M4 12l16-8-6 16-2-7-8-1z"
    };
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", paths[name]);
    svg.appendChild(path);
    return svg;
  }

  function normalizeLanguage(value) {
    var lang = String(value || "").slice(0, 2).toLowerCase();
    return LABELS[lang] ? lang : null;
  }

  function storageGet(key) {
    try {
      var raw = window.localStorage.getItem(key);
      return raw ? JSON.parse(raw) : null;
    } catch (e) {
      return null;
    }
  }

  function storageSet(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      /* private mode or quota: the chat still works, only without history */
    }
  }

  /** Appends `text` to `parent`, turning http(s) URLs into links; everything else is plain text. */
  function appendLinkified(parent, text) {
    var pattern = /\bhttps?:\/\/[^\s<>"'`]+/gi;
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      var url = match[0].replace(/[.,;:!?)\]}»]+$/, "");
      // keep a closing parenthesis that belongs to the URL, e.g. .../Foo_(bar)
      if (match[0].charAt(url.length) === ")" && url.split("(").length > url.split(")").length) url += ")";
      var start = match.index;
      if (start > last) parent.appendChild(document.createTextNode(text.slice(last, start)));
      var href = safeHttpUrl(url);
      if (href) {
        var a = el("a", "impplus-link", shortUrl(href));
        a.href = href;
        a.title = href;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        parent.appendChild(a);
      } else {
        parent.appendChild(document.createTextNode(url));
      }
      last = start + url.length;
      pattern.lastIndex = last;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  /** What a link shows: the host and the last part of the path; the full address is its href and title. */
  function shortUrl(href) {
    var url = new URL(href);
    var host = url.host.replace(/^www\./, "");
    var parts = url.pathname.split("/").filter(Boolean);
    var shown = host + (parts.length > 1 ? "/…/" : "/") + (parts[parts.length - 1] || "");
    return shown.length < href.length ? shown : href;
  }

  /** French typography (harmless in English): a no-break space before ; : ! ? » and after «. */
  function frenchSpacing(text) {
    return text.replace(/ ([;:!?»])/g, "\u00a0$1").replace(/« /g, "«\u00a0");
  }

  function safeHttpUrl(candidate) {
    try {
      var url = new URL(candidate);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  /** A CSS colour from the page's settings, or null: only hex and rgb()/hsl() forms are accepted. */
  function safeColor(value) {
    var color = String(value || "").trim();
    return /^(#[0-9a-f]{3,8}|(rgb|hsl)a?\([0-9.,%\s/]+\))$/i.test(color) ? color : null;
  }

  /** Black or white, whichever reads better on a hex background colour. */
  function textColorOn(color) {
    var hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color);
    if (!hex) return null;
    var h = hex[1].length === 3 ? hex[1].replace(/(.)/g, "$1$1") : hex[1];
    var channels = [0, 2, 4].map(function (i) {
      var c = parseInt(h.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    var luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
    return luminance > 0.4 ? "#111111" : "#ffffff";
  }

  function loadScript(src, onload, onerror) {
    var script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.addEventListener("load", onload);
    script.addEventListener("error", onerror);
    document.head.appendChild(script);
  }

  function ensureStylesheet(href, done) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      if (/impplus-chat\.css(\?|$)/.test(links[i].href)) return done();
    }
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.addEventListener("load", done);
    link.addEventListener("error", done);
    document.head.appendChild(link);
  }

  // ---------------------------------------------------------------- the widget

  function Widget(options) {
    this.server = String(options.server || "").replace(/\/+$/, "");
    this.storageKey = "impplus-chat:" + this.server;
    var saved = storageGet(this.storageKey) || {};
    this.language =
      normalizeLanguage(saved.language) ||
      normalizeLanguage(options.language) ||
      normalizeLanguage(document.documentElement.lang) ||
      "en";
    this.title = options.title || null;
    this.primary = safeColor(options.colors && options.colors.primary);
    this.sessionId = typeof saved.sessionId === "string" ? saved.sessionId : null;
    this.items = Array.isArray(saved.items) ? saved.items.slice(-MAX_ITEMS) : [];
    // A message still waiting when the page was left was never sent: after a reload it offers a retry.
    this.items.forEach(function (item) {
      if (item && item.state === "pending") item.state = "failed";
    });
    this.wasOpen = saved.open === true;
    // While a booking is under way ("Book a call"), nothing said is kept in the browser's storage: the
    // assistant says when it starts and ends, and the person's contact details stay on screen only.
    this.inBooking = saved.inBooking === true;
    this.socket = null;
    this.ready = false; // connected and session confirmed
    this.everConnected = false;
    // What waits for the connection, in order: {payload, item}; item is the person's bubble (none for a
    // language switch). Kept in memory only, so nothing typed during a booking reaches the storage.
    this.queue = [];
    this.typingTimer = null;
    this.ids = "impplus-" + Math.random().toString(36).slice(2, 8);
    this.userEvent = options.userEvent || "user_uttered";
    this.botEvent = options.botEvent || "bot_uttered";
  }

  Widget.prototype.t = function (key) {
    if (key === "title" && this.title) {
      if (typeof this.title === "string") return this.title;
      if (this.title[this.language]) return this.title[this.language];
    }
    return LABELS[this.language][key];
  };

  Widget.prototype.save = function () {
    storageSet(this.storageKey, {
      language: this.language,
      sessionId: this.sessionId,
      items: this.items
        .filter(function (item) {
          return !item.private;
        })
        .slice(-MAX_ITEMS),
      inBooking: this.inBooking,
      open: !this.panel.hidden
    });
  };

  Widget.prototype.mount = function () {
    var self = this;
    var root = el("div", "impplus-chat");
    root.setAttribute("data-impplus-chat", VERSION);
    if (this.primary) {
      // CSSOM custom properties are allowed by CSP (unlike style attributes in markup)
      root.style.setProperty("--impplus-primary", this.primary);
      var onPrimary = textColorOn(this.primary);
      if (onPrimary) root.style.setProperty("--impplus-on-primary", onPrimary);
    }

    var launcher = el("button", "impplus-launcher");
    launcher.type = "button";
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", this.ids + "-panel");
    var chatIcon = svgIcon("chat");
    chatIcon.setAttribute("class", "impplus-icon impplus-icon-chat");
    var closeIcon = svgIcon("close");
    closeIcon.setAttribute("class", "impplus-icon impplus-icon-close");
    launcher.appendChild(chatIcon);
    launcher.appendChild(closeIcon);
    var launcherText = el("span", "impplus-launcher-text");
    launcher.appendChild(launcherText);

    var panel = el("section", "impplus-panel");
    panel.id = this.ids + "-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "false");
    panel.hidden = true;

    var header = el("header", "impplus-header");
    var heading = el("div", "impplus-heading");
    var title = el("h2", "impplus-title");
    title.id = this.ids + "-title";
    var subtitle = el("p", "impplus-subtitle");
    heading.appendChild(title);

    var tools = el("div", "impplus-tools");
    var langGroup = el("div", "impplus-lang");
    langGroup.setAttribute("role", "group");
    var langButtons = {};
    Object.keys(LABELS).forEach(function (lang) {
      var b = el("button", "impplus-lang-button", lang.toUpperCase());
      b.type = "button";
      b.lang = lang;
      b.setAttribute("data-lang", lang);
      b.setAttribute("aria-label", LANGUAGE_NAMES[lang]);
      b.addEventListener("click", function () {
        self.setLanguage(lang, true);
      });
      langGroup.appendChild(b);
      langButtons[lang] = b;
    });
    var restart = el("button", "impplus-icon-button impplus-restart");
    restart.type = "button";
    restart.appendChild(svgIcon("restart"));
    restart.addEventListener("click", function () {
      self.newConversation();
    });
    var close = el("button", "impplus-icon-button impplus-close");
    close.type = "button";
    close.appendChild(svgIcon("close"));
    close.addEventListener("click", function () {
      self.close(true);
    });
    tools.appendChild(langGroup);
    tools.appendChild(restart);
    tools.appendChild(close);
    header.appendChild(heading);
    header.appendChild(tools);
    header.appendChild(subtitle);

    var status = el("p", "impplus-status");
    status.setAttribute("role", "status");
    status.hidden = true;

    var body = el("div", "impplus-body");
    var intro = el("p", "impplus-intro");
    var log = el("div", "impplus-log");
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-relevant", "additions");
    // Says what became of a message sent later (not sent, then sent), for screen readers.
    var announcer = el("p", "impplus-visually-hidden impplus-announcer");
    announcer.setAttribute("role", "status");
    announcer.setAttribute("aria-live", "polite");
    var typing = el("div", "impplus-typing");
    typing.hidden = true;
    var typingText = el("span", "impplus-visually-hidden");
    typing.appendChild(typingText);
    var dots = el("span", "impplus-dots");
    dots.setAttribute("aria-hidden", "true");
    dots.appendChild(el("span"));
    dots.appendChild(el("span"));
    dots.appendChild(el("span"));
    typing.appendChild(dots);
    typing.setAttribute("role", "status");
    body.appendChild(intro);
    body.appendChild(log);
    body.appendChild(typing);
    body.appendChild(announcer);

    var form = el("form", "impplus-form");
    form.setAttribute("novalidate", "");
    var label = el("label", "impplus-visually-hidden");
    label.htmlFor = this.ids + "-input";
    var input = el("input", "impplus-input");
    input.id = this.ids + "-input";
    input.type = "text";
    input.autocomplete = "off";
    input.maxLength = MAX_INPUT;
    var send = el("button", "impplus-send");
    send.type = "submit";
    send.appendChild(svgIcon("send"));
    var sendText = el("span", "impplus-send-text");
    send.appendChild(sendText);
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(send);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      input.value = "";
      self.sendUser(text, text);
    });

    var footer = el("p", "impplus-disclaimer");

    panel.appendChild(header);
    panel.appendChild(status);
    panel.appendChild(body);
    panel.appendChild(form);
    panel.appendChild(footer);

    launcher.addEventListener("click", function () {
      if (panel.hidden) self.open();
      else self.close(true);
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || event.key === "Esc") {
        event.preventDefault();
        self.close(true);
      }
    });

    root.appendChild(panel);
    root.appendChild(launcher);
    document.body.appendChild(root);

    this.root = root;
    this.launcher = launcher;
    this.launcherText = launcherText;
    this.panel = panel;
    this.titleEl = title;
    this.subtitleEl = subtitle;
    this.langGroup = langGroup;
    this.langButtons = langButtons;
    this.restartButton = restart;
    this.closeButton = close;
    this.statusEl = status;
    this.body = body;
    this.intro = intro;
    this.log = log;
    this.typing = typing;
    this.typingText = typingText;
    this.announcer = announcer;
    this.label = label;
    this.input = input;
    this.sendButton = send;
    this.sendText = sendText;
    this.footer = footer;

    this.applyLabels();
    this.renderAll();
    if (this.wasOpen) this.open(false);
  };

  Widget.prototype.applyLabels = function () {
    var lang = this.language;
    this.root.lang = lang;
    this.launcherText.textContent = this.t("title");
    this.launcher.setAttribute("aria-label", this.panel.hidden ? this.t("open") : this.t("close"));
    this.panel.setAttribute("aria-label", this.t("title"));
    this.titleEl.textContent = this.t("title");
    this.subtitleEl.textContent = this.t("subtitle");
    this.langGroup.setAttribute("aria-label", this.t("language"));
    for (var code in this.langButtons) {
      this.langButtons[code].setAttribute("aria-pressed", code === lang ? "true" : "false");
    }
    this.restartButton.setAttribute("aria-label", this.t("newChat"));
    this.restartButton.title = this.t("newChat");
    this.closeButton.setAttribute("aria-label", this.t("close"));
    this.closeButton.title = this.t("close");
    this.log.setAttribute("aria-label", this.t("title"));
    this.intro.textContent = this.t("welcome");
    this.typingText.textContent = this.t("typing");
    this.label.textContent = this.t("inputLabel");
    this.input.placeholder = this.t("placeholder");
    this.sendText.textContent = this.t("send");
    this.sendButton.setAttribute("aria-label", this.t("send"));
    this.footer.textContent = this.t("disclaimer");
    var quick = this.log.querySelectorAll(".impplus-quick");
    for (var i = 0; i < quick.length; i++) quick[i].setAttribute("aria-label", this.t("suggestions"));
    var speakers = this.log.querySelectorAll("[data-speaker]");
    for (var j = 0; j < speakers.length; j++) {
      speakers[j].textContent = this.t(speakers[j].getAttribute("data-speaker")) + " ";
    }
    var deliveries = this.log.querySelectorAll("[data-delivery]");
    for (var k = 0; k < deliveries.length; k++) {
      deliveries[k].textContent = this.t(deliveries[k].getAttribute("data-delivery"));
    }
    this.setStatus(this.statusKey || null);
  };

  // ------------------------------------------------------------ opening and closing

  Widget.prototype.open = function (focus) {
    this.panel.hidden = false;
    this.root.classList.add("impplus-open");
    this.launcher.setAttribute("aria-expanded", "true");
    this.launcher.setAttribute("aria-label", this.t("close"));
    this.connect();
    this.scrollToEnd();
    if (focus !== false) this.input.focus();
    this.save();
  };

  Widget.prototype.close = function (returnFocus) {
    this.panel.hidden = true;
    this.root.classList.remove("impplus-open");
    this.launcher.setAttribute("aria-expanded", "false");
    this.launcher.setAttribute("aria-label", this.t("open"));
    if (returnFocus) this.launcher.focus();
    this.save();
  };

  // ---------------------------------------------------------------- transcript

  Widget.prototype.renderAll = function () {
    while (this.log.firstChild) this.log.removeChild(this.log.firstChild);
    for (var i = 0; i < this.items.length; i++) this.log.appendChild(this.renderItem(this.items[i]));
    this.refreshQuickReplies();
    this.intro.hidden = this.items.length > 0;
  };

  Widget.prototype.renderItem = function (item) {
    if (item.who === "note") {
      var note = el("p", "impplus-note", item.text);
      return note;
    }
    var row = el("div", "impplus-msg impplus-msg--" + (item.who === "user" ? "user" : "bot"));
    var bubble = el("p", "impplus-bubble");
    var speaker = el("span", "impplus-visually-hidden");
    speaker.setAttribute("data-speaker", item.who === "user" ? "you" : "bot");
    speaker.textContent = this.t(item.who === "user" ? "you" : "bot") + " ";
    bubble.appendChild(speaker);
    var content = el("span", "impplus-text");
    if (item.who === "bot") appendLinkified(content, frenchSpacing(String(item.text || "")));
    else content.textContent = String(item.text || "");
    bubble.appendChild(content);
    row.appendChild(bubble);
    if (item.who === "user" && item.key) {
      row.setAttribute("data-key", item.key);
      content.id = this.ids + "-msg-" + item.key;
      this.renderDelivery(row, item);
    }
    return row;
  };

  /** Under a message sent later: "Sending when the connection is back…", or a button to send it again. */
  Widget.prototype.renderDelivery = function (row, item) {
    var self = this;
    var old = row.querySelector(".impplus-delivery");
    if (old) row.removeChild(old);
    row.classList.toggle("impplus-msg--pending", item.state === "pending");
    row.classList.toggle("impplus-msg--failed", item.state === "failed");
    if (item.state === "pending") {
      var waiting = el("p", "impplus-delivery", this.t("pending"));
      waiting.setAttribute("data-delivery", "pending");
      row.appendChild(waiting);
    } else if (item.state === "failed") {
      var holder = el("p", "impplus-delivery impplus-delivery--failed");
      var retry = el("button", "impplus-retry", this.t("failed"));
      retry.type = "button";
      retry.setAttribute("data-delivery", "failed");
      retry.setAttribute("aria-describedby", this.ids + "-msg-" + item.key);
      retry.addEventListener("click", function () {
        self.retry(item);
      });
      holder.appendChild(retry);
      row.appendChild(holder);
    }
  };

  /** Redraws what is said under the person's message `item` (its row may have been redrawn since). */
  Widget.prototype.refreshDelivery = function (item) {
    var rows = this.log.querySelectorAll(".impplus-msg--user[data-key]");
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute("data-key") === item.key) this.renderDelivery(rows[i], item);
    }
  };

  /** Tells screen readers something the log itself does not: a message's fate changed. */
  Widget.prototype.announce = function (key) {
    var announcer = this.announcer;
    var said = this.t(key);
    // emptied first and filled a moment later, so the same sentence twice is announced twice
    announcer.textContent = "";
    setTimeout(function () {
      announcer.textContent = said;
    }, 50);
  };

  /** Quick replies are shown only under the latest message, and only if it is the assistant's. */
  Widget.prototype.refreshQuickReplies = function () {
    var self = this;
    var old = this.log.querySelectorAll(".impplus-quick");
    for (var i = 0; i < old.length; i++) old[i].parentNode.removeChild(old[i]);
    var last = this.items[this.items.length - 1];
    if (!last || last.who !== "bot" || !last.buttons || !last.buttons.length) return;
    var group = el("div", "impplus-quick");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", this.t("suggestions"));
    last.buttons.forEach(function (button) {
      var b = el("button", "impplus-quick-button", button.title);
      b.type = "button";
      b.addEventListener("click", function () {
        self.sendUser(button.title, button.payload);
        self.input.focus();
      });
      group.appendChild(b);
    });
    this.log.appendChild(group);
  };

  Widget.prototype.addItem = function (item) {
    if (this.inBooking) item.private = true;
    this.items.push(item);
    if (this.items.length > MAX_ITEMS) {
      this.items = this.items.slice(-MAX_ITEMS);
      this.renderAll();
    } else {
      var quick = this.log.querySelector(".impplus-quick");
      if (quick) quick.parentNode.removeChild(quick);
      this.log.appendChild(this.renderItem(item));
      this.refreshQuickReplies();
    }
    this.intro.hidden = true;
    this.save();
    this.scrollToEnd();
  };

  Widget.prototype.scrollToEnd = function () {
    this.body.scrollTop = this.body.scrollHeight;
  };

  Widget.prototype.setTyping = function (on) {
    var self = this;
    clearTimeout(this.typingTimer);
    this.typing.hidden = !on;
    if (on) {
      this.typingTimer = setTimeout(function () {
        self.setTyping(false);
      }, TYPING_TIMEOUT_MS);
      this.scrollToEnd();
    }
  };

  Widget.prototype.setStatus = function (key) {
    this.statusKey = key;
    this.statusEl.hidden = !key;
    this.statusEl.textContent = key ? this.t(key) : "";
    this.root.classList.toggle("impplus-offline", key === "reconnecting" || key === "offline");
  };

  // ---------------------------------------------------------------- talking to Rasa

  /**
   * Shows `shown` as the person's bubble and sends `payload` (typed text or a button payload). While
   * disconnected the bubble says it waits for the connection; it is sent once, in order, when the
   * connection is back, or after a while (OFFLINE_GIVE_UP_MS, PENDING_GIVE_UP_MS) says "not sent" with a
   * button to send it again.
   */
  Widget.prototype.sendUser = function (shown, payload) {
    if (this.ready) {
      this.addItem({ who: "user", text: shown });
      this.emit(payload);
      return;
    }
    var item = { who: "user", text: shown, key: Math.random().toString(36).slice(2, 10), state: "pending" };
    if (payload !== shown) item.payload = payload;
    this.addItem(item);
    this.enqueue(payload, item);
  };

  Widget.prototype.emit = function (message) {
    if (!this.ready) {
      this.enqueue(message, null);
      return;
    }
    this.setTyping(true);
    this.socket.emit(this.userEvent, {
      message: message,
      session_id: this.sessionId,
      metadata: { language: this.language }
    });
  };

  /** Keeps `payload` until the connection is back; the person's message `item` (if any) gives up later. */
  Widget.prototype.enqueue = function (payload, item) {
    var self = this;
    var entry = { payload: payload, item: item, timer: null, since: Date.now() };
    var check = function () {
      var waited = Date.now() - entry.since;
      var offline = navigator.onLine === false;
      if ((offline && waited >= OFFLINE_GIVE_UP_MS) || waited >= PENDING_GIVE_UP_MS) self.giveUp(entry);
      else entry.timer = setTimeout(check, DELIVERY_CHECK_MS);
    };
    if (item) entry.timer = setTimeout(check, DELIVERY_CHECK_MS);
    this.queue.push(entry);
    this.setTyping(true);
    if (this.socket && !this.socket.active) this.socket.connect(); // a refused connection, tried again
    this.connect();
  };

  /** The queued message of `entry` will not be sent by itself: its bubble offers a retry instead. */
  Widget.prototype.giveUp = function (entry) {
    var at = this.queue.indexOf(entry);
    if (at < 0) return;
    this.queue.splice(at, 1);
    clearTimeout(entry.timer);
    this.markDelivery(entry.item, "failed");
    this.announce("failedNotice");
    var waiting = this.queue.some(function (other) {
      return other.item;
    });
    if (!waiting) this.setTyping(false);
  };

  /** Every queued message of the person gives up at once: the connection cannot be made. */
  Widget.prototype.giveUpAll = function () {
    var self = this;
    this.queue
      .filter(function (entry) {
        return entry.item;
      })
      .forEach(function (entry) {
        self.giveUp(entry);
      });
  };

  /** Sends, in order and once each, what waited for the connection. */
  Widget.prototype.flushQueue = function () {
    var queued = this.queue.splice(0);
    var sentLater = false;
    for (var i = 0; i < queued.length; i++) {
      clearTimeout(queued[i].timer);
      if (queued[i].item) {
        this.markDelivery(queued[i].item, null);
        sentLater = true;
      }
      this.emit(queued[i].payload);
    }
    if (sentLater) this.announce("sentNotice");
  };

  /** The retry button of a message that was not sent: sends it now, or queues it again. */
  Widget.prototype.retry = function (item) {
    if (item.state !== "failed") return;
    var payload = item.payload || item.text;
    this.input.focus(); // the button is about to go away
    if (this.ready) {
      this.markDelivery(item, null);
      this.emit(payload);
      this.announce("sentNotice");
    } else {
      this.markDelivery(item, "pending");
      this.enqueue(payload, item);
    }
  };

  /** Sets what became of the person's message `item`: "pending", "failed" or null (sent). */
  Widget.prototype.markDelivery = function (item, state) {
    if (state) item.state = state;
    else delete item.state;
    this.refreshDelivery(item);
    this.save();
  };

  Widget.prototype.setLanguage = function (lang, tellAssistant) {
    lang = normalizeLanguage(lang);
    if (!lang) return;
    var changed = lang !== this.language;
    this.language = lang;
    this.applyLabels();
    this.save();
    if (changed && tellAssistant) {
      this.addItem({ who: "note", text: this.t("switched") });
      this.emit('/switch_language{"language": "' + lang + '"}');
    }
  };

  Widget.prototype.newConversation = function () {
    this.items = [];
    this.inBooking = false;
    this.sessionId = null;
    this.queue.forEach(function (entry) {
      clearTimeout(entry.timer);
    });
    this.queue = [];
    this.setTyping(false);
    this.renderAll();
    this.save();
    if (this.socket && this.socket.connected) {
      this.ready = false;
      this.socket.emit("session_request", { session_id: null });
    }
    this.input.focus();
  };

  Widget.prototype.connect = function () {
    var self = this;
    if (this.socket || this.connecting) return;
    if (!this.server) return;
    this.connecting = true;
    // say "Connecting…" only if it takes a while, so a quick connection doesn't flash a status bar
    var connectingTimer = setTimeout(function () {
      if (!self.ready && !self.statusKey) self.setStatus("connecting");
    }, 800);
    withSocketIo(function (io) {
      if (!io) {
        self.connecting = false;
        self.setStatus("offline");
        self.giveUpAll();
        return;
      }
      var socket = io(self.server, {
        path: "/socket.io",
        reconnection: true,
        reconnectionDelay: 500,
        reconnectionDelayMax: 4000,
        timeout: 10000
      });
      self.socket = socket;
      socket.on("connect", function () {
        self.everConnected = true;
        self.ready = false;
        socket.emit("session_request", { session_id: self.sessionId });
      });
      socket.on("session_confirm", function (sessionId) {
        var id = typeof sessionId === "string" ? sessionId : sessionId && sessionId.session_id;
        if (typeof id !== "string") return;
        clearTimeout(connectingTimer);
        self.sessionId = id;
        self.ready = true;
        self.setStatus(null);
        self.save();
        self.flushQueue();
      });
      socket.on(self.botEvent, function (message) {
        self.receive(message);
      });
      socket.on("disconnect", function (reason) {
        self.ready = false;
        if (reason === "io client disconnect") return;
        self.setStatus("reconnecting");
        // socket.io-client does not retry by itself after the server closed the connection
        if (reason === "io server disconnect") {
          setTimeout(function () {
            socket.connect();
          }, 2000);
        }
      });
      socket.on("connect_error", function () {
        self.ready = false;
        self.setStatus(self.everConnected ? "reconnecting" : "offline");
        // the server refused this connection (not a network error): socket.io will not try again
        if (!socket.active) self.giveUpAll();
      });
    });
  };

  Widget.prototype.receive = function (message) {
    if (!message || typeof message !== "object") return;
    if (message.booking === "started" || message.booking === "ended") {
      this.inBooking = message.booking === "started";
      this.save();
      return;
    }
    var text = typeof message.text === "string" ? message.text : "";
    var buttons = [];
    var replies = message.quick_replies || message.buttons || [];
    if (Array.isArray(replies)) {
      replies.forEach(function (reply) {
        if (reply && typeof reply.title === "string" && typeof reply.payload === "string") {
          buttons.push({ title: reply.title, payload: reply.payload });
        }
      });
    }
    if (!text && message.attachment && message.attachment.payload) {
      var src = safeHttpUrl(message.attachment.payload.src || "");
      if (src) text = src;
    }
    if (!text && !buttons.length) return;
    this.setTyping(false);
    this.addItem({ who: "bot", text: text, buttons: buttons });
  };

  // ------------------------------------------------------------ loading socket.io-client

  var ioWaiters = null;

  function withSocketIo(callback) {
    if (typeof window.io === "function") return callback(window.io);
    if (ioWaiters) return ioWaiters.push(callback);
    ioWaiters = [callback];
    var finish = function () {
      var waiters = ioWaiters;
      ioWaiters = null;
      var io = typeof window.io === "function" ? window.io : null;
      waiters.forEach(function (waiter) {
        waiter(io);
      });
    };
    loadScript(new URL("../vendor/socket.io.min.js", SCRIPT_URL).href, finish, finish);
  }

  // ---------------------------------------------------------------- public API

  /**
   * Starts the widget once per page. options: server (Rasa URL, required), language ("en" | "fr"),
   * title (string, or {en, fr}), colors: {primary}. Returns the public handle.
   */
  function init(options) {
    options = options || {};
    if (instance) return api;
    if (!options.server) throw new Error("ImpPlusChat.init: the `server` option (Rasa URL) is required");
    instance = new Widget(options);
    var start = function () {
      ensureStylesheet(new URL("impplus-chat.css", SCRIPT_URL).href, function () {
        if (!instance.root) instance.mount();
      });
    };
    if (document.body) start();
    else document.addEventListener("DOMContentLoaded", start);
    return api;
  }

  var api = {
    version: VERSION,
    init: init,
    open: function () {
      if (instance && instance.root) instance.open();
    },
    close: function () {
      if (instance && instance.root) instance.close(false);
    },
    setLanguage: function (lang) {
      if (instance && instance.root) instance.setLanguage(lang, true);
    }
  };
  window.ImpPlusChat = api;

  // Zero-JS set-up: the script tag's data-* attributes.
  if (SCRIPT && SCRIPT.getAttribute("data-server")) {
    var data = SCRIPT.dataset;
    var title = data.title || null;
    if (data.titleEn || data.titleFr) title = { en: data.titleEn || data.title, fr: data.titleFr || data.title };
    init({
      server: data.server,
      language: data.lang,
      title: title,
      colors: { primary: data.color }
    });
  }
})();
