// The page's own script: starts the widget with ImpPlusChat.init (the other way is data-* attributes).
// The Rasa URL comes from this tag's data-server, filled in by web/serve.py.
"use strict";
(function () {
  var server = document.currentScript.getAttribute("data-server");
  window.ImpPlusChat.init({
    server: server,
    language: "fr",
    title: { en: "Parcours Québec assistant", fr: "Assistant Parcours Québec" },
    colors: { primary: "#8a1538" }
  });
})();
