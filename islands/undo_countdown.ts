/**
 * Send delay (送信取消): under a reply the delay still holds, the server says when it will be
 * sent ("10:00:10 に送信されます。"); with JavaScript that becomes a countdown ("送信まで 8秒")
 * next to the cancel button, which is a plain form either way. At zero the form goes: the outbox
 * has it.
 */

/** Starts a countdown for every held reply on the page (and for those inserted later). */
export function startUndoCountdowns(root: ParentNode = document) {
  for (const form of root.querySelectorAll<HTMLFormElement>("form.undo-send[data-seconds]")) {
    if (form.dataset.counting) continue;
    form.dataset.counting = "1";
    const label = form.querySelector<HTMLElement>(".countdown");
    const text = form.dataset.countdown ?? "{n}";
    const end = performance.now() + Number(form.dataset.seconds) * 1000;
    const tick = () => {
      const left = Math.ceil((end - performance.now()) / 1000);
      if (left <= 0) {
        clearInterval(timer);
        form.remove();
        return;
      }
      if (label) label.textContent = text.replace("{n}", String(left));
    };
    const timer = setInterval(tick, 250);
    tick();
  }
}
