/*
 * Article editor helpers (media of the article editor's preview panel, news/panels.py).
 *
 * - The search and social preview ([data-byline-preview]) follows the headline,
 *   standfirst, slug, title tag and meta description as the editor types, with
 *   the fallbacks the page's metadata use (news/seo.py).
 * - The body panel ([data-byline-word-count]) shows "N words · M min read" for
 *   the standfirst and body, at the words per minute the panel gives
 *   (news/reading.py), as ArticlePage.reading_time counts them.
 *
 * A static file with no inline script or eval: Byline's CSP forbids both.
 */
(function () {
  "use strict";

  function field(name) {
    return document.querySelector('[name="' + name + '"]');
  }

  function value(name) {
    var input = field(name);
    return input ? input.value.trim() : "";
  }

  function squash(text) {
    return text.replace(/\s+/g, " ").trim();
  }

  // As django.utils.text.Truncator.chars: at most `length` characters, "…" included.
  function clip(text, length) {
    text = squash(text);
    if (text.length <= length) {
      return text;
    }
    return text.slice(0, length - 1) + "…";
  }

  // Search and social preview ---------------------------------------------------

  function updatePreview(preview) {
    var title = value("seo_title") || value("title");
    var length = parseInt(preview.getAttribute("data-description-length"), 10) || 200;
    var description = clip(value("search_description") || value("standfirst"), length);
    var slug = value("slug");
    var address = preview.getAttribute("data-parent-url") + (slug ? slug + "/" : "");
    preview.querySelectorAll("[data-byline-preview-target]").forEach(function (target) {
      var name = target.getAttribute("data-byline-preview-target");
      target.textContent = { title: title, description: description, address: address }[name];
    });
  }

  // Word count and reading time -------------------------------------------------

  function words(text) {
    var trimmed = squash(text);
    return trimmed ? trimmed.split(" ").length : 0;
  }

  function bodyText(panel) {
    var parts = [];
    // Draftail (rich text): one element per paragraph, so words never run together.
    panel.querySelectorAll('[contenteditable="true"] [data-block="true"]').forEach(function (block) {
      parts.push(block.textContent);
    });
    // Plain text inputs of other blocks (headings, quotations, captions); not URLs.
    panel.querySelectorAll('input[type="text"], textarea').forEach(function (input) {
      parts.push(input.value);
    });
    return parts.join(" ");
  }

  function countOutput(panel) {
    var output = panel.querySelector("[data-byline-word-count-output]");
    if (!output) {
      output = document.createElement("p");
      output.className = "byline-word-count";
      output.setAttribute("data-byline-word-count-output", "");
      output.setAttribute("role", "status");
      var content = panel.querySelector(".w-panel__content") || panel;
      content.insertBefore(output, content.firstChild);
    }
    return output;
  }

  function updateWordCount(panel) {
    var perMinute = parseInt(panel.getAttribute("data-words-per-minute"), 10) || 230;
    var count = words(value("standfirst")) + words(bodyText(panel));
    var minutes = Math.max(1, Math.ceil(count / perMinute));
    var output = countOutput(panel);
    output.textContent = count + (count === 1 ? " word" : " words") + " · " + minutes + " min read";
    output.setAttribute("data-words", String(count));
    output.setAttribute("data-minutes", String(minutes));
  }

  // Wiring ---------------------------------------------------------------------

  var scheduled = false;

  function updateAll() {
    scheduled = false;
    document.querySelectorAll("[data-byline-preview]").forEach(updatePreview);
    document.querySelectorAll("[data-byline-word-count]").forEach(updateWordCount);
  }

  function scheduleUpdate() {
    if (!scheduled) {
      scheduled = true;
      window.setTimeout(updateAll, 100);
    }
  }

  function start() {
    var counted = document.querySelectorAll("[data-byline-word-count]");
    if (!counted.length && !document.querySelector("[data-byline-preview]")) {
      return;
    }
    document.addEventListener("input", scheduleUpdate);
    document.addEventListener("change", scheduleUpdate);
    // Draftail redraws its paragraphs itself; watch the body for that.
    counted.forEach(function (panel) {
      new MutationObserver(function (mutations) {
        var ours = mutations.every(function (mutation) {
          return panel.querySelector("[data-byline-word-count-output]") &&
            panel.querySelector("[data-byline-word-count-output]").contains(mutation.target);
        });
        if (!ours) {
          scheduleUpdate();
        }
      }).observe(panel, { childList: true, subtree: true, characterData: true });
    });
    updateAll();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
