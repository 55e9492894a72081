/*
 * 技能兴淄 政策咨询助手: drawing the conversation.
 *
 * Pure DOM builders, no state and no network: chat.js decides what to show, this file
 * decides how. Every piece of text from the bot or the user goes in with
 * textContent or a text node, never innerHTML, so nothing a message contains can
 * become markup or script.
 */
(function (global) {
  "use strict";

  var ZiboChat = (global.ZiboChat = global.ZiboChat || {});

  // Status of a measure (the eligibility_result contract) in the citizen's words.
  var STATUS_TEXT = {
    applies: "可以享受",
    may_apply: "可以申报",
    undecided: "还需确认",
    not_applicable: "不适用",
  };

  // Shown in this order: what the person gets first, what does not apply last (folded).
  var STATUS_ORDER = ["applies", "may_apply", "undecided", "not_applicable"];

  var HOTLINE = "12333";

  /* --- small helpers ------------------------------------------------------ */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function asText(value) {
    return value === undefined || value === null ? "" : String(value);
  }

  /* Text with the hotline number made a phone link; everything else stays a text node. */
  function textWithHotline(text) {
    var fragment = document.createDocumentFragment();
    var parts = asText(text).split(HOTLINE);
    parts.forEach(function (part, index) {
      if (index > 0) {
        var link = el("a", "zc-tel", HOTLINE);
        link.href = "tel:" + HOTLINE;
        fragment.appendChild(link);
      }
      if (part) fragment.appendChild(document.createTextNode(part));
    });
    return fragment;
  }

  /* "2026-11-25" -> "2026年11月25日"; anything else is shown as it came. */
  function chineseDate(iso) {
    var match = /^(\d{4})-(\d{2})-(\d{2})/.exec(asText(iso));
    if (!match) return asText(iso);
    return match[1] + "年" + Number(match[2]) + "月" + Number(match[3]) + "日";
  }

  function yuan(amount) {
    var number = Number(amount);
    if (!isFinite(number)) return asText(amount);
    return String(Math.round(number * 100) / 100) + "元";
  }

  /* --- bubbles ------------------------------------------------------------ */

  function row(who) {
    return el("div", "zc-row zc-row-" + who);
  }

  function userBubble(text) {
    var wrapper = row("user");
    wrapper.appendChild(el("div", "zc-bubble zc-bubble-user", text));
    return wrapper;
  }

  function botBubble(text) {
    var wrapper = row("bot");
    var bubble = el("div", "zc-bubble zc-bubble-bot");
    bubble.appendChild(textWithHotline(text));
    wrapper.appendChild(bubble);
    return wrapper;
  }

  /* A friendly line from the page itself (network, busy, too long): never silence. */
  function notice(text, kind, action) {
    var wrapper = row("note");
    var box = el("div", "zc-notice zc-notice-" + (kind || "info"));
    box.setAttribute("role", kind === "error" ? "alert" : "status");
    box.appendChild(el("span", "zc-notice-text", text));
    if (action) {
      var button = el("button", "zc-notice-action", action.label);
      button.type = "button";
      button.addEventListener("click", action.onClick);
      box.appendChild(button);
    }
    wrapper.appendChild(box);
    return wrapper;
  }

  function typing() {
    var wrapper = row("bot");
    wrapper.classList.add("zc-typing-row");
    var bubble = el("div", "zc-bubble zc-bubble-bot zc-typing");
    bubble.setAttribute("role", "status");
    bubble.setAttribute("aria-label", "助手正在回复");
    for (var i = 0; i < 3; i += 1) bubble.appendChild(el("span", "zc-dot"));
    wrapper.appendChild(bubble);
    return wrapper;
  }

  /* Quick replies: the title is shown (and becomes the user's bubble), the payload is sent. */
  function quickReplies(buttons, onPick) {
    var group = el("div", "zc-quick-replies");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "可选回答");
    buttons.forEach(function (item) {
      if (!item || (!item.title && !item.payload)) return;
      var title = asText(item.title || item.payload);
      var button = el("button", "zc-quick-reply", title);
      button.type = "button";
      button.addEventListener("click", function () {
        onPick(asText(item.payload || item.title), title);
      });
      group.appendChild(button);
    });
    return group;
  }

  /* --- the eligibility result card ---------------------------------------- */

  function detailRow(list, label, value) {
    if (!value) return;
    var item = el("div", "zc-detail");
    item.appendChild(el("dt", "zc-detail-label", label));
    var dd = el("dd", "zc-detail-value");
    dd.appendChild(textWithHotline(value));
    item.appendChild(dd);
    list.appendChild(item);
  }

  function measureItem(measure) {
    var status = asText(measure.status);
    var item = el("li", "zc-measure zc-measure-" + status);
    item.setAttribute("data-article", asText(measure.article));
    item.setAttribute("data-status", status);

    var head = el("div", "zc-measure-head");
    var article = el("span", "zc-article", "第" + asText(measure.article) + "条");
    article.setAttribute("title", "条款");
    head.appendChild(article);
    var chip = el("span", "zc-status zc-status-" + status, STATUS_TEXT[status] || status);
    chip.setAttribute("title", "状态");
    head.appendChild(chip);
    item.appendChild(head);

    item.appendChild(el("h4", "zc-measure-title", measure.title || measure.measure));

    var details = el("dl", "zc-details");
    if (measure.amount && measure.amount.text) {
      detailRow(details, "金额", measure.amount.text);
    } else if (measure.amount && measure.amount.total_yuan !== undefined && measure.amount.total_yuan !== null) {
      detailRow(details, "金额", yuan(measure.amount.total_yuan));
    }
    detailRow(details, "发给谁", measure.beneficiary);
    detailRow(details, "说明", measure.reason);
    if (measure.missing && measure.missing.length) {
      detailRow(details, "还需确认", measure.missing.map(asText).join("；"));
    }
    if (measure.notes && measure.notes.length) {
      detailRow(details, "注意", measure.notes.map(asText).join("\n"));
    }
    detailRow(details, "怎么申请", measure.how_to_apply);
    if (measure.responsible_units && measure.responsible_units.length) {
      detailRow(details, "办理单位", measure.responsible_units.map(asText).join("、"));
    }
    item.appendChild(details);
    return item;
  }

  function rank(status) {
    var index = STATUS_ORDER.indexOf(status);
    return index < 0 ? STATUS_ORDER.length : index;
  }

  function resultCard(result) {
    var card = el("section", "zc-card zc-result");
    card.setAttribute("aria-label", "政策测算结果");

    var header = el("header", "zc-card-head");
    header.appendChild(el("h3", "zc-card-title", "测算结果"));
    var basis = result.hypothetical ? "假设情况有变，" : "";
    if (result.as_of) basis += "按" + chineseDate(result.as_of) + "的政策测算，";
    header.appendChild(el("p", "zc-card-sub", basis + "以主管部门审核认定为准"));
    card.appendChild(header);

    var measures = (Array.isArray(result.measures) ? result.measures : [])
      .filter(function (m) { return m && typeof m === "object"; })
      .map(function (m, index) { return { m: m, index: index }; })
      .sort(function (a, b) {
        return rank(a.m.status) - rank(b.m.status) || a.index - b.index;
      })
      .map(function (pair) { return pair.m; });
    var relevant = measures.filter(function (m) { return m && m.status !== "not_applicable"; });
    var notApplicable = measures.filter(function (m) { return m && m.status === "not_applicable"; });

    var list = el("ol", "zc-measures");
    relevant.forEach(function (m) { list.appendChild(measureItem(m)); });
    if (!relevant.length) {
      list.appendChild(el("li", "zc-measure-empty", "按您目前提供的情况，暂时没有适用的措施。"));
    }
    card.appendChild(list);

    if (notApplicable.length) {
      var more = el("details", "zc-not-applicable");
      more.appendChild(el("summary", "zc-not-applicable-summary", "不适用的措施（" + notApplicable.length + "项）"));
      var others = el("ol", "zc-measures");
      notApplicable.forEach(function (m) { others.appendChild(measureItem(m)); });
      more.appendChild(others);
      card.appendChild(more);
    }

    if (result.total_yuan !== undefined && result.total_yuan !== null) {
      var total = el("footer", "zc-total");
      total.appendChild(el("span", "zc-total-label", "合计金额"));
      total.appendChild(el("strong", "zc-total-value", yuan(result.total_yuan)));
      card.appendChild(total);
    }
    return card;
  }

  /* --- the consultation code ---------------------------------------------- */

  function consultationCard(custom) {
    var hotline = /^[0-9-]{3,20}$/.test(asText(custom.hotline)) ? asText(custom.hotline) : HOTLINE;
    var card = el("section", "zc-card zc-code-card");
    card.setAttribute("aria-label", "咨询码");
    card.appendChild(el("p", "zc-code-label", "您的咨询码"));
    card.appendChild(el("p", "zc-code-value", custom.code));
    card.appendChild(
      el("p", "zc-code-help", "拨打人社服务热线 " + hotline + "，报出这个咨询码，工作人员可以查看您刚才的咨询内容。")
    );
    var call = el("a", "zc-call", "电话咨询 " + hotline);
    call.href = "tel:" + hotline;
    card.appendChild(call);
    return card;
  }

  /* One message from Rasa's REST channel -> the nodes that show it. */
  function botMessage(message, onPick, buttonsActive) {
    var nodes = [];
    if (message.text !== undefined && message.text !== null && asText(message.text) !== "") {
      nodes.push(botBubble(message.text));
    }
    var custom = message.custom;
    if (custom && custom.type === "eligibility_result") {
      var cardRow = row("bot");
      cardRow.classList.add("zc-row-card");
      cardRow.appendChild(resultCard(custom));
      nodes.push(cardRow);
    } else if (custom && custom.type === "consultation_code" && custom.code) {
      var codeRow = row("bot");
      codeRow.classList.add("zc-row-card");
      codeRow.appendChild(consultationCard(custom));
      nodes.push(codeRow);
    }
    if (Array.isArray(message.buttons) && message.buttons.length) {
      var group = quickReplies(message.buttons, onPick);
      if (!buttonsActive) disableButtons(group);
      var buttonsRow = row("bot");
      buttonsRow.appendChild(group);
      nodes.push(buttonsRow);
    }
    return nodes;
  }

  function disableButtons(container) {
    var buttons = container.querySelectorAll(".zc-quick-reply");
    for (var i = 0; i < buttons.length; i += 1) buttons[i].disabled = true;
  }

  ZiboChat.render = {
    STATUS_TEXT: STATUS_TEXT,
    el: el,
    userBubble: userBubble,
    botBubble: botBubble,
    botMessage: botMessage,
    notice: notice,
    typing: typing,
    resultCard: resultCard,
    consultationCard: consultationCard,
    disableButtons: disableButtons,
    chineseDate: chineseDate,
  };
})(window);
