/*
 * 技能兴淄 政策咨询助手: the chat as a floating button on any web page.
 *
 *   <script src="https://<web app>/widget.js" defer></script>
 *
 * The button and the chat live in a shadow root, so the page's styles and ours do not
 * mix. The chat is the same code as the chat page (static/chat/), loaded from the web
 * app this script came from; it calls that web app's /api/chat, which answers only
 * pages whose site is listed in CORS_ORIGINS.
 */
(function () {
  "use strict";

  if (window.__ziboChatWidget) return; // the tag was pasted twice
  window.__ziboChatWidget = true;

  var script = document.currentScript;
  if (!script || !script.src) return;
  // Where the web app is: this script's own address, less "widget.js".
  var base = script.src.replace(/[?#].*$/, "").replace(/widget\.js$/, "");
  var LABEL = "政策咨询";

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = src;
      tag.async = false;
      tag.onload = resolve;
      tag.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(tag);
    });
  }

  function loadChat() {
    if (window.ZiboChat && window.ZiboChat.mount) return Promise.resolve();
    return loadScript(base + "static/chat/render.js").then(function () {
      return loadScript(base + "static/chat/chat.js");
    });
  }

  function start() {
    var host = document.createElement("div");
    host.setAttribute("data-zibo-chat-widget", "");
    document.body.appendChild(host);
    var shadow = host.attachShadow({ mode: "open" });

    var reset = document.createElement("style");
    // Nothing the page sets (fonts, sizes, colours) leaks in through inheritance.
    reset.textContent = ":host { all: initial; }";
    shadow.appendChild(reset);
    var styles = document.createElement("link");
    styles.rel = "stylesheet";
    styles.href = base + "static/chat/chat.css";
    shadow.appendChild(styles);

    var launcher = document.createElement("button");
    launcher.type = "button";
    launcher.className = "zc-launcher";
    launcher.setAttribute("aria-haspopup", "dialog");
    launcher.setAttribute("aria-expanded", "false");
    var icon = document.createElement("span");
    icon.className = "zc-launcher-icon";
    icon.setAttribute("aria-hidden", "true");
    launcher.appendChild(icon);
    launcher.appendChild(document.createTextNode(LABEL));
    shadow.appendChild(launcher);

    var panel = document.createElement("div");
    panel.className = "zc-panel";
    panel.hidden = true;
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", "技能兴淄 政策咨询助手");
    var chatRoot = document.createElement("div");
    chatRoot.className = "zc-root";
    panel.appendChild(chatRoot);
    shadow.appendChild(panel);

    var chat = null;
    var loading = loadChat();

    function open() {
      loading.then(
        function () {
          if (!chat) chat = window.ZiboChat.mount(chatRoot, { apiBase: base, embedded: true, onClose: close });
          panel.hidden = false;
          launcher.hidden = true;
          launcher.setAttribute("aria-expanded", "true");
          // On a phone, focusing the field would cover half the chat with the keyboard.
          if (window.matchMedia && window.matchMedia("(pointer: fine)").matches) chat.focus();
        },
        function () {
          // Never silence: without our scripts, at least say where else to ask.
          launcher.textContent = "咨询暂不可用，请拨打 12333";
        }
      );
    }

    function close() {
      panel.hidden = true;
      launcher.hidden = false;
      launcher.setAttribute("aria-expanded", "false");
      launcher.focus();
    }

    launcher.addEventListener("click", open);
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") close();
    });
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
