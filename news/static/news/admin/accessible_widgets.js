/*
 * Accessible names for two Wagtail admin widgets that come without one
 * (axe-core: "label", "aria-input-field-name"):
 *
 * - the tag field's tag-it input, which replaces the labelled <input> with a
 *   new, unlabelled one: it is named by the field's label;
 * - Draftail's editable area (role="textbox"): named by its field's label, or
 *   in a StreamField by its block's heading ("Paragraph").
 *
 * - Wagtail's modal dialogs (choosers, "Approve with comment"): named by their
 *   title;
 * - a form list (<ul class="fields">) that holds fields directly instead of in
 *   list items (the workflow action modal): each such child gets its <li>.
 * - the date and time picker's arrow buttons (empty <button>s): "Previous month",
 *   "Next month", "Earlier times", "Later times".
 *
 * These are built after the page loads (blocks are added as the editor works,
 * modals open), so new ones are fixed as they appear. Loaded on every admin page by
 * news/wagtail_hooks.py (insert_global_admin_js); a static file, as the
 * Content-Security-Policy wants.
 */
(function () {
  "use strict";

  var count = 0;

  function labelOf(input) {
    if (!input || !input.id) {
      return null;
    }
    return (
      document.getElementById(input.id + "-label") ||
      document.querySelector('label[for="' + CSS.escape(input.id) + '"]')
    );
  }

  function nameBy(element, label, fallback) {
    if (element.hasAttribute("aria-label") || element.hasAttribute("aria-labelledby")) {
      return;
    }
    if (label && label.textContent.trim()) {
      if (!label.id) {
        count += 1;
        label.id = "byline-widget-label-" + count;
      }
      element.setAttribute("aria-labelledby", label.id);
    } else {
      element.setAttribute("aria-label", fallback);
    }
  }

  function nameTagInputs(root) {
    root.querySelectorAll("ul.tagit input").forEach(function (input) {
      var field = input.closest("[data-field-input]") || input.closest("ul.tagit").parentElement;
      nameBy(input, labelOf(field.querySelector("input[data-controller~='w-tag'], input[id]")), "Tags");
    });
  }

  function nameRichTextAreas(root) {
    root.querySelectorAll("[contenteditable='true'][role='textbox']").forEach(function (area) {
      var field = area.closest("[data-field-input]");
      var input = field && field.querySelector("input[type='hidden'][id]");
      var label = labelOf(input);
      if (!label) {
        var block = area.closest("[aria-labelledby]");
        label = block && document.getElementById(block.getAttribute("aria-labelledby").split(" ")[0]);
      }
      nameBy(area, label, "Text");
    });
  }

  function nameDialogs(root) {
    root.querySelectorAll(".modal[role='dialog']").forEach(function (dialog) {
      var title = dialog.querySelector("h1, h2");
      if (title) {
        nameBy(dialog, title, "Dialog");
      }
    });
  }

  function listFields(root) {
    root.querySelectorAll("ul.fields").forEach(function (list) {
      Array.prototype.slice.call(list.children).forEach(function (child) {
        if (!/^(LI|SCRIPT|TEMPLATE)$/.test(child.tagName)) {
          var item = document.createElement("li");
          list.insertBefore(item, child);
          item.appendChild(child);
        }
      });
    });
  }

  var PICKER_BUTTONS = [
    [".xdsoft_monthpicker .xdsoft_prev", "Previous month"],
    [".xdsoft_monthpicker .xdsoft_next", "Next month"],
    [".xdsoft_timepicker .xdsoft_prev", "Earlier times"],
    [".xdsoft_timepicker .xdsoft_next", "Later times"],
    [".xdsoft_monthpicker .xdsoft_today_button", "Today"],
  ];

  function nameDatePickerButtons(root) {
    PICKER_BUTTONS.forEach(function (entry) {
      root.querySelectorAll(".xdsoft_datetimepicker " + entry[0]).forEach(function (button) {
        nameBy(button, null, entry[1]);
      });
    });
  }

  function nameAll() {
    nameTagInputs(document);
    nameRichTextAreas(document);
    nameDialogs(document);
    listFields(document);
    nameDatePickerButtons(document);
  }

  var pending = false;
  function later() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        nameAll();
      });
    }
  }

  function start() {
    nameAll();
    new MutationObserver(later).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
