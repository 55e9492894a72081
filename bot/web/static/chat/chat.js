/*
 * 技能兴淄 政策咨询助手: the chat itself, shared by the page (GET /) and the widget.
 *
 *   ZiboChat.mount(rootElement, { apiBase: "", embedded: false, onClose: null })
 *
 * Transport: one HTTPS POST per turn to {apiBase}/api/chat, answered with the bot's
 * messages. No WebSocket: plain requests pass every proxy and in-app browser that
 * passes the page itself (see README, "Web chat widget").
 *
 * State kept in localStorage: the sender id (the conversation survives a reload; the
 * bot remembers it by this id) and the transcript shown on screen.
 */
(function (global) {
  "use strict";

  var ZiboChat = (global.ZiboChat = global.ZiboChat || {});
  var R = ZiboChat.render;

  var MAX_CHARS = 500; // the server refuses longer messages too (bot/web/routes/chat.py)
  var WARN_CHARS = 450;
  var SENDER_KEY = "zibo-chat.sender";
  var TRANSCRIPT_KEY = "zibo-chat.transcript";
  var MAX_TRANSCRIPT = 200;
  var REQUEST_TIMEOUT_MS = 30000;
  var RETRY_DELAYS_MS = [1000, 2000, 4000, 8000];
  var HANDOFF_MESSAGE = "转人工";
  var RESTART_MESSAGE = "重新开始";
  var EXAMPLE = "我是技校毕业的，高级工，2025年毕业，在张店一家企业全职上班";

  var TEXT = {
    title: "技能兴淄 政策咨询助手",
    subtitle: "淄博市技能人才政策 · 共26条",
    welcome:
      "您好！我是技能兴淄政策咨询助手。告诉我您的情况（证书等级、毕业年份、在哪里工作、获得过什么奖项），" +
      "我来对照淄博市2022年印发的26条措施，告诉您能享受哪些补贴、能领多少、找谁办理。",
    exampleLead: "可以这样问：",
    placeholder: "请输入您的问题",
    send: "发送",
    handoff: "电话咨询 12333",
    restart: "重新开始",
    close: "关闭",
    tooLong: function (count) {
      return "消息太长了：每条最多" + MAX_CHARS + "个字，您已输入" + count + "个字。请删减后再发送。";
    },
    nearLimit: function (count) {
      return "已输入" + count + "/" + MAX_CHARS + "字";
    },
    offline: "网络连接中断了，正在等待网络恢复，恢复后会自动发送…",
    reconnecting: "网络不太稳定，正在重新连接…",
    networkFailed: "网络不通，消息没有发出去。请检查网络后重试。",
    timeout: "助手回复超时了，请稍后重试。",
    busy: "系统繁忙，请稍后再试。",
    noAnswer: "助手这次没有回复。您可以换个说法再问一次，或拨打人社服务热线 12333 咨询。",
    retry: "重试",
  };

  /* --- storage: localStorage, or memory where it is blocked --------------- */

  function openStorage() {
    try {
      var probe = "zibo-chat.probe";
      global.localStorage.setItem(probe, "1");
      global.localStorage.removeItem(probe);
      return global.localStorage;
    } catch (error) {
      var memory = {};
      return {
        getItem: function (key) { return Object.prototype.hasOwnProperty.call(memory, key) ? memory[key] : null; },
        setItem: function (key, value) { memory[key] = String(value); },
        removeItem: function (key) { delete memory[key]; },
      };
    }
  }

  function newSenderId() {
    var bytes = new Uint8Array(16);
    global.crypto.getRandomValues(bytes);
    var hex = "";
    for (var i = 0; i < bytes.length; i += 1) hex += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return "web-" + hex;
  }

  function readTranscript(storage) {
    try {
      var entries = JSON.parse(storage.getItem(TRANSCRIPT_KEY) || "[]");
      return Array.isArray(entries) ? entries : [];
    } catch (error) {
      return [];
    }
  }

  /* Characters as the server counts them (code points, not UTF-16 units). */
  function charCount(text) {
    return Array.from(text).length;
  }

  /* --- transport ---------------------------------------------------------- */

  /*
   * One turn. Resolves (never rejects) with
   *   {ok: true, messages}                  the bot answered
   *   {ok: false, kind: "network"}          no answer reached us: worth retrying
   *   {ok: false, kind: "timeout"}          sent, but no answer in time
   *   {ok: false, kind: "busy"|"refused", message}  the web app said why, in Chinese
   */
  function postTurn(url, sender, message) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = setTimeout(function () { if (controller) controller.abort(); }, REQUEST_TIMEOUT_MS);
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: sender, message: message }),
      signal: controller ? controller.signal : undefined,
      credentials: "omit",
    })
      .then(function (response) {
        return response.json().then(
          function (body) { return { response: response, body: body }; },
          function () { return { response: response, body: null }; }
        );
      })
      .then(function (answer) {
        var status = answer.response.status;
        var body = answer.body || {};
        if (answer.response.ok && Array.isArray(body.messages)) return { ok: true, messages: body.messages };
        if (status === 422 || status === 400) return { ok: false, kind: "refused", message: body.message || TEXT.busy };
        return { ok: false, kind: "busy", message: body.message || TEXT.busy };
      })
      .catch(function (error) {
        return { ok: false, kind: error && error.name === "AbortError" ? "timeout" : "network" };
      })
      .then(function (result) {
        clearTimeout(timer);
        return result;
      });
  }

  /* --- the chat ------------------------------------------------------------ */

  function mount(root, options) {
    options = options || {};
    var apiBase = String(options.apiBase || "").replace(/\/+$/, "");
    var chatUrl = apiBase + "/api/chat";
    var storage = openStorage();
    var senderId = storage.getItem(SENDER_KEY);
    if (!senderId || !/^web-[A-Za-z0-9_-]{16,64}$/.test(senderId)) {
      senderId = newSenderId();
      storage.setItem(SENDER_KEY, senderId);
    }
    var transcript = readTranscript(storage);
    var busy = false;
    var generation = 0; // bumped by "重新开始": late answers of the old conversation are dropped
    var typingRow = null;
    var statusRow = null;

    /* Layout: header, the conversation, the composer. */
    root.textContent = "";
    root.classList.add("zc-root");
    if (options.embedded) root.classList.add("zc-embedded");

    var app = R.el("div", "zc-app");
    var header = R.el("header", "zc-header");
    var titles = R.el("div", "zc-titles");
    titles.appendChild(R.el("h1", "zc-title", TEXT.title));
    titles.appendChild(R.el("p", "zc-subtitle", TEXT.subtitle));
    header.appendChild(titles);
    var actions = R.el("div", "zc-actions");
    var handoffButton = R.el("button", "zc-action zc-action-handoff", TEXT.handoff);
    handoffButton.type = "button";
    var restartButton = R.el("button", "zc-action zc-action-restart", TEXT.restart);
    restartButton.type = "button";
    actions.appendChild(handoffButton);
    actions.appendChild(restartButton);
    if (options.embedded && typeof options.onClose === "function") {
      var closeButton = R.el("button", "zc-action zc-action-close", "×");
      closeButton.type = "button";
      closeButton.setAttribute("aria-label", TEXT.close);
      closeButton.addEventListener("click", options.onClose);
      actions.appendChild(closeButton);
    }
    header.appendChild(actions);

    var log = R.el("div", "zc-log");
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-label", "对话记录");
    var welcome = R.el("div", "zc-welcome");
    var conversation = R.el("div", "zc-conversation");
    log.appendChild(welcome);
    log.appendChild(conversation);

    var form = R.el("form", "zc-composer");
    form.setAttribute("novalidate", "");
    var limit = R.el("p", "zc-limit");
    limit.setAttribute("aria-live", "polite");
    var inputRow = R.el("div", "zc-input-row");
    var input = R.el("textarea", "zc-input");
    input.rows = 1;
    input.placeholder = TEXT.placeholder;
    input.setAttribute("aria-label", TEXT.placeholder);
    input.setAttribute("enterkeyhint", "send");
    var sendButton = R.el("button", "zc-send", TEXT.send);
    sendButton.type = "submit";
    inputRow.appendChild(input);
    inputRow.appendChild(sendButton);
    form.appendChild(limit);
    form.appendChild(inputRow);

    app.appendChild(header);
    app.appendChild(log);
    app.appendChild(form);
    root.appendChild(app);

    /* The welcome is the page's own text, shown above every conversation. */
    welcome.appendChild(R.botBubble(TEXT.welcome));
    var exampleRow = R.el("div", "zc-row zc-row-bot");
    var example = R.el("div", "zc-example");
    example.appendChild(R.el("span", "zc-example-lead", TEXT.exampleLead));
    var exampleButton = R.el("button", "zc-example-text", EXAMPLE);
    exampleButton.type = "button";
    exampleButton.addEventListener("click", function () {
      input.value = EXAMPLE;
      updateLimit();
      autoGrow();
      input.focus();
    });
    example.appendChild(exampleButton);
    exampleRow.appendChild(example);
    welcome.appendChild(exampleRow);

    /* --- transcript ------------------------------------------------------- */

    function save() {
      if (transcript.length > MAX_TRANSCRIPT) transcript = transcript.slice(-MAX_TRANSCRIPT);
      try {
        storage.setItem(TRANSCRIPT_KEY, JSON.stringify(transcript));
      } catch (error) {
        /* storage full: the conversation still goes on, only the reload copy is lost */
      }
    }

    function deactivateButtons() {
      R.disableButtons(conversation);
    }

    function showEntry(entry, buttonsActive) {
      if (entry.who === "user") return [conversation.appendChild(R.userBubble(entry.text))];
      if (entry.who === "bot" && entry.message && typeof entry.message === "object") {
        return R.botMessage(entry.message, pick, buttonsActive).map(function (node) {
          return conversation.appendChild(node);
        });
      }
      return [];
    }

    function restore() {
      var lastUser = -1;
      transcript.forEach(function (entry, index) { if (entry.who === "user") lastUser = index; });
      transcript.forEach(function (entry, index) { showEntry(entry, index > lastUser); });
      scrollToEnd();
    }

    /* --- scrolling -------------------------------------------------------- */

    function scrollToEnd() {
      log.scrollTop = log.scrollHeight;
    }

    /* A long answer (a result card) is shown from its top, not from its end. */
    function reveal(nodes) {
      if (!nodes.length) return scrollToEnd();
      var first = nodes[0];
      var height = log.scrollHeight - first.offsetTop;
      if (height > log.clientHeight) log.scrollTop = first.offsetTop - 8;
      else scrollToEnd();
    }

    /* --- the page's own lines --------------------------------------------- */

    function clearStatus() {
      if (statusRow && statusRow.parentNode) statusRow.parentNode.removeChild(statusRow);
      statusRow = null;
    }

    function showStatus(text, kind, action) {
      clearStatus();
      statusRow = conversation.appendChild(R.notice(text, kind, action));
      scrollToEnd();
    }

    function showTyping(on) {
      if (on && !typingRow) {
        typingRow = conversation.appendChild(R.typing());
        scrollToEnd();
      } else if (!on && typingRow) {
        if (typingRow.parentNode) typingRow.parentNode.removeChild(typingRow);
        typingRow = null;
      }
    }

    function setBusy(value) {
      busy = value;
      sendButton.disabled = value;
      root.classList.toggle("zc-busy", value);
    }

    /* --- sending ---------------------------------------------------------- */

    function updateLimit() {
      var count = charCount(input.value.trim());
      limit.classList.remove("zc-limit-near", "zc-limit-over");
      input.removeAttribute("aria-invalid");
      if (count > MAX_CHARS) {
        limit.textContent = TEXT.tooLong(count);
        limit.classList.add("zc-limit-over");
        limit.setAttribute("role", "alert");
        input.setAttribute("aria-invalid", "true");
      } else if (count > WARN_CHARS) {
        limit.textContent = TEXT.nearLimit(count);
        limit.classList.add("zc-limit-near");
        limit.removeAttribute("role");
      } else {
        limit.textContent = "";
        limit.removeAttribute("role");
      }
    }

    function autoGrow() {
      input.style.height = "auto";
      input.style.height = Math.min(input.scrollHeight, 160) + "px";
    }

    /*
     * Send `message` (a typed text or a button's payload); `shownAs` is the user's
     * bubble (a button's title). Returns false when the message was refused here.
     */
    function send(message, shownAs) {
      var text = String(message || "").trim();
      if (!text) {
        input.focus();
        return false;
      }
      if (charCount(text) > MAX_CHARS) {
        updateLimit();
        return false;
      }
      if (busy) return false;
      clearStatus();
      deactivateButtons();
      var entry = { who: "user", text: String(shownAs || text) };
      transcript.push(entry);
      save();
      showEntry(entry, false);
      scrollToEnd();
      deliver(text, 0, generation);
      return true;
    }

    function pick(payload, title) {
      send(payload, title);
    }

    function waitForNetwork(delay, then) {
      var done = false;
      function go() {
        if (done) return;
        done = true;
        global.removeEventListener("online", go);
        clearTimeout(timer);
        then();
      }
      global.addEventListener("online", go);
      // Offline: wait for the network to come back; online but failing: back off.
      var timer = navigator.onLine === false ? null : setTimeout(go, delay);
    }

    function deliver(text, attempt, turnGeneration) {
      setBusy(true);
      showTyping(true);
      postTurn(chatUrl, senderId, text).then(function (result) {
        if (turnGeneration !== generation) return; // "重新开始" came in between
        if (result.ok) {
          showTyping(false);
          clearStatus();
          setBusy(false);
          answer(result.messages);
          return;
        }
        if (result.kind === "network" && attempt < RETRY_DELAYS_MS.length) {
          showStatus(navigator.onLine === false ? TEXT.offline : TEXT.reconnecting, "info");
          waitForNetwork(RETRY_DELAYS_MS[attempt], function () {
            if (turnGeneration === generation) deliver(text, attempt + 1, turnGeneration);
          });
          return;
        }
        showTyping(false);
        setBusy(false);
        var line = result.kind === "network" ? TEXT.networkFailed
          : result.kind === "timeout" ? TEXT.timeout
          : result.message || TEXT.busy;
        var retry = result.kind === "refused" ? null : {
          label: TEXT.retry,
          onClick: function () {
            clearStatus();
            deliver(text, 0, generation);
          },
        };
        showStatus(line, "error", retry);
      });
    }

    function answer(messages) {
      var shown = [];
      messages.forEach(function (message) {
        if (!message || typeof message !== "object") return;
        var entry = { who: "bot", message: message };
        transcript.push(entry);
        shown = shown.concat(showEntry(entry, true));
      });
      save();
      if (!shown.length) {
        showStatus(TEXT.noAnswer, "info");
        return;
      }
      reveal(shown);
    }

    function restart() {
      generation += 1;
      showTyping(false);
      clearStatus();
      setBusy(false);
      transcript = [];
      save();
      conversation.textContent = "";
      // A new conversation id: the next person on this phone starts afresh.
      senderId = newSenderId();
      storage.setItem(SENDER_KEY, senderId);
      send(RESTART_MESSAGE, TEXT.restart);
    }

    /* --- wiring ----------------------------------------------------------- */

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (send(input.value)) {
        input.value = "";
        updateLimit();
        autoGrow();
      }
    });
    input.addEventListener("keydown", function (event) {
      // Enter sends; Shift+Enter is a new line. Never while an input method is composing
      // (Enter then confirms the pinyin, it must not send half a sentence).
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        if (typeof form.requestSubmit === "function") form.requestSubmit();
        else form.dispatchEvent(new Event("submit", { cancelable: true }));
      }
    });
    input.addEventListener("input", function () {
      updateLimit();
      autoGrow();
    });
    handoffButton.addEventListener("click", function () { send(HANDOFF_MESSAGE, TEXT.handoff); });
    restartButton.addEventListener("click", restart);

    restore();

    return {
      send: send,
      restart: restart,
      focus: function () { input.focus(); },
      senderId: function () { return senderId; },
    };
  }

  ZiboChat.mount = mount;
  ZiboChat.MAX_CHARS = MAX_CHARS;

  /* The chat page: <div data-zibo-chat> is mounted when the script loads. */
  var targets = document.querySelectorAll("[data-zibo-chat]");
  for (var i = 0; i < targets.length; i += 1) {
    mount(targets[i], { apiBase: targets[i].getAttribute("data-api-base") || "" });
  }
})(window);
