// Rumah UMKM web chat: sends each message to /chat/api/messages and shows the replies as bubbles.
// Every text is put on the page with textContent / text nodes, never as HTML.
(() => {
  "use strict";

  const KEY = "rumah-umkm-session";
  const SAFE_ID = /^[A-Za-z0-9-]{8,64}$/;
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("text");
  let memoryId = null;
  let queue = Promise.resolve();

  /** A random session id of 32 hex digits (crypto.getRandomValues works without HTTPS too). */
  function randomId() {
    const bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  /** This browser's session id, kept in localStorage (or in memory when storage is blocked). */
  function sessionId() {
    try {
      let id = window.localStorage.getItem(KEY);
      if (!id || !SAFE_ID.test(id)) {
        id = randomId();
        window.localStorage.setItem(KEY, id);
      }
      return id;
    } catch (_error) {
      memoryId = memoryId || randomId();
      return memoryId;
    }
  }

  /** Appends text to an element, turning *bold* into <b> elements; nothing is parsed as HTML. */
  function appendBold(parent, text) {
    const bold = /\*([^*\n]+)\*/g;
    let last = 0;
    let match;
    while ((match = bold.exec(text)) !== null) {
      if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      const b = document.createElement("b");
      b.textContent = match[1];
      parent.appendChild(b);
      last = bold.lastIndex;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  /** Appends a reply: ```blocks``` become monospace <pre> (tables), the rest goes through appendBold. */
  function appendRich(parent, text) {
    text.split("```").forEach((part, index) => {
      if (index % 2 === 1) {
        const pre = document.createElement("pre");
        pre.textContent = part.replace(/^\n|\n$/g, "");
        parent.appendChild(pre);
      } else if (part) {
        appendBold(parent, part);
      }
    });
  }

  /** Scrolls the conversation to the newest message. */
  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  /** Adds one bubble: "bot", "user", "error" or "typing". */
  function bubble(kind, text) {
    const div = document.createElement("div");
    div.className = kind === "bot" || kind === "user" ? `msg ${kind}` : `msg bot ${kind}`;
    if (kind === "bot") appendRich(div, text);
    else div.textContent = text;
    log.appendChild(div);
    scrollDown();
    return div;
  }

  /** Turns off the buttons of earlier replies once the user has answered. */
  function retireOptions() {
    for (const button of log.querySelectorAll("button.option")) button.disabled = true;
  }

  /** Shows a reply's options as buttons that send the option id. */
  function optionButtons(options) {
    const row = document.createElement("div");
    row.className = "options";
    for (const option of options) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "option";
      button.textContent = option.label;
      button.dataset.id = option.id;
      button.addEventListener("click", () => send("", option.id, option.label));
      row.appendChild(button);
    }
    log.appendChild(row);
    scrollDown();
  }

  /** Posts one message to the bot and returns its replies. */
  async function post(text, choice) {
    const response = await fetch("/chat/api/messages", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ session: sessionId(), text: text, choice: choice }),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return (await response.json()).replies;
  }

  /** Sends a message (typed text, or an option id with its label shown), one at a time in order. */
  function send(text, choice, shown) {
    retireOptions();
    if (shown) bubble("user", shown);
    queue = queue.then(async () => {
      const typing = bubble("typing", "•••");
      typing.setAttribute("aria-label", "Sedang mengetik");
      try {
        const replies = await post(text, choice || null);
        typing.remove();
        for (const reply of replies) {
          bubble("bot", reply.text);
          if (reply.options && reply.options.length) optionButtons(reply.options);
        }
      } catch (_error) {
        typing.remove();
        bubble("error", "Maaf, pesan tidak terkirim. Periksa koneksi lalu coba lagi.");
      }
    });
    return queue;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text, null, text);
    input.focus();
  });

  // A newcomer sees the welcome and the menu at once; a returning user sees the menu.
  send("menu", null, null);
})();
