import type { OutboxMessage } from './outbox';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page a person running the example app opens to read the SMS it would have received. */
export function renderOutboxPage(messages: OutboxMessage[]): string {
  const rows = [...messages]
    .reverse()
    .map(
      (m) => `<tr>
  <td><time>${escapeHtml(m.dateCreated)}</time></td>
  <td class="to">${escapeHtml(m.to)}</td>
  <td>${escapeHtml(m.from ?? m.messagingServiceSid ?? m.verifyServiceSid ?? '')}</td>
  <td>${m.api === 'verify' ? 'Verify' : 'Messaging'}</td>
  <td class="body">${escapeHtml(m.body)}</td>
</tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="3">
<title>Twilio dev server – outbox</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem; color: #1f1f2e; }
  h1 { font-size: 1.4rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .5rem .75rem; border-bottom: 1px solid #e3e3ee; vertical-align: top; }
  th { background: #f4f4fb; }
  td.body { font-family: ui-monospace, monospace; white-space: pre-wrap; }
  .empty { color: #666; }
</style>
</head>
<body>
<h1>SMS outbox</h1>
<p>Messages the example app sent through the Twilio-compatible dev server, newest first. Nothing here left this machine. The page refreshes every 3 seconds.</p>
${
  messages.length === 0
    ? '<p class="empty">No messages yet.</p>'
    : `<table>
<thead><tr><th>Sent</th><th>To</th><th>From</th><th>API</th><th>Body</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
}
</body>
</html>`;
}
