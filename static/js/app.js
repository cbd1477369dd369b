// Small behaviours without inline script (the Content Security Policy forbids it).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", (event) => {
      event.preventDefault();
      window.print();
    });
  });
  pollWhileWorking();
  copyButtons();
});

// <button data-copy="ID" data-copy-status="ID" data-copied="…" data-copy-failed="…" hidden>
// copies the text of element ID and says so in the live region data-copy-status. Without
// JavaScript the button stays hidden and the text stays selectable.
function copyButtons() {
  document.querySelectorAll("button[data-copy]").forEach((button) => {
    const source = document.getElementById(button.dataset.copy);
    const status = document.getElementById(button.dataset.copyStatus);
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      const text = source.textContent.trim();
      let copied = false;
      try {
        if (navigator.clipboard && window.isSecureContext) {
          await navigator.clipboard.writeText(text);
          copied = true;
        }
      } catch (error) {
        copied = false;
      }
      if (!copied) {
        // Older browsers, or a page not served over HTTPS: select the words and copy.
        const range = document.createRange();
        range.selectNodeContents(source);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        try {
          copied = document.execCommand("copy");
        } catch (error) {
          copied = false;
        }
      }
      if (status) {
        status.textContent = "";
        // A fresh text after a pause, so that a second copy is announced again.
        setTimeout(() => {
          status.textContent = copied ? button.dataset.copied : button.dataset.copyFailed;
        }, 50);
      }
    });
  });
}

// A page that is waiting on the server (a report being made) says so with
// <meta name="hr-police-poll" content="seconds">. Instead of reloading the whole page,
// which moves keyboard focus and makes screen readers start over (WCAG 2.2.1), fetch it
// again and update the status text and progress bar in place; when the work is done,
// show the finished page's content.
function pollWhileWorking() {
  const poll = document.querySelector('meta[name="hr-police-poll"]');
  const main = document.querySelector("main");
  if (!poll || !main) return;
  const every = Math.max(1, Number(poll.content) || 2) * 1000;
  const tick = async () => {
    let doc;
    try {
      const response = await fetch(window.location.href, { credentials: "same-origin" });
      if (!response.ok) return;
      doc = new DOMParser().parseFromString(await response.text(), "text/html");
    } catch (error) {
      setTimeout(tick, every * 2);
      return;
    }
    const fresh = doc.querySelector("main");
    if (!fresh) return;
    const status = main.querySelector("[role=status]");
    const freshStatus = fresh.querySelector("[role=status]");
    if (status && freshStatus && status.textContent !== freshStatus.textContent) {
      status.textContent = freshStatus.textContent;
    }
    const progress = main.querySelector("progress");
    const freshProgress = fresh.querySelector("progress");
    if (progress && freshProgress) {
      progress.value = freshProgress.value;
      progress.textContent = freshProgress.textContent;
    }
    if (doc.querySelector('meta[name="hr-police-poll"]')) {
      setTimeout(tick, every);
    } else {
      main.replaceChildren(...Array.from(fresh.childNodes));
      document.title = doc.title;
    }
  };
  setTimeout(tick, every);
}

// A form sent back with errors names them in a summary marked data-focus-on-load
// (partials/form_errors.html with focus=True): focus it, so the page lands on it (its
// form may be far down a long page) and screen readers read it first.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-focus-on-load]");
  if (summary) summary.focus();
});
