// The session cookie component: POST a ticket (sign-in) or DELETE (sign-out) to
// /_workbench/session on this origin; the server's answer sets or clears the
// HttpOnly cookie, which no script (this one included) can read.
(function () {
  "use strict";
  var done = {};

  function post(type, extra) {
    var message = { isStreamlitMessage: true, type: type };
    Object.keys(extra || {}).forEach(function (k) { message[k] = extra[k]; });
    window.parent.postMessage(message, "*");
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || !event.data) { return; }
    if (event.data.type !== "streamlit:render") { return; }
    var args = event.data.args || {};
    var key = (args.action || "") + ":" + (args.ticket || "");
    if (done[key]) { return; }
    done[key] = true;
    var url = new URL("/_workbench/session", window.location.href);
    var init = { method: args.action === "end" ? "DELETE" : "POST", credentials: "same-origin" };
    if (args.action !== "end") { init.body = String(args.ticket || ""); }
    // No value goes back: a value would rerun the page while it may still be reading.
    fetch(url.toString(), init);
  });

  post("streamlit:componentReady", { apiVersion: 1 });
  post("streamlit:setFrameHeight", { height: 0 });
})();
