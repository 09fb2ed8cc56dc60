// "Report" on a person's card or a chat message: a dialog asking why (the core's REPORT_REASONS,
// in words) and what happened, then room:report through the core. The server stores it for its
// operator with the chat before it, and tells the room's hosts without saying who reported
// (authority/room_authority.h). Whether the report was taken is the server's answer: "Report sent"
// is the core's toast on room:report-taken, and a refusal is an 'error' event (not_reportable,
// rate_limited), both shown by call-ui.js.
//   reportDialog(call) -> {element, open({user_id, display_name, message_id?})}
import { REPORT_REASONS } from './mehfil-core.mjs';
import { el, textButton } from './dom.js';

const REASON_WORDS = {
  harassment: 'Harassment or bullying',
  hate: 'Hate speech or symbols',
  sexual: 'Sexual or violent content',
  spam: 'Spam or scams',
  other: 'Something else',
};

export function reportDialog(call) {
  const element = el('dialog', { className: 'mf-dialog mf-report' });
  element.setAttribute('aria-label', 'Report');
  element.addEventListener('click', (event) => { if (event.target === element) element.close(); });

  function open({ user_id: userId, display_name: name, message_id: messageId }) {
    const heading = el('h2', {}, messageId ? `Report this message from ${name}` : `Report ${name}`);
    const reasons = el('fieldset', { className: 'mf-report-reasons' }, el('legend', {}, 'What is wrong?'),
      ...REPORT_REASONS.map((reason, i) => el('label', { className: 'mf-report-reason' },
        el('input', { type: 'radio', name: 'mf-report-reason', value: reason, checked: i === 0 }),
        el('span', {}, REASON_WORDS[reason] ?? reason))));
    const note = el('textarea', { className: 'mf-report-note', maxLength: 500, rows: 3, placeholder: 'What happened? (optional)' });
    note.setAttribute('aria-label', 'What happened');
    const send = textButton('Send report', () => {
      const reason = reasons.querySelector('input:checked')?.value ?? 'other';
      element.close();
      call.report(userId, { reason, note: note.value.trim(), messageId });
    }, 'mf-button mf-button-danger', 'flag');
    element.replaceChildren(el('div', { className: 'mf-modal-card' }, heading,
      el('p', { className: 'mf-muted' }, 'The site\'s moderators see the report with the recent chat. The room\'s hosts are told, but not by whom.'),
      reasons, note,
      el('div', { className: 'mf-row mf-row-end' }, textButton('Cancel', () => element.close(), 'mf-button mf-button-ghost'), send)));
    element.showModal();
    reasons.querySelector('input')?.focus();
  }
  return { element, open };
}
