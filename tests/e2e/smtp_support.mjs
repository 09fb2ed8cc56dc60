// A real SMTP server on loopback for the browser tests: Debian's aiosmtpd (python3-aiosmtpd) in a
// child process, keeping what it receives in a Maildir the test reads (the C++ tests have the same,
// tests/server/smtp_sink.h). The server under test sends to it with --smtp-url.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const freePort = () => new Promise((done, fail) => {
  const probe = createServer();
  probe.once('error', fail);
  probe.listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => done(port));
  });
});

const accepts = (port) => new Promise((done) => {
  const socket = connect(port, '127.0.0.1');
  socket.once('connect', () => { socket.destroy(); done(true); });
  socket.once('error', () => done(false));
});

export async function startSmtpSink() {
  const folder = await mkdtemp(join(tmpdir(), 'mehfil-smtp-'));
  const port = await freePort();
  // Debian's python3, where python3-aiosmtpd lives (not whichever python3 comes first on PATH).
  const child = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`,
    '-c', 'aiosmtpd.handlers.Mailbox', join(folder, 'mail')], { stdio: 'ignore' });
  for (let i = 0; i < 200 && !(await accepts(port)); i += 1) await new Promise((done) => setTimeout(done, 25));

  async function mails() {
    const dir = join(folder, 'mail', 'new');
    const names = await readdir(dir).catch(() => []);
    const found = await Promise.all(names.map(async (name) => ({
      at: (await stat(join(dir, name))).mtimeMs, text: await readFile(join(dir, name), 'utf8'),
    })));
    return found.sort((a, b) => a.at - b.at).map((m) => m.text);
  }

  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    // The newest mail to `to` with `containing` in it, waiting up to `timeout` ms.
    async waitFor(to, containing, timeout = 10000) {
      const deadline = Date.now() + timeout;
      for (;;) {
        const mail = (await mails()).reverse().find((m) => m.includes(`To: <${to}>`) && m.includes(containing));
        if (mail) return mail;
        if (Date.now() > deadline) throw new Error(`no mail to ${to} with "${containing}"`);
        await new Promise((done) => setTimeout(done, 100));
      }
    },
    async close() {
      child.kill('SIGTERM');
      await rm(folder, { recursive: true, force: true });
    },
  };
}

// The link in an account mail ("…/account.html#verify=TOKEN"), as a path for page.goto.
export function accountLink(mail, purpose) {
  const match = mail.match(new RegExp(`(/account\\.html#${purpose}=[A-Za-z0-9_-]+)`));
  if (!match) throw new Error(`no ${purpose} link in the mail`);
  return match[1];
}
